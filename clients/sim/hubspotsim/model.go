package hubspotsim

import (
	"sort"
	"strconv"
	"strings"
)

// objKind says which of the three object families a type belongs to; it
// decides scopes (hubspot-api.md §1) and built-in properties.
type objKind uint8

const (
	kindContact objKind = iota
	kindListing
	kindCustom
	kindCompany
)

// kindFamilies names each kind's scope family (§1): crm.objects.<family>.read.
var kindFamilies = [...]string{kindContact: "contacts", kindListing: "listings", kindCustom: "custom", kindCompany: "companies"}

// sysKind marks a property whose value HubSpot derives from the record.
type sysKind uint8

const (
	sysNone    sysKind = iota
	sysID              // hs_object_id
	sysCreated         // createdate / hs_createdate
	sysUpdated         // lastmodifieddate / hs_lastmodifieddate
)

// option is one enumeration option (§5).
type option struct {
	Label        string `json:"label"`
	Value        string `json:"value"`
	Description  string `json:"description"`
	DisplayOrder int    `json:"displayOrder"`
	Hidden       bool   `json:"hidden"`
}

// propDef is a property definition of one object type (§5).
type propDef struct {
	idx            int // position of the value in record.vals
	name, label    string
	typ, fieldType string
	group, desc    string
	options        []option
	optionSet      map[string]bool
	unique         bool    // hasUniqueValue
	readOnly       bool    // modificationMetadata.readOnlyValue: the API cannot write it
	uiWritable     bool    // a person can still set it in HubSpot (hs_additional_emails)
	sys            sysKind // derived from the record
	calculated     bool
	external       bool // externalOptions: values are ids kept elsewhere (owners, teams, pipelines)
	hubspotDefined bool
	hidden         bool
	formField      bool
	displayOrder   int
	sensitivity    string // non_sensitive | sensitive | highly_sensitive
	email          bool   // validated as an email address (contacts' email)
	multiEmail     bool   // hs_additional_emails: ";"-separated, in the email namespace (§11)
	archived       bool
	created        int64
	updated        int64
}

// setOptions replaces the options and their lookup set.
func (p *propDef) setOptions(opts []option) {
	p.options = opts
	p.optionSet = make(map[string]bool, len(opts))
	for _, o := range opts {
		p.optionSet[o.Value] = true
	}
}

// propGroup is a property group (§5).
type propGroup struct {
	name, label  string
	displayOrder int
}

// ukey is one entry of a type's unique-value index: a property (by index)
// and a value. Contacts' email and additional emails share the email
// property's index with lower-cased values (§11).
type ukey struct {
	p int
	v string
}

// record is one CRM object. Values are stored densely by property index;
// "" is unset (HubSpot clears a value with "", §2). System properties are
// derived, never stored.
type record struct {
	id       int64
	vals     []string
	created  int64 // epoch ms
	updated  int64
	archived bool
	archAt   int64
	// Search eventual consistency (§8): while now < visibleAt search still
	// sees prev (the version before the latest write), or nothing when
	// prevOK is false (a record created within the lag).
	visibleAt   int64
	prev        []string
	prevUpdated int64
	prevOK      bool
}

// val returns the stored value of property index i.
func (r *record) val(i int) string {
	if i < len(r.vals) {
		return r.vals[i]
	}
	return ""
}

// schemaMeta is what a custom object's schema adds to its type (§6).
type schemaMeta struct {
	num          int64 // the bare id; objectTypeId is "2-<num>"
	description  string
	created      int64
	updated      int64
	assocTypeIDs []int32 // association types created for associatedObjects
	// allowsSensitive is the egg's allowsSensitiveProperties, echoed.
	allowsSensitive bool
}

// objType is one CRM object type and all its records.
type objType struct {
	id, name         string // "0-1", "contacts"
	fqn              string // fullyQualifiedName
	singular, plural string
	kind             objKind
	errName          string // "CONTACT", "LISTING", or the custom FQN upper-cased
	props            []*propDef
	byName           map[string]*propDef
	groups           []*propGroup
	groupByName      map[string]*propGroup
	required         []string
	primary          string
	secondary        []string
	searchable       []string   // query text search (§8)
	defaults         []string   // returned when no properties are requested (§2)
	always           []*propDef // system properties returned with every record
	emailProp        *propDef   // contacts only

	records map[int64]*record
	order   []int64 // ids ascending (ids only grow)
	uniq    map[ukey]int64
	schema  *schemaMeta
}

