package hubspotsim

import (
	"math/rand/v2"
	"strings"
)

// batchConflict is, with VariantBatch409 on a contact write, the 409 of the
// first input whose email (or additional email) another contact holds: it
// answers for the whole request, nothing of which is written.
func (w *writeCtx) batchConflict(plans []*plan) *failure {
	if !w.s.Has(VariantBatch409) || w.t.kind != kindContact {
		return nil
	}
	for _, pl := range plans {
		if f := pl.fail; f != nil && f.status == 409 && strings.HasPrefix(f.body.Message, "Contact already exists.") {
			return f
		}
	}
	return nil
}

// withoutEcho strips what HubSpot does not promise to echo from batch write
// results (VariantNoEcho): the trace id and every property but the system
// ones, and shuffles their order.
func (t *objType) withoutEcho(results []objectJSON) []objectJSON {
	system := make(map[string]bool, len(t.always))
	for _, p := range t.always {
		system[p.name] = true
	}
	for i := range results {
		o := &results[i]
		o.ObjectWriteTraceID = ""
		kept := make(propValues, 0, len(t.always))
		for _, pv := range o.Properties {
			if system[pv.name] {
				kept = append(kept, pv)
			}
		}
		o.Properties = kept
	}
	rand.Shuffle(len(results), func(i, j int) { results[i], results[j] = results[j], results[i] })
	return results
}
