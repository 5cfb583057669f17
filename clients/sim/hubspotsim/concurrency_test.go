package hubspotsim

import (
	"fmt"
	"sync"
	"testing"
)

func TestConcurrentUpsertsNeverDuplicate(t *testing.T) {
	h := tenantHarness(t)
	const workers, rounds, keys = 8, 5, 60
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for r := 0; r < rounds; r++ {
				var in []map[string]any
				for k := 0; k < keys; k++ {
					if (k+w+r)%3 == 0 {
						in = append(in, upsertInput(fmt.Sprintf("T%d", k), props{"firstname": fmt.Sprintf("w%d", w)}, fmt.Sprintf("%d-%d-%d", w, r, k)))
					}
				}
				res := h.do("POST", "/crm/v3/objects/contacts/batch/upsert", inputs(in...))
				if res.status != 200 {
					t.Errorf("worker %d: %d %s", w, res.status, res.raw)
				}
				h.do("POST", "/crm/v3/objects/contacts/search", map[string]any{"limit": 5})
				h.do("GET", "/crm/v3/objects/contacts?limit=5", nil)
			}
		}(w)
	}
	wg.Wait()
	objs := h.s.Objects("contacts")
	seen := map[string]bool{}
	for _, o := range objs {
		k := o.Properties["buildium_tenant_id"]
		if seen[k] {
			t.Errorf("two contacts for %s", k)
		}
		seen[k] = true
	}
	if len(objs) != keys {
		t.Errorf("%d contacts, want %d", len(objs), keys)
	}
}
