package buildiumsim

import (
	"net/http"
	"testing"

	"b2h/clients/sim/gen"
)

// discard is a ResponseWriter that keeps only the status.
type discard struct {
	h      http.Header
	status int
	n      int
}

func (d *discard) Header() http.Header         { return d.h }
func (d *discard) Write(b []byte) (int, error) { d.n += len(b); return len(b), nil }
func (d *discard) WriteHeader(code int)        { d.status = code }

// BenchmarkListPage measures serving one 1,000-record page (filter, page,
// render nested records, encode) at 20,000 tenants.
func BenchmarkListPage(b *testing.B) {
	s := New(Options{Portfolio: gen.Generate(gen.Options{Scale: 20_000, Seed: 1})})
	id, secret := s.Credentials()
	for _, path := range []string{"/v1/leases/tenants", "/v1/leases", "/v1/rentals/units"} {
		b.Run(path, func(b *testing.B) {
			req, _ := http.NewRequest(http.MethodGet, path+"?orderby=Id&limit=1000&offset=5000", nil)
			req.Header.Set("x-buildium-client-id", id)
			req.Header.Set("x-buildium-client-secret", secret)
			b.ReportAllocs()
			var bytes int
			for b.Loop() {
				w := &discard{h: http.Header{}}
				s.ServeHTTP(w, req)
				if w.status != http.StatusOK {
					b.Fatal(w.status)
				}
				bytes = w.n
			}
			b.ReportMetric(float64(bytes), "bytes/page")
			b.ReportMetric(1000*float64(b.N)/b.Elapsed().Seconds(), "records/s")
		})
	}
}
