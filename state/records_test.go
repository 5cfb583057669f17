package state

import (
	"errors"
	"fmt"
	"reflect"
	"regexp"
	"testing"
	"time"
)

func TestJobsRoundTrip(t *testing.T) {
	s, keys := testStore(t)
	clock := &fixedClock{t: time.Date(2026, 11, 27, 0, 21, 53, 0, time.UTC)}
	s.clock = clock.now

	full := Job{Mode: ModeFull, Operator: "ana", BuildiumHost: "api.buildium.com", HubSpotPortal: "123",
		Scope: Scope{Only: []string{"tenants"}, PropertyIDs: []int32{7, 9}}}
	if err := s.CreateJob(&full); err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`^20261127-002153-[0-9a-f]{4}$`).MatchString(full.ID) {
		t.Errorf("job id %q does not have the sortable time-based form", full.ID)
	}
	inc := Job{Mode: ModeIncremental, DryRun: true}
	if err := s.CreateJob(&inc); err != nil { // same second: must still sort after
		t.Fatal(err)
	}
	if inc.ID <= full.ID {
		t.Errorf("ids do not sort by creation: %s then %s", full.ID, inc.ID)
	}
	if err := s.CreateJob(&Job{ID: full.ID, Mode: ModeFull}); err == nil {
		t.Error("CreateJob with an existing id succeeded")
	}

	finished := clock.t.Add(time.Minute)
	err := s.UpdateJob(full.ID, func(j *Job) error {
		j.Status, j.FinishedAt, j.Error = StatusDoneWithErrors, finished, "2 records failed"
		j.Metrics = map[string]float64{"hubspot_requests": 42}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	boom := errors.New("boom")
	if err := s.UpdateJob(full.ID, func(j *Job) error { j.Status = StatusFailed; return boom }); !errors.Is(err, boom) {
		t.Fatalf("UpdateJob fn error = %v", err)
	}
	if err := s.UpdateJob("nope", func(*Job) error { return nil }); !errors.Is(err, ErrNotFound) {
		t.Errorf("UpdateJob of a missing job = %v", err)
	}

	s = reopen(t, s, keys)
	got, err := s.Job(full.ID)
	if err != nil {
		t.Fatal(err)
	}
	want := full
	want.Status, want.FinishedAt, want.Error = StatusDoneWithErrors, finished, "2 records failed"
	want.Metrics = map[string]float64{"hubspot_requests": 42}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Job round trip:\n got %+v\nwant %+v", got, want)
	}
	jobs, err := s.Jobs(0)
	if err != nil || len(jobs) != 2 || jobs[0].ID != inc.ID || jobs[1].ID != full.ID {
		t.Errorf("Jobs(0) = %v, %v; want newest first", jobs, err)
	}
	if jobs, _ := s.Jobs(1); len(jobs) != 1 {
		t.Errorf("Jobs(1) returned %d", len(jobs))
	}
	if j, err := s.LastJob(ModeFull); err != nil || j.ID != full.ID {
		t.Errorf("LastJob(full) = %s, %v", j.ID, err)
	}
	if j, err := s.LastJob(""); err != nil || j.ID != inc.ID {
		t.Errorf("LastJob(\"\") = %s, %v", j.ID, err)
	}
	if _, err := s.LastJob(ModeUndo); !errors.Is(err, ErrNotFound) {
		t.Errorf("LastJob(undo) = %v, want ErrNotFound", err)
	}
	if _, err := s.Job("missing"); !errors.Is(err, ErrNotFound) {
		t.Errorf("Job(missing) = %v", err)
	}
}

