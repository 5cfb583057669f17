package hubspotsim

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"testing"
)

// BenchmarkBatchUpsert measures batch upsert throughput over loopback with
// rate limits off: 100 contacts per request (consecutive requests overlap by
// half, so half the inputs create and half update), trace ids on every
// input. It reports records/s; the response bodies are read and discarded.
func BenchmarkBatchUpsert(b *testing.B) {
	h := newHarness(b, Options{Tier: TierEnterprise, ListingsEnabled: true})
	h.addProperty("contacts", "buildium_tenant_id", "string", "text", true)
	bodies := make([][]byte, 64)
	for i := range bodies {
		var in []map[string]any
		for k := 0; k < 100; k++ {
			n := i*50 + k
			in = append(in, upsertInput(fmt.Sprintf("T%d", n), props{
				"email": fmt.Sprintf("tenant%d@example.com", n), "firstname": "Ten", "lastname": fmt.Sprintf("Ant%d", i),
				"phone": "+1 617 555 0100", "city": "Boston", "zip": "02118",
			}, fmt.Sprintf("t%d", k)))
		}
		bodies[i], _ = json.Marshal(inputs(in...))
	}
	url := h.url + "/crm/v3/objects/contacts/batch/upsert"
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		req, _ := http.NewRequest("POST", url, bytes.NewReader(bodies[i%len(bodies)]))
		req.Header.Set("Authorization", "Bearer "+h.s.Token())
		req.Header.Set("Content-Type", "application/json")
		res, err := h.hc.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, res.Body)
		res.Body.Close()
		if res.StatusCode != 200 {
			b.Fatalf("status %d", res.StatusCode)
		}
	}
	b.ReportMetric(float64(100*b.N)/b.Elapsed().Seconds(), "records/s")
}

// BenchmarkUpsertInProcess measures the simulator alone (no network):
// ServeHTTP on a recorder-like writer.
func BenchmarkUpsertInProcess(b *testing.B) {
	s := New(Options{Tier: TierEnterprise, ListingsEnabled: true})
	body, _ := json.Marshal(map[string]any{"name": "buildium", "label": "Buildium"})
	serve(b, s, "POST", "/crm/v3/properties/contacts/groups", body, 201)
	body, _ = json.Marshal(map[string]any{"name": "buildium_tenant_id", "label": "T", "type": "string", "fieldType": "text", "groupName": "buildium", "hasUniqueValue": true})
	serve(b, s, "POST", "/crm/v3/properties/contacts", body, 201)
	bodies := make([][]byte, 64)
	for i := range bodies {
		var in []map[string]any
		for k := 0; k < 100; k++ {
			n := i*50 + k
			in = append(in, upsertInput(fmt.Sprintf("T%d", n), props{
				"email": fmt.Sprintf("tenant%d@example.com", n), "firstname": "Ten", "lastname": fmt.Sprintf("Ant%d", i),
				"phone": "+1 617 555 0100", "city": "Boston", "zip": "02118",
			}, fmt.Sprintf("t%d", k)))
		}
		bodies[i], _ = json.Marshal(inputs(in...))
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		serve(b, s, "POST", "/crm/v3/objects/contacts/batch/upsert", bodies[i%len(bodies)], 200)
	}
	b.ReportMetric(float64(100*b.N)/b.Elapsed().Seconds(), "records/s")
}

// discardWriter is a minimal http.ResponseWriter.
type discardWriter struct {
	h      http.Header
	status int
}

func (w *discardWriter) Header() http.Header         { return w.h }
func (w *discardWriter) Write(p []byte) (int, error) { return len(p), nil }
func (w *discardWriter) WriteHeader(s int)           { w.status = s }

// serve runs one request in process.
func serve(b testing.TB, s *Server, method, path string, body []byte, want int) {
	req, _ := http.NewRequest(method, path, bytes.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+s.Token())
	w := &discardWriter{h: http.Header{}}
	s.ServeHTTP(w, req)
	if w.status != want {
		b.Fatalf("%s %s: %d, want %d", method, path, w.status, want)
	}
}
