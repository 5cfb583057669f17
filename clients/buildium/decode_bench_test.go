package buildium_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"testing"

	"b2h/clients/buildium"
	"b2h/internal/jsonx"
)

// pageBody is one raw page of a list as the simulator sends it.
func pageBody(b *testing.B, path string) []byte {
	b.Helper()
	e := newEnv(&testing.T{}, 3000, nil, nil)
	id, secret := e.sim.Credentials()
	req, _ := http.NewRequest(http.MethodGet, e.url+path+"?limit=1000&offset=0&orderby=Id", nil)
	req.Header.Set("x-buildium-client-id", id)
	req.Header.Set("x-buildium-client-secret", secret)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		b.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != 200 {
		b.Fatalf("%d %v", resp.StatusCode, err)
	}
	return body
}

// BenchmarkDecodeTenantsPage decodes a page of 1,000 tenants the way the
// client does (the whole page with jsonx, then a scan of the Ids): before
// jsonx, the largest share of a full sync's CPU.
func BenchmarkDecodeTenantsPage(b *testing.B) {
	body := pageBody(b, "/v1/leases/tenants")
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		if n, bad, err := buildium.DecodeTenantsPage(body, 1000); err != nil || n != 1000 || bad != 0 {
			b.Fatal(n, bad, err)
		}
	}
}

// BenchmarkDecodeTenantsPageOdd is a page of 1,000 tenants of which one is
// odd (EmergencyContact: []): the page is decoded again record by record.
func BenchmarkDecodeTenantsPageOdd(b *testing.B) {
	body := pageBody(b, "/v1/leases/tenants")
	key := []byte(`"EmergencyContact":`)
	i := bytes.Index(body, key)
	j := i + len(key) // its value: an object (no nested one) or null
	end := j + 4
	if body[j] == '{' {
		end = j + bytes.IndexByte(body[j:], '}') + 1
	}
	odd := append(append(append([]byte{}, body[:i]...), `"EmergencyContact":[]`...), body[end:]...)
	b.SetBytes(int64(len(odd)))
	b.ReportAllocs()
	for b.Loop() {
		if n, bad, err := buildium.DecodeTenantsPage(odd, 1000); err != nil || n != 999 || bad != 1 {
			b.Fatal(n, bad, err)
		}
	}
}

// BenchmarkDecodeTenantsPageJSONX is the page with jsonx alone: what a
// list call did before records were checked one by one.
func BenchmarkDecodeTenantsPageJSONX(b *testing.B) {
	benchDecode(b, jsonx.Unmarshal)
}

// BenchmarkDecodeTenantsPageStdlib is the same page with encoding/json.
func BenchmarkDecodeTenantsPageStdlib(b *testing.B) {
	benchDecode(b, json.Unmarshal)
}

func benchDecode(b *testing.B, unmarshal func([]byte, any) error) {
	body := pageBody(b, "/v1/leases/tenants")
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		items := make([]buildium.Tenant, 0, 1000) // as the client does
		if err := unmarshal(body, &items); err != nil || len(items) != 1000 {
			b.Fatal(len(items), err)
		}
	}
}
