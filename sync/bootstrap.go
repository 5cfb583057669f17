package sync

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"b2h/clients/hubspot"
	"b2h/sync/mapping"
	"b2h/sync/schema"
)

// mapping returns the run's field mapping: the default for the account's
// unit mode, with the mapping file's overrides applied on top.
func (e *Engine) mapping() (*mapping.Mapping, error) {
	o := e.opt.MappingOpts
	o.UnitTarget = mapping.TargetUnit
	o.Unlabelled = !e.acct.labelled()
	if e.acct.UnitMode == UnitListing {
		o.UnitTarget = mapping.TargetListings
	}
	m := mapping.Default(o)
	if e.opt.MappingOverride != nil {
		var err error
		if m, err = e.opt.MappingOverride(m); err != nil {
			return nil, fmt.Errorf("%w: %v", ErrConfig, err)
		}
	}
	return m.Clone(), nil
}

// objectType maps a mapping target to the HubSpot object type.
func (e *Engine) objectType(target string) string {
	switch target {
	case "contacts":
		return objContacts
	case "listings":
		return objListings
	case "unit":
		return e.acct.UnitType
	}
	return target
}

// bootstrap creates, idempotently, what the mapping needs in HubSpot: the
// unit schema, the buildium property group and properties, and the
// association labels. What the account check left unknown (label support,
// custom objects) is settled first, by the first create of each, so that a
// refused capability leaves nothing half-built. In a dry run it only lists
// what it would create.
func (e *Engine) bootstrap(ctx context.Context) error {
	a := e.acct
	mode, labelled := a.UnitMode, a.labelled()
	if err := e.probeLabels(ctx); err != nil {
		return err
	}
	unitsWanted := e.want(mapping.Units) || e.want(mapping.Leases)
	if unitsWanted {
		if err := e.ensureUnitSchema(ctx); err != nil {
			return err
		}
	}
	if err := e.checkSensitive(); err != nil {
		return err
	}
	if a.UnitMode != mode || a.labelled() != labelled {
		var err error
		if e.m, err = e.mapping(); err != nil {
			return err
		}
	}
	targets := []string{"contacts"}
	if e.want(mapping.Properties) || (a.UnitMode == UnitListing && unitsWanted) {
		targets = append(targets, "listings")
	}
	if a.UnitMode == UnitCustomObject && unitsWanted {
		targets = append(targets, "unit")
	}
	for _, t := range targets {
		if err := e.ensureProperties(ctx, t); err != nil {
			return err
		}
	}
	if slices.Contains(targets, "unit") {
		if err := e.alignUnitSchema(ctx); err != nil {
			return err
		}
	}
	if err := e.ensureLabels(ctx); err != nil {
		return err
	}
	e.rep.Report(SchemaReady{Created: a.created, Existed: a.existed})
	return e.saveAccount()
}

// renameTarget points every field that writes old on target at repl.
func renameTarget(m *mapping.Mapping, target, old, repl string) {
	for _, em := range m.Entities {
		if em.Target != target {
			continue
		}
		for i := range em.Fields {
			if em.Fields[i].Target == old {
				em.Fields[i].Target = repl
			}
		}
	}
}

// unitSchemaCreate is the unit custom object with the properties this
// run's mapping writes on units.
func (e *Engine) unitSchemaCreate() hubspot.SchemaCreate {
	d := e.m.UnitSchema()
	sc := hubspot.SchemaCreate{
		Name:                       d.Name,
		Labels:                     hubspot.SchemaLabels{Singular: d.Labels.Singular, Plural: d.Labels.Plural},
		PrimaryDisplayProperty:     d.PrimaryDisplayProperty,
		SecondaryDisplayProperties: d.SecondaryDisplayProperties,
		RequiredProperties:         d.RequiredProperties,
		SearchableProperties:       d.SearchableProperties,
		AssociatedObjects:          d.AssociatedObjects,
	}
	for _, p := range d.Properties {
		sc.Properties = append(sc.Properties, propertyCreate(p))
	}
	return sc
}

func propertyCreate(p mapping.PropertyDef) hubspot.PropertyCreate {
	pc := hubspot.PropertyCreate{Name: p.Name, Label: p.Label, Type: p.Type, FieldType: p.FieldType,
		GroupName: p.Group, HasUniqueValue: p.Unique, Description: p.Description, DataSensitivity: p.DataSensitivity,
		NumberDisplayHint: p.NumberDisplayHint}
	for _, o := range p.Options {
		pc.Options = append(pc.Options, hubspot.PropertyOption{Label: o.Label, Value: o.Value})
	}
	return pc
}

