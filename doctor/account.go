package doctor

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"b2h/clients/hubspot"
	"b2h/sync"
	"b2h/sync/mapping"
)

// account is what doctor read from HubSpot, once, for every check.
type account struct {
	err         error // the token could not be read (nil: it could)
	token       hubspot.TokenInfo
	usage       hubspot.DailyUsage
	usageErr    error
	listings    bool
	listingsErr error
	unit        *hubspot.Schema // the account's "unit" custom object, if any
	schemasErr  error           // listing schemas failed (other than 403: no custom objects)
	tier        string
	unitMode    string // sync.UnitCustomObject or sync.UnitListing
	unitType    string // "2-…" (existing schema), "0-420" (listings) or "" (not created yet)
}

// readAccount reads the account the way the engine's account check does
// (sync/bootstrap.go checkAccount): token, daily usage, listings, schemas,
// and from them the tier and where units go.
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
	if a.token, a.err = hs.TokenInfo(ctx); a.err != nil {
		return a
	}
	a.usage, a.usageErr = hs.DailyUsage(ctx)
	a.tier = sync.TierFromDaily(a.usage.UsageLimit)
	a.listings, a.listingsErr = hs.ListingsEnabled(ctx)
	schemas, err := hs.ListSchemas(ctx)
	if err != nil && !hubspot.IsForbidden(err) {
		a.schemasErr = err
	}
	for i := range schemas {
		if schemas[i].Name == mapping.UnitSchema().Name {
			a.unit = &schemas[i]
		}
	}
	switch {
	case a.unit != nil:
		a.unitMode, a.unitType = sync.UnitCustomObject, a.unit.ObjectTypeID
	case a.tier == "enterprise":
		a.unitMode = sync.UnitCustomObject
	default:
		a.unitMode, a.unitType = sync.UnitListing, "0-420"
	}
	return a
}

// skipped is the finding of a check that needs the HubSpot token.
func skipped(check string) Finding {
	return warn(check, "not checked: the HubSpot credentials failed", "fix the HubSpot credentials first, then run b2h doctor again")
}

// credentials is the HubSpot credentials finding.
func (a *account) credentials() Finding {
	if a.err == nil {
		return pass(CheckHubSpot, fmt.Sprintf("the access token belongs to portal %d", a.token.HubID))
	}
	var ae *hubspot.APIError
	switch {
	case errors.As(a.err, &ae) && ae.StatusCode == 401:
		return fail(CheckHubSpot, "HubSpot rejected the access token (401)",
			"create a private-app access token or service key in HubSpot (Settings › Integrations) and set HUBSPOT_ACCESS_TOKEN to it; revoked or rotated tokens answer 401")
	case errors.As(a.err, &ae):
		return fail(CheckHubSpot, "HubSpot refused to describe the access token: "+ae.Error(),
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
	need := sync.RequiredScopes(a.unitMode, true) // a full sync of every entity
	if len(a.token.Scopes) == 0 {
		return warn(CheckScopes, "HubSpot did not list the token's scopes (a service key?)",
			"make sure the key grants "+strings.Join(need, ", ")+"; a missing one shows as a 403 during the sync")
	}
	var missing []string
	for _, s := range need {
		if !a.token.HasScope(s) {
			missing = append(missing, s)
		}
	}
	if len(missing) > 0 {
		return fail(CheckScopes, "the access token lacks "+strings.Join(missing, ", "),
			"add them to the private app or service key (HubSpot Settings › Integrations › your app › Scopes), then run b2h doctor again")
	}
	return pass(CheckScopes, fmt.Sprintf("the token has the %d scopes b2h needs", len(need)))
}

func (d *doctor) checkTier(a *account) Finding {
	if a.err != nil {
		return skipped(CheckTier)
	}
	if a.usageErr != nil {
		return warn(CheckTier, "could not read the daily API usage: "+a.usageErr.Error(),
			"b2h infers the tier from it; check that the token is a private-app token or service key of this portal")
	}
	var units string
	switch {
	case a.unit != nil:
		units = fmt.Sprintf("units are the custom object \"unit\" (%s)", a.unit.ObjectTypeID)
	case a.unitMode == sync.UnitCustomObject:
		units = "units become the custom object \"unit\", which b2h creates"
	default:
		units = "custom objects need Enterprise, so units become listings with buildium_record_type = unit"
	}
	left := a.usage.Remaining()
	detail := fmt.Sprintf("%s (%d requests a day, %d left today): %s", a.tier, a.usage.UsageLimit, left, units)
	if st := d.stored; st != nil && st.UnitMode != "" && st.UnitMode != a.unitMode {
		return warn(CheckTier, detail+fmt.Sprintf("; but this state synced units as %s", modeName(st.UnitMode)),
			fmt.Sprintf("the next sync writes units as %s and leaves the %s it wrote before in HubSpot: archive those afterwards, or restore the account's previous setup before syncing", modeName(a.unitMode), modeName(st.UnitMode)))
	}
	if a.usage.UsageLimit > 0 && left < a.usage.UsageLimit/10 {
		reset := "at midnight in the account's time zone"
		if !a.usage.ResetsAt.IsZero() {
			reset = "at " + a.usage.ResetsAt.Format("2006-01-02 15:04 MST")
		}
		return warn(CheckTier, detail, "under 10 % of today's API budget is left: a sync pauses at the daily limit (exit 4) and resumes after the reset "+reset)
	}
	return pass(CheckTier, detail)
}

func modeName(m string) string {
	if m == sync.UnitCustomObject {
		return "unit custom-object records"
	}
	return "unit listings"
}

func (d *doctor) checkListings(a *account) Finding {
	switch {
	case a.err != nil:
		return skipped(CheckListings)
	case a.listingsErr != nil:
		return fail(CheckListings, "could not check whether Listings are activated: "+a.listingsErr.Error(),
			"grant the token crm.objects.listings.read, then run b2h doctor again")
	case !a.listings:
		return fail(CheckListings, fmt.Sprintf("the Listings object is not activated in HubSpot portal %d", a.token.HubID),
			"a Super Admin activates it in HubSpot under Settings › Data Management › Data Model › Listings; until then only contacts can sync (b2h sync --only tenants,emergency_contacts)")
	}
	return pass(CheckListings, fmt.Sprintf("the Listings object is activated in portal %d", a.token.HubID))
}

// mappingFor returns the mapping for the account's unit mode.
func (d *doctor) mappingFor(a *account) (*mapping.Mapping, error) {
	target := mapping.TargetUnit
	if a.unitMode == sync.UnitListing {
		target = mapping.TargetListings
	}
	if d.o.MappingFor != nil {
		return d.o.MappingFor(target)
	}
	return mapping.Default(mapping.Options{UnitTarget: target}), nil
}
