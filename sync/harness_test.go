package sync_test

import (
	"context"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"b2h/clients/buildium"
	"b2h/clients/hubspot"
	"b2h/clients/sim"
	"b2h/state"
	"b2h/sync"
)

// harness is one pair of simulators, real clients over loopback, and a
// state file: the whole engine end to end, no mocks.
type harness struct {
	t    testing.TB
	env  *sim.Env
	bd   *buildium.Client
	hs   *hubspot.Client
	st   *state.Store
	path string
	keys state.KeyStore
	// bdRate is the Buildium client's request rate (0: Buildium's 10/s).
	bdRate float64
}

func newHarness(t testing.TB, o sim.Options) *harness {
	t.Helper()
	env, err := sim.Start(o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(env.Close)
	h := &harness{t: t, env: env, path: filepath.Join(t.TempDir(), "state.db"), keys: state.NewMemoryKeyStore()}
	h.connect()
	return h
}

// connect (re)creates the clients and opens the state, as a new process would.
func (h *harness) connect() {
	h.t.Helper()
	var err error
	h.bd, err = buildium.New(buildium.Options{BaseURL: h.env.BuildiumURL, ClientID: h.env.BuildiumClientID, ClientSecret: h.env.BuildiumClientSecret, RatePerSecond: h.bdRate})
	if err != nil {
		h.t.Fatal(err)
	}
	h.hs, err = hubspot.New(hubspot.Options{BaseURL: h.env.HubSpotURL, Token: h.env.HubSpotToken})
	if err != nil {
		h.t.Fatal(err)
	}
	if h.st != nil {
		_ = h.st.Close()
	}
	h.st, err = state.Open(state.Options{Path: h.path, NoSync: true, Keys: h.keys})
	if err != nil {
		h.t.Fatal(err)
	}
	h.t.Cleanup(func() { _ = h.st.Close() })
}

// recorder keeps every event, for assertions on the whole trace.
type recorder struct {
	events []sync.Event
}

func (r *recorder) Report(e sync.Event) { r.events = append(r.events, e) }

func (h *harness) run(o sync.Options) (sync.Summary, *recorder, error) {
	h.t.Helper()
	rec := &recorder{}
	var mu = make(chan struct{}, 1)
	rep := sync.ReporterFunc(func(e sync.Event) {
		mu <- struct{}{}
		rec.Report(e)
		<-mu
	})
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	sum, err := sync.New(h.bd, h.hs, h.st, rep, o).Run(ctx)
	return sum, rec, err
}

// object is one HubSpot record read back through the public API.
type object struct {
	id    string
	props map[string]string
}

// readAll lists every record of objectType through HubSpot's public API.
func (h *harness) readAll(objectType string, props []string) []object {
	h.t.Helper()
	var out []object
	for page, err := range h.hs.ListObjects(context.Background(), objectType, props) {
		if err != nil {
			h.t.Fatalf("list %s: %v", objectType, err)
		}
		for _, o := range page {
			m := map[string]string{}
			for k := range o.Properties {
				m[k] = o.Prop(k)
			}
			out = append(out, object{id: o.ID, props: m})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].id < out[j].id })
	return out
}

// assocs reads the associations of every from-record to toType, as
// "fromID>toID:label" strings.
func (h *harness) assocs(fromType, toType string, fromIDs []string) map[string]bool {
	h.t.Helper()
	out := map[string]bool{}
	for len(fromIDs) > 0 {
		n := min(len(fromIDs), hubspot.MaxAssociationReadInputs)
		res, err := h.hs.BatchReadAssociations(context.Background(), fromType, toType, fromIDs[:n])
		if err != nil {
			h.t.Fatalf("read associations %s→%s: %v", fromType, toType, err)
		}
		for from, tos := range res {
			for _, to := range tos {
				labels := []string{}
				for _, t := range to.Types {
					if t.Label != "" {
						labels = append(labels, t.Label)
					}
				}
				sort.Strings(labels)
				out[from+">"+to.ToObjectID+":"+strings.Join(labels, ",")] = true
			}
		}
		fromIDs = fromIDs[n:]
	}
	return out
}
