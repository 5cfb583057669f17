package mapping

import (
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"strconv"
	"strings"
	gosync "sync"
)

// Record is one Buildium record mapped to a HubSpot record.
type Record struct {
	// Entity is the Buildium stream the record came from.
	Entity Entity
	// SourceID identifies the Buildium record: the Buildium id as a decimal
	// string, or for an emergency contact the key from EmergencyContactKey.
	SourceID string
	// Key is the value of the unique key property (equal to SourceID); the
	// engine upserts with id=Key, idProperty=KeyProperty.
	Key string
	// KeyProperty is the hasUniqueValue property holding Key.
	KeyProperty string
	// Target is the HubSpot object: "contacts", "listings" or "unit".
	Target string
	// Name is a display name for people (tenant or contact name, property
	// name, "Property – Unit n"). It is personal data for contacts: show
	// it, never log it.
	Name string
	// Properties maps HubSpot property names to string values, sanitised
	// (Sanitize). Empty values are omitted, except for fields with Clear,
	// which send "" to clear HubSpot's value.
	Properties map[string]string
	// Errors are failed validation rules: a record with errors is invalid
	// and is not sent.
	Errors []ValidationError
	// Warnings are problems that do not stop the record being sent, already
	// masked for logs (ValidationError.String); WarningDetails holds the
	// same problems, in the same order, as values.
	Warnings []string
	// WarningDetails are the warnings as values (Severity SeverityWarning),
	// for a report: Reveal shows the raw value to the person running b2h,
	// String masks it for logs.
	WarningDetails []ValidationError
	// Hash is a stable digest of Target and Properties, stored as
	// sync_hash: an unchanged hash means nothing to write.
	Hash string
}

// Valid reports whether the record has no validation errors.
func (r *Record) Valid() bool { return len(r.Errors) == 0 }

// warn adds a warning.
func (r *Record) warn(ve ValidationError) {
	ve.Severity = SeverityWarning
	r.WarningDetails = append(r.WarningDetails, ve)
	r.Warnings = append(r.Warnings, ve.String())
}

// promote turns the warnings that match into errors, rewritten by f, and
// reports whether there were any.
func (r *Record) promote(match func(ValidationError) bool, f func(ValidationError) ValidationError) bool {
	promoted := false
	details, texts := r.WarningDetails[:0], r.Warnings[:0]
	for i, ve := range r.WarningDetails {
		if match(ve) {
			ve = f(ve)
			ve.Severity = SeverityError
			r.Errors = append(r.Errors, ve)
			promoted = true
			continue
		}
		details, texts = append(details, ve), append(texts, r.Warnings[i])
	}
	if len(details) == 0 {
		details, texts = nil, nil
	}
	r.WarningDetails, r.Warnings = details, texts
	return promoted
}

// SetProperties adds or replaces properties (sanitised like mapped values:
// on one line, except PropLeases) and recomputes Hash. The engine uses it to add values it computes from
// other records, such as UnitLeaseFields.
func (r *Record) SetProperties(props map[string]string) {
	r.setProperties(props)
	r.Hash = Hash(r.Target, r.Properties)
}

// setProperties is SetProperties without the hash.
func (r *Record) setProperties(props map[string]string) {
	if r.Properties == nil {
		r.Properties = make(map[string]string, len(props))
	}
	for k, v := range props {
		if v = Sanitize(v); k != PropLeases {
			v = singleLine(v)
		}
		r.Properties[k] = v
	}
}

