package sync

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"b2h/clients/hubspot"
	"b2h/state"
	"b2h/sync/mapping"
)

// Unit modes: where units land in HubSpot.
const (
	UnitCustomObject = "custom_object"
	UnitListing      = "listing"
)

// The association labels b2h finds by name or creates (DESIGN.md §2). Type
// ids are never hard-coded: they differ per account.
const (
	LabelCurrentTenant    = "Current tenant"
	LabelFutureTenant     = "Future tenant"
	LabelPastTenant       = "Past tenant"
	LabelEmergencyContact = "Emergency contact"
)

var tenantLabels = []string{LabelCurrentTenant, LabelFutureTenant, LabelPastTenant}

// accountInfo is what the account check found and the bootstrap settled.
type accountInfo struct {
	PortalID        string
	Tier            string
	CustomObjects   bool
	ListingsEnabled bool
	Scopes          []string
	UnitMode        string
	UnitType        string // HubSpot object type of units ("2-…" or "0-420")
	UnitReason      string
	RatePer10s      int
	DailyRemaining  int
	// labels maps "from->to:Label" to its association type.
	labels map[string]hubspot.AssociationTypeRef
	// created lists what the bootstrap created (or would create, dry run).
	created []string
	existed int
}

const (
	objContacts = "contacts"
	objListings = "0-420"
)

// ErrConfig marks an error a person fixes in configuration (exit code 2):
// credentials, scopes, account setup.
var ErrConfig = errors.New("configuration")

func configErr(format string, a ...any) error {
	return fmt.Errorf("%w: %s", ErrConfig, fmt.Sprintf(format, a...))
}

// TierFromDaily infers the subscription tier from the daily request limit
// (reference/hubspot-api.md §9). b2h doctor uses it too.
func TierFromDaily(daily int) string {
	switch {
	case daily >= 1_000_000:
		return "enterprise"
	case daily >= 500_000:
		return "professional"
	case daily > 0:
		return "free/starter"
	}
	return "unknown"
}

// checkAccount reads the account's capabilities: scopes, tier, listings
// activation, custom-object support, rate limits.
func (e *Engine) checkAccount(ctx context.Context) (*accountInfo, error) {
	a := &accountInfo{labels: map[string]hubspot.AssociationTypeRef{}}
	ti, err := e.hs.TokenInfo(ctx)
	if err != nil {
		return nil, explainHubSpot(err, "check the HubSpot token")
	}
	a.PortalID = fmt.Sprint(ti.HubID)
	a.Scopes = ti.Scopes
	usage, err := e.hs.DailyUsage(ctx)
	if err != nil {
		return nil, explainHubSpot(err, "read the daily API usage")
	}
	a.DailyRemaining = usage.UsageLimit - usage.CurrentUsage
	a.Tier = TierFromDaily(usage.UsageLimit)
	if lim := e.hs.Limits(); lim.Max > 0 {
		a.RatePer10s = lim.Max
	}
	a.ListingsEnabled, err = e.hs.ListingsEnabled(ctx)
	if err != nil {
		return nil, explainHubSpot(err, "check whether the Listings object is activated")
	}
	if err := e.checkScopes(a); err != nil {
		return nil, err
	}
	schemas, err := e.hs.ListSchemas(ctx)
	var apiErr *hubspot.APIError
	switch {
	case err == nil:
	case errors.As(err, &apiErr) && apiErr.StatusCode == 403:
		schemas = nil // no custom objects on this tier
	default:
		return nil, explainHubSpot(err, "list custom object schemas")
	}
	for _, s := range schemas {
		if s.Name == mapping.UnitSchema().Name {
			a.CustomObjects = true
			a.UnitMode, a.UnitType = UnitCustomObject, s.ObjectTypeID
			a.UnitReason = fmt.Sprintf("the account already has the custom object %q (%s)", s.Name, s.ObjectTypeID)
		}
	}
	if a.UnitMode == "" {
		if a.Tier == "enterprise" {
			a.CustomObjects = true
			a.UnitMode = UnitCustomObject
			a.UnitReason = "Enterprise accounts have custom objects: b2h creates the \"unit\" object"
		} else {
			a.UnitMode, a.UnitType = UnitListing, objListings
			a.UnitReason = fmt.Sprintf("custom objects need HubSpot Enterprise (this account looks %s): units become listings with buildium_record_type = unit", a.Tier)
		}
	}
	if err := e.pinUnitMode(a); err != nil {
		return nil, err
	}
	needListings := e.want(mapping.Properties) || (a.UnitMode == UnitListing && (e.want(mapping.Units) || e.want(mapping.Leases)))
	if needListings && !a.ListingsEnabled {
		return nil, configErr("the Listings object is not activated in HubSpot portal %s: a Super Admin activates it under Settings › Data Management › Data Model (Listings), then run b2h again; or sync only contacts with --only tenants,emergency_contacts", a.PortalID)
	}
	e.rep.Report(AccountChecked{PortalID: a.PortalID, Tier: a.Tier, CustomObjects: a.CustomObjects,
		ListingsEnabled: a.ListingsEnabled, UnitMode: a.UnitMode, UnitReason: a.UnitReason,
		DailyRemaining: a.DailyRemaining, RatePer10s: a.RatePer10s})
	return a, nil
}

