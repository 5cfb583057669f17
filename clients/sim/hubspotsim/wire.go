package hubspotsim

import (
	"bytes"
	"encoding/json"
	"errors"
	"strconv"
	"time"
	"unicode/utf8"

	"b2h/internal/jsonx"
)

// isoLayout is how HubSpot writes timestamps: ISO 8601, milliseconds, Z.
const isoLayout = "2006-01-02T15:04:05.000Z"

// iso formats epoch milliseconds as HubSpot does (isoLayout), without the
// cost of time.Format: it runs several times per record rendered.
func iso(ms int64) string {
	t := time.UnixMilli(ms).UTC()
	y, mo, d := t.Date()
	h, mi, sec := t.Clock()
	if y < 0 || y > 9999 {
		return t.Format(isoLayout)
	}
	var b [24]byte
	put := func(i, v, n int) {
		for j := i + n - 1; j >= i; j-- {
			b[j] = byte('0' + v%10)
			v /= 10
		}
	}
	put(0, y, 4)
	b[4] = '-'
	put(5, int(mo), 2)
	b[7] = '-'
	put(8, d, 2)
	b[10] = 'T'
	put(11, h, 2)
	b[13] = ':'
	put(14, mi, 2)
	b[16] = ':'
	put(17, sec, 2)
	b[19] = '.'
	put(20, t.Nanosecond()/1e6, 3)
	b[23] = 'Z'
	return string(b[:])
}

// propValues is a record's properties in output order. It marshals as a
// JSON object without the map and key sorting encoding/json would need;
// an empty value is null (§2: requested-but-empty properties are null).
type propValues []propValue

// propValue is one property of propValues; "" is null.
type propValue struct {
	name, value string
}

// MarshalJSON writes the properties as one JSON object.
func (pv propValues) MarshalJSON() ([]byte, error) {
	n := 2
	for _, p := range pv {
		n += len(p.name) + len(p.value) + 8
	}
	return pv.appendJSON(make([]byte, 0, n)), nil
}

// appendJSONString appends s as a JSON string literal, escaping quotes,
// backslashes, control characters, U+2028/U+2029 and invalid UTF-8.
func appendJSONString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 || r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			if r == utf8.RuneError {
				b = append(b, `\ufffd`...)
			} else {
				b = append(b, '\\', 'u', '2', '0', '2', hex[r&0xf])
			}
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// flex is a JSON scalar read as a string: HubSpot accepts "17", 17 and true
// for property values and ids (all values are strings on the wire, §2, but
// numbers and booleans are coerced). null sets null.
type flex struct {
	s    string
	null bool
}

// UnmarshalJSON accepts a string, number, boolean or null.
func (f *flex) UnmarshalJSON(b []byte) error {
	switch {
	case len(b) == 0:
		return errors.New("empty value")
	case b[0] == '"':
		if bytes.IndexByte(b, '\\') < 0 {
			f.s = string(b[1 : len(b)-1])
			return nil
		}
		return json.Unmarshal(b, &f.s)
	case b[0] == 'n':
		f.null = true
		return nil
	case b[0] == '{' || b[0] == '[':
		return errors.New("property values and ids must be strings, numbers or booleans")
	default:
		f.s = string(b)
		return nil
	}
}

// objectID is {"id": "..."} as association inputs write it.
type objectID struct {
	ID flex `json:"id"`
}

// assocSpec is one association type in a request or response (§4).
type assocSpec struct {
	Category string `json:"associationCategory"`
	TypeID   int32  `json:"associationTypeId"`
}

// objectJSON is SimplePublicObject (§2), with the upsert flag and trace id
// that batch responses add (§3).
type objectJSON struct {
	ID                    string                   `json:"id"`
	Properties            propValues               `json:"properties"`
	PropertiesWithHistory map[string][]historyJSON `json:"propertiesWithHistory,omitempty"`
	CreatedAt             string                   `json:"createdAt"`
	UpdatedAt             string                   `json:"updatedAt"`
	Archived              bool                     `json:"archived"`
	ArchivedAt            string                   `json:"archivedAt,omitempty"`
	New                   *bool                    `json:"new,omitempty"`
	ObjectWriteTraceID    string                   `json:"objectWriteTraceId,omitempty"`
}

// historyJSON is one version of a property value.
type historyJSON struct {
	Value      string `json:"value"`
	Timestamp  string `json:"timestamp"`
	SourceType string `json:"sourceType"`
}

// batchJSON is BatchResponse…/BatchResponse…WithErrors (§3).
type batchJSON struct {
	Status      string      `json:"status"`
	Results     any         `json:"results"`
	NumErrors   int         `json:"numErrors,omitempty"`
	Errors      []*apiError `json:"errors,omitempty"`
	RequestedAt string      `json:"requestedAt,omitempty"`
	StartedAt   string      `json:"startedAt"`
	CompletedAt string      `json:"completedAt"`
}

// newBatch returns a COMPLETE batch envelope stamped at ms.
func newBatch(ms int64, results any, errs []*apiError) *batchJSON {
	t := iso(ms)
	return &batchJSON{Status: "COMPLETE", Results: results, NumErrors: len(errs), Errors: errs, StartedAt: t, CompletedAt: t}
}

// decodeJSON reads body into v and answers HubSpot's invalid-JSON 400.
func decodeJSON(body []byte, v any) *failure {
	if len(bytes.TrimSpace(body)) == 0 {
		return badRequest("Invalid input JSON on line 1, column 1: No content to map due to end-of-input")
	}
	if err := jsonx.Unmarshal(body, v); err != nil { // encoding/json's error when it fails
		line, col := 1, 1
		var off int64
		var se *json.SyntaxError
		var te *json.UnmarshalTypeError
		switch {
		case errors.As(err, &se):
			off = se.Offset
		case errors.As(err, &te):
			off = te.Offset
		}
		for i := int64(0); i < off && i < int64(len(body)); i++ {
			col++
			if body[i] == '\n' {
				line, col = line+1, 1
			}
		}
		return badRequest("Invalid input JSON on line %d, column %d: %v", line, col, err)
	}
	return nil
}

// parseID reads a record id ("512"); ok is false for anything else.
func parseID(s string) (int64, bool) {
	n, err := strconv.ParseInt(s, 10, 64)
	return n, err == nil && n > 0
}

// idString formats a record id.
func idString(id int64) string { return strconv.FormatInt(id, 10) }

// listString renders ids as Java's List.toString does: "[a, b]" (§3).
func listString(v []string) string {
	var b bytes.Buffer
	b.WriteByte('[')
	for i, s := range v {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(s)
	}
	b.WriteByte(']')
	return b.String()
}

// itoa is strconv.Itoa.
func itoa(n int) string { return strconv.Itoa(n) }