func TestMappingsRoundTripAndReverseIndex(t *testing.T) {
	s, keys := testStore(t)
	job1 := mustJob(t, s, ModeFull)
	synced := time.Date(2026, 1, 2, 3, 4, 5, 6, time.UTC)
	ms := []Mapping{
		{Kind: KindTenants, SourceID: "11", HubSpotType: "0-1", HubSpotID: "901", SyncHash: "00ff10ab",
			LastSynced: synced, Snapshot: map[string]string{"email": "a@example.com", "firstname": "Ann"}},
		{Kind: KindEmergencyContacts, SourceID: "t11-ec", HubSpotType: "0-1", HubSpotID: "901", SyncHash: "NOT-HEX",
			Extra: map[string]string{"label": "Emergency contact"}},
		{Kind: KindUnits, SourceID: "5", HubSpotType: "2-123", HubSpotID: "77"},
	}
	if err := s.Commit(Batch{JobID: job1, Mappings: ms}); err != nil {
		t.Fatal(err)
	}
	s = reopen(t, s, keys)

	got, err := s.Mapping(KindTenants, "11")
	if err != nil {
		t.Fatal(err)
	}
	want := ms[0]
	want.JobID, want.CreatedByJob = job1, job1
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Mapping round trip:\n got %+v\nwant %+v", got, want)
	}
	if got, _ := s.Mapping(KindEmergencyContacts, "t11-ec"); got.SyncHash != "NOT-HEX" || got.Extra["label"] != "Emergency contact" || got.LastSynced.IsZero() {
		t.Errorf("non-hex hash / extra / default LastSynced not kept: %+v", got)
	}
	if _, err := s.Mapping(KindTenants, "12"); !errors.Is(err, ErrNotFound) {
		t.Errorf("missing mapping = %v", err)
	}

	batch, err := s.MappingsByKey(KindTenants, []string{"11", "12"})
	if err != nil || len(batch) != 1 || batch["11"].HubSpotID != "901" {
		t.Errorf("MappingsByKey = %v, %v", batch, err)
	}

	// Two Buildium records share HubSpot contact 901 (a tenant who is also an emergency contact).
	all, err := s.MappingsByHubSpot("0-1", "901")
	if err != nil || len(all) != 2 {
		t.Fatalf("MappingsByHubSpot = %v, %v", all, err)
	}
	first, err := s.MappingByHubSpot("0-1", "901")
	if err != nil || first.Kind != KindEmergencyContacts {
		t.Errorf("MappingByHubSpot = %+v, %v (want first in kind order)", first, err)
	}
	if m, err := s.MappingByHubSpot("2-123", "77"); err != nil || m.SourceID != "5" {
		t.Errorf("MappingByHubSpot(unit) = %+v, %v", m, err)
	}
	if _, err := s.MappingByHubSpot("0-1", "90"); !errors.Is(err, ErrNotFound) {
		t.Errorf("prefix of an id must not match: %v", err)
	}

	// The tenant's contact was merged into another: the reverse index follows, CreatedByJob stays.
	job2 := mustJob(t, s, ModeIncremental)
	moved := ms[0]
	moved.HubSpotID = "955"
	if err := s.Commit(Batch{JobID: job2, Mappings: []Mapping{moved}}); err != nil {
		t.Fatal(err)
	}
	if m, err := s.MappingByHubSpot("0-1", "955"); err != nil || m.SourceID != "11" || m.JobID != job2 || m.CreatedByJob != job1 {
		t.Errorf("after move: %+v, %v", m, err)
	}
	if all, _ := s.MappingsByHubSpot("0-1", "901"); len(all) != 1 || all[0].Kind != KindEmergencyContacts {
		t.Errorf("old reverse entry not removed: %v", all)
	}

	if err := s.Commit(Batch{DeleteMappings: []MappingKey{{KindUnits, "5"}, {KindUnits, "never-existed"}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.MappingByHubSpot("2-123", "77"); !errors.Is(err, ErrNotFound) {
		t.Errorf("reverse entry survives delete: %v", err)
	}
	if n, _ := s.CountMappings(""); n != 2 {
		t.Errorf("CountMappings(all) = %d, want 2", n)
	}
}

func TestForEachMappingStreamsInOrderAndAllowsWrites(t *testing.T) {
	s, _ := testStore(t)
	job := mustJob(t, s, ModeFull)
	const n = 2*forEachChunk + 17
	var ms []Mapping
	for i := 0; i < n; i++ {
		ms = append(ms, Mapping{Kind: KindUnits, SourceID: fmt.Sprintf("%05d", i), HubSpotType: "2-1", HubSpotID: fmt.Sprint(i)})
	}
	if err := s.Commit(Batch{JobID: job, Mappings: ms}); err != nil {
		t.Fatal(err)
	}
	if c, err := s.CountMappings(KindUnits); err != nil || c != n {
		t.Fatalf("CountMappings = %d, %v", c, err)
	}
	i := 0
	err := s.ForEachMapping(KindUnits, func(m Mapping) error {
		if want := fmt.Sprintf("%05d", i); m.SourceID != want {
			return fmt.Errorf("record %d is %s, want %s", i, m.SourceID, want)
		}
		i++
		// Writing from inside the walk must not deadlock.
		return s.Commit(Batch{JobID: job, Counters: map[Kind]EntityCounters{KindUnits: {Read: 1}}})
	})
	if err != nil || i != n {
		t.Fatalf("ForEachMapping visited %d of %d: %v", i, n, err)
	}
	stop := errors.New("stop")
	if err := s.ForEachMapping(KindUnits, func(Mapping) error { return stop }); !errors.Is(err, stop) {
		t.Errorf("fn error not returned: %v", err)
	}
	if j, _ := s.Job(job); j.Entities[KindUnits].Read != n {
		t.Errorf("counters = %+v", j.Entities)
	}
	// ForEachMappingID: the same ids in the same order, across chunks.
	i = 0
	err = s.ForEachMappingID(KindUnits, func(id string) error {
		if want := fmt.Sprintf("%05d", i); id != want {
			return fmt.Errorf("id %d is %s, want %s", i, id, want)
		}
		i++
		return nil
	})
	if err != nil || i != n {
		t.Fatalf("ForEachMappingID visited %d of %d: %v", i, n, err)
	}
	if err := s.ForEachMappingID(KindUnits, func(string) error { return stop }); !errors.Is(err, stop) {
		t.Errorf("ForEachMappingID: fn error not returned: %v", err)
	}
	if err := s.ForEachMappingID("nothing", func(string) error { return stop }); err != nil {
		t.Errorf("ForEachMappingID of an empty kind: %v", err)
	}
}

func TestLedgerLifecycle(t *testing.T) {
	s, keys := testStore(t)
	clock := &fixedClock{t: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)}
	s.clock = clock.now
	job1 := mustJob(t, s, ModeFull)
	fail := LedgerEntry{Kind: KindTenants, SourceID: "42", ErrorType: "validation",
		Message: "email \"bob@@example\" is not valid", Details: `{"field":"email"}`}

	if err := s.Commit(Batch{JobID: job1, Ledger: []LedgerEntry{fail}}); err != nil {
		t.Fatal(err)
	}
	first := clock.t
	clock.t = clock.t.Add(time.Hour)
	job2 := mustJob(t, s, ModeIncremental)
	fail.ErrorType, fail.Message = "hubspot", "INVALID_EMAIL"
	if err := s.Commit(Batch{JobID: job2, Ledger: []LedgerEntry{fail}}); err != nil {
		t.Fatal(err)
	}
	s = reopen(t, s, keys)
	s.clock = clock.now
	got, err := s.Ledger(KindTenants, "42")
	if err != nil {
		t.Fatal(err)
	}
	want := LedgerEntry{Kind: KindTenants, SourceID: "42", JobID: job2, ErrorType: "hubspot", Message: "INVALID_EMAIL",
		Details: `{"field":"email"}`, RetryCount: 1, FirstSeen: first, LastSeen: clock.t}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("ledger after retry:\n got %+v\nwant %+v", got, want)
	}
	other := LedgerEntry{Kind: KindUnits, SourceID: "9", ErrorType: "hubspot", Message: "x"}
	if err := s.Commit(Batch{JobID: job2, Ledger: []LedgerEntry{other}}); err != nil {
		t.Fatal(err)
	}
	if open, _ := s.OpenLedger(""); len(open) != 2 {
		t.Errorf("OpenLedger(all) = %d entries", len(open))
	}
	if open, _ := s.OpenLedger(KindUnits); len(open) != 1 || open[0].SourceID != "9" {
		t.Errorf("OpenLedger(units) = %v", open)
	}

	job3 := mustJob(t, s, ModeIncremental)
	if err := s.Commit(Batch{JobID: job3, Resolve: []LedgerKey{{KindTenants, "42"}, {KindTenants, "never-failed"}}}); err != nil {
		t.Fatal(err)
	}
	got, _ = s.Ledger(KindTenants, "42")
	if !got.Resolved || got.ResolvedByJob != job3 || !got.ResolvedAt.Equal(clock.t) {
		t.Errorf("resolved entry = %+v", got)
	}
	if open, _ := s.OpenLedger(KindTenants); len(open) != 0 {
		t.Errorf("resolved entry still open: %v", open)
	}
	// Failing again after resolution reopens it from zero.
	if err := s.Commit(Batch{JobID: job3, Ledger: []LedgerEntry{fail}}); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.Ledger(KindTenants, "42"); got.Resolved || got.RetryCount != 0 || !got.FirstSeen.Equal(clock.t) {
		t.Errorf("reopened entry = %+v", got)
	}

	// Pruning drops only old resolved entries.
	if err := s.Commit(Batch{JobID: job3, Resolve: []LedgerKey{{KindUnits, "9"}}}); err != nil {
		t.Fatal(err)
	}
	clock.t = clock.t.Add(48 * time.Hour)
	if n, err := s.PruneLedger(24 * time.Hour); err != nil || n != 1 {
		t.Errorf("PruneLedger = %d, %v; want 1", n, err)
	}
	if _, err := s.Ledger(KindUnits, "9"); !errors.Is(err, ErrNotFound) {
		t.Errorf("pruned entry still there: %v", err)
	}
	if _, err := s.Ledger(KindTenants, "42"); err != nil {
		t.Errorf("open entry pruned: %v", err)
	}
	if _, err := s.PruneLedger(0); err == nil {
		t.Error("PruneLedger(0) accepted")
	}
}

