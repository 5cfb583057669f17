package buildiumsim

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"b2h/clients/buildium"
	"b2h/clients/sim/fault"
)

func TestInjectedFaults(t *testing.T) {
	f := newFixture(t, 100)
	for _, tc := range []struct {
		name  string
		spec  string
		check func(t *testing.T, resp *http.Response, body []byte, err error)
	}{
		{"429", "429=1", func(t *testing.T, resp *http.Response, body []byte, err error) {
			if err != nil || resp.StatusCode != http.StatusTooManyRequests {
				t.Fatalf("got %v %v", resp, err)
			}
			apiErr(t, body)
		}},
		{"5xx", "5xx=1", func(t *testing.T, resp *http.Response, body []byte, err error) {
			if err != nil || (resp.StatusCode != 500 && resp.StatusCode != 502 && resp.StatusCode != 503) {
				t.Fatalf("got %v %v", resp, err)
			}
		}},
		{"reset", "reset=1", func(t *testing.T, resp *http.Response, body []byte, err error) {
			if err == nil {
				t.Fatalf("a reset connection answered %d", resp.StatusCode)
			}
		}},
		{"truncate", "truncate=1", func(t *testing.T, resp *http.Response, body []byte, err error) {
			if err == nil {
				var v []buildium.Tenant
				if json.Unmarshal(body, &v) == nil {
					t.Fatal("a truncated body decoded cleanly")
				}
			}
			if resp == nil || resp.StatusCode != 200 {
				t.Fatalf("truncation must come with a 200, got %v", resp)
			}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, err := fault.Parse(tc.spec+",seed=3", "buildium")
			if err != nil {
				t.Fatal(err)
			}
			f.s.SetFaults(p)
			f.s.ResetStats()
			hc := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
			resp, err := hc.Do(f.request("/v1/leases/tenants?limit=20"))
			var body []byte
			if err == nil {
				body, err = io.ReadAll(resp.Body)
				resp.Body.Close()
			}
			tc.check(t, resp, body, err)
			if st := f.s.Stats(); st.Faults != 1 {
				t.Errorf("Stats().Faults = %d, want 1", st.Faults)
			}
		})
	}
	f.s.SetFaults(fault.Profile{})
	if resp, _ := f.get("/v1/rentals"); resp.StatusCode != 200 {
		t.Fatalf("faults cleared, status %d", resp.StatusCode)
	}
}

// TestFaultRateIsPartial checks a mixed profile lets most requests through
// and that the 503 body is Buildium's maintenance answer.
func TestFaultRateIsPartial(t *testing.T) {
	p, _ := fault.Parse("5xx=0.3,seed=11", "buildium")
	f := newFixture(t, 10, func(o *Options) { o.Faults = p })
	codes := map[int]int{}
	for range 60 {
		resp, body := f.get("/v1/rentals")
		codes[resp.StatusCode]++
		if resp.StatusCode == 503 && !strings.Contains(apiErr(t, body).UserMessage, "maintenance") {
			t.Errorf("503 body %s", body)
		}
		if resp.StatusCode == 502 && !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
			t.Errorf("502 Content-Type %q", resp.Header.Get("Content-Type"))
		}
	}
	if codes[200] == 0 || codes[200] == 60 {
		t.Fatalf("status counts %v: want a mix", codes)
	}
}