// RequiredScopes lists the scopes a run needs (reference/hubspot-api.md
// §1): contacts always; listings when properties are synced or units
// become listings; custom objects when units are the custom object.
// b2h doctor checks the same list.
func RequiredScopes(unitMode string, properties bool) []string {
	s := []string{"crm.objects.contacts.read", "crm.objects.contacts.write", "crm.schemas.contacts.write"}
	if properties || unitMode == UnitListing {
		s = append(s, "crm.objects.listings.read", "crm.objects.listings.write", "crm.schemas.listings.write")
	}
	if unitMode == UnitCustomObject {
		s = append(s, "crm.objects.custom.read", "crm.objects.custom.write", "crm.schemas.custom.read", "crm.schemas.custom.write")
	}
	return s
}

func (e *Engine) checkScopes(a *accountInfo) error {
	if len(a.Scopes) == 0 {
		return nil // token info without scopes (service keys): the API will say
	}
	var missing []string
	for _, s := range RequiredScopes(a.UnitMode, e.want(mapping.Properties)) {
		if !slices.Contains(a.Scopes, s) {
			missing = append(missing, s)
		}
	}
	if len(missing) > 0 {
		return configErr("the HubSpot token lacks the scopes %s: add them to the private app or service key (Settings › Integrations), then run b2h again", strings.Join(missing, ", "))
	}
	return nil
}

