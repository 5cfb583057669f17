package sync_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"b2h/clients/sim"
	"b2h/state"
	"b2h/sync"
	"b2h/sync/mapping"
)

// undo runs sync.Undo over the harness and collects the items.
func (h *harness) undo(jobID string, dry bool) (sync.UndoReport, []sync.UndoItem, error) {
	h.t.Helper()
	var items []sync.UndoItem
	rep, err := sync.Undo(context.Background(), h.hs, h.st, sync.UndoOptions{JobID: jobID, DryRun: dry,
		OnItem: func(it sync.UndoItem) { items = append(items, it) }})
	return rep, items, err
}

// liveRecords counts the records in HubSpot that are not archived, across
// contacts, listings and the custom objects (read through the simulator's
// inspection API: listing them over HTTP would page at the client's pace).
func (h *harness) liveRecords() int {
	h.t.Helper()
	types := []string{"contacts", "0-420"}
	if acct, err := h.st.Account(); err == nil && strings.HasPrefix(acct.UnitObjectType, "2-") {
		types = append(types, acct.UnitObjectType)
	}
	n := 0
	for _, ty := range types {
		for _, o := range h.env.HubSpot.Objects(ty) {
			if !o.Archived {
				n++
			}
		}
	}
	return n
}

// associationCount counts the associations between the account's b2h types.
func (h *harness) associationCount() int {
	h.t.Helper()
	acct, err := h.st.Account()
	if err != nil {
		h.t.Fatal(err)
	}
	n := 0
	for _, p := range [][2]string{{"contacts", acct.UnitObjectType}, {"contacts", "contacts"}, {acct.UnitObjectType, "0-420"}} {
		n += len(h.env.HubSpot.Associations(p[0], p[1]))
	}
	return n
}

// TestUndoFullSyncEmptiesTheAccount: a full sync, then its undo (plan
// first) archives every record and association the sync made, forgets
// their mappings, reports the schema it leaves, and rewinds the cursors so
// the next incremental sync writes everything again. A second undo is a
// no-op.
func TestUndoFullSyncEmptiesTheAccount(t *testing.T) {
	for _, tier := range []string{"enterprise", "professional"} {
		t.Run(tier, func(t *testing.T) {
			h := newHarness(t, sim.Options{Scale: 120, Seed: 5, Tier: tier})
			sum, _, err := h.run(sync.Options{Mode: sync.Full, Today: fixedNow})
			if err != nil {
				t.Fatal(err)
			}
			created := h.liveRecords()
			if created == 0 || h.associationCount() == 0 {
				t.Fatalf("the sync made %d records, %d associations", created, h.associationCount())
			}

			writes := h.env.HubSpot.Stats().Writes
			jobs, _ := h.st.Jobs(0)
			plan, planned, err := h.undo(sum.JobID, true)
			if err != nil {
				t.Fatal(err)
			}
			if w := h.env.HubSpot.Stats().Writes - writes; w != 0 {
				t.Errorf("the undo plan sent %d HubSpot writes", w)
			}
			if after, _ := h.st.Jobs(0); len(after) != len(jobs) {
				t.Errorf("the undo plan recorded a job")
			}
			if plan.Kept+plan.Errored != 0 || plan.Reversed != len(planned) || plan.Changes != plan.Reversed || plan.Reversed < created {
				t.Fatalf("plan: %+v for %d records", plan, created)
			}

			rep, items, err := h.undo(sum.JobID, false)
			if err != nil {
				t.Fatal(err)
			}
			if rep.Kept+rep.Errored != 0 || rep.Reversed != plan.Reversed || len(items) != len(planned) {
				t.Fatalf("undo: %+v (plan %+v)", rep, plan)
			}
			if n := h.liveRecords(); n != 0 {
				t.Errorf("%d records left in HubSpot after undo", n)
			}
			if n := h.associationCount(); n != 0 {
				t.Errorf("%d associations left in HubSpot after undo", n)
			}
			if n, _ := h.st.CountMappings(""); n != 0 {
				t.Errorf("%d mappings left in state", n)
			}
			if len(rep.SchemaKept) == 0 || !strings.Contains(strings.Join(rep.SchemaKept, ";"), "buildium_*") {
				t.Errorf("schema note %q", rep.SchemaKept)
			}
			if !slices.Contains(rep.Rewound, state.KindTenants) {
				t.Errorf("tenants cursor not rewound: %v", rep.Rewound)
			}
			j, err := h.st.Job(rep.JobID)
			if err != nil || j.Mode != state.ModeUndo || j.UndoOf != sum.JobID || j.Status != sync.StatusDone {
				t.Errorf("undo job %+v (%v)", j, err)
			}

			// Again: nothing left to do, nothing written.
			writes = h.env.HubSpot.Stats().Writes
			again, _, err := h.undo(sum.JobID, false)
			if err != nil || again.Kept+again.Errored+again.Changes != 0 || len(again.PriorUndos) != 1 {
				t.Fatalf("second undo: %+v, %v", again, err)
			}
			if w := h.env.HubSpot.Stats().Writes - writes; w != 0 {
				t.Errorf("second undo sent %d writes", w)
			}

			// The next incremental sync brings everything back (nothing is
			// silently dropped because its Buildium record did not change).
			// Once is enough: the rewound cursor reads 27 yearly windows.
			if tier != "enterprise" {
				return
			}
			if _, _, err := h.run(sync.Options{Mode: sync.Incremental, Today: fixedNow}); err != nil {
				t.Fatal(err)
			}
			if n := h.liveRecords(); n != created {
				t.Errorf("incremental after undo: %d records, want %d", n, created)
			}
		})
	}
}

