package sync

import (
	"slices"
	"strings"
	"testing"
	"time"

	"b2h/clients/buildium"
	"b2h/sync/mapping"
)

// TestTenantUnitsOnePairPerTenantAndUnit: several leases of one tenant on
// one unit yield one association with the most current label; pairs come
// sorted by tenant, then unit.
func TestTenantUnitsOnePairPerTenantAndUnit(t *testing.T) {
	today := time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)
	past := leaseLite{id: 1, unitID: 10, from: "2020-01-01", to: "2021-01-01", status: "Past",
		tenants: []leaseTenantLite{{id: 7, status: "Current"}, {id: 3, status: "Current"}}}
	current := leaseLite{id: 2, unitID: 10, from: "2025-01-01", to: "2026-01-01", status: "Active",
		tenants: []leaseTenantLite{{id: 7, status: "Current"}}}
	future := leaseLite{id: 3, unitID: 5, from: "2025-09-01", to: "2026-09-01", status: "Future",
		tenants: []leaseTenantLite{{id: 7, status: "Future"}}}
	for _, order := range [][]leaseLite{{past, current, future}, {future, current, past}} {
		got := tenantUnits(order, today)
		want := []tenantUnit{
			{tenant: 3, unit: 10, rank: uint8(labelRank[LabelPastTenant])},
			{tenant: 7, unit: 5, rank: uint8(labelRank[LabelFutureTenant])},
			{tenant: 7, unit: 10, rank: uint8(labelRank[LabelCurrentTenant])},
		}
		if !slices.Equal(got.pairs, want) {
			t.Fatalf("pairs = %+v; want %+v", got.pairs, want)
		}
		var labels []string
		for a := range got.assocs("2-9") {
			labels = append(labels, a.key+" "+a.label)
		}
		wantLabels := []string{"T3>U10 " + LabelPastTenant, "T7>U5 " + LabelFutureTenant, "T7>U10 " + LabelCurrentTenant}
		if !slices.Equal(labels, wantLabels) {
			t.Fatalf("assocs = %q; want %q", labels, wantLabels)
		}
	}
}

// TestWantedKeys: the compact want sets answer exactly for the keys the
// association pass writes, and no others.
func TestWantedKeys(t *testing.T) {
	tu := tenantUnitSet{pairs: []tenantUnit{{tenant: 1, unit: 2, rank: 3}, {tenant: 4, unit: 5, rank: 1}}}
	ecs := newECCollector()
	aa := &buildium.EmergencyContact{Name: "Ann", Email: "AA@example.com "}
	bb := &buildium.EmergencyContact{Name: "Bob", Email: "bb@example.com"}
	kaa, kbb := mapping.EmergencyContactKey(0, aa), mapping.EmergencyContactKey(0, bb)
	for _, t := range []buildium.Tenant{{ID: 1, EmergencyContact: aa}, {ID: 4, EmergencyContact: aa}, {ID: 1, EmergencyContact: aa},
		{ID: 4, EmergencyContact: bb}, {ID: 9, EmergencyContact: bb}} {
		ecs.collect(t)
	}
	if k, ok := parseECKey(kbb); !ok {
		t.Fatalf("parseECKey(%q) fails", kbb)
	} else {
		ecs.entries[ecs.at[k]].owner = 9 // person bb is tenant 9
	}
	var ecKeys []string
	for a := range ecs.assocs() {
		ecKeys = append(ecKeys, a.key+"→"+a.toSrc)
	}
	if want := []string{"T1>E" + kaa + "→" + kaa, "T4>E" + kaa + "→" + kaa, "T4>E" + kbb + "→9"}; !slices.Equal(ecKeys, want) {
		t.Fatalf("emergency-contact assocs = %q; want %q", ecKeys, want)
	}
	cases := []struct {
		key          string
		tenant, ec   bool
		whyNotWanted string
	}{
		{"T1>U2", true, false, ""},
		{"T4>U5", true, false, ""},
		{"T1>U5", false, false, "no lease puts tenant 1 on unit 5"},
		{"T01>U2", false, false, "not a key b2h writes"},
		{"T1>U2x", false, false, "not a number"},
		{"T1>E" + kaa, false, true, ""},
		{"T4>E" + kbb, false, true, ""},
		{"T4>E" + strings.ToUpper(kbb), false, false, "the key in another spelling"},
		{"T9>E" + kbb, false, false, "a tenant is never their own emergency contact"},
		{"T2>E" + kaa, false, false, "tenant 2 does not name this person"},
		{"T4>Eemail-cc", false, false, "nobody names this person"},
		{"T4>E" + mapping.TenantKey(4), false, false, "tenant 4's contacts have emails"},
		{"T4>T9", false, false, "links are kept under the E key"},
		{"U1>P2", false, false, "another kind of association"},
	}
	for _, c := range cases {
		if got := tu.wanted(c.key); got != c.tenant {
			t.Errorf("tenant-unit wanted(%q) = %v; want %v %s", c.key, got, c.tenant, c.whyNotWanted)
		}
		if got := ecs.wanted(c.key); got != c.ec {
			t.Errorf("emergency-contact wanted(%q) = %v; want %v %s", c.key, got, c.ec, c.whyNotWanted)
		}
	}
}

