package sync

import (
	"context"
	"encoding/json"
	"maps"
	"slices"

	"b2h/clients/hubspot"
	"b2h/state"
	"b2h/sync/mapping"
)

// DuplicateMember is one record of a duplicate review item: the values b2h
// would write for it.
type DuplicateMember struct {
	SourceID   string            `json:"source_id"`
	Name       string            `json:"name"`
	Properties map[string]string `json:"properties"`
}

// DuplicatePayload is what a duplicate review item carries for the review
// screen (stored encrypted): the members of a group side by side, or, for a
// record whose email is a HubSpot contact's that b2h did not create, the
// record and that contact's current values.
type DuplicatePayload struct {
	Entity            mapping.Entity    `json:"entity"`
	Reason            string            `json:"reason,omitempty"`
	Members           []DuplicateMember `json:"members"`
	ExistingContactID string            `json:"existing_contact_id,omitempty"`
	// HubSpot holds the existing contact's values of the properties b2h
	// maps (existing-contact items only; empty when it could not be read).
	HubSpot map[string]string `json:"hubspot,omitempty"`
}

// groupPayloads builds the payload of each held duplicate group from its
// members' mapped records.
func (e *Engine) groupPayloads(ent mapping.Entity, held []heldTenant) map[string][]byte {
	byGroup := map[string]*DuplicatePayload{}
	for _, h := range held {
		if h.act != ActDuplicate || h.existing {
			continue
		}
		p := byGroup[h.group]
		if p == nil {
			p = &DuplicatePayload{Entity: ent, Reason: e.idx.dupes.reason[h.group]}
			byGroup[h.group] = p
		}
		p.Members = append(p.Members, DuplicateMember{SourceID: h.rec.SourceID, Name: h.name, Properties: maps.Clone(h.rec.Properties)})
	}
	out := make(map[string][]byte, len(byGroup))
	for g, p := range byGroup {
		slices.SortFunc(p.Members, func(a, b DuplicateMember) int { return cmpID(a.SourceID, b.SourceID) })
		out[g], _ = json.Marshal(p)
	}
	return out
}

// cmpID orders Buildium ids numerically (shorter first), then as text.
func cmpID(a, b string) int {
	if len(a) != len(b) {
		return len(a) - len(b)
	}
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// existingPayload is the payload of an existing-contact review item before
// HubSpot's side is read.
func existingPayload(ent mapping.Entity, it item, existing string) []byte {
	p := DuplicatePayload{Entity: ent, ExistingContactID: existing,
		Members: []DuplicateMember{{SourceID: it.rec.SourceID, Name: it.name, Properties: maps.Clone(it.rec.Properties)}}}
	raw, _ := json.Marshal(p)
	return raw
}

// fillExisting reads, in one batch, the HubSpot contacts that the review
// items at idx collided with, and adds their current values to the items'
// payloads so a person sees both sides. A failed read leaves the payloads
// without HubSpot's side (the item stays decidable by id).
func (l *loader) fillExisting(ctx context.Context, review []state.ReviewItem, idx []int) {
	if len(idx) == 0 || l.e.opt.DryRun {
		return
	}
	payloads := make([]DuplicatePayload, len(idx))
	var ids []string
	props := map[string]bool{}
	for i, j := range idx {
		if json.Unmarshal(review[j].Payload, &payloads[i]) != nil {
			continue
		}
		ids = append(ids, payloads[i].ExistingContactID)
		for _, m := range payloads[i].Members {
			for k := range m.Properties {
				props[k] = true
			}
		}
	}
	res, err := l.e.hs.BatchRead(ctx, objContacts, hubspot.ReadRequest{IDs: slices.Compact(slices.Sorted(slices.Values(ids))),
		Properties: slices.Sorted(maps.Keys(props))})
	if err != nil || res == nil {
		return
	}
	byID := make(map[string]hubspot.Object, len(res.Results))
	for _, o := range res.Results {
		byID[o.ID] = o
	}
	for i, j := range idx {
		o, ok := byID[payloads[i].ExistingContactID]
		if !ok {
			continue
		}
		payloads[i].HubSpot = map[string]string{}
		for k, v := range o.Properties {
			if v != nil && props[k] {
				payloads[i].HubSpot[k] = *v
			}
		}
		review[j].Payload, _ = json.Marshal(payloads[i])
	}
}
