package logx

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"time"
)

// MaskingHandler is a slog.Handler that masks personal data and secrets
// (see the package documentation) before passing each record to the
// handler it wraps. It is safe for concurrent use if the wrapped handler
// is.
type MaskingHandler struct {
	next slog.Handler
	// inherited is the treatment of the groups opened with WithGroup: an
	// attribute logged inside WithGroup("address") is masked whatever its
	// own key.
	inherited Treatment
}

var _ slog.Handler = (*MaskingHandler)(nil)

// NewMaskingHandler returns a handler that masks every record, then hands
// it to next.
func NewMaskingHandler(next slog.Handler) *MaskingHandler {
	return &MaskingHandler{next: next}
}

// Enabled implements slog.Handler: it defers to the wrapped handler.
func (h *MaskingHandler) Enabled(ctx context.Context, l slog.Level) bool {
	return h.next.Enabled(ctx, l)
}

// Handle implements slog.Handler: it masks the message and every attribute
// of r, then passes the masked copy on. r itself is not modified.
func (h *MaskingHandler) Handle(ctx context.Context, r slog.Record) error {
	out := slog.NewRecord(r.Time, r.Level, MaskString(r.Message), r.PC)
	var buf [8]slog.Attr
	attrs := buf[:0]
	r.Attrs(func(a slog.Attr) bool {
		attrs = append(attrs, maskAttr(a, h.inherited))
		return true
	})
	out.AddAttrs(attrs...)
	return h.next.Handle(ctx, out)
}

// WithAttrs implements slog.Handler: the attributes are masked once, here.
func (h *MaskingHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	masked := make([]slog.Attr, len(attrs))
	for i, a := range attrs {
		masked[i] = maskAttr(a, h.inherited)
	}
	return &MaskingHandler{next: h.next.WithAttrs(masked), inherited: h.inherited}
}

// WithGroup implements slog.Handler. A group named like a sensitive key
// passes its treatment to everything logged inside it.
func (h *MaskingHandler) WithGroup(name string) slog.Handler {
	if name == "" {
		return h
	}
	return &MaskingHandler{next: h.next.WithGroup(name), inherited: max(h.inherited, ClassifyKey(name))}
}

// MaskAttr returns a with its value masked as the handler would mask it,
// for code that writes attributes somewhere other than a slog.Handler.
func MaskAttr(a slog.Attr) slog.Attr { return maskAttr(a, Plain) }

func maskAttr(a slog.Attr, inherited Treatment) slog.Attr {
	t := max(inherited, ClassifyKey(a.Key))
	return slog.Attr{Key: a.Key, Value: maskValue(a.Value.Resolve(), t)}
}

func maskValue(v slog.Value, t Treatment) slog.Value {
	switch v.Kind() {
	case slog.KindGroup:
		g := v.Group()
		out := make([]slog.Attr, len(g))
		for i, a := range g {
			out[i] = maskAttr(a, t)
		}
		return slog.GroupValue(out...)
	case slog.KindString:
		return slog.StringValue(maskText(v.String(), t))
	case slog.KindBool, slog.KindDuration:
		if t == Redacted {
			return slog.StringValue(RedactedText)
		}
		return v
	case slog.KindInt64, slog.KindUint64, slog.KindFloat64:
		// A count logged under "emails" stays; a phone number logged as a
		// number does not.
		if t == Redacted || t == Masked && countDigits(v.String()) >= 7 {
			return slog.StringValue(RedactedText)
		}
		return v
	case slog.KindTime:
		if t != Plain {
			return slog.StringValue(RedactedText)
		}
		return v
	case slog.KindAny:
		return maskAny(v.Any(), t)
	}
	if t != Plain {
		return slog.StringValue(RedactedText)
	}
	return v
}

// maskText applies treatment t to one string.
func maskText(s string, t Treatment) string {
	switch t {
	case Redacted:
		if s == "" {
			return "" // "the token is empty" is worth knowing, and reveals nothing
		}
		return RedactedText
	case Masked:
		return maskWordsOf(s)
	}
	return MaskString(s)
}

// maskAny masks a value logged with slog.Any. Errors and byte slices become
// masked strings; anything else is masked through its JSON form (what
// slog.JSONHandler would write), so personal data inside a struct or map
// is found by key and by pattern like any other attribute.
func maskAny(x any, t Treatment) slog.Value {
	switch x := x.(type) {
	case nil:
		return slog.AnyValue(nil)
	case error:
		return slog.StringValue(maskText(x.Error(), t))
	case []byte:
		return slog.StringValue(maskText(string(x), t))
	case time.Time:
		return maskValue(slog.TimeValue(x), t)
	case fmt.Stringer:
		if _, isJSON := x.(json.Marshaler); !isJSON {
			return slog.StringValue(maskText(x.String(), t))
		}
	}
	b, err := json.Marshal(x)
	if err != nil {
		return slog.StringValue(maskText(fmt.Sprintf("%+v", x), t))
	}
	var tree any
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	if err := dec.Decode(&tree); err != nil {
		return slog.StringValue(maskText(string(b), t))
	}
	return slog.AnyValue(maskTree(tree, t))
}

// maskTree masks a decoded JSON value in place and returns it.
func maskTree(v any, t Treatment) any {
	switch v := v.(type) {
	case string:
		return maskText(v, t)
	case json.Number:
		if t == Redacted || t == Masked && countDigits(string(v)) >= 7 {
			return RedactedText
		}
		return v
	case bool:
		if t == Redacted {
			return RedactedText
		}
		return v
	case []any:
		for i := range v {
			v[i] = maskTree(v[i], t)
		}
		return v
	case map[string]any:
		out := make(map[string]any, len(v))
		for k, x := range v {
			out[MaskString(k)] = maskTree(x, max(t, ClassifyKey(k)))
		}
		return out
	}
	return v
}

func countDigits(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		if isDigit(s[i]) {
			n++
		}
	}
	return n
}
