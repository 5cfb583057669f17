package doctor

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"b2h/clients/hubspot"
	"b2h/sync/mapping"
	"b2h/sync/schema"
)

// account is what doctor read from HubSpot, once, for every check.
type account struct {
	err      error // the token could not be read (nil: it could)
	facts    schema.Facts
	dec      schema.Decision
	portal   string
	listings bool
	unit     *hubspot.Schema // the account's "unit" custom object, if any
	tier     string
	unitMode string // schema.UnitCustomObject or schema.UnitListing
	unitType string // "2-…" (existing schema), "0-420" (listings) or "" (not created yet)
}

// readAccount reads the account with the engine's own probe and decides the
// layout with the engine's own rule (schema.Decide), given what the state
// recorded: doctor and sync never disagree.
func (d *doctor) readAccount(ctx context.Context) *account {
	a := &account{}
	hs := d.o.HubSpot
	if hs == nil {
		a.err = d.o.HubSpotErr
		if a.err == nil {
			a.err = &MissingCredentialsError{Vars: []string{"HUBSPOT_ACCESS_TOKEN"}}
		}
		return a
	}
	f, err := schema.Probe(ctx, hs)
	if err != nil {
		a.err = err
		return a
	}
	a.facts = f
	a.dec = schema.Decide(f, d.prior)
	a.portal = f.PortalID
	if a.portal == "" && d.stored != nil {
		a.portal = d.stored.PortalID
	}
	a.listings = f.Listings == schema.Available
	a.unit = f.UnitSchema
	a.tier = a.dec.Tier
	a.unitMode, a.unitType = a.dec.UnitMode, a.dec.UnitType
	return a
}

// skipped is the finding of a check that needs the HubSpot token.
func skipped(check string) Finding {
	return warn(check, "not checked: the HubSpot credentials failed", "fix the HubSpot credentials first, then run b2h doctor again")
}

// credentials is the HubSpot credentials finding.
func (a *account) credentials() Finding {
	if a.err == nil {
		if a.portal == "" {
			return pass(CheckHubSpot, "HubSpot accepts the access token (token info is unavailable to this key, so the portal id is not known yet)")
		}
		return pass(CheckHubSpot, "the access token belongs to portal "+a.portal)
	}
	var ae *hubspot.APIError
	switch {
	case errors.As(a.err, &ae) && ae.StatusCode == 401:
		return fail(CheckHubSpot, "HubSpot rejected the access token (401)",
			"create a private-app access token or service key in HubSpot (Settings › Integrations) and set HUBSPOT_ACCESS_TOKEN to it; revoked or rotated tokens answer 401")
	case errors.As(a.err, &ae):
		return fail(CheckHubSpot, "HubSpot refused the access token: "+ae.Error(),
			"check that HUBSPOT_ACCESS_TOKEN is a private-app token or service key of the right portal")
	case errors.As(a.err, new(*MissingCredentialsError)):
		return fail(CheckHubSpot, a.err.Error(),
			"set HUBSPOT_ACCESS_TOKEN to a private-app access token or service key (HubSpot Settings › Integrations); README › Connecting real accounts")
	}
	return fail(CheckHubSpot, "cannot reach HubSpot: "+a.err.Error(), "check the network, any proxy (HTTPS_PROXY) and --hubspot-url")
}

func (d *doctor) checkScopes(a *account) Finding {
	if a.err != nil {
		return skipped(CheckScopes)
	}
	need := schema.RequiredScopes(a.unitMode, true) // a full sync of every entity
	if missing := a.facts.MissingOf(need); len(missing) > 0 {
		return fail(CheckScopes, "the access token lacks "+strings.Join(missing, ", "),
			"add them to the private app or service key (HubSpot Settings › Integrations › your app › Scopes), then run b2h doctor again")
	}
	if !a.facts.ScopesKnown {
		return warn(CheckScopes, "not checked in full: HubSpot did not list the token's scopes (token info is a legacy private-app endpoint; service keys may not reach it); no read probe was refused",
			"make sure the key grants "+strings.Join(need, ", ")+"; a missing write scope shows as a 403 at the first write, before any record is sent")
	}
	return pass(CheckScopes, fmt.Sprintf("the token has the %d scopes b2h needs", len(need)))
}