// Hash returns the hex SHA-256 of target and the properties in name
// order, each length-prefixed so that no two different sets collide by
// concatenation.
func Hash(target string, props map[string]string) string {
	// The bytes hashed are fixed: every mapping in state stores this hash,
	// and a different one would make every record look changed
	// (TestHashBytesAreStable). One buffer, on the stack for a usual record,
	// and one call into SHA-256: this runs for every record read.
	var keyStack [64]string
	keys := keyStack[:0]
	for k := range props {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return hashInOrder(target, props, keys)
}

// hashInOrder is Hash with props' keys given in order, or "" when order
// misses one of them.
func hashInOrder(target string, props map[string]string, order []string) string {
	var stack [2048]byte
	buf := appendHashField(stack[:0], target)
	found := 0
	for _, k := range order {
		if v, ok := props[k]; ok {
			buf = appendHashField(buf, k)
			buf = appendHashField(buf, v)
			found++
		}
	}
	if found != len(props) {
		return ""
	}
	sum := sha256.Sum256(buf)
	return hex.EncodeToString(sum[:])
}

// appendHashField appends s as Hash writes it: its length in decimal, a
// colon, then s.
func appendHashField(b []byte, s string) []byte {
	b = strconv.AppendInt(b, int64(len(s)), 10)
	b = append(b, ':')
	return append(b, s...)
}

// ValidationError is a validation rule a record failed, or a warning about
// one of its values. Name and Value are personal data: String and Error
// mask them; Reveal shows them, for the person running b2h.
type ValidationError struct {
	// Severity is SeverityError (the record is invalid and not sent) or
	// SeverityWarning (the record is sent, without the value when the
	// message says so); "" means SeverityError.
	Severity string
	// Entity is the record's entity.
	Entity Entity
	// SourceID identifies the record (Record.SourceID).
	SourceID string
	// Name is the record's display name (personal data).
	Name string
	// Field is the HubSpot property.
	Field string
	// Source is the Buildium field path, "" for a record-level rule.
	Source string
	// Rule is the rule kind that failed (Rule* constants), or for a warning
	// not tied to a rule "max_length" (cut), "transform" (not converted),
	// "option" (not an option of the portal's property, FitOptions) or
	// RuleImplausible (a value no record can mean, left off).
	Rule string
	// Value is the offending value as read (personal data).
	Value string
	// Label names the field the way Buildium's screens do, e.g. "email".
	Label string
	// Message says what is wrong, without personal data: "is not a valid
	// address".
	Message string
	// Hint says what to do, without personal data; "{record}" in it stands
	// for the record's name.
	Hint string
}

// Error implements error with the masked text of String.
func (e ValidationError) Error() string { return e.render(true) }

// String renders the error with personal data masked, for logs and files:
//
//	tenant 4012 (J*** D***): email "j***@" is not a valid address — fix it in Buildium (Rentals › Tenants › J*** D*** › Email) or clear it
func (e ValidationError) String() string { return e.render(true) }

// Reveal renders the error with the real name and value, for the person at
// the screen:
//
//	tenant 4012 (Jane Doe): email "jane@" is not a valid address — fix it in Buildium (Rentals › Tenants › Jane Doe › Email) or clear it
func (e ValidationError) Reveal() string { return e.render(false) }

func (e ValidationError) render(masked bool) string {
	name, val := e.Name, e.Value
	if masked {
		name, val = Mask(name), Mask(val)
	}
	var b strings.Builder
	b.WriteString(e.Entity.noun())
	b.WriteByte(' ')
	b.WriteString(e.SourceID)
	if name != "" {
		b.WriteString(" (" + name + ")")
	}
	b.WriteString(": ")
	if e.Label != "" {
		b.WriteString(e.Label + " ")
	}
	if val != "" {
		b.WriteString(strconv.Quote(val) + " ")
	}
	b.WriteString(e.Message)
	if e.Hint != "" {
		ref := name
		if ref == "" {
			ref = e.Entity.noun() + " " + e.SourceID
		}
		b.WriteString(" — " + strings.ReplaceAll(e.Hint, "{record}", ref))
	}
	return b.String()
}

// Mask hides personal data while keeping enough to recognise it: each
// word keeps its first character ("Jane Doe" → "J*** D***"); an address
// keeps the first character of its local part and its domain
// ("jane@example.com" → "j***@example.com"). The length is not revealed.
func Mask(s string) string {
	if s == "" {
		return ""
	}
	if at := strings.LastIndexByte(s, '@'); at >= 0 && !strings.ContainsAny(s, " \t\n") {
		return maskWord(s[:at]) + "@" + s[at+1:]
	}
	words := strings.Fields(s)
	for i, w := range words {
		words[i] = maskWord(w)
	}
	return strings.Join(words, " ")
}

func maskWord(w string) string {
	for _, r := range w {
		return string(r) + "***"
	}
	return "***"
}

// hashOrders caches, by mapping and entity, the sorted names of every
// property the entity's fields (and, for units, the lease fields) write: a
// sorted superset of a record's keys, so its hash needs no sort of them.
var hashOrders gosync.Map // hashOrderKey → []string

type hashOrderKey struct {
	m         *Mapping
	e         Entity
	withLease bool
}

// hashOrder returns the sorted property names entity e's records can have.
// A mapping changed since (the TUI edits one in place) still gets correct
// hashes: hashOrdered sorts whenever a record has a key the list lacks.
func (m *Mapping) hashOrder(e Entity, withLease bool) []string {
	k := hashOrderKey{m, e, withLease}
	if v, ok := hashOrders.Load(k); ok {
		return v.([]string)
	}
	var names []string
	for _, ent := range []Entity{e, Leases} {
		if em := m.Entities[ent]; em != nil {
			if em.Key != "" {
				names = append(names, em.Key)
			}
			for _, f := range em.Fields {
				names = append(names, f.Target)
			}
			for _, pe := range m.fits[em.Target] {
				if pe.fallback != "" {
					names = append(names, pe.fallback)
				}
			}
		}
		if !withLease {
			break
		}
	}
	slices.Sort(names)
	names = slices.Compact(names)
	hashOrders.Store(k, names)
	return names
}

// hashOrdered is Hash(target, props) for props whose keys are all in
// order, a sorted list; otherwise it is Hash.
func hashOrdered(target string, props map[string]string, order []string) string {
	if h := hashInOrder(target, props, order); h != "" {
		return h
	}
	return Hash(target, props)
}
