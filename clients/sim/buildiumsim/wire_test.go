package buildiumsim

import (
	"encoding/json"
	"reflect"
	"testing"

	"b2h/clients/sim/gen"
)

// TestWireMatchesBuildiumJSON proves the fast wire types encode exactly
// like the buildium types: same keys, same values, nulls included. A field
// added to package buildium but not here fails this test.
func TestWireMatchesBuildiumJSON(t *testing.T) {
	p := gen.Generate(gen.Options{Scale: 300, Seed: 6})
	same := func(what string, a, b any) {
		t.Helper()
		ja, err := json.Marshal(a)
		if err != nil {
			t.Fatal(err)
		}
		jb, err := json.Marshal(b)
		if err != nil {
			t.Fatal(err)
		}
		var ma, mb any
		_ = json.Unmarshal(ja, &ma)
		_ = json.Unmarshal(jb, &mb)
		if !reflect.DeepEqual(ma, mb) {
			t.Fatalf("%s encodes differently:\nbuildium: %s\nwire:     %s", what, ja, jb)
		}
	}
	for _, tn := range p.Tenants {
		same("tenant "+itoa(tn.ID), tn, toWireTenant(tn))
	}
	for _, l := range p.Leases {
		same("lease "+itoa(l.ID), l, toWireLease(l))
	}
	for _, u := range p.Units {
		same("unit "+itoa(u.ID), u, toWireUnit(u))
	}
}