func TestAuditRoundTripAndPrune(t *testing.T) {
	s, keys := testStore(t)
	clock := &fixedClock{t: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)}
	s.clock = clock.now
	oldJob := mustJob(t, s, ModeFull)
	var entries []AuditEntry
	for i := 0; i < forEachChunk+3; i++ {
		entries = append(entries, AuditEntry{Action: ActionUpdate, Kind: KindTenants, SourceID: fmt.Sprint(i),
			HubSpotType: "0-1", HubSpotID: fmt.Sprint(1000 + i),
			Changes: []FieldChange{{Field: "email", Old: "old@example.com", New: "new@example.com"}, {Field: "city", New: "Oslo"}}})
	}
	if err := s.Commit(Batch{JobID: oldJob, Audit: entries}); err != nil {
		t.Fatal(err)
	}
	if entries[0].Seq != 1 || entries[len(entries)-1].Seq != uint64(len(entries)) {
		t.Errorf("Seq not filled in: first %d last %d", entries[0].Seq, entries[len(entries)-1].Seq)
	}
	clock.t = clock.t.Add(40 * 24 * time.Hour)
	newJob := mustJob(t, s, ModeIncremental)
	if err := s.Commit(Batch{JobID: newJob, Audit: []AuditEntry{{Action: ActionSkip, Kind: KindUnits, SourceID: "3"}}}); err != nil {
		t.Fatal(err)
	}
	s = reopen(t, s, keys)
	s.clock = clock.now

	var got []AuditEntry
	if err := s.Audit(oldJob, func(a AuditEntry) error { got = append(got, a); return nil }); err != nil {
		t.Fatal(err)
	}
	if len(got) != len(entries) {
		t.Fatalf("Audit returned %d entries, want %d", len(got), len(entries))
	}
	want := entries[5]
	want.JobID, want.Time = oldJob, time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	if !reflect.DeepEqual(got[5], want) {
		t.Errorf("audit round trip:\n got %+v\nwant %+v", got[5], want)
	}
	if err := s.Audit("no-such-job", func(AuditEntry) error { t.Error("called"); return nil }); err != nil {
		t.Error(err)
	}

	n, err := s.PruneAudit(30 * 24 * time.Hour)
	if err != nil || n != len(entries) {
		t.Fatalf("PruneAudit = %d, %v; want %d", n, err, len(entries))
	}
	count := 0
	_ = s.Audit(oldJob, func(AuditEntry) error { count++; return nil })
	_ = s.Audit(newJob, func(AuditEntry) error { count += 100; return nil })
	if count != 100 {
		t.Errorf("after prune: old job entries + 100×new job entries = %d, want 100", count)
	}
	if _, err := s.PruneAudit(-time.Hour); err == nil {
		t.Error("negative prune age accepted")
	}
}

