package hubspotsim

import (
	"encoding/json"
	"io"
	"net/http"
	"testing"

	"b2h/clients/sim/fault"
)

func TestInjectedFaults(t *testing.T) {
	cases := []struct {
		name    string
		profile fault.Profile
		check   func(t *testing.T, r resp)
	}{
		// ref: hubspot-api.md §13.1 "429 storms" with the TEN_SECONDLY_ROLLING body of §9
		{"429 storm", fault.Profile{RateLimit: 1}, func(t *testing.T, r resp) {
			check429(t, r, "TEN_SECONDLY_ROLLING", "You have reached your ten_secondly_rolling limit.")
		}},
		// ref: hubspot-api.md §10 "502/503/504/524 transient"
		{"5xx", fault.Profile{ServerError: 1}, func(t *testing.T, r resp) {
			if r.status != 500 && r.status != 502 && r.status != 503 {
				t.Errorf("status %d", r.status)
			}
		}},
		// ref: hubspot-api.md §3 "423 Locked … wait ≥2 s"
		{"423", fault.Profile{Locked: 1}, func(t *testing.T, r resp) {
			r.want(t, 423)
			if r.header.Get("Retry-After") != "2" || r.str("status") != "error" {
				t.Errorf("423 = %v %s", r.header, r.raw)
			}
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, Options{Faults: tc.profile})
			tc.check(t, h.do("GET", "/crm/v3/objects/contacts", nil))
			h.s.SetFaults(fault.Profile{})
			h.do("GET", "/crm/v3/objects/contacts", nil).want(t, 200)
		})
	}
}

func TestResetAndTruncate(t *testing.T) {
	h := newHarness(t, Options{Faults: fault.Profile{Reset: 1}})
	req, _ := http.NewRequest("GET", h.url+"/crm/v3/objects/contacts", nil)
	req.Header.Set("Authorization", "Bearer "+h.s.Token())
	if res, err := h.hc.Do(req); err == nil {
		res.Body.Close()
		t.Errorf("reset fault answered %d", res.StatusCode)
	}
	h.s.SetFaults(fault.Profile{Truncate: 1})
	res, err := h.hc.Do(req)
	if err != nil {
		t.Fatalf("truncate: %v", err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 200 || json.Valid(body) {
		t.Errorf("truncated response: %d %q", res.StatusCode, body)
	}
	if st := h.s.Stats(); st.Errors[0] != 1 {
		t.Errorf("resets counted = %d", st.Errors[0])
	}
}

func TestFailNext(t *testing.T) {
	h := newHarness(t, Options{})
	h.s.FailNext(477, 1)
	h.s.FailNext(502, 1)
	// ref: hubspot-api.md §10 "477 migration in progress (honour Retry-After)"; §14 "423/477 injectable"
	r := h.do("GET", "/crm/v3/objects/contacts", nil).want(t, 477)
	if r.header.Get("Retry-After") == "" || r.str("correlationId") == "" {
		t.Errorf("477 = %v %s", r.header, r.raw)
	}
	h.do("GET", "/crm/v3/objects/contacts", nil).want(t, 502)
	h.do("GET", "/crm/v3/objects/contacts", nil).want(t, 200)
}