// TestUndoIncrementalRestoresPreviousValues: after a full sync and an
// incremental sync a year later of a 5 % mutation, undoing the incremental
// run puts HubSpot back exactly as the full sync left it: values, records,
// associations and their labels.
func TestUndoIncrementalRestoresPreviousValues(t *testing.T) {
	h := newHarness(t, sim.Options{Scale: 300, Seed: 21, Tier: "enterprise"})
	if _, _, err := h.run(sync.Options{Mode: sync.Full, Today: fixedNow}); err != nil {
		t.Fatal(err)
	}
	before := hubspotContents(t, h)
	h.env.Buildium.Mutate(0.05, 99)
	// A year later: leases end and start, so labels and unit lease fields move too.
	inc, _, err := h.run(sync.Options{Mode: sync.Incremental, Today: func() time.Time { return fixedNow().AddDate(1, 0, 0) }})
	if err != nil {
		t.Fatal(err)
	}
	if c := inc.Entities[mapping.Tenants]; c.Updated == 0 {
		t.Fatalf("the incremental run updated no tenant: %+v", inc.Entities)
	}
	rep, items, err := h.undo(inc.JobID, false)
	if err != nil {
		t.Fatal(err)
	}
	did := map[string]int{}
	for _, it := range items {
		did[it.Undo]++
		if it.Outcome != sync.UndoReversed {
			t.Errorf("%s %s %s: %s (%s)", it.Undo, it.Kind, it.SourceID, it.Outcome, it.Reason)
		}
	}
	t.Logf("undo: %+v by action %v", rep, did)
	for _, a := range []string{sync.UndoRestore, sync.UndoArchive, sync.UndoRelabel, sync.UndoUnassociate, sync.UndoReassociate} {
		if did[a] == 0 {
			t.Errorf("no %s in the undo (%v): the test does not cover it", a, did)
		}
	}
	after := hubspotContents(t, h)
	for k := range before {
		if !after[k] {
			t.Errorf("missing after undo: %s", k)
		}
	}
	for k := range after {
		if !before[k] {
			t.Errorf("extra after undo: %s", k)
		}
	}
}

// TestUndoKeepsLaterEdits: a value a person edits in HubSpot after the job
// is kept and reported, for a record the job created (not archived) and for
// a field the job updated (not restored, while the record's other fields
// are).
func TestUndoKeepsLaterEdits(t *testing.T) {
	h := newHarness(t, sim.Options{Scale: 150, Seed: 8, Tier: "professional"})
	full, _, err := h.run(sync.Options{Mode: sync.Full, Today: fixedNow})
	if err != nil {
		t.Fatal(err)
	}
	contacts := h.readAll("contacts", []string{mapping.KeyTenant, "firstname"})
	edited := contacts[0]
	if err := h.env.HubSpot.EditObject("contacts", edited.id, map[string]string{"firstname": "Edited By A Person"}); err != nil {
		t.Fatal(err)
	}
	rep, items, err := h.undo(full.JobID, true)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Kept != 1 {
		t.Fatalf("plan kept %d, want 1 (%+v)", rep.Kept, rep)
	}
	it := items[slices.IndexFunc(items, func(it sync.UndoItem) bool { return it.Outcome == sync.UndoKept })]
	if it.HubSpotID != edited.id || !slices.Equal(it.KeptFields, []string{"firstname"}) || !strings.Contains(it.Reason, "edited in HubSpot") {
		t.Errorf("kept item %+v", it)
	}

	// An update: the incremental run changes a tenant; a person then edits
	// one of the fields it changed.
	h.env.Buildium.Mutate(0.1, 3)
	inc, _, err := h.run(sync.Options{Mode: sync.Incremental, Today: fixedNow})
	if err != nil {
		t.Fatal(err)
	}
	var target state.AuditEntry
	_ = h.st.Audit(inc.JobID, func(a state.AuditEntry) error {
		if target.HubSpotID == "" && a.Action == "update" && a.Kind == state.KindTenants && len(a.Changes) >= 2 && a.HubSpotID != edited.id {
			target = a
		}
		return nil
	})
	if target.HubSpotID == "" {
		t.Fatal("the incremental run updated no tenant in two fields")
	}
	field := target.Changes[0].Field
	if err := h.env.HubSpot.EditObject("contacts", target.HubSpotID, map[string]string{field: "Person Edit"}); err != nil {
		t.Fatal(err)
	}
	rep, items, err = h.undo(inc.JobID, false)
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(items, func(it sync.UndoItem) bool { return it.HubSpotID == target.HubSpotID && it.Kind == state.KindTenants })
	if i < 0 {
		t.Fatal("no item for the edited tenant")
	}
	got := items[i]
	if got.Outcome != sync.UndoKept || !slices.Equal(got.KeptFields, []string{field}) || len(got.Fields) != len(target.Changes)-1 {
		t.Errorf("edited tenant: %+v (changes %d)", got, len(target.Changes))
	}
	now := h.readAll("contacts", []string{field, target.Changes[1].Field})
	for _, c := range now {
		if c.id == target.HubSpotID {
			if c.props[field] != "Person Edit" {
				t.Errorf("the person's edit was overwritten: %q", c.props[field])
			}
			if ch := target.Changes[1]; c.props[ch.Field] != ch.Old {
				t.Errorf("%s = %q, want the restored %q", ch.Field, c.props[ch.Field], ch.Old)
			}
		}
	}
	if rep.Status != sync.StatusDoneWithErrors {
		t.Errorf("status %s, want %s", rep.Status, sync.StatusDoneWithErrors)
	}
}

