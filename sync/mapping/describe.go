package mapping

import (
	"bufio"
	"fmt"
	"io"
	"strings"
)

// entityTitles are the section titles of Describe.
var entityTitles = map[Entity]string{
	Properties:        "Rental properties (`/v1/rentals`)",
	Units:             "Units (`/v1/rentals/units`)",
	Tenants:           "Tenants (`/v1/leases/tenants`)",
	EmergencyContacts: "Emergency contacts (on each tenant)",
	Leases:            "Leases (`/v1/leases`)",
}

var objectNames = map[string]string{
	TargetContacts: "contacts",
	TargetListings: "listings (object 0-420)",
	TargetUnit:     "custom object `unit`",
}

// Describe writes the mapping as Markdown for people (`b2h mapping show`
// and the docs): for each entity its HubSpot object and unique key, and a
// table of every field with its conversion and validation rules; then how
// units are stored on this account and why, the lease labels, and the
// emergency-contact key scheme.
func (m *Mapping) Describe(w io.Writer) error {
	bw := bufio.NewWriter(w)
	p := func(format string, args ...any) { fmt.Fprintf(bw, format, args...) }
	p("# Buildium → HubSpot mapping\n\n")
	if m.File != "" {
		p("The default mapping with the changes in `%s`.\n\n", cell(m.File))
	} else {
		p("The default mapping.\n\n")
	}
	p("Every property b2h creates is in the HubSpot property group `%s`. Unique keys are `hasUniqueValue` "+
		"properties used to upsert, so a re-run updates the same record and never creates a second one. "+
		"Every text value is cleaned of control characters and terminal escapes and cut to 65,536 characters "+
		"(a longer one is sent cut, with a warning). "+
		"A record that fails a rule of severity *error* is reported and not sent; a *warning* is reported and the record is sent. "+
		"A value no record can mean is left off, so HubSpot keeps what it has, and reported as a warning: a date of birth "+
		"before %d or after today, a phone number with more than %d digits (E.164), or a number (other than an id) that is "+
		"negative, not finite or over %s.\n\n", PropertyGroup, EarliestBirthYear, MaxPhoneDigits, formatThousands(MaxAmount))
	for _, e := range Entities() {
		em := m.Entities[e]
		if em == nil {
			continue
		}
		p("## %s → %s\n\n", entityTitles[e], objectNames[em.Target])
		if em.Key != "" {
			p("Unique key: `%s`.", em.Key)
		} else {
			p("No records of their own; the fields below go on the unit record.")
		}
		if len(em.RequireOneOf) > 0 {
			p(" Needs at least one of %s.", codeList(em.RequireOneOf))
		}
		p("\n\n")
		if text := entityNote(e, m); text != "" {
			p("%s\n\n", text)
		}
		p("| Buildium | HubSpot | Conversion | Validation |\n|---|---|---|---|\n")
		for _, f := range em.Fields {
			src := "`" + cell(f.Source) + "`"
			if f.Source == "" {
				src = "constant `" + cell(f.Value) + "`"
			} else if s := sourceSets[e][f.Source]; s.doc != "" {
				src += " (" + cell(s.doc) + ")"
			}
			target := "`" + cell(f.Target) + "`"
			switch {
			case f.Target == em.Key && em.Key != "":
				target += " (unique key)"
			case isBuiltIn(em.Target, f.Target):
				target += " (HubSpot built-in)"
			}
			conv := cell(f.Transform + ": " + transforms[f.Transform].doc)
			if f.Clear {
				conv += "; cleared in HubSpot when empty"
			}
			p("| %s | %s | %s | %s |\n", src, target, conv, cell(describeRules(f.Rules)))
		}
		p("\n")
	}
	if m.Options.SyncTaxID {
		p("Tax ids are synced (opted in) to a highly-sensitive property (`dataSensitivity: %s`), which needs an Enterprise account "+
			"with the sensitive-data setting on and the scopes `%s`.\n", SensitivityHigh, strings.Join(m.SensitiveScopes(), "` and `"))
	} else {
		p("Tax ids (`TaxId`) are not synced: national ids may only be stored in HubSpot as highly-sensitive data, which needs an Enterprise account with that setting on. Opt in to sync them.\n")
	}
	return bw.Flush()
}

