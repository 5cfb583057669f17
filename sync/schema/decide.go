package schema

import (
	"cmp"
	"fmt"
	"slices"

	"b2h/state"
)

// Unit modes: where units land in HubSpot.
const (
	UnitCustomObject = "custom_object"
	UnitListing      = "listing"
)

// Association modes: how tenant ↔ unit and emergency-contact associations
// are typed.
const (
	// AssocLabelled uses b2h's labels (Current tenant, …, Emergency contact).
	AssocLabelled = "labelled"
	// AssocDefault uses HubSpot's default (unlabelled) type, and writes the
	// lease status as contact properties instead.
	AssocDefault = "default"
)

// Prior is what earlier runs settled, from the state file.
type Prior struct {
	UnitMode string
	// UnitsSynced is how many units the state maps: once units exist in one
	// mode they stay there, or every unit would be created a second time.
	UnitsSynced int
	// CustomObjects and Labels are what a live run learnt by trying (a
	// refused create); they stand in for facts the account does not show.
	CustomObjects, Labels Capability
}

// ParseCapability reads "yes" or "no" (anything else is Unknown).
func ParseCapability(s string) Capability {
	switch s {
	case "yes":
		return Available
	case "no":
		return Unavailable
	}
	return Unknown
}

// Decision is how this migration lays the portfolio out in the account.
type Decision struct {
	Tier, TierHow string

	UnitMode   string
	UnitType   string // "2-…" for an existing custom object, "0-420" for listings, "" before the schema exists
	UnitReason string
	// ProbeUnitSchema: custom objects are not known either way; a live run
	// tries to create the unit schema first (before anything else), and a
	// refusal makes units listings.
	ProbeUnitSchema bool

	AssocMode   string
	AssocReason string
	// AssocReason says why (what the account showed); the consequence is
	// the mode's.
	// ProbeLabels: label support is not known; a live run tries to create
	// its first label before any other schema change.
	ProbeLabels bool
}

// Labelled reports whether associations carry b2h's labels.
func (d Decision) Labelled() bool { return d.AssocMode == AssocLabelled }

// Decide settles the layout from the facts and what earlier runs did. It
// is pure: the same facts give the same decision in sync, doctor and the
// TUI.
func Decide(f Facts, prior Prior) Decision {
	if f.CustomObjects == Unknown && prior.CustomObjects != Unknown {
		f.CustomObjects = prior.CustomObjects
	}
	if f.Labels == Unknown && prior.Labels != Unknown {
		f.Labels = prior.Labels
		f.LabelsWhy = "an earlier sync found that the account allows custom association labels"
		if prior.Labels == Unavailable {
			f.LabelsWhy = "an earlier sync found that the account allows no custom association labels (HubSpot allows them on Professional and Enterprise)"
		}
	}
	d := Decision{}
	d.Tier, d.TierHow = f.Tier()
	switch {
	case f.UnitSchema != nil:
		d.UnitMode, d.UnitType = UnitCustomObject, f.UnitSchema.ObjectTypeID
		d.UnitReason = fmt.Sprintf("the account already has the custom object %q (%s)", f.UnitSchema.Name, f.UnitSchema.ObjectTypeID)
	case prior.UnitMode == UnitListing && prior.UnitsSynced > 0:
		d.UnitMode, d.UnitType = UnitListing, ObjListings
		d.UnitReason = fmt.Sprintf("earlier runs synced %d units as listings: b2h keeps them there so that none is duplicated as a custom object (to move them, undo those runs first)", prior.UnitsSynced)
	case f.CustomObjects == Available:
		d.UnitMode = UnitCustomObject
		d.UnitReason = "the account has custom objects: b2h creates the \"unit\" object"
	case f.CustomObjects == Unavailable:
		d.UnitMode, d.UnitType = UnitListing, ObjListings
		d.UnitReason = "custom objects need HubSpot Enterprise and this account has none: units become listings with buildium_record_type = unit"
	case f.DailyKnown && TierFromDaily(f.DailyLimit) == "enterprise" && f.Labels != Unavailable:
		// Not known, but the quota suggests Enterprise: plan the custom
		// object; a live run creates it first and falls back to listings on
		// a refusal (the API limit increase gives other tiers this quota).
		d.UnitMode, d.ProbeUnitSchema = UnitCustomObject, true
		d.UnitReason = "the daily quota suggests Enterprise (custom objects): a live sync creates the \"unit\" object first and uses listings (buildium_record_type = unit) if HubSpot refuses it"
	default:
		// Not known: try the custom object first, fall back to listings on
		// a refusal. Until a live run has tried, plan for listings, the
		// mode every tier supports.
		d.UnitMode, d.UnitType = UnitListing, ObjListings
		d.ProbeUnitSchema = true
		d.UnitReason = "HubSpot does not say whether the account has custom objects: a live sync tries to create the \"unit\" object first and uses listings (buildium_record_type = unit) if HubSpot refuses"
	}
	switch f.Labels {
	case Available:
		d.AssocMode, d.AssocReason = AssocLabelled, cmp.Or(f.LabelsWhy, "the account allows custom association labels")
	case Unavailable:
		d.AssocMode, d.AssocReason = AssocDefault, cmp.Or(f.LabelsWhy, "the account allows no custom association labels (HubSpot allows them on Professional and Enterprise)")
	default:
		if d.UnitMode == UnitCustomObject && f.CustomObjects == Available {
			// Custom objects mean Enterprise, which allows labels.
			d.AssocMode, d.AssocReason = AssocLabelled, "Enterprise accounts allow custom association labels"
		} else {
			d.AssocMode, d.ProbeLabels = AssocLabelled, true
			d.AssocReason = "HubSpot does not say whether the account allows custom association labels: a live sync tries to create one first and uses HubSpot's default association type (with the lease status as contact properties) if it is refused"
		}
	}
	return d
}