// TestUndoEarlierJobRespectsLaterJob: undoing a full sync after an
// incremental one keeps the records the later job changed ("changed by the
// later job"); once the later job is undone too, undoing the full sync
// again archives them, leaving the account empty.
func TestUndoEarlierJobRespectsLaterJob(t *testing.T) {
	h := newHarness(t, sim.Options{Scale: 150, Seed: 12, Tier: "professional"})
	full, _, err := h.run(sync.Options{Mode: sync.Full, Today: fixedNow})
	if err != nil {
		t.Fatal(err)
	}
	h.env.Buildium.Mutate(0.1, 5)
	inc, _, err := h.run(sync.Options{Mode: sync.Incremental, Today: fixedNow})
	if err != nil {
		t.Fatal(err)
	}
	rep, items, err := h.undo(full.JobID, false)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Kept == 0 {
		t.Fatalf("nothing kept although job %s changed records: %+v", inc.JobID, rep)
	}
	for _, it := range items {
		if it.Outcome == sync.UndoKept && it.Kind != "associations" && !strings.Contains(it.Reason, "later job "+inc.JobID) {
			t.Errorf("kept %s %s: %q, want it attributed to %s", it.Kind, it.SourceID, it.Reason, inc.JobID)
		}
	}
	if ub, _, err := h.undo(inc.JobID, false); err != nil || ub.Kept+ub.Errored != 0 {
		t.Fatalf("undo of the later job: %+v, %v", ub, err)
	}
	final, _, err := h.undo(full.JobID, false)
	if err != nil {
		t.Fatal(err)
	}
	if final.Kept+final.Errored != 0 {
		t.Errorf("third undo: %+v", final)
	}
	if n := h.liveRecords(); n != 0 {
		t.Errorf("%d records left", n)
	}
}

// crashStore fails every Commit after the first n, like a process killed
// between a HubSpot write and its state commit.
type crashStore struct {
	*state.Store
	n int
}

func (c *crashStore) Commit(b state.Batch) error {
	if c.n <= 0 {
		return errors.New("simulated crash")
	}
	c.n--
	return c.Store.Commit(b)
}

// TestUndoResumesAfterCrash: an undo that dies between HubSpot writes and
// their state commits, run again, converges: an empty account and state.
func TestUndoResumesAfterCrash(t *testing.T) {
	h := newHarness(t, sim.Options{Scale: 150, Seed: 9, Tier: "enterprise"})
	full, _, err := h.run(sync.Options{Mode: sync.Full, Today: fixedNow})
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range []int{0, 2} {
		cs := &crashStore{Store: h.st, n: n}
		if _, err := sync.Undo(context.Background(), h.hs, cs, sync.UndoOptions{JobID: full.JobID}); err == nil {
			t.Fatalf("crash after %d commits: no error", n)
		}
	}
	h.connect() // a new process
	rep, _, err := h.undo(full.JobID, false)
	if err != nil || rep.Kept+rep.Errored != 0 {
		t.Fatalf("resumed undo: %+v, %v", rep, err)
	}
	if len(rep.PriorUndos) != 2 {
		t.Errorf("prior undos %v", rep.PriorUndos)
	}
	for _, id := range rep.PriorUndos {
		if j, _ := h.st.Job(id); j.Status != sync.StatusFailed {
			t.Errorf("interrupted undo %s has status %s", id, j.Status)
		}
	}
	if n := h.liveRecords(); n != 0 {
		t.Errorf("%d records left", n)
	}
	if n := h.associationCount(); n != 0 {
		t.Errorf("%d associations left", n)
	}
	if n, _ := h.st.CountMappings(""); n != 0 {
		t.Errorf("%d mappings left", n)
	}
}

