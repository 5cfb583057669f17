// Package schema decides, from what a HubSpot account answers, how b2h
// lays a Buildium portfolio out in it: where units go (the custom object or
// listings), whether associations carry b2h's labels or HubSpot's default
// type, and what the account's tier means for the migration. sync, doctor,
// the TUI's Check screen and undo all ask this package, so they never
// disagree.
//
// The account's subscription tier is not something HubSpot's API states.
// It is inferred from capabilities the account shows (an existing custom
// object, the association-label allowance), and the daily request quota is
// only a hint: the API limit increase makes a Starter portal's quota look
// like Enterprise's.
package schema

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"b2h/clients/hubspot"
)

// Capability is a yes, no or not-known answer about the account.
type Capability int8

// Capability values.
const (
	Unknown Capability = iota
	Available
	Unavailable
)

// String names the capability for messages.
func (c Capability) String() string {
	switch c {
	case Available:
		return "yes"
	case Unavailable:
		return "no"
	}
	return "unknown"
}

// UnitSchemaName is the name of b2h's custom object for units.
const UnitSchemaName = "unit"

// Object types b2h writes.
const (
	ObjContacts = "contacts"
	ObjListings = "0-420"
)

// Unchecked is something the account check could not find out, and why.
type Unchecked struct {
	What string
	Why  string
}

// What an Unchecked entry is about, for the entries callers look up.
const (
	WhatCustomObjects = "custom objects"
	WhatDailyUsage    = "the daily API usage"
)

// UncheckedWhy returns why what could not be checked ("" if it was).
func (f Facts) UncheckedWhy(what string) string {
	for _, u := range f.Unchecked {
		if u.What == what {
			return u.Why
		}
	}
	return ""
}

// Facts is what the account answered, read-only: no probe writes.
type Facts struct {
	PortalID string
	// Scopes are the token's scopes as token info lists them; ScopesKnown
	// is false when token info is unavailable (service keys) or empty.
	Scopes      []string
	ScopesKnown bool
	// MissingScopes are scopes a read probe was refused for (403
	// MISSING_SCOPES): known to be missing whatever token info says.
	MissingScopes []string

	Listings      Capability
	CustomObjects Capability
	// UnitSchema is the account's existing "unit" custom object, if any.
	UnitSchema *hubspot.Schema
	// Labels is whether custom association labels can be created (HubSpot
	// allows them on Professional and Enterprise only).
	Labels    Capability
	LabelsWhy string

	// Daily budget, from the usage endpoint or the rate-limit headers.
	DailyKnown     bool
	DailyLimit     int
	DailyRemaining int
	DailySource    string
	DailyResetsAt  time.Time // zero when not known
	RatePer10s     int

	Unchecked []Unchecked
}

// HasScope reports whether the token is known to grant scope.
func (f Facts) HasScope(scope string) bool { return slices.Contains(f.Scopes, scope) }

// Tier is the account's tier as far as its capabilities show, and how that
// was found. A guess from the daily quota alone says so.
func (f Facts) Tier() (tier, how string) {
	switch {
	case f.CustomObjects == Available:
		return "enterprise", "the account has custom objects"
	case f.Labels == Available && f.CustomObjects == Unavailable:
		return "professional", "association labels are allowed, custom objects are not"
	case f.Labels == Available:
		return "professional or enterprise", "association labels are allowed"
	case f.Labels == Unavailable:
		return "free or starter", "the account allows no custom association labels"
	}
	if f.DailyKnown {
		return TierFromDaily(f.DailyLimit) + " (a guess from the daily quota)", "only the daily quota was readable; the API limit increase raises it, so it does not decide anything"
	}
	return "unknown", "HubSpot showed neither custom objects nor the association-label allowance"
}

// TierFromDaily is the tier a daily request quota suggests. It is a hint
// for messages, never a decision.
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

// Prober is what the account check reads; *hubspot.Client implements it.
type Prober interface {
	TokenInfo(ctx context.Context) (hubspot.TokenInfo, error)
	DailyUsage(ctx context.Context) (hubspot.DailyUsage, error)
	ListingsEnabled(ctx context.Context) (bool, error)
	ListSchemas(ctx context.Context) ([]hubspot.Schema, error)
	ListAssociationLabels(ctx context.Context, fromType, toType string) ([]hubspot.AssociationType, error)
	Limits() hubspot.LimitsSnapshot
}

// ErrAuth marks a token HubSpot rejected outright (401): nothing else can
// be checked.
var ErrAuth = errors.New("hubspot token rejected")