// RequiredScopes lists the scopes a run needs: contacts always; listings
// when properties are synced or units become listings; custom objects when
// units are the custom object.
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

// MissingOf lists the scopes of need that the facts show missing:
// refused by a probe, or absent from token info when it lists scopes.
func (f Facts) MissingOf(need []string) []string {
	var out []string
	for _, s := range need {
		if slices.Contains(f.MissingScopes, s) || (f.ScopesKnown && !f.HasScope(s)) {
			out = append(out, s)
		}
	}
	return out
}

// PriorOf is what a stored account check and the number of units the state
// maps say about earlier runs.
func PriorOf(a state.Account, unitsSynced int) Prior {
	return Prior{UnitMode: a.UnitMode, UnitsSynced: unitsSynced,
		CustomObjects: ParseCapability(a.Learned["custom_objects"]),
		Labels:        ParseCapability(a.Learned["labels"])}
}

// Unit choices a person can force (b2h sync --units).
const (
	UnitsAuto = "auto"
	UnitsList = "listings"
	UnitsObj  = "custom-object"
)

// Force applies a person's choice of unit target to a decision. It refuses
// a choice that would create every synced unit a second time in the other
// form, or that the account cannot take.
func Force(d Decision, f Facts, prior Prior, choice string) (Decision, error) {
	switch choice {
	case "", UnitsAuto:
		return d, nil
	case UnitsList:
		if f.UnitSchema != nil && prior.UnitMode == UnitCustomObject && prior.UnitsSynced > 0 {
			return d, fmt.Errorf("--units listings: earlier runs synced %d units as the custom object \"unit\"; as listings every one would be created a second time (undo those runs first)", prior.UnitsSynced)
		}
		d.UnitMode, d.UnitType, d.ProbeUnitSchema = UnitListing, ObjListings, false
		d.UnitReason = "chosen with --units listings: units become listings with buildium_record_type = unit"
	case UnitsObj:
		if prior.UnitMode == UnitListing && prior.UnitsSynced > 0 {
			return d, fmt.Errorf("--units custom-object: earlier runs synced %d units as listings; as the custom object every one would be created a second time (undo those runs first)", prior.UnitsSynced)
		}
		if f.CustomObjects == Unavailable {
			return d, fmt.Errorf("--units custom-object: this account has no custom objects (HubSpot Enterprise has them)")
		}
		d.UnitMode, d.UnitReason = UnitCustomObject, "chosen with --units custom-object: units are records of the custom object \"unit\""
		d.UnitType, d.ProbeUnitSchema = "", f.UnitSchema == nil
		if f.UnitSchema != nil {
			d.UnitType = f.UnitSchema.ObjectTypeID
		}
	default:
		return d, fmt.Errorf("--units: %q is not auto, listings or custom-object", choice)
	}
	return d, nil
}