// TestUndoRefuses: unknown jobs, dry runs and undo jobs cannot be undone.
func TestUndoRefuses(t *testing.T) {
	h := newHarness(t, sim.Options{Scale: 20, Seed: 1, Tier: "professional"})
	dry, _, err := h.run(sync.Options{Mode: sync.Full, DryRun: true, Today: fixedNow})
	if err != nil {
		t.Fatal(err)
	}
	full, _, err := h.run(sync.Options{Mode: sync.Full, Today: fixedNow})
	if err != nil {
		t.Fatal(err)
	}
	u, _, err := h.undo(full.JobID, false)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ name, id, want string }{
		{"unknown", "20990101-000000-0001", "no such job"},
		{"dry run", dry.JobID, "dry run"},
		{"undo", u.JobID, "undo itself"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := h.undo(tc.id, false)
			var re *sync.UndoRefusedError
			if !errors.As(err, &re) || !strings.Contains(re.Reason, tc.want) {
				t.Errorf("err %v, want a refusal mentioning %q", err, tc.want)
			}
		})
	}
}

// TestUndoRestoresAdoptedContacts: a contact b2h adopted (it existed before
// b2h) is never archived by undo; the values the adoption replaced come back,
// the Buildium key included, and b2h forgets the tenant's mapping. The next
// sync creates no second contact for the email: it asks a person again.
func TestUndoRestoresAdoptedContacts(t *testing.T) {
	h := newHarness(t, sim.Options{Scale: 30, Seed: 6, Tier: "professional"})
	var tenant, email string
	for _, tn := range h.env.Buildium.Snapshot().Tenants {
		if e := mapping.NormalizeEmail(tn.Email); strings.Contains(e, "@") && tenant == "" {
			tenant, email = fmt.Sprint(tn.ID), e
		}
	}
	existing := h.env.HubSpot.SeedContact(map[string]string{"email": email, "firstname": "Already", "lastname": "There"})
	if _, _, err := h.run(sync.Options{Mode: sync.Full, Today: fixedNow}); err != nil {
		t.Fatal(err)
	}
	xid := sync.ExistingID(mapping.Tenants, tenant)
	if err := h.st.PutDecision(state.Decision{ID: xid, Type: "duplicate", Resolution: sync.DupAdopt,
		Fields: map[string]string{"existing_contact_id": existing}, DecidedBy: "test"}); err != nil {
		t.Fatal(err)
	}
	adopting, _, err := h.run(sync.Options{Mode: sync.Full, Today: fixedNow})
	if err != nil {
		t.Fatal(err)
	}
	contact := func() map[string]string {
		for _, c := range h.readAll("contacts", []string{"firstname", "lastname", "email", mapping.KeyTenant}) {
			if c.id == existing {
				return c.props
			}
		}
		return nil
	}
	if c := contact(); c[mapping.KeyTenant] != tenant || c["firstname"] == "Already" {
		t.Fatalf("the adoption did not land: %v", c)
	}
	rep, items, err := h.undo(adopting.JobID, false)
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(items, func(it sync.UndoItem) bool { return it.HubSpotID == existing })
	if i < 0 || items[i].Outcome != sync.UndoReversed || !strings.Contains(items[i].Reason, "did not create it") {
		t.Fatalf("adopted contact: %+v (report %+v)", items, rep)
	}
	c := contact()
	if c == nil {
		t.Fatal("undo archived a contact b2h did not create")
	}
	if c["firstname"] != "Already" || c["lastname"] != "There" || c[mapping.KeyTenant] != "" || c["email"] != email {
		t.Errorf("after undo the contact holds %v, want its values from before the adoption", c)
	}
	if _, err := h.st.Mapping(state.Kind(mapping.Tenants), tenant); err == nil {
		t.Error("the tenant is still mapped to the contact b2h gave back")
	}
	if _, _, err := h.run(sync.Options{Mode: sync.Full, Today: fixedNow}); err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, c := range h.readAll("contacts", []string{"email"}) {
		if c.props["email"] == email {
			n++
		}
	}
	if n != 1 {
		t.Errorf("%d contacts hold the email after undo and a sync, want 1", n)
	}
	if _, err := h.st.ReviewItem(xid); err != nil {
		t.Errorf("the collision is not back in the review queue: %v", err)
	}
}