// checkTier says what the account's tier means for this migration: where
// units go, how associations are typed, the daily budget, and what could
// not be checked.
func (d *doctor) checkTier(a *account) Finding {
	if a.err != nil {
		return skipped(CheckTier)
	}
	var units string
	switch {
	case a.unit != nil:
		units = fmt.Sprintf("units are the custom object \"unit\" (%s)", a.unit.ObjectTypeID)
	case a.unitMode == schema.UnitCustomObject:
		units = "units become the custom object \"unit\", which b2h creates"
	case a.dec.ProbeUnitSchema:
		units = "units: " + a.dec.UnitReason
	default:
		units = "units become listings with buildium_record_type = unit (" + a.dec.UnitReason + ")"
	}
	assoc := "associations carry the labels Current/Future/Past tenant and Emergency contact"
	switch {
	case a.dec.ProbeLabels:
		assoc = "associations: " + a.dec.AssocReason
	case !a.dec.Labelled():
		assoc = "no custom association labels on this tier: tenants are associated with their units (and emergency contacts with their tenants) by HubSpot's default type, and each tenant's lease status and unit are the contact properties buildium_lease_status, buildium_lease_unit and buildium_leases"
	}
	budget := "daily budget not known"
	if a.facts.DailyKnown {
		budget = fmt.Sprintf("%d requests a day, %d left today (from the %s)", a.facts.DailyLimit, a.facts.DailyRemaining, a.facts.DailySource)
	}
	detail := fmt.Sprintf("%s (%s); %s; %s; %s", a.tier, a.dec.TierHow, units, assoc, budget)
	if len(a.facts.Unchecked) > 0 {
		var parts []string
		for _, u := range a.facts.Unchecked {
			parts = append(parts, u.What)
		}
		detail += "; not checked: " + strings.Join(parts, ", ")
	}
	if st := d.stored; st != nil && st.UnitMode != "" && st.UnitMode != a.unitMode {
		return warn(CheckTier, detail+fmt.Sprintf("; but this state synced units as %s", modeName(st.UnitMode)),
			fmt.Sprintf("the next sync writes units as %s and leaves the %s it wrote before in HubSpot: archive those afterwards, or restore the account's previous setup before syncing", modeName(a.unitMode), modeName(st.UnitMode)))
	}
	if f := a.facts; f.DailyKnown && f.DailyLimit > 0 && f.DailyRemaining < f.DailyLimit/10 {
		reset := "at midnight in the account's time zone"
		if !f.DailyResetsAt.IsZero() {
			reset = "at " + f.DailyResetsAt.Format("2006-01-02 15:04 MST")
		}
		return warn(CheckTier, detail, "under 10 % of today's API budget is left: a sync pauses at the daily limit (exit 4) and resumes after the reset "+reset)
	}
	if len(a.facts.Unchecked) > 0 {
		var why []string
		for _, u := range a.facts.Unchecked {
			why = append(why, u.What+": "+u.Why)
		}
		return warn(CheckTier, detail, "b2h degrades where it could not check: "+strings.Join(why, "; "))
	}
	return pass(CheckTier, detail)
}

func modeName(m string) string {
	if m == schema.UnitCustomObject {
		return "unit custom-object records"
	}
	return "unit listings"
}

func (d *doctor) checkListings(a *account) Finding {
	portal := a.portal
	if portal == "" {
		portal = "(portal id not known)"
	}
	switch {
	case a.err != nil:
		return skipped(CheckListings)
	case a.facts.Listings == schema.Unknown:
		return fail(CheckListings, "could not check whether Listings are activated",
			"grant the token crm.objects.listings.read, then run b2h doctor again")
	case !a.listings:
		return fail(CheckListings, "the Listings object is not activated in HubSpot portal "+portal,
			"a Super Admin activates it in HubSpot under Settings › Data Management › Data Model › Listings; until then only contacts can sync (b2h sync --only tenants,emergency_contacts)")
	}
	return pass(CheckListings, "the Listings object is activated in portal "+portal)
}

// mappingFor returns the mapping for the account's unit mode.
func (d *doctor) mappingFor(a *account) (*mapping.Mapping, error) {
	target := mapping.TargetUnit
	if a.unitMode == schema.UnitListing {
		target = mapping.TargetListings
	}
	if d.o.MappingFor != nil {
		return d.o.MappingFor(target)
	}
	return mapping.Default(mapping.Options{UnitTarget: target}), nil
}
