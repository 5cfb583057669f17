package buildium_test

import (
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
// client does (jsonx): before it, the largest share of a full sync's CPU.
func BenchmarkDecodeTenantsPage(b *testing.B) {
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
