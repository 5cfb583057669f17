package gen

import "testing"

// FuzzRefText: any reference that parses prints back the same, and no
// input panics.
func FuzzRefText(f *testing.F) {
	for _, s := range []string{"tenant/1", "lease/5000001", "rental/-3", "unit/", "/1", "owner/2", "tenant/1/2"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		var r Ref
		if err := r.UnmarshalText([]byte(in)); err != nil {
			return
		}
		var back Ref
		if err := back.UnmarshalText([]byte(r.String())); err != nil || back != r {
			t.Fatalf("%q → %v → %q → %v, %v", in, r, r.String(), back, err)
		}
	})
}
