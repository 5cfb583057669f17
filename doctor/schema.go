package doctor

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"b2h/clients/hubspot"
	"b2h/sync"
	"b2h/sync/mapping"
	"b2h/sync/schema"
)

// checkProperties checks the properties the mapping writes on each object:
// present, the unique keys hasUniqueValue (the upsert idProperty,
// reference/hubspot-api.md §5; it cannot be changed after creation),
// writable, and of the type b2h writes.
func (d *doctor) checkProperties(ctx context.Context, a *account) Finding {
	if a.err != nil {
		return skipped(CheckProperties)
	}
	m, err := d.mappingFor(a)
	if err != nil {
		return fail(CheckProperties, "the mapping file cannot be used: "+err.Error(), "fix the mapping file given with --mapping")
	}
	type target struct{ name, obj string }
	targets := []target{{mapping.TargetContacts, "contacts"}}
	if a.listings {
		targets = append(targets, target{mapping.TargetListings, "0-420"})
	}
	if a.unit != nil {
		targets = append(targets, target{mapping.TargetUnit, a.unit.ObjectTypeID})
	}
	var bad, missing, odd, unreadable, keys []string
	n := 0
	for _, t := range targets {
		props, err := d.o.HubSpot.ListProperties(ctx, t.obj)
		if err != nil {
			unreadable = append(unreadable, t.name+" ("+err.Error()+")")
			continue
		}
		have := map[string]hubspot.Property{}
		for _, p := range props {
			have[p.Name] = p
		}
		for _, def := range m.Properties(t.name) {
			n++
			name := def.Name
			p, ok := have[name]
			if !ok && def.BuiltIn && strings.HasPrefix(name, "hs_") {
				// The engine writes a built-in the account lacks to a
				// buildium_* replacement (sync/bootstrap.go ensureProperties).
				name = "buildium_" + strings.TrimPrefix(name, "hs_")
				p, ok = have[name]
				def.BuiltIn = false
			}
			full := t.name + "." + name
			switch {
			case !ok:
				missing = append(missing, full)
			case def.Unique && !p.HasUniqueValue:
				bad = append(bad, full+" exists but is not a unique-value property, so it cannot be the upsert key")
			case def.Unique:
				keys = append(keys, full)
			case p.ReadOnly():
				bad = append(bad, full+" is read-only in HubSpot: every write to it would fail")
			case !def.BuiltIn && p.Type != def.Type:
				odd = append(odd, fmt.Sprintf("%s is a %s property, b2h writes %s values", full, p.Type, def.Type))
			}
		}
	}
	switch {
	case len(bad) > 0:
		return fail(CheckProperties, strings.Join(bad, "; "),
			"archive a non-unique key property in HubSpot (Settings › Properties) so b2h recreates it as unique; map a read-only target to another property in the mapping file (--mapping)")
	case len(unreadable) > 0:
		return warn(CheckProperties, "could not list the properties of "+strings.Join(unreadable, ", "),
			"grant the token the object's read scope (see the scopes check), then run b2h doctor again")
	case len(missing) > 0:
		return warn(CheckProperties, fmt.Sprintf("%d of the %d properties b2h writes are not in HubSpot yet: %s", len(missing), n, short(missing, 6)),
			"b2h sync creates them in the property group \"buildium\" (b2h plan lists them first)")
	case len(odd) > 0:
		return warn(CheckProperties, strings.Join(odd, "; "),
			"values of the wrong type are rejected: archive the property in HubSpot so b2h recreates it, or map the field elsewhere (--mapping)")
	}
	return pass(CheckProperties, fmt.Sprintf("the %d properties b2h writes are there; the keys %s are unique", n, strings.Join(keys, ", ")))
}

// short lists at most n items and how many more there are.
func short(xs []string, n int) string {
	if len(xs) <= n {
		return strings.Join(xs, ", ")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(xs[:n], ", "), len(xs)-n)
}

