package sync_test

import (
	"strconv"
	"strings"
	"testing"

	"b2h/clients/sim"
	"b2h/state"
	"b2h/sync"
)

// TestAuditTrailSaysWhoWhatWhenWhere: every job records who ran it, what
// it was (mode, scope, dry run), when it started and finished, and against
// which accounts (Buildium host, HubSpot portal); every record it wrote has
// an audit entry with its time and action; the undo of a job is itself a
// job naming the job it undid (issue 9, "the audit trail records who ran
// what, when, against which accounts").
func TestAuditTrailSaysWhoWhatWhenWhere(t *testing.T) {
	h := newHarness(t, sim.Options{Scale: 30, Seed: 4, Tier: "enterprise"})
	sum, _, err := h.run(sync.Options{Mode: sync.Full, Today: fixedNow, BuildiumHost: "api.buildium.com"})
	if err != nil {
		t.Fatal(err)
	}
	job, err := h.st.Job(sum.JobID)
	if err != nil {
		t.Fatal(err)
	}
	checkJobAccountable(t, job)
	if job.Mode != string(sync.Full) || job.DryRun || job.BuildiumHost != "api.buildium.com" {
		t.Errorf("job %+v: mode, dry run or Buildium host not recorded", job)
	}
	if want := h.env.HubSpot.PortalID(); !strings.Contains(job.HubSpotPortal, strconv.Itoa(want)) {
		t.Errorf("job HubSpot portal %q, want %d", job.HubSpotPortal, want)
	}
	entries, writes := 0, 0
	if err := h.st.Audit(job.ID, func(e state.AuditEntry) error {
		entries++
		if e.JobID != job.ID || e.Time.IsZero() || e.Action == "" || e.Kind == "" || e.SourceID == "" {
			t.Errorf("audit entry without who/what/when: %+v", e)
		}
		if e.Action == state.ActionCreate || e.Action == state.ActionUpdate {
			writes++
			if e.HubSpotID == "" {
				t.Errorf("audit entry of a write without its HubSpot id: %+v", e)
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	var counted int
	for _, c := range sum.Entities {
		counted += c.Created + c.Updated
	}
	if writes == 0 || writes < counted-sum.Entities["leases"].Created-sum.Entities["leases"].Updated {
		t.Errorf("%d audit entries (%d writes) for %d records written", entries, writes, counted)
	}

	rep, _, err := h.undo(job.ID, false)
	if err != nil {
		t.Fatal(err)
	}
	undo, err := h.st.Job(rep.JobID)
	if err != nil {
		t.Fatal(err)
	}
	checkJobAccountable(t, undo)
	if undo.UndoOf != job.ID {
		t.Errorf("undo job %s: undo_of %q, want %s", undo.ID, undo.UndoOf, job.ID)
	}
}

func checkJobAccountable(t *testing.T, j state.Job) {
	t.Helper()
	if j.Operator == "" || j.Operator == "unknown" {
		t.Errorf("job %s: operator %q", j.ID, j.Operator)
	}
	if j.StartedAt.IsZero() || j.FinishedAt.Before(j.StartedAt) || j.Status == "" {
		t.Errorf("job %s: started %v, finished %v, status %q", j.ID, j.StartedAt, j.FinishedAt, j.Status)
	}
}