// newObjType returns an empty type.
func newObjType(id, name string, kind objKind) *objType {
	return &objType{
		id: id, name: name, fqn: name, kind: kind,
		byName:      map[string]*propDef{},
		groupByName: map[string]*propGroup{},
		records:     map[int64]*record{},
		uniq:        map[ukey]int64{},
	}
}

// addProp appends a property definition.
func (t *objType) addProp(p *propDef) {
	p.idx = len(t.props)
	if p.sensitivity == "" {
		p.sensitivity = "non_sensitive"
	}
	t.props = append(t.props, p)
	t.byName[p.name] = p
}

// addGroup appends a property group.
func (t *objType) addGroup(name, label string) *propGroup {
	g := &propGroup{name: name, label: label, displayOrder: len(t.groups)}
	t.groups = append(t.groups, g)
	t.groupByName[name] = g
	return g
}

// prop returns a live (not archived) property by name.
func (t *objType) prop(name string) *propDef {
	if p := t.byName[name]; p != nil && !p.archived {
		return p
	}
	return nil
}

// uniqueCount is how many hasUniqueValue properties the type has (§5 max 10).
func (t *objType) uniqueCount() int {
	n := 0
	for _, p := range t.props {
		if p.unique && !p.archived {
			n++
		}
	}
	return n
}

// value returns property p of record r as HubSpot shows it. vals and
// updated may come from a search snapshot.
func (t *objType) value(r *record, vals []string, updated int64, p *propDef) string {
	switch p.sys {
	case sysID:
		return strconv.FormatInt(r.id, 10)
	case sysCreated:
		return iso(r.created)
	case sysUpdated:
		return iso(updated)
	}
	if p.idx < len(vals) {
		return vals[p.idx]
	}
	return ""
}

// uniqueKeys returns the unique-index keys a value of p occupies: one for a
// hasUniqueValue property, the lower-cased address for email, one per
// address for hs_additional_emails (§11).
func (t *objType) uniqueKeys(p *propDef, v string) []ukey {
	if v == "" {
		return nil
	}
	switch {
	case p.email:
		return []ukey{{t.emailProp.idx, strings.ToLower(v)}}
	case p.multiEmail:
		var ks []ukey
		for _, e := range splitMulti(v) {
			ks = append(ks, ukey{t.emailProp.idx, strings.ToLower(e)})
		}
		return ks
	case p.unique:
		return []ukey{{p.idx, v}}
	}
	return nil
}

// lookupKey is the index key for finding a record by an idProperty value.
func (t *objType) lookupKey(p *propDef, v string) ukey {
	if p.email {
		return ukey{p.idx, strings.ToLower(v)}
	}
	return ukey{p.idx, v}
}

// indexed reports whether p takes part in the unique index.
func (p *propDef) indexed() bool { return p.unique || p.email || p.multiEmail }

// unindex removes r's unique keys for property p's current value.
func (t *objType) unindex(r *record, p *propDef) {
	for _, k := range t.uniqueKeys(p, r.val(p.idx)) {
		if t.uniq[k] == r.id {
			delete(t.uniq, k)
		}
	}
}

// index adds r's unique keys for property p's current value.
func (t *objType) index(r *record, p *propDef) {
	for _, k := range t.uniqueKeys(p, r.val(p.idx)) {
		t.uniq[k] = r.id
	}
}

// live returns the record with id unless it is missing or archived.
func (t *objType) live(id int64) *record {
	if r := t.records[id]; r != nil && !r.archived {
		return r
	}
	return nil
}

// firstAtOrAfter is the position in t.order of the first id ≥ id.
func (t *objType) firstAtOrAfter(id int64) int {
	return sort.Search(len(t.order), func(i int) bool { return t.order[i] >= id })
}

// splitMulti splits a ";"-separated multi-value, dropping empty parts.
func splitMulti(v string) []string {
	var out []string
	for _, s := range strings.Split(v, ";") {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// objectScopes are the record scopes of a type (§1).
func (t *objType) objectScope(write bool) string {
	fam := kindFamilies[t.kind]
	if write {
		return "crm.objects." + fam + ".write"
	}
	return "crm.objects." + fam + ".read"
}

// schemaScope is the properties/schemas scope of a type (§1).
func (t *objType) schemaScope(write bool) string {
	fam := kindFamilies[t.kind]
	if write {
		return "crm.schemas." + fam + ".write"
	}
	return "crm.schemas." + fam + ".read"
}