// checkUnitSchema checks the "unit" custom object where the account gets
// one (reference/hubspot-api.md §6): it exists and associates with contacts
// and listings, which the lease and property associations need.
func (d *doctor) checkUnitSchema(a *account) Finding {
	switch {
	case a.err != nil:
		return skipped(CheckUnitSchema)
	case a.facts.UncheckedWhy(schema.WhatCustomObjects) != "" && a.unitMode == schema.UnitCustomObject:
		return warn(CheckUnitSchema, "could not list the custom object schemas: "+a.facts.UncheckedWhy(schema.WhatCustomObjects),
			"grant the token crm.schemas.custom.read, then run b2h doctor again")
	case a.unitMode == schema.UnitListing:
		return pass(CheckUnitSchema, "not used: units become listings (buildium_record_type = unit)")
	case a.unit == nil:
		return warn(CheckUnitSchema, "the custom object \"unit\" does not exist yet",
			"b2h sync creates it (with its properties and its associations to contacts and listings)")
	}
	var lacks []string
	for _, other := range []struct{ id, name string }{{"0-1", "contacts"}, {"0-420", "listings"}} {
		if !slices.ContainsFunc(a.unit.Associations, func(s hubspot.SchemaAssociation) bool {
			return s.FromObjectTypeID == other.id || s.ToObjectTypeID == other.id
		}) {
			lacks = append(lacks, other.name)
		}
	}
	if len(lacks) > 0 {
		return warn(CheckUnitSchema, fmt.Sprintf("the custom object \"unit\" (%s) cannot be associated with %s", a.unit.ObjectTypeID, strings.Join(lacks, " or ")),
			"add the association in HubSpot (Settings › Data Management › Data Model › Unit › Associations); without it leases or properties cannot be linked to units")
	}
	return pass(CheckUnitSchema, fmt.Sprintf("the custom object \"unit\" (%s, %s) associates with contacts and listings", a.unit.ObjectTypeID, a.unit.FullyQualifiedName))
}

// checkLabels checks the association labels b2h uses, found by name (type
// ids differ per account and are never hard-coded, reference/hubspot-api.md §4).
func (d *doctor) checkLabels(ctx context.Context, a *account) Finding {
	if a.err != nil {
		return skipped(CheckLabels)
	}
	if !a.dec.Labelled() {
		return pass(CheckLabels, "not used: "+a.dec.AssocReason)
	}
	type pair struct {
		from, to string
		labels   []string
	}
	pairs := []pair{{"contacts", "contacts", []string{sync.LabelEmergencyContact}}}
	tenantLabels := []string{sync.LabelCurrentTenant, sync.LabelFutureTenant, sync.LabelPastTenant}
	var notYet string
	switch {
	case a.unitType != "" && (a.unitMode == schema.UnitCustomObject || a.listings):
		pairs = append([]pair{{"contacts", a.unitType, tenantLabels}}, pairs...)
	case a.unitMode == schema.UnitCustomObject:
		notYet = "the tenant labels come with the unit object"
	}
	var found, missing, dupes, unreadable []string
	for _, p := range pairs {
		types, err := d.o.HubSpot.ListAssociationLabels(ctx, p.from, p.to)
		if err != nil {
			unreadable = append(unreadable, p.from+" → "+p.to+" ("+err.Error()+")")
			continue
		}
		for _, l := range p.labels {
			n := 0
			for _, t := range types {
				if strings.EqualFold(t.Label, l) {
					n++
				}
			}
			switch {
			case n == 0:
				missing = append(missing, fmt.Sprintf("%q (%s → %s)", l, p.from, p.to))
			case n > 1:
				dupes = append(dupes, fmt.Sprintf("%q (%s → %s) %d times", l, p.from, p.to, n))
			default:
				found = append(found, fmt.Sprintf("%q (%s → %s)", l, p.from, p.to))
			}
		}
	}
	switch {
	case len(unreadable) > 0:
		return warn(CheckLabels, "could not list the association labels of "+strings.Join(unreadable, ", "),
			"grant the token the read scopes of both objects, then run b2h doctor again")
	case len(dupes) > 0:
		return warn(CheckLabels, "labels with the same name: "+strings.Join(dupes, ", "),
			"rename or delete the extra labels in HubSpot (Settings › Data Management › Data Model › Associations) so each name is unique")
	case len(missing) > 0 || notYet != "":
		var parts []string
		if len(missing) > 0 {
			parts = append(parts, "missing: "+strings.Join(missing, ", "))
		}
		if notYet != "" {
			parts = append(parts, notYet)
		}
		return warn(CheckLabels, strings.Join(parts, "; "), "b2h sync creates them, by name")
	}
	return pass(CheckLabels, strings.Join(found, ", "))
}