// ensureProperties creates the buildium group and the missing properties
// of one target. A built-in that the account lacks is created as a custom
// property under the same name only when HubSpot allows it (not hs_*);
// otherwise its values go to a buildium_* replacement.
func (e *Engine) ensureProperties(ctx context.Context, target string) error {
	obj := e.objectType(target)
	defs := e.m.Properties(target)
	if len(defs) == 0 {
		return nil
	}
	if e.opt.DryRun && obj == "unit" {
		// The schema does not exist yet: it will carry its properties; the
		// property group is created after it.
		e.acct.created = append(e.acct.created, target+" property group \""+mapping.PropertyGroup+"\"")
		e.planReqs++
		return nil
	}
	existing, err := e.listProperties(ctx, obj, defs)
	if err != nil {
		return explainHubSpot(err, "list the "+target+" properties")
	}
	have := map[string]hubspot.Property{}
	options := map[string][]mapping.Option{}
	for _, p := range existing {
		have[p.Name] = p
		if p.Type == "enumeration" && len(p.Options) > 0 {
			for _, o := range p.Options {
				options[p.Name] = append(options[p.Name], mapping.Option{Label: o.Label, Value: o.Value})
			}
		}
	}
	// Built-in dropdowns are checked against the portal's own options: a
	// value the portal lacks goes to a buildium_* text property instead of
	// failing the record with INVALID_OPTION.
	for _, fit := range e.m.FitOptions(target, options) {
		if len(fit.Missing) > 0 {
			e.acct.created = append(e.acct.created, fmt.Sprintf("%s.%s lacks the options %s: those values go to %s", target, fit.Property, strings.Join(fit.Missing, ", "), fit.Fallback))
		}
	}
	defs = e.m.Properties(target)
	groups, err := e.hs.ListPropertyGroups(ctx, obj)
	if err != nil {
		return explainHubSpot(err, "list the "+target+" property groups")
	}
	if !slices.ContainsFunc(groups, func(g hubspot.PropertyGroup) bool { return g.Name == mapping.PropertyGroup }) {
		e.acct.created = append(e.acct.created, target+" property group \""+mapping.PropertyGroup+"\"")
		if e.opt.DryRun {
			e.planReqs++
		} else {
			if err := ensure(ctx, func() (bool, error) {
				gs, err := e.hs.ListPropertyGroups(ctx, obj)
				return slices.ContainsFunc(gs, func(g hubspot.PropertyGroup) bool { return g.Name == mapping.PropertyGroup }), err
			}, func() error {
				_, err := e.hs.CreatePropertyGroup(ctx, obj, hubspot.PropertyGroup{Name: mapping.PropertyGroup, Label: "Buildium"})
				return err
			}); err != nil {
				return explainHubSpot(err, "create the "+target+" property group \"buildium\"")
			}
		}
	}
	var missing []hubspot.PropertyCreate
	for _, d := range defs {
		if p, ok := have[d.Name]; ok {
			e.acct.existed++
			if d.Unique && !p.HasUniqueValue {
				return configErr("HubSpot property %s.%s exists but is not a unique-value property, so b2h cannot use it as the upsert key: archive it in HubSpot (Settings › Properties) so b2h can recreate it as unique", target, d.Name)
			}
			continue
		}
		if d.BuiltIn && strings.HasPrefix(d.Name, "hs_") {
			// A built-in listing property this account lacks: store the value
			// under a buildium_* replacement instead of failing the run.
			repl := "buildium_" + strings.TrimPrefix(d.Name, "hs_")
			renameTarget(e.m, target, d.Name, repl)
			d.Name, d.BuiltIn, d.Group = repl, false, mapping.PropertyGroup
			if _, ok := have[repl]; ok {
				continue
			}
		}
		d.Group = mapping.PropertyGroup
		missing = append(missing, propertyCreate(d))
		e.acct.created = append(e.acct.created, target+"."+d.Name)
	}
	if len(missing) == 0 {
		return nil
	}
	if e.opt.DryRun {
		e.planReqs++
		return nil
	}
	var lastRefusal string
	err = ensure(ctx, func() (bool, error) {
		props, err := e.listProperties(ctx, obj, defs)
		if err != nil {
			return false, err
		}
		have := map[string]bool{}
		for _, p := range props {
			have[p.Name] = true
		}
		missing = slices.DeleteFunc(missing, func(p hubspot.PropertyCreate) bool { return have[p.Name] })
		return len(missing) == 0, nil
	}, func() error {
		res, err := e.hs.BatchCreateProperties(ctx, obj, missing)
		if err == nil && res != nil && len(res.Errors) > 0 {
			lastRefusal = res.Errors[0].Message
			return fmt.Errorf("HubSpot refused some %s properties: %s", target, lastRefusal)
		}
		return err
	})
	if err != nil {
		return explainHubSpot(err, "create the "+target+" properties")
	}
	return nil
}