func TestSmallRecordsRoundTrip(t *testing.T) {
	s, keys := testStore(t)
	job := mustJob(t, s, ModeFull)
	at := time.Date(2026, 5, 6, 7, 8, 9, 0, time.UTC)

	cur := Cursor{Kind: KindLeases, Watermark: at, UpdatedAt: at.Add(time.Second), JobID: job}
	dec := Decision{ID: "dup:tenant-email:3f2a", Type: ReviewDuplicate, Resolution: "merge",
		Fields: map[string]string{"email": "kim@example.com", "phone": "keep_hubspot"}, DecidedAt: at, DecidedBy: "ana"}
	rev := ReviewItem{ID: dec.ID, Type: ReviewDuplicate, Kind: KindTenants, SourceIDs: []string{"1", "2"},
		Summary: "Kim Lee and K. Lee share kim@example.com", Payload: []byte(`{"a":1}`), JobID: job, OpenedAt: at, Status: ReviewOpen}
	acct := Account{PortalID: "4455", Tier: "enterprise", CustomObjects: true, ListingsEnabled: true,
		Scopes: []string{"crm.objects.contacts.write"}, UnitMode: UnitModeCustomObject, UnitObjectType: "2-123",
		AssociationTypes: map[string]int{"contacts->2-123:Current tenant": 17}, Properties: map[string][]string{"0-1": {"buildium_tenant_id"}},
		CheckedAt: at}
	type settings struct {
		Strategy string            `json:"strategy"`
		Rules    map[string]string `json:"rules"`
	}
	conf := settings{Strategy: "manual_review", Rules: map[string]string{"phone": "hubspot_wins"}}
	fm := []byte("tenants:\n  email: email\n")

	if err := s.SetCursor(cur); err != nil {
		t.Fatal(err)
	}
	if err := s.PutDecision(dec); err != nil {
		t.Fatal(err)
	}
	if err := s.PutReviewItem(rev); err != nil {
		t.Fatal(err)
	}
	if err := s.PutReviewItem(ReviewItem{ID: "conflict:9", Type: ReviewConflict, Kind: KindUnits, Status: ReviewApplied}); err != nil {
		t.Fatal(err)
	}
	if err := s.PutAccount(acct); err != nil {
		t.Fatal(err)
	}
	if err := s.SetConfig("conflicts", conf); err != nil {
		t.Fatal(err)
	}
	if err := s.SetFieldMappings(fm); err != nil {
		t.Fatal(err)
	}
	s = reopen(t, s, keys)

	check := func(name string, got, want any, err error) {
		t.Helper()
		if err != nil {
			t.Errorf("%s: %v", name, err)
		} else if !reflect.DeepEqual(got, want) {
			t.Errorf("%s round trip:\n got %+v\nwant %+v", name, got, want)
		}
	}
	gc, err := s.Cursor(KindLeases)
	check("cursor", gc, cur, err)
	gd, err := s.Decision(dec.ID)
	check("decision", gd, dec, err)
	gr, err := s.ReviewItem(rev.ID)
	check("review item", gr, rev, err)
	ga, err := s.Account()
	check("account", ga, acct, err)
	var gconf settings
	err = s.Config("conflicts", &gconf)
	check("config", gconf, conf, err)
	gfm, err := s.FieldMappings()
	check("field mappings", gfm, fm, err)

	if ds, err := s.Decisions(); err != nil || len(ds) != 1 {
		t.Errorf("Decisions = %v, %v", ds, err)
	}
	if open, err := s.ReviewItems(ReviewOpen); err != nil || len(open) != 1 || open[0].ID != rev.ID {
		t.Errorf("ReviewItems(open) = %v, %v", open, err)
	}
	if all, _ := s.ReviewItems(""); len(all) != 2 {
		t.Errorf("ReviewItems(\"\") = %d items", len(all))
	}
	if keys, _ := s.ConfigKeys(); !reflect.DeepEqual(keys, []string{"conflicts"}) {
		t.Errorf("ConfigKeys = %v", keys)
	}

	// Deletions and not-found.
	if err := s.DeleteDecision(dec.ID); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteReviewItem(rev.ID); err != nil {
		t.Fatal(err)
	}
	if err := s.SetConfig("conflicts", nil); err != nil {
		t.Fatal(err)
	}
	if err := s.SetFieldMappings(nil); err != nil {
		t.Fatal(err)
	}
	notFound := map[string]error{
		"decision": func() error { _, err := s.Decision(dec.ID); return err }(),
		"review":   func() error { _, err := s.ReviewItem(rev.ID); return err }(),
		"config":   s.Config("conflicts", &gconf),
		"fields":   func() error { _, err := s.FieldMappings(); return err }(),
		"cursor":   func() error { _, err := s.Cursor(KindUnits); return err }(),
	}
	for name, err := range notFound {
		if !errors.Is(err, ErrNotFound) {
			t.Errorf("%s after delete/missing = %v, want ErrNotFound", name, err)
		}
	}
	if err := s.PutReviewItem(ReviewItem{ID: "bad", Payload: []byte("{not json")}); err == nil {
		t.Error("non-JSON review payload accepted")
	}
}

func TestAccountNotFoundBeforeFirstCheck(t *testing.T) {
	s, _ := testStore(t)
	if _, err := s.Account(); !errors.Is(err, ErrNotFound) {
		t.Errorf("Account() on a new state = %v, want ErrNotFound", err)
	}
}
