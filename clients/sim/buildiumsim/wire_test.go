package buildiumsim

import (
	"bytes"
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

// TestPagesEncodeAsEncodingJSON: okJSON (goccy/go-json) writes every
// record the generator makes, hostile strings included, byte for byte as
// encoding/json does.
func TestPagesEncodeAsEncodingJSON(t *testing.T) {
	p := gen.Generate(gen.Options{Scale: 2000, Seed: 6})
	check := func(what string, v any) {
		t.Helper()
		want, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		got := okJSON(v, -1).body
		if !bytes.Equal(got, want) {
			i := 0
			for i < min(len(got), len(want)) && got[i] == want[i] {
				i++
			}
			t.Fatalf("%s: okJSON differs from encoding/json at byte %d:\nokJSON:        %q\nencoding/json: %q", what, i,
				got[max(0, i-80):min(len(got), i+80)], want[max(0, i-80):min(len(want), i+80)])
		}
	}
	ix := p.BuildIndex()
	var tenants []wireTenant
	for i := range p.Tenants {
		tenants = append(tenants, toWireTenant(p.RenderTenant(ix, i)))
	}
	check("tenants", tenants)
	var leases []wireLease
	for i := range p.Leases {
		leases = append(leases, toWireLease(p.RenderLease(ix, i)))
	}
	check("leases", leases)
	var units []wireUnit
	for i := range p.Units {
		units = append(units, toWireUnit(p.RenderUnit(ix, i)))
	}
	check("units", units)
	check("rentals", p.Rentals)
}