// entityNote explains the choices behind an entity's mapping.
func entityNote(e Entity, m *Mapping) string {
	switch e {
	case Units:
		if m.Entities[Units].Target == TargetListings {
			return "**Units are listings on this account.** HubSpot custom objects need an Enterprise subscription, " +
				"which this account does not have, so each unit becomes a listing keyed by `" + KeyUnit + "`, named " +
				"like \"1272 Lincoln Rd – Unit 3\" (the street alone for a home without a unit number), with `" + RecordTypeProperty + "` = unit (property listings have = property). " +
				"The unit's property id goes to `buildium_parent_property_id`, because `" + KeyProperty + "` is the unique key of property listings. " +
				"On an Enterprise account units would be records of a custom object `unit`."
		}
		return "Units are records of the custom object `unit` (this account has custom objects, an Enterprise feature), " +
			"associated with their property's listing and with their tenants. Each is displayed by `unit_name`, a name that always " +
			"says which home it is: \"1272 Lincoln Rd – Unit 3\", the street alone for a home without a unit number, else the " +
			"property's name, else \"Unit\" and the number or Buildium id; `unit_number` is shown under it. Without custom objects b2h would store units as listings " +
			"with `" + RecordTypeProperty + "` = unit instead."
	case Leases:
		return "Each tenant on a lease is associated with the lease's unit, labelled by status: **" + LabelCurrentTenant +
			"**, **" + LabelFutureTenant + "** or **" + LabelPastTenant + "**. Labels are recomputed from dates on every run: " +
			"a tenant who moved out, or a lease with status Past, is Past; a lease whose end date has passed is Past even if Buildium " +
			"still says Active, unless it rolls over (FixedWithRollover, AtWill, month-to-month); a lease starting after today, or a " +
			"tenant not yet moved in, is Future; otherwise Current. The unit shows the values of its current lease (the one that started last). " +
			"Where HubSpot allows no custom labels (Free and Starter), the associations use HubSpot's default type and each tenant's contact " +
			"carries `" + PropLeaseStatus + "` (current, else future, else past over all their leases), `" + PropLeaseUnit +
			"` (the unit or units of that status) and `" + PropLeases + "` (one line per lease: status, unit, start–end)."
	case EmergencyContacts:
		return "An emergency contact becomes a contact associated with the tenant's contact under the label **" + LabelEmergencyContact +
			"**, its name split into first and last name. Its key is derived from its normalised email when that is valid, so one person " +
			"listed by several tenants is one contact; without an email each tenant's contact stays separate. An emergency contact with a " +
			"tenant's email is that tenant's contact, associated rather than duplicated. Where HubSpot allows no custom labels, the contact " +
			"carries `" + PropEmergencyContactFor + "`: the names of the tenants it is the emergency contact of."
	case Tenants:
		return "Phones are chosen by type, never by position: the main phone is the first of Cell, Home, Office, Personal, Other; Fax is never used. " +
			"Emails are trimmed and lower-cased, and `mailto:`, angle brackets and a display name (\"Jane <jane@example.com>\") are removed; " +
			"placeholders (n/a, na, none, null, nil, no email, noemail, unknown, -, --, ., x, tbd, no@email and a few such fakes) count as no email. " +
			"An address HubSpot would refuse, including one whose top-level domain is not a known one (\"ymail.con\"), is left off the " +
			"contact, which still lands and keeps the address HubSpot has, with a warning that shows the value and where to fix it in Buildium. " +
			"A tenant with no usable email and no name is not sent."
	case Properties:
		return "HubSpot's own dropdowns (such as `hs_listing_type`) are checked against the options they have in the portal: a value " +
			"that is not one of them is not sent there (HubSpot would refuse the whole record) but kept in a `buildium_` text property " +
			"(`buildium_listing_type`), with a warning."
	}
	return ""
}

func describeRules(rs []Rule) string {
	if len(rs) == 0 {
		return ""
	}
	parts := make([]string, 0, len(rs))
	for _, r := range rs {
		s := r.Kind
		if r.Arg != "" {
			s += " " + r.Arg
		}
		s += " (" + r.severity() + ")"
		if r.Message != "" {
			s += ": " + r.Message
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, "; ")
}

func codeList(ss []string) string {
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = "`" + cell(s) + "`"
	}
	return orList(q)
}

// cell makes text safe inside a Markdown table cell.
func cell(s string) string {
	s = singleLine(Sanitize(s))
	s = strings.ReplaceAll(s, "|", `\|`)
	return strings.ReplaceAll(s, "`", "'")
}
