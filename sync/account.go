package sync

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"b2h/clients/hubspot"
	"b2h/state"
	"b2h/sync/mapping"
	"b2h/sync/schema"
)

// Unit modes: where units land in HubSpot.
const (
	UnitCustomObject = schema.UnitCustomObject
	UnitListing      = schema.UnitListing
)

// The association labels b2h finds by name or creates. Type ids are never
// hard-coded: they differ per account.
const (
	LabelCurrentTenant    = "Current tenant"
	LabelFutureTenant     = "Future tenant"
	LabelPastTenant       = "Past tenant"
	LabelEmergencyContact = "Emergency contact"
)

var tenantLabels = []string{LabelCurrentTenant, LabelFutureTenant, LabelPastTenant}

// accountInfo is what the account check found and the bootstrap settled.
type accountInfo struct {
	facts schema.Facts
	dec   schema.Decision

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

// labelled reports whether associations carry b2h's labels (false on
// portals that allow no custom labels: HubSpot's default type then).
func (a *accountInfo) labelled() bool { return a.dec.Labelled() }

// setDecision copies the decision's unit layout into the fields the stages
// read.
func (a *accountInfo) setDecision(d schema.Decision) {
	a.dec = d
	a.Tier = d.Tier
	a.UnitMode, a.UnitType, a.UnitReason = d.UnitMode, d.UnitType, d.UnitReason
	a.CustomObjects = a.facts.CustomObjects == schema.Available || d.UnitMode == UnitCustomObject
}

const (
	objContacts = schema.ObjContacts
	objListings = schema.ObjListings
)

// ErrConfig marks an error a person fixes in configuration (exit code 2):
// credentials, scopes, account setup.
var ErrConfig = errors.New("configuration")

func configErr(format string, a ...any) error {
	return fmt.Errorf("%w: %s", ErrConfig, fmt.Sprintf(format, a...))
}

// TierFromDaily is the tier a daily request quota suggests: a hint for
// messages, never a decision.
func TierFromDaily(daily int) string { return schema.TierFromDaily(daily) }

// RequiredScopes lists the scopes a run needs (see schema.RequiredScopes).
func RequiredScopes(unitMode string, properties bool) []string {
	return schema.RequiredScopes(unitMode, properties)
}

// Prior reads what earlier runs settled from the state: the unit mode and
// how many units it maps.
func Prior(st interface {
	Account() (state.Account, error)
	CountMappings(kind state.Kind) (int, error)
}) (schema.Prior, error) {
	prev, err := st.Account()
	if err != nil {
		return schema.Prior{}, nil // no earlier run
	}
	n, err := st.CountMappings(state.Kind(mapping.Units))
	if err != nil {
		return schema.Prior{}, fmt.Errorf("count the units in state: %w", err)
	}
	return schema.PriorOf(prev, n), nil
}

// checkAccount reads the account's facts and settles the layout with
// schema.Decide, the rule doctor and the Check screen use too. Nothing is
// written here.
func (e *Engine) checkAccount(ctx context.Context) (*accountInfo, error) {
	f, err := schema.Probe(ctx, e.hs)
	if err != nil {
		return nil, explainHubSpot(err, "check the HubSpot account")
	}
	prior, err := Prior(e.st)
	if err != nil {
		return nil, err
	}
	a := &accountInfo{facts: f, labels: map[string]hubspot.AssociationTypeRef{}, PortalID: f.PortalID,
		ListingsEnabled: f.Listings == schema.Available, Scopes: f.Scopes, RatePer10s: f.RatePer10s,
		DailyRemaining: f.DailyRemaining}
	if a.PortalID == "" {
		if prev, err := e.st.Account(); err == nil {
			a.PortalID = prev.PortalID
		}
	}
	d, err := schema.Force(schema.Decide(f, prior), f, prior, e.opt.Units)
	if err != nil {
		return nil, configErr("%v", err)
	}
	a.setDecision(d)
	if err := e.checkScopes(a); err != nil {
		return nil, err
	}
	needListings := e.want(mapping.Properties) || (a.UnitMode == UnitListing && (e.want(mapping.Units) || e.want(mapping.Leases)))
	if needListings && f.Listings == schema.Unavailable {
		return nil, configErr("the Listings object is not activated in HubSpot portal %s: a Super Admin activates it under Settings › Data Management › Data Model (Listings), then run b2h again; or sync only contacts with --only tenants,emergency_contacts", a.PortalID)
	}
	e.rep.Report(e.accountEvent(a))
	return a, nil
}

// accountEvent is the account check as an event.
func (e *Engine) accountEvent(a *accountInfo) AccountChecked {
	ev := AccountChecked{PortalID: a.PortalID, Tier: a.Tier, TierHow: a.dec.TierHow, CustomObjects: a.CustomObjects,
		ListingsEnabled: a.ListingsEnabled, UnitMode: a.UnitMode, UnitReason: a.UnitReason,
		Associations: a.dec.AssocMode, AssociationsReason: a.dec.AssocReason,
		DailyRemaining: a.DailyRemaining, RatePer10s: a.RatePer10s, Scopes: a.Scopes}
	for _, u := range a.facts.Unchecked {
		ev.Unchecked = append(ev.Unchecked, u.What+": "+u.Why)
	}
	return ev
}

func (e *Engine) checkScopes(a *accountInfo) error {
	missing := a.facts.MissingOf(schema.RequiredScopes(a.UnitMode, e.want(mapping.Properties)))
	if len(missing) > 0 {
		return configErr("the HubSpot token lacks the scopes %s: add them to the private app or service key (Settings › Integrations), then run b2h again", strings.Join(missing, ", "))
	}
	return nil
}

// explainHubSpot wraps a HubSpot error with what b2h was doing; 401 and 403
// become configuration errors whose text says what to fix.
func explainHubSpot(err error, doing string) error {
	var apiErr *hubspot.APIError
	if errors.Is(err, schema.ErrAuth) || errors.As(err, &apiErr) && (apiErr.StatusCode == 401 || apiErr.StatusCode == 403) {
		return fmt.Errorf("%w: %s: %v", ErrConfig, doing, err)
	}
	return fmt.Errorf("%s: %w", doing, err)
}

func (e *Engine) saveAccount() error {
	a := e.acct
	sa := state.Account{PortalID: a.PortalID, Tier: a.Tier, CustomObjects: a.CustomObjects,
		ListingsEnabled: a.ListingsEnabled, Scopes: a.Scopes, UnitMode: a.UnitMode,
		UnitObjectType: a.UnitType, AssociationMode: a.dec.AssocMode, AssociationTypes: map[string]int{}, CheckedAt: e.now()}
	for k, t := range a.labels {
		sa.AssociationTypes[k] = t.TypeID
	}
	sa.Learned = map[string]string{}
	for name, c := range map[string]schema.Capability{"custom_objects": a.facts.CustomObjects, "labels": a.facts.Labels} {
		if c != schema.Unknown {
			sa.Learned[name] = c.String()
		}
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