// TestPairOutcomes: every outcome reconcile gives survives the one-byte
// encoding with its reason.
func TestPairOutcomes(t *testing.T) {
	p := newPairOutcomes(len(outcomeActions) + 1)
	for i, act := range outcomeActions {
		p.set(i, assoc{}, assocOutcome{act: act, why: string(act) + " because"})
	}
	p.set(len(outcomeActions), assoc{}, assocOutcome{act: ActUnchanged})
	for i, act := range outcomeActions {
		if got := p.get(i); got.act != act || got.why != string(act)+" because" {
			t.Errorf("outcome %d = %+v; want %s with its reason", i, got, act)
		}
	}
	if got := p.get(len(outcomeActions)); got != (assocOutcome{act: ActUnchanged}) {
		t.Errorf("last outcome = %+v; want unchanged with no reason", got)
	}
}

// TestIDSet: numeric ids are stored compactly, others as strings, and
// "007" is not "7".
func TestIDSet(t *testing.T) {
	s := newIDSet()
	for _, id := range []string{"7", "-3", "email-x", "2147483648"} {
		s.add(id)
	}
	for id, want := range map[string]bool{"7": true, "-3": true, "email-x": true, "2147483648": true,
		"007": false, "8": false, "": false, "email-y": false} {
		if got := s.has(id); got != want {
			t.Errorf("has(%q) = %v; want %v", id, got, want)
		}
	}
	var none *idSet
	if none.has("7") {
		t.Error("a nil set has nothing")
	}
}

// TestPackEC: an emergency contact survives packing whatever its fields
// hold (the stage maps it again from the packed form).
func TestPackEC(t *testing.T) {
	for _, ec := range []buildium.EmergencyContact{
		{},
		{Name: "Ann Lee", RelationshipDescription: "Sister", Phone: "(555) 010-0101", Email: "ann@example.com"},
		{Name: "a\x00b", Phone: strings.Repeat("9", 300), Email: "\xff\xfe"},
		{Email: "only@example.com"},
	} {
		if got := unpackEC(string(packEC([]byte("before"), ec)[len("before"):])); got != ec {
			t.Errorf("unpackEC(packEC(%q)) = %q", ec, got)
		}
	}
}

// TestECKeys: the fixed-size keys spell as mapping.EmergencyContactKey does,
// parse back from that spelling only, and sort as their strings do (the
// stage writes in key order).
func TestECKeys(t *testing.T) {
	var keys []ecKey
	for i, em := range []string{"a@example.com", "b@example.com", "c@example.com", "", "not an email"} {
		for _, tid := range []int32{0, 7, -3, 10, 2147483647, int32(i) * 91} {
			ec := &buildium.EmergencyContact{Name: "X", Email: em}
			k := ecKeyOf(tid, ec)
			if want := mapping.EmergencyContactKey(tid, ec); k.String() != want {
				t.Fatalf("key %q; want %q", k.String(), want)
			}
			if back, ok := parseECKey(k.String()); !ok || back != k {
				t.Fatalf("parseECKey(%q) = %v, %v", k.String(), back, ok)
			}
			keys = append(keys, k)
		}
	}
	for _, s := range []string{"", "email-", "tenant-", "tenant-007", "tenant-x", "email-zz", "email-" + strings.Repeat("A", 32), "Tenant-7"} {
		if k, ok := parseECKey(s); ok {
			t.Errorf("parseECKey(%q) = %v; want no key", s, k)
		}
	}
	byKey := slices.Clone(keys)
	slices.SortFunc(byKey, ecKey.compare)
	byString := slices.Clone(keys)
	slices.SortFunc(byString, func(a, b ecKey) int { return strings.Compare(a.String(), b.String()) })
	if !slices.Equal(byKey, byString) {
		t.Fatal("keys sort otherwise than their strings")
	}
}
