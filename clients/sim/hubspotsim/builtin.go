package hubspotsim

import "strings"

// Flags of a built-in property.
const (
	bUnique uint16 = 1 << iota
	bReadOnly
	bUIWritable
	bSysID
	bSysCreated
	bSysUpdated
	bEmail
	bMultiEmail
	bCalculated
	bExternal // externalOptions: values come from elsewhere (owners, teams), not options
	bHidden
)

// Flag combinations the tables use.
const (
	ro   = bReadOnly               // readOnlyValue: the API cannot write it
	calc = bReadOnly | bCalculated // derived by HubSpot
)

// builtin describes one HubSpot-defined property.
type builtin struct {
	name, label, typ, field string
	flags                   uint16
	opts                    []option
}

// builtinGroup is a property group and the built-in properties in it.
type builtinGroup struct {
	name, label string
	props       []builtin
}

// opts builds options from "value:Label" entries; an entry without a label
// gets one made from its value ("OPEN_DEAL" → "Open deal").
func opts(entries ...string) []option {
	out := make([]option, len(entries))
	for i, e := range entries {
		v, l, ok := strings.Cut(e, ":")
		if !ok {
			l = labelOf(v)
		}
		out[i] = option{Label: l, Value: v, DisplayOrder: i}
	}
	return out
}

// labelOf turns an option value into a readable label.
func labelOf(v string) string {
	s := strings.ToLower(strings.ReplaceAll(v, "_", " "))
	if s == "" {
		return v
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// Field shorthands of the tables.
func text(name, label string, flags uint16) builtin {
	return builtin{name, label, "string", "text", flags, nil}
}
func num(name, label string, flags uint16) builtin {
	return builtin{name, label, "number", "number", flags, nil}
}
func when(name, label string, flags uint16) builtin { // datetime
	return builtin{name, label, "datetime", "date", flags, nil}
}
func day(name, label string, flags uint16) builtin { // date
	return builtin{name, label, "date", "date", flags, nil}
}
func yesNo(name, label string, flags uint16) builtin {
	return builtin{name, label, "bool", "booleancheckbox", flags, opts("true:Yes", "false:No")}
}
func pick(name, label, field string, flags uint16, o []option) builtin {
	return builtin{name, label, "enumeration", field, flags, o}
}

// addBuiltinGroups adds the groups and their HubSpot-defined properties to t.
func (t *objType) addBuiltinGroups(now int64, groups []builtinGroup) {
	for _, g := range groups {
		if t.groupByName[g.name] == nil {
			t.addGroup(g.name, g.label)
		}
		t.addBuiltins(g.name, now, g.props)
	}
}

// addBuiltins adds HubSpot-defined properties to t in group.
func (t *objType) addBuiltins(group string, now int64, list []builtin) {
	for _, b := range list {
		p := &propDef{
			name: b.name, label: b.label, typ: b.typ, fieldType: b.field, group: group,
			unique: b.flags&bUnique != 0, readOnly: b.flags&bReadOnly != 0,
			uiWritable: b.flags&bUIWritable != 0, calculated: b.flags&bCalculated != 0,
			email: b.flags&bEmail != 0, multiEmail: b.flags&bMultiEmail != 0,
			external: b.flags&bExternal != 0, hidden: b.flags&bHidden != 0,
			hubspotDefined: true, formField: b.flags&bReadOnly == 0,
			displayOrder: -1, created: now, updated: now,
		}
		switch {
		case b.flags&bSysID != 0:
			p.sys = sysID
		case b.flags&bSysCreated != 0:
			p.sys = sysCreated
		case b.flags&bSysUpdated != 0:
			p.sys = sysUpdated
		}
		p.setOptions(append([]option(nil), b.opts...))
		if old := t.byName[b.name]; old != nil { // a later table refines an entry
			p.idx = old.idx
			t.props[old.idx] = p
			t.byName[p.name] = p
			continue
		}
		t.addProp(p)
	}
}

// setAlways sets the system properties returned with every record (§2).
func (t *objType) setAlways(names ...string) {
	t.always = nil
	for _, n := range names {
		t.always = append(t.always, t.byName[n])
	}
}

// newContactType builds contacts (0-1).
func newContactType(now int64) *objType {
	t := newObjType("0-1", "contacts", kindContact)
	t.singular, t.plural, t.errName = "Contact", "Contacts", "CONTACT"
	t.addBuiltinGroups(now, contactGroups)
	t.emailProp = t.byName["email"]
	t.defaults = []string{"firstname", "lastname", "email"}
	t.searchable = []string{"firstname", "lastname", "email", "hs_additional_emails", "phone", "mobilephone", "company"}
	t.primary = "email"
	t.setAlways("createdate", "lastmodifieddate", "hs_object_id")
	return t
}

// newCompanyType builds companies (0-2). Their system properties are
// createdate, hs_lastmodifieddate and hs_object_id.
func newCompanyType(now int64) *objType {
	t := newObjType("0-2", "companies", kindCompany)
	t.singular, t.plural, t.errName = "Company", "Companies", "COMPANY"
	t.addBuiltinGroups(now, companyGroups)
	t.defaults = []string{"name", "domain"}
	t.searchable = []string{"name", "domain", "website", "phone"}
	t.primary = "name"
	t.setAlways("createdate", "hs_lastmodifieddate", "hs_object_id")
	return t
}

// newListingType builds listings (0-420).
func newListingType(now int64) *objType {
	t := newObjType("0-420", "listings", kindListing)
	t.singular, t.plural, t.errName = "Listing", "Listings", "LISTING"
	t.addBuiltinGroups(now, listingGroups)
	t.required = []string{"hs_name"} // §7
	t.primary = "hs_name"
	t.searchable = []string{"hs_name", "hs_address_1", "hs_city", "hs_zip"}
	t.setAlways("hs_createdate", "hs_lastmodifieddate", "hs_object_id")
	return t
}