// findUnitSchema returns the account's unit schema, if it has one.
func (e *Engine) findUnitSchema(ctx context.Context) (hubspot.Schema, error) {
	schemas, err := e.hs.ListSchemas(ctx)
	if err != nil {
		return hubspot.Schema{}, err
	}
	for _, s := range schemas {
		if s.Name == mapping.UnitSchema().Name {
			return s, nil
		}
	}
	return hubspot.Schema{}, nil
}

// ensureAttempts bounds how often ensure tries to create something.
const ensureAttempts = 4

// ensure makes a piece of schema exist: create it, and when the answer is
// lost or ambiguous (a reset after the request reached HubSpot, a 409 from
// a create that did land, a 5xx) check whether it is there before trying
// again. Schema creates are not idempotent, so the client does not retry
// them blindly; this is the read-back it asks for.
func ensure(ctx context.Context, exists func() (bool, error), create func() error) error {
	var last error
	for range ensureAttempts {
		if err := create(); err == nil {
			return nil
		} else {
			last = err
			var apiErr *hubspot.APIError
			if errors.As(err, &apiErr) && (apiErr.StatusCode == 401 || apiErr.StatusCode == 403) {
				return err
			}
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		ok, err := exists()
		if err == nil && ok {
			return nil
		}
		if err != nil {
			last = err
		}
	}
	return last
}

// ensureUnitSchema makes the unit custom object exist when units are the
// custom object, and settles an unknown custom-object capability by trying
// to create it: a refusal (403 other than a missing scope) makes units
// listings before any property is written.
func (e *Engine) ensureUnitSchema(ctx context.Context) error {
	a := e.acct
	probe := a.dec.ProbeUnitSchema
	if !probe && (a.UnitMode != UnitCustomObject || a.UnitType != "") {
		return nil
	}
	if e.opt.DryRun {
		name := "custom object schema \"unit\""
		if probe {
			name += " (tried first; units become listings if HubSpot refuses it)"
		}
		a.created = append(a.created, name)
		if a.UnitMode == UnitCustomObject {
			a.UnitType = "unit"
		}
		e.planReqs++
		return nil
	}
	if probe {
		if missing := a.facts.MissingOf([]string{"crm.schemas.custom.read", "crm.schemas.custom.write"}); len(missing) > 0 {
			return configErr("b2h cannot tell whether HubSpot portal %s has custom objects: the token lacks %s. On Enterprise, add the custom-object scopes (crm.objects.custom.read/write, crm.schemas.custom.read/write) so units become the custom object \"unit\"; otherwise add them anyway or sync with --units listings", a.PortalID, strings.Join(missing, ", "))
		}
	}
	var s hubspot.Schema
	err := ensure(ctx, func() (bool, error) {
		found, err := e.findUnitSchema(ctx)
		s = found
		return found.ObjectTypeID != "", err
	}, func() error {
		var err error
		s, err = e.hs.CreateSchema(ctx, e.unitSchemaCreate())
		return err
	})
	var apiErr *hubspot.APIError
	_, scopes := hubspot.IsMissingScopes(err)
	switch {
	case err == nil:
		a.facts.CustomObjects = schema.Available
		a.facts.UnitSchema = &s
		a.created = append(a.created, "custom object schema \"unit\" ("+s.ObjectTypeID+")")
	case errors.As(err, &apiErr) && apiErr.StatusCode == 403 && !scopes:
		a.facts.CustomObjects = schema.Unavailable
	default:
		return explainHubSpot(err, "create the unit custom object")
	}
	prior, err := Prior(e.st)
	if err != nil {
		return err
	}
	d, err := schema.Force(schema.Decide(a.facts, prior), a.facts, prior, e.opt.Units)
	if err != nil {
		return configErr("%v", err)
	}
	if d.UnitMode == UnitListing && a.facts.CustomObjects == schema.Unavailable && !probe {
		d.UnitReason = "HubSpot refused to create a custom object (403): units become listings with buildium_record_type = unit"
	}
	a.setDecision(d)
	e.rep.Report(e.accountEvent(a))
	return nil
}

// checkSensitive refuses, before anything is written, a mapping that syncs
// sensitive data (the opt-in tax id) where HubSpot cannot hold it: it needs
// the sensitive-data setting, which only Enterprise has, and the
// highly-sensitive scopes.
func (e *Engine) checkSensitive() error {
	need := e.m.SensitiveScopes()
	if len(need) == 0 {
		return nil
	}
	f := e.acct.facts
	if f.CustomObjects == schema.Unavailable || f.Labels == schema.Unavailable {
		return configErr("the mapping syncs sensitive data (the tax id), which HubSpot stores only with its sensitive-data setting on Enterprise accounts, and this account is %s: turn the tax id off (it is opt-in) or use an Enterprise portal with sensitive data enabled", e.acct.Tier)
	}
	if missing := f.MissingOf(need); len(missing) > 0 {
		return configErr("the mapping syncs sensitive data (the tax id): the HubSpot token lacks %s; add them to the private app or service key (Settings › Integrations), or turn the tax id off", strings.Join(missing, ", "))
	}
	return nil
}

// listProperties lists an object type's properties, and the sensitive ones
// of each sensitivity that defs use (HubSpot lists those only when asked).
func (e *Engine) listProperties(ctx context.Context, obj string, defs []mapping.PropertyDef) ([]hubspot.Property, error) {
	props, err := e.hs.ListProperties(ctx, obj)
	if err != nil {
		return nil, err
	}
	var levels []string
	for _, d := range defs {
		if d.DataSensitivity != "" && d.DataSensitivity != mapping.SensitivityNone && !slices.Contains(levels, d.DataSensitivity) {
			levels = append(levels, d.DataSensitivity)
		}
	}
	for _, l := range levels {
		more, err := e.hs.ListSensitiveProperties(ctx, obj, l)
		if err != nil {
			return nil, err
		}
		props = append(props, more...)
	}
	return props, nil
}

// alignUnitSchema brings an existing unit object's display and required
// properties in line with the mapping: objects made before units had a
// name were displayed by, and required, unit_number, so HubSpot refused
// every unit without a number (single-family homes) and their leases.
func (e *Engine) alignUnitSchema(ctx context.Context) error {
	have := e.acct.facts.UnitSchema
	if have == nil {
		return nil // created by this run from the mapping
	}
	want := e.m.UnitSchema()
	extra := slices.DeleteFunc(slices.Clone(have.RequiredProperties), func(p string) bool { return slices.Contains(want.RequiredProperties, p) })
	missing := slices.DeleteFunc(slices.Clone(want.RequiredProperties), func(p string) bool { return slices.Contains(have.RequiredProperties, p) })
	if have.PrimaryDisplayProperty == want.PrimaryDisplayProperty && len(extra) == 0 && len(missing) == 0 {
		return nil
	}
	e.acct.created = append(e.acct.created, fmt.Sprintf("custom object \"unit\" displayed by %s, requiring %s (was %s, requiring %s)",
		want.PrimaryDisplayProperty, strings.Join(want.RequiredProperties, ", "), have.PrimaryDisplayProperty, strings.Join(have.RequiredProperties, ", ")))
	if e.opt.DryRun {
		e.planReqs++
		return nil
	}
	s, err := e.hs.PatchSchema(ctx, e.acct.UnitType, hubspot.SchemaPatch{PrimaryDisplayProperty: want.PrimaryDisplayProperty,
		SecondaryDisplayProperties: want.SecondaryDisplayProperties, RequiredProperties: want.RequiredProperties})
	if err != nil {
		return explainHubSpot(err, "update the unit custom object's display and required properties")
	}
	e.acct.facts.UnitSchema = &s
	return nil
}
