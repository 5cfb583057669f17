package sync

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"b2h/clients/hubspot"
	"b2h/sync/mapping"
	"b2h/sync/schema"
)

// labelPair is one object pair whose associations b2h labels.
type labelPair struct {
	from, to string
	labels   []string
	inverse  string
}

// labelPairs lists the labels the run needs: none unless the association
// pass runs.
func (e *Engine) labelPairs() []labelPair {
	if !e.want(mapping.Leases) {
		return nil
	}
	pairs := []labelPair{{objContacts, e.acct.UnitType, tenantLabels, ""}}
	if e.want(mapping.EmergencyContacts) {
		pairs = append(pairs, labelPair{objContacts, objContacts, []string{LabelEmergencyContact}, "Emergency contact for"})
	}
	return pairs
}

// labelRefused reports whether HubSpot refused to create a label because
// the account may not have custom labels (403 other than a missing scope,
// or a 400 such as a label limit of 0).
func labelRefused(err error) bool {
	var ae *hubspot.APIError
	if !errors.As(err, &ae) {
		return false
	}
	if _, scopes := hubspot.IsMissingScopes(err); scopes {
		return false
	}
	return ae.StatusCode == 403 || ae.StatusCode == 400
}

// probeLabels settles, when HubSpot did not say, whether the account may
// create custom labels, by creating the first one b2h needs. It runs before
// any other schema change, so a refusal leaves nothing half-built: the run
// then associates with HubSpot's default type.
func (e *Engine) probeLabels(ctx context.Context) error {
	a := e.acct
	if !a.dec.ProbeLabels || e.opt.DryRun || !e.want(mapping.Leases) {
		return nil
	}
	// The contact ↔ contact pair exists on every account, before any unit
	// schema does.
	label, inverse := LabelEmergencyContact, "Emergency contact for"
	t, err := e.ensureLabel(ctx, objContacts, objContacts, label, inverse)
	switch {
	case err == nil:
		a.labels[labelKey(objContacts, objContacts, label)] = hubspot.AssociationTypeRef{Category: t.Category, TypeID: t.TypeID}
		a.facts.Labels, a.facts.LabelsWhy = schema.Available, "HubSpot accepted a custom association label"
	case labelRefused(err):
		a.facts.Labels = schema.Unavailable
		a.facts.LabelsWhy = "HubSpot refused a custom association label (" + strings.TrimPrefix(err.Error(), "hubspot: ") + ")"
		if a.facts.CustomObjects == schema.Unknown {
			a.facts.CustomObjects = schema.Unavailable // custom objects need Enterprise, which allows labels
		}
	default:
		return explainHubSpot(err, "create the association label \""+label+"\"")
	}
	prior, err := Prior(e.st)
	if err != nil {
		return err
	}
	d, err := schema.Force(schema.Decide(a.facts, prior), a.facts, prior, e.opt.Units)
	if err != nil {
		return configErr("%v", err)
	}
	a.setDecision(d)
	e.rep.Report(e.accountEvent(a))
	return nil
}

// ensureLabels finds the association labels by name, creating the missing
// ones, and records their type ids. Without label support it does nothing:
// associations use HubSpot's default type.
func (e *Engine) ensureLabels(ctx context.Context) error {
	if !e.acct.labelled() {
		return nil
	}
	for _, p := range e.labelPairs() {
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
			if ok {
				e.acct.existed++
			} else {
				e.acct.created = append(e.acct.created, "association label \""+l+"\"")
				if e.opt.DryRun {
					e.planReqs++
					continue
				}
				if t, err = e.ensureLabel(ctx, p.from, p.to, l, p.inverse); err != nil {
					return explainHubSpot(err, "create the association label \""+l+"\"")
				}
			}
			e.acct.labels[labelKey(p.from, p.to, l)] = hubspot.AssociationTypeRef{Category: t.Category, TypeID: t.TypeID}
		}
	}
	return nil
}

// ensureLabel finds the label on the pair or creates it, and returns its
// type as HubSpot lists it.
func (e *Engine) ensureLabel(ctx context.Context, from, to, label, inverse string) (hubspot.AssociationType, error) {
	have, err := e.hs.ListAssociationLabels(ctx, from, to)
	if err != nil {
		return hubspot.AssociationType{}, err
	}
	if t, ok := findLabel(have, label); ok {
		return t, nil
	}
	var t hubspot.AssociationType
	found := false
	if err := ensure(ctx, func() (bool, error) {
		var err error
		if have, err = e.hs.ListAssociationLabels(ctx, from, to); err != nil {
			return false, err
		}
		t, found = findLabel(have, label)
		return found, nil
	}, func() error {
		_, err := e.hs.CreateAssociationLabel(ctx, from, to, label, labelName(label), inverse)
		return err
	}); err != nil {
		return hubspot.AssociationType{}, err
	}
	if !found { // created on the first try: read its type id back
		if have, err = e.hs.ListAssociationLabels(ctx, from, to); err != nil {
			return hubspot.AssociationType{}, err
		}
		if t, found = findLabel(have, label); !found {
			return hubspot.AssociationType{}, fmt.Errorf("HubSpot created the association label %q but does not list it", label)
		}
	}
	return t, nil
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
