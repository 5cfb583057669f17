package sync

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"

	"b2h/clients/hubspot"
	"b2h/state"
	"b2h/sync/mapping"
)

// Difference is one field where HubSpot no longer holds what state says b2h
// wrote (someone edited it, a workflow changed it, or a write was lost).
type Difference struct {
	Entity    mapping.Entity `json:"entity"`
	SourceID  string         `json:"source_id"`
	HubSpotID string         `json:"hubspot_id"`
	Field     string         `json:"field,omitempty"`
	Wrote     string         `json:"wrote,omitempty"`
	HubSpot   string         `json:"hubspot,omitempty"`
	Missing   bool           `json:"missing,omitempty"` // the record is gone from HubSpot
}

// VerifyResult is the outcome of a consistency check.
type VerifyResult struct {
	Checked     map[mapping.Entity]int `json:"checked"`
	Differing   map[mapping.Entity]int `json:"differing"`
	Missing     map[mapping.Entity]int `json:"missing"`
	Differences []Difference           `json:"differences"`
}

// Verify reads back from HubSpot every record state says b2h wrote (one
// batch read per 100) and reports the fields that differ from what was
// written. It writes nothing. At most maxDiffs differences are listed
// (all are counted).
func (e *Engine) Verify(ctx context.Context, maxDiffs int) (VerifyResult, error) {
	res := VerifyResult{Checked: map[mapping.Entity]int{}, Differing: map[mapping.Entity]int{}, Missing: map[mapping.Entity]int{}}
	for _, ent := range []mapping.Entity{mapping.Properties, mapping.Units, mapping.Tenants, mapping.EmergencyContacts} {
		var batch []state.Mapping
		flush := func() error {
			if len(batch) == 0 {
				return nil
			}
			err := e.verifyBatch(ctx, ent, batch, &res, maxDiffs)
			batch = batch[:0]
			return err
		}
		err := e.st.ForEachMapping(state.Kind(ent), func(m state.Mapping) error {
			if m.Extra["merged_into"] != "" {
				return nil // represented by the primary's contact
			}
			batch = append(batch, m)
			if len(batch) == hubspot.MaxBatchInputs {
				return flush()
			}
			return ctx.Err()
		})
		if err == nil {
			err = flush()
		}
		if err != nil {
			return res, err
		}
	}
	return res, nil
}

func (e *Engine) verifyBatch(ctx context.Context, ent mapping.Entity, batch []state.Mapping, res *VerifyResult, maxDiffs int) error {
	byType := map[string][]state.Mapping{}
	for _, m := range batch {
		byType[m.HubSpotType] = append(byType[m.HubSpotType], m)
	}
	for obj, ms := range byType {
		props := map[string]bool{}
		ids := make([]string, len(ms))
		for i, m := range ms {
			ids[i] = m.HubSpotID
			for k := range m.Snapshot {
				if !strings.HasPrefix(k, hsSide) {
					props[k] = true
				}
			}
		}
		out, err := e.hs.BatchRead(ctx, obj, hubspot.ReadRequest{IDs: ids, Properties: slices.Sorted(maps.Keys(props))})
		if err != nil {
			return fmt.Errorf("read %s back from HubSpot: %w", ent, err)
		}
		got := map[string]hubspot.Object{}
		for _, o := range out.Results {
			got[o.ID] = o
		}
		for _, m := range ms {
			res.Checked[ent]++
			o, ok := got[m.HubSpotID]
			if !ok {
				res.Missing[ent]++
				if len(res.Differences) < maxDiffs {
					res.Differences = append(res.Differences, Difference{Entity: ent, SourceID: m.SourceID, HubSpotID: m.HubSpotID, Missing: true})
				}
				continue
			}
			differs := false
			for _, f := range slices.Sorted(maps.Keys(m.Snapshot)) {
				if strings.HasPrefix(f, hsSide) {
					continue
				}
				want := m.Snapshot[f]
				if v, ok := m.Snapshot[hsSide+f]; ok {
					want = v // b2h knowingly left HubSpot's value
				}
				if !sameValue(o.Prop(f), want) {
					differs = true
					if len(res.Differences) < maxDiffs {
						res.Differences = append(res.Differences, Difference{Entity: ent, SourceID: m.SourceID, HubSpotID: m.HubSpotID,
							Field: f, Wrote: want, HubSpot: o.Prop(f)})
					}
				}
			}
			if differs {
				res.Differing[ent]++
			}
		}
	}
	return nil
}
