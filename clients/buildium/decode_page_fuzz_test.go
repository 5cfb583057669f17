package buildium

import (
	"encoding/json"
	"reflect"
	"testing"
)

// FuzzPageDecoder: whatever a page holds, the list decoding never panics;
// a body encoding/json reads as a list gives one item or one bad record
// per element, in order, every item with a positive Id and equal to what
// encoding/json makes of that element; any other body is a DecodeError,
// final (never retried) unless it is not JSON at all.
func FuzzPageDecoder(f *testing.F) {
	for _, s := range []string{`[]`, `null`, `[null]`, `[{}]`, `{"Id":1}`, `[{"Id":1},{"Id":"2"},{"Id":2147483648},{"Id":0},{"Id":-5},null]`,
		`[{"Id":1,"EmergencyContact":[]}]`, `[{"Id":1,"CreatedDateTime":"x"}]`, `[{"Id":1,"Leases":[{"Id":"x"}]}]`, `[{"Id":1}`, `[1,"a",[]]`,
		`[{"id":3,"ID":4}]`, `[{"Id":1e2}]`, `[{"Id":1.5}]`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		d := &pageDecoder[Tenant]{kind: KindTenants, offset: 10, capHint: 4, clean: func(s string) string { return s }}
		err := d.decodeBody([]byte(body))
		var raws []json.RawMessage
		if serr := json.Unmarshal([]byte(body), &raws); serr != nil {
			de, ok := err.(*DecodeError)
			if !ok || de.final == isSyntax(serr) {
				t.Fatalf("body %q: encoding/json says %v; the decoder %#v", body, serr, err)
			}
			return
		}
		if err != nil {
			t.Fatalf("body %q is a list; the decoder failed: %v", body, err)
		}
		if len(d.items)+len(d.bad) != len(raws) {
			t.Fatalf("body %q: %d elements, %d items + %d bad", body, len(raws), len(d.items), len(d.bad))
		}
		bad := map[int]bool{}
		for _, b := range d.bad {
			if b.Offset < 10 || b.Offset >= 10+len(raws) || bad[b.Offset] || b.Reason == "" {
				t.Fatalf("body %q: bad record %+v", body, b)
			}
			bad[b.Offset] = true
		}
		k := 0
		for i, raw := range raws {
			if bad[10+i] {
				continue
			}
			var want Tenant
			if err := json.Unmarshal(raw, &want); err != nil || want.ID <= 0 {
				t.Fatalf("body %q: element %d (%s) is an item; encoding/json: %v, Id %d", body, i, raw, err, want.ID)
			}
			if !reflect.DeepEqual(want, d.items[k]) {
				t.Fatalf("body %q: element %d\nencoding/json %#v\ndecoder       %#v", body, i, want, d.items[k])
			}
			k++
		}
	})
}