// Probe reads the account's facts. Only a rejected token (401) or a
// cancelled context stops it; every other refusal becomes an Unknown
// capability or an Unchecked entry, so a service key that lacks the legacy
// private-app endpoints still gets a decision.
func Probe(ctx context.Context, p Prober) (Facts, error) {
	var f Facts
	stop := func(err error) error {
		if hubspot.IsUnauthorized(err) {
			return fmt.Errorf("%w: %w", ErrAuth, err)
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return nil
	}
	missing := func(err error) bool {
		if sc, ok := hubspot.IsMissingScopes(err); ok {
			for _, s := range sc {
				if !slices.Contains(f.MissingScopes, s) {
					f.MissingScopes = append(f.MissingScopes, s)
				}
			}
			return true
		}
		return false
	}

	ti, err := p.TokenInfo(ctx)
	switch {
	case err == nil:
		f.PortalID = fmt.Sprint(ti.HubID)
		f.Scopes = ti.Scopes
		f.ScopesKnown = len(ti.Scopes) > 0
	case stop(err) != nil:
		return f, stop(err)
	default:
		f.Unchecked = append(f.Unchecked, Unchecked{"the token's scopes", "token info (a legacy private-app endpoint) answered: " + short(err) + "; scopes are checked by what HubSpot refuses"})
		if d, ok := p.(detailer); ok {
			if det, err := d.AccountDetails(ctx); err == nil && det.PortalID != 0 {
				f.PortalID = fmt.Sprint(det.PortalID)
			} else if err != nil && stop(err) != nil {
				return f, stop(err)
			}
		}
	}

	u, err := p.DailyUsage(ctx)
	switch {
	case err == nil && u.UsageLimit > 0:
		f.DailyKnown, f.DailyLimit, f.DailyRemaining, f.DailySource = true, u.UsageLimit, u.Remaining(), "daily usage"
		f.DailyResetsAt = u.ResetsAt
	case err != nil && stop(err) != nil:
		return f, stop(err)
	case err != nil:
		f.Unchecked = append(f.Unchecked, Unchecked{WhatDailyUsage, "the usage endpoint (documented for legacy private-app tokens) answered: " + short(err) + "; the budget comes from the rate-limit headers instead"})
	}

	on, err := p.ListingsEnabled(ctx)
	switch {
	case err == nil && on:
		f.Listings = Available
	case err == nil:
		f.Listings = Unavailable
	case stop(err) != nil:
		return f, stop(err)
	default:
		missing(err)
		f.Unchecked = append(f.Unchecked, Unchecked{"whether Listings are activated", short(err)})
	}

	schemas, err := p.ListSchemas(ctx)
	switch {
	case err == nil:
		for i := range schemas {
			if schemas[i].Name == UnitSchemaName {
				s := schemas[i]
				f.UnitSchema = &s
			}
		}
		if len(schemas) > 0 {
			f.CustomObjects = Available // some custom object exists
		}
	case stop(err) != nil:
		return f, stop(err)
	case missing(err):
		f.Unchecked = append(f.Unchecked, Unchecked{WhatCustomObjects, "the token may not read custom-object schemas: " + short(err)})
	case hubspot.IsForbidden(err):
		f.CustomObjects = Unavailable
	default:
		f.Unchecked = append(f.Unchecked, Unchecked{WhatCustomObjects, short(err)})
	}

	f.Labels, f.LabelsWhy = Unknown, ""
	if c, why, err := probeLabelLimits(ctx, p); err != nil {
		if stop(err) != nil {
			return f, stop(err)
		}
		missing(err)
	} else {
		f.Labels, f.LabelsWhy = c, why
	}
	if f.Labels == Unknown {
		ts, err := p.ListAssociationLabels(ctx, ObjContacts, ObjContacts)
		switch {
		case err == nil:
			if slices.ContainsFunc(ts, func(t hubspot.AssociationType) bool {
				return t.Category == "USER_DEFINED" && t.Label != ""
			}) {
				f.Labels, f.LabelsWhy = Available, "the account already has custom association labels"
			}
		case stop(err) != nil:
			return f, stop(err)
		default:
			missing(err)
		}
		if f.Labels == Unknown {
			f.Unchecked = append(f.Unchecked, Unchecked{"custom association labels", "HubSpot does not say whether this account may create them; a live sync tries one first, before any other schema change"})
		}
	}

	lim := p.Limits()
	if lim.Max > 0 {
		f.RatePer10s = lim.Max
	}
	if !f.DailyKnown && lim.DailyKnown && lim.Daily > 0 {
		f.DailyKnown, f.DailyLimit, f.DailyRemaining, f.DailySource = true, lim.Daily, lim.DailyRemaining, "rate-limit headers"
	}
	if !f.DailyKnown {
		f.Unchecked = append(f.Unchecked, Unchecked{"the daily API budget", "neither the usage endpoint nor the rate-limit headers gave it"})
	}
	if f.CustomObjects == Unknown && f.Labels == Unavailable {
		// Custom objects need Enterprise, which allows labels.
		f.CustomObjects = Unavailable
	}
	return f, nil
}

// short is an error's text without the client's "hubspot: " prefix.
func short(err error) string { return strings.TrimPrefix(err.Error(), "hubspot: ") }