// mapping returns the run's field mapping: the default for the account's
// unit mode, with the mapping file's overrides applied on top.
func (e *Engine) mapping() (*mapping.Mapping, error) {
	o := e.opt.MappingOpts
	o.UnitTarget = mapping.TargetUnit
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
// association labels. In a dry run it only lists what it would create.
func (e *Engine) bootstrap(ctx context.Context) error {
	a := e.acct
	if a.UnitMode == UnitCustomObject && a.UnitType == "" {
		if e.opt.DryRun {
			a.created = append(a.created, "custom object schema \"unit\"")
			a.UnitType = "unit"
			e.planReqs++
		} else {
			var s hubspot.Schema
			err := ensure(ctx, func() (bool, error) {
				found, err := e.findUnitSchema(ctx)
				s = found
				return found.ObjectTypeID != "", err
			}, func() error {
				var err error
				s, err = e.hs.CreateSchema(ctx, unitSchemaCreate())
				return err
			})
			var apiErr *hubspot.APIError
			if errors.As(err, &apiErr) && apiErr.StatusCode == 403 {
				a.CustomObjects, a.UnitMode, a.UnitType = false, UnitListing, objListings
				a.UnitReason = "HubSpot refused to create a custom object (403): units become listings with buildium_record_type = unit"
				if e.m, err = e.mapping(); err != nil {
					return err
				}
			} else if err != nil {
				return explainHubSpot(err, "create the unit custom object")
			} else {
				a.UnitType = s.ObjectTypeID
				a.created = append(a.created, "custom object schema \"unit\" ("+s.ObjectTypeID+")")
			}
		}
	}
	targets := []string{"contacts"}
	unitsWanted := e.want(mapping.Units) || e.want(mapping.Leases)
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

func unitSchemaCreate() hubspot.SchemaCreate {
	d := mapping.UnitSchema()
	sc := hubspot.SchemaCreate{
		Name:                   d.Name,
		Labels:                 hubspot.SchemaLabels{Singular: d.Labels.Singular, Plural: d.Labels.Plural},
		PrimaryDisplayProperty: d.PrimaryDisplayProperty,
		RequiredProperties:     d.RequiredProperties,
		SearchableProperties:   d.SearchableProperties,
		AssociatedObjects:      d.AssociatedObjects,
	}
	for _, p := range d.Properties {
		sc.Properties = append(sc.Properties, propertyCreate(p))
	}
	return sc
}

func propertyCreate(p mapping.PropertyDef) hubspot.PropertyCreate {
	pc := hubspot.PropertyCreate{Name: p.Name, Label: p.Label, Type: p.Type, FieldType: p.FieldType,
		GroupName: p.Group, HasUniqueValue: p.Unique, Description: p.Description}
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
	existing, err := e.hs.ListProperties(ctx, obj)
	if err != nil {
		return explainHubSpot(err, "list the "+target+" properties")
	}
	have := map[string]hubspot.Property{}
	for _, p := range existing {
		have[p.Name] = p
	}
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
		props, err := e.hs.ListProperties(ctx, obj)
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

// ensureLabels finds the association labels by name, creating the missing
// ones, and records their type ids.
func (e *Engine) ensureLabels(ctx context.Context) error {
	type labelPair struct {
		from, to string
		labels   []string
		inverse  string
	}
	pairs := []labelPair{{objContacts, objContacts, []string{LabelEmergencyContact}, "Emergency contact for"}}
	if e.want(mapping.Leases) {
		pairs = append([]labelPair{{objContacts, e.acct.UnitType, tenantLabels, ""}}, pairs...)
	}
	for _, p := range pairs {
		if e.opt.DryRun && p.to == "unit" {
			// The unit schema does not exist yet: all its labels are new.
			for _, l := range p.labels {
				e.acct.created = append(e.acct.created, "association label \""+l+"\"")
				e.planReqs++
			}
			continue
		}
		have, err := e.hs.ListAssociationLabels(ctx, p.from, p.to)
		if err != nil {
			return explainHubSpot(err, "list association labels "+p.from+" → "+p.to)
		}
		for _, l := range p.labels {
			t, ok := findLabel(have, l)
			if !ok {
				e.acct.created = append(e.acct.created, "association label \""+l+"\"")
				if e.opt.DryRun {
					e.planReqs++
					continue
				}
				if err := ensure(ctx, func() (bool, error) {
					var err error
					if have, err = e.hs.ListAssociationLabels(ctx, p.from, p.to); err != nil {
						return false, err
					}
					t, ok = findLabel(have, l)
					return ok, nil
				}, func() error {
					_, err := e.hs.CreateAssociationLabel(ctx, p.from, p.to, l, labelName(l), p.inverse)
					return err
				}); err != nil {
					return explainHubSpot(err, "create the association label \""+l+"\"")
				}
				if !ok { // created on the first try: read its type id back
					if have, err = e.hs.ListAssociationLabels(ctx, p.from, p.to); err != nil {
						return explainHubSpot(err, "list association labels")
					}
					if t, ok = findLabel(have, l); !ok {
						return fmt.Errorf("HubSpot created the association label %q but does not list it", l)
					}
				}
			} else {
				e.acct.existed++
			}
			e.acct.labels[labelKey(p.from, p.to, l)] = hubspot.AssociationTypeRef{Category: t.Category, TypeID: t.TypeID}
		}
	}
	return nil
}

func findLabel(ts []hubspot.AssociationType, label string) (hubspot.AssociationType, bool) {
	for _, t := range ts {
		if strings.EqualFold(t.Label, label) {
			return t, true
		}
	}
	return hubspot.AssociationType{}, false
}

func labelKey(from, to, label string) string { return from + "->" + to + ":" + label }

func labelName(label string) string {
	return strings.ReplaceAll(strings.ToLower(label), " ", "_")
}

func (e *Engine) saveAccount() error {
	a := e.acct
	sa := state.Account{PortalID: a.PortalID, Tier: a.Tier, CustomObjects: a.CustomObjects,
		ListingsEnabled: a.ListingsEnabled, Scopes: a.Scopes, UnitMode: a.UnitMode,
		UnitObjectType: a.UnitType, AssociationTypes: map[string]int{}, CheckedAt: e.now()}
	for k, t := range a.labels {
		sa.AssociationTypes[k] = t.TypeID
	}
	return e.st.PutAccount(sa)
}

// ratePerSecond is the account's allowed HubSpot request rate.
func (e *Engine) ratePerSecond() float64 {
	if lim := e.hs.Limits(); lim.Max > 0 && lim.IntervalMs > 0 {
		return float64(lim.Max) / (float64(lim.IntervalMs) / 1000)
	}
	return 10 // the lowest tier: 100 per 10 s
}

// explainHubSpot wraps a HubSpot error with what b2h was doing; 401 and 403
// become configuration errors whose text says what to fix.
func explainHubSpot(err error, doing string) error {
	var apiErr *hubspot.APIError
	if errors.As(err, &apiErr) && (apiErr.StatusCode == 401 || apiErr.StatusCode == 403) {
		return fmt.Errorf("%w: %s: %v", ErrConfig, doing, err)
	}
	return fmt.Errorf("%s: %w", doing, err)
}

// pinUnitMode keeps units where earlier runs put them. An account upgraded
// to Enterprise after its units were synced as listings would otherwise
// get every unit a second time, as a custom object, beside its listing.
func (e *Engine) pinUnitMode(a *accountInfo) error {
	if a.UnitMode != UnitCustomObject {
		return nil
	}
	prev, err := e.st.Account()
	if err != nil || prev.UnitMode != UnitListing {
		return nil // no earlier run, or units already custom objects
	}
	n, err := e.st.CountMappings(state.Kind(mapping.Units))
	if err != nil {
		return fmt.Errorf("count the units in state: %w", err)
	}
	if n == 0 {
		return nil
	}
	a.UnitMode, a.UnitType = UnitListing, objListings
	a.UnitReason = fmt.Sprintf("earlier runs synced %d units as listings: b2h keeps them there so that none is duplicated as a custom object (to move them, undo those runs first)", n)
	return nil
}
