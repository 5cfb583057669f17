package tui

import (
	"encoding/json"
	"fmt"
	"testing"

	"b2h/state"
	"b2h/sync"
	"b2h/sync/mapping"
)

// Review fixture ids.
var (
	fxGroup    = "dup-tenants-0a1b2c3d4e5f"
	fxHouse    = "dup-tenants-1f2e3d4c5b6a"
	fxExisting = "dup-existing-9a8b7c6d5e4f"
	fxPhone1   = sync.ConflictID(mapping.Tenants, "1000030")
	fxPhone2   = sync.ConflictID(mapping.Tenants, "1000031")
	fxRent     = sync.ConflictID(mapping.Units, "2001")
	fxOld      = sync.ConflictID(mapping.Tenants, "1000040")
)

func mustJSON(t testing.TB, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// reviewFixtures are one item of every shape: a duplicate pair, a
// household of three, a collision with an existing HubSpot contact, two
// tenant conflicts on the same fields, a unit conflict, and an item from an
// older run without a payload.
func reviewFixtures(t testing.TB) []state.ReviewItem {
	tenant := func(id, first, last, email, phone, addr string) sync.DuplicateMember {
		return sync.DuplicateMember{SourceID: id, Name: first + " " + last, Properties: map[string]string{
			mapping.KeyTenant: id, "firstname": first, "lastname": last, "email": email, "phone": phone,
			"address": addr, "city": "Portland"}}
	}
	conflict := func(id, name string, f ...sync.FieldConflict) []byte {
		return mustJSON(t, sync.ConflictPayload{Entity: mapping.Tenants, SourceID: id, Name: name, HubSpotID: "9" + id[4:], Fields: f})
	}
	phoneFields := func(bd, hs string) []sync.FieldConflict {
		return []sync.FieldConflict{
			{Field: "lastname", Base: "Okafor", Buildium: "Okafor-Reyes", HubSpot: "Okafor Reyes"},
			{Field: "phone", Base: "+15035550100", Buildium: bd, HubSpot: hs},
		}
	}
	opened := testNow.Add(-3600e9)
	return []state.ReviewItem{
		{ID: fxGroup, Type: state.ReviewDuplicate, Kind: state.Kind(mapping.Tenants), SourceIDs: []string{"1000012", "1000013"},
			Summary: "2 tenants share the email jane.doe@example.com", JobID: "20261102-093000-0001", OpenedAt: opened, Status: state.ReviewOpen,
			Payload: mustJSON(t, sync.DuplicatePayload{Entity: mapping.Tenants, Reason: "share an email",
				Members: []sync.DuplicateMember{
					tenant("1000012", "Jane", "Doe", "jane.doe@example.com", "+15035550142", "12 Maple St Apt 3B"),
					tenant("1000013", "Jane", "Doe-Smith", "jane.doe@example.com", "+15035550199", "12 Maple Street, Apartment 3B, rear entrance by the garden gate"),
				}})},
		{ID: fxHouse, Type: state.ReviewDuplicate, Kind: state.Kind(mapping.Tenants), SourceIDs: []string{"1000050", "1000051", "1000052"},
			Summary: "3 tenants share the email okafor.family@example.com", JobID: "20261102-093000-0001", OpenedAt: opened, Status: state.ReviewOpen,
			Payload: mustJSON(t, sync.DuplicatePayload{Entity: mapping.Tenants, Reason: "share an email",
				Members: []sync.DuplicateMember{
					tenant("1000050", "Ada", "Okafor", "okafor.family@example.com", "+15035550150", "9 Elm St"),
					tenant("1000051", "Ben", "Okafor", "okafor.family@example.com", "+15035550151", "9 Elm St"),
					tenant("1000052", "Cy", "Okafor", "okafor.family@example.com", "", "9 Elm St"),
				}})},
		{ID: fxExisting, Type: state.ReviewDuplicate, Kind: state.Kind(mapping.Tenants), SourceIDs: []string{"1000020"},
			Summary: "tenant 1000020 has the email of HubSpot contact 501, which b2h did not create", JobID: "20261102-093000-0001", OpenedAt: opened, Status: state.ReviewOpen,
			Payload: mustJSON(t, sync.DuplicatePayload{Entity: mapping.Tenants, ExistingContactID: "501",
				Members: []sync.DuplicateMember{tenant("1000020", "Maria", "Garcia", "maria@example.com", "+15035550120", "4 Oak Ave")},
				HubSpot: map[string]string{"firstname": "María", "lastname": "Garcia", "email": "maria@example.com", "phone": "+1 503 555 0120"}})},
		{ID: fxPhone1, Type: state.ReviewConflict, Kind: state.Kind(mapping.Tenants), SourceIDs: []string{"1000030"},
			Summary: "tenant 1000030 (Grace Okafor): lastname, phone changed in Buildium and in HubSpot", JobID: "20261102-093000-0002", OpenedAt: opened, Status: state.ReviewOpen,
			Payload: conflict("1000030", "Grace Okafor", phoneFields("+15035550122", "+15035550111")...)},
		{ID: fxPhone2, Type: state.ReviewConflict, Kind: state.Kind(mapping.Tenants), SourceIDs: []string{"1000031"},
			Summary: "tenant 1000031 (Tom Okafor): lastname, phone changed in Buildium and in HubSpot", JobID: "20261102-093000-0002", OpenedAt: opened, Status: state.ReviewOpen,
			Payload: conflict("1000031", "Tom Okafor", phoneFields("+15035550133", "+15035550144")...)},
		{ID: fxRent, Type: state.ReviewConflict, Kind: state.Kind(mapping.Units), SourceIDs: []string{"2001"},
			Summary: "unit 2001: market_rent changed in Buildium and in HubSpot", JobID: "20261102-093000-0002", OpenedAt: opened, Status: state.ReviewOpen,
			Payload: mustJSON(t, sync.ConflictPayload{Entity: mapping.Units, SourceID: "2001", Name: "Maple Court 3B", HubSpotID: "7001",
				Fields: []sync.FieldConflict{{Field: "market_rent", Base: "1450", Buildium: "1495", HubSpot: "1475"}}})},
		{ID: fxOld, Type: state.ReviewConflict, Kind: state.Kind(mapping.Tenants), SourceIDs: []string{"1000040"},
			Summary: "tenant 1000040 (Lee Park): email changed in Buildium and in HubSpot", JobID: "20261101-080000-0001", OpenedAt: opened, Status: state.ReviewOpen},
	}
}

// seedReview stores the fixtures (and any extra items) as open items.
func seedReview(t testing.TB, st Store, extra ...state.ReviewItem) {
	t.Helper()
	items := append(reviewFixtures(t), extra...)
	if err := st.Commit(state.Batch{Review: items}); err != nil {
		t.Fatal(err)
	}
}

// manyConflicts generates n tenant conflicts on the same two fields.
func manyConflicts(t testing.TB, n int) []state.ReviewItem {
	out := make([]state.ReviewItem, n)
	for i := range n {
		id := fmt.Sprint(1100000 + i)
		out[i] = state.ReviewItem{ID: sync.ConflictID(mapping.Tenants, id), Type: state.ReviewConflict, Kind: state.Kind(mapping.Tenants),
			SourceIDs: []string{id}, Summary: "tenant " + id + ": phone changed", OpenedAt: testNow, Status: state.ReviewOpen,
			Payload: mustJSON(t, sync.ConflictPayload{Entity: mapping.Tenants, SourceID: id, Name: fmt.Sprintf("Tenant %d", i), HubSpotID: fmt.Sprint(900000 + i),
				Fields: []sync.FieldConflict{{Field: "phone", Base: "+15035550100", Buildium: fmt.Sprintf("+1503555%04d", i%10000), HubSpot: "+15035550100 ext 2"}}})}
	}
	return out
}

// reviewModel is a model on the Review screen over the fixtures, as the
// Summary screen opens it.
func reviewModel(t testing.TB, w, h int, extra ...state.ReviewItem) Model {
	t.Helper()
	d := testDeps(t)
	d.Reviewer = "consultant"
	seedReview(t, d.Store, extra...)
	m := connected(t, newTestModel(t, d, w, h), sync.UnitListing)
	m.active = scrSummary
	m, cmd := send(m, goTo(scrReview))
	m, _ = send(m, cmd()) // the queue's read, however long it takes
	if m.review.loading || len(m.review.entries) == 0 {
		t.Fatalf("review queue not loaded (err %v)", m.review.loadErr)
	}
	return m
}

// stateBatchOf is a batch opening items.
func stateBatchOf(items []state.ReviewItem) state.Batch { return state.Batch{Review: items} }
