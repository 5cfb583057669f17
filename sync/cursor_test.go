package sync_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"b2h/clients/buildium"
	"b2h/clients/sim"
	"b2h/sync"
	"b2h/sync/mapping"
)

// TestCursorsAdvanceOnlyWithTheRun: an incremental run stopped after its
// tenants stage (before the emergency-contact stage and the association
// pass that derive work from the same tenants) leaves the tenants cursor
// where it was, so the next run reads those tenants again and the new
// emergency contact gets its contact and association. Advancing the cursor
// at the stage's end lost them for good (found by TestCrashIncremental).
func TestCursorsAdvanceOnlyWithTheRun(t *testing.T) {
	h := newHarness(t, sim.Options{Scale: 60, Seed: 21, Tier: "enterprise"})
	if _, _, err := h.run(sync.Options{Mode: sync.Full, Today: fixedNow}); err != nil {
		t.Fatal(err)
	}
	var tenant int32
	for _, tn := range h.env.Buildium.Snapshot().Tenants {
		if tn.EmergencyContact == nil && tenant == 0 {
			tenant = tn.ID
		}
	}
	if tenant == 0 {
		t.Fatal("every tenant has an emergency contact: the test proves nothing")
	}
	email := fmt.Sprintf("new.ec.%d@example.org", tenant)
	if err := h.env.Buildium.UpdateTenant(tenant, func(tn *buildium.Tenant) {
		tn.EmergencyContact = &buildium.EmergencyContact{Name: "Ada Newcontact", Email: email, Phone: "2125550188", RelationshipDescription: "Sister"}
	}); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	rep := sync.ReporterFunc(func(e sync.Event) {
		if d, ok := e.(sync.StageDone); ok && d.Entity == mapping.Tenants {
			cancel() // the process dies here, as far as the run can tell
		}
	})
	// The stopped run is the night's: an hour after the edit (beyond the
	// cursors' 15-minute overlap); the next is the next night's.
	at := func(d time.Duration) func() time.Time { return func() time.Time { return time.Now().Add(d) } }
	if _, err := sync.New(h.bd, h.hs, h.st, rep, sync.Options{Mode: sync.Incremental, Today: fixedNow, Now: at(time.Hour)}).Run(ctx); err == nil {
		t.Fatal("the stopped run reports success")
	}
	if _, _, err := h.run(sync.Options{Mode: sync.Incremental, Today: fixedNow, Now: at(25 * time.Hour)}); err != nil {
		t.Fatal(err)
	}
	var ecID string
	for _, c := range h.readAll("contacts", []string{"email"}) {
		if c.props["email"] == email {
			ecID = c.id
		}
	}
	if ecID == "" {
		t.Fatal("the new emergency contact never reached HubSpot")
	}
	tm, err := h.st.Mapping("tenants", fmt.Sprint(tenant))
	if err != nil {
		t.Fatal(err)
	}
	linked := false
	for _, a := range h.env.HubSpot.Associations("contacts", "contacts") {
		if (a.FromID == tm.HubSpotID && a.ToID == ecID) || (a.FromID == ecID && a.ToID == tm.HubSpotID) {
			linked = true
		}
	}
	if !linked {
		t.Error("the tenant is not associated with its new emergency contact")
	}
}
