package sync_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"b2h/clients/buildium"
	"b2h/clients/hubspot"
	"b2h/clients/sim"
	"b2h/state"
	"b2h/sync"
	"b2h/sync/mapping"
)

// TestCrashChild is the process the crash test kills: it runs one full
// sync against the simulators named in its environment. It does nothing in
// a normal test run.
func TestCrashChild(t *testing.T) {
	if os.Getenv("B2H_CRASH_CHILD") != "1" {
		t.Skip("only runs as the crash test's child process")
	}
	bd, err := buildium.New(buildium.Options{BaseURL: os.Getenv("BUILDIUM_URL"), ClientID: os.Getenv("BUILDIUM_CLIENT_ID"), ClientSecret: os.Getenv("BUILDIUM_CLIENT_SECRET")})
	if err != nil {
		t.Fatal(err)
	}
	hs, err := hubspot.New(hubspot.Options{BaseURL: os.Getenv("HUBSPOT_URL"), Token: os.Getenv("HUBSPOT_ACCESS_TOKEN")})
	if err != nil {
		t.Fatal(err)
	}
	path := os.Getenv("B2H_STATE")
	st, err := state.Open(state.Options{Path: path, Keys: state.NewFileKeyStore(path + ".key"), Timeout: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, err := sync.New(bd, hs, st, nil, sync.Options{Mode: sync.Full, Today: fixedNow}).Run(context.Background()); err != nil {
		t.Fatal(err)
	}
}

// TestCrashConverges SIGKILLs a running sync at random points across all
// stages, restarts it each time, and checks that the state opens and
// verifies after every kill, that HubSpot ends up exactly as after one
// uninterrupted run, with no duplicate, and (last round) that undoing
// every job leaves HubSpot as before. B2H_CRASH_POINTS sets the number of
// kills (default 8; `make crashtest` runs 28).
func TestCrashConverges(t *testing.T) {
	if testing.Short() {
		t.Skip("crash test is long")
	}
	points := 8
	if v, err := strconv.Atoi(os.Getenv("B2H_CRASH_POINTS")); err == nil && v > 0 {
		points = v
	}
	o := sim.Options{Scale: 300, Seed: 11, Tier: "enterprise", Faults: "hubspot.latency=3ms"}

	// The reference: one uninterrupted run, timed.
	ref := newHarness(t, o)
	start := time.Now()
	if _, _, err := ref.run(sync.Options{Mode: sync.Full, Today: fixedNow}); err != nil {
		t.Fatal(err)
	}
	span := time.Since(start)
	want := hubspotContents(t, ref)

	rng := rand.New(rand.NewPCG(42, 7))
	// child runs one full sync against env with the state at statePath and
	// SIGKILLs it after kill (0: let it finish). It reports whether the run
	// finished by itself.
	child := func(env *sim.Env, statePath string, kill time.Duration) bool {
		cmd := exec.Command(os.Args[0], "-test.run=^TestCrashChild$", "-test.count=1")
		cmd.Env = append(os.Environ(), "B2H_CRASH_CHILD=1", "B2H_STATE="+statePath,
			"BUILDIUM_URL="+env.BuildiumURL, "BUILDIUM_CLIENT_ID="+env.BuildiumClientID, "BUILDIUM_CLIENT_SECRET="+env.BuildiumClientSecret,
			"HUBSPOT_URL="+env.HubSpotURL, "HUBSPOT_ACCESS_TOKEN="+env.HubSpotToken)
		out := &strings.Builder{}
		cmd.Stdout, cmd.Stderr = out, out
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		if kill <= 0 {
			if err := <-done; err != nil {
				t.Fatalf("final run failed: %v\n%s", err, out)
			}
			return true
		}
		select {
		case err := <-done:
			if err != nil {
				t.Fatalf("run failed before its kill point: %v\n%s", err, out)
			}
			return true
		case <-time.After(kill):
			_ = cmd.Process.Kill() // SIGKILL: no cleanup, no deferred close
			<-done
			return false
		}
	}
	// Rounds: a fresh HubSpot and state, syncs killed at random points until
	// one finishes by itself, then a last run and the comparison. Only kills
	// that land mid-run count, so every counted point interrupted a sync.
	killed, rounds, tries := 0, 0, 0
	fig := &crashFigures{}
	defer fig.report(t, "full")
	for killed < points {
		rounds++
		env, err := sim.Start(o)
		if err != nil {
			t.Fatal(err)
		}
		statePath := filepath.Join(t.TempDir(), "state.db")
		pre := hubspotContentsEnv(t, env)
		for killed < points && tries < 4*points {
			tries++
			// Child start-up (exec of the test binary) comes first; aim the
			// kill points across the whole sync after it.
			at := 150*time.Millisecond + time.Duration(rng.Float64()*float64(span+span/2))
			fig.attempted++
			if child(env, statePath, at) {
				break
			}
			killed++
			fig.landed++
			if err := checkStateFile(statePath); err != nil {
				fig.corrupt++
				t.Fatalf("round %d: state corrupt after a kill: %v", rounds, err)
			}
		}
		child(env, statePath, 0)
		if err := checkStateFile(statePath); err != nil {
			fig.corrupt++
			t.Fatalf("round %d: state corrupt after the last run: %v", rounds, err)
		}
		fig.compare(t, fmt.Sprintf("round %d", rounds), hubspotContentsEnv(t, env), want)
		if killed >= points || tries >= 4*points {
			// The last round: undo still removes exactly what the
			// interrupted and the final runs created.
			h := &harness{t: t, env: env, path: statePath, keys: state.NewFileKeyStore(statePath + ".key")}
			h.connect()
			fig.undoAll(t, h, pre)
			_ = h.st.Close()
		}
		env.Close()
		if tries >= 4*points {
			break
		}
	}
	t.Logf("%d kill points landed mid-run in %d rounds (%d tries; uninterrupted run: %v); compared %d facts each round", killed, rounds, tries, span, len(want))
	if killed < points {
		t.Fatalf("only %d of %d kills landed during a run", killed, points)
	}
}

// hubspotContents describes HubSpot in terms of Buildium keys, so two
// accounts with different HubSpot ids can be compared: one line per record
// property and per association.
func hubspotContents(t *testing.T, h *harness) map[string]bool {
	return hubspotContentsEnv(t, h.env)
}

func hubspotContentsEnv(t *testing.T, env *sim.Env) map[string]bool {
	t.Helper()
	h := &harness{t: t, env: env}
	var err error
	if h.hs, err = hubspot.New(hubspot.Options{BaseURL: env.HubSpotURL, Token: env.HubSpotToken}); err != nil {
		t.Fatal(err)
	}
	schemas, err := h.hs.ListSchemas(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	types := []string{"contacts", "0-420"}
	for _, s := range schemas {
		types = append(types, s.ObjectTypeID)
	}
	out := map[string]bool{}
	keyOf := map[string]string{} // HubSpot type/id → Buildium key
	ids := map[string][]string{}
	skip := map[string]bool{"hs_object_id": true, "createdate": true, "lastmodifieddate": true, "hs_createdate": true, "hs_lastmodifieddate": true}
	for _, ty := range types {
		props, err := h.hs.ListProperties(context.Background(), ty)
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, p := range props {
			names = append(names, p.Name)
		}
		name := ty
		if strings.HasPrefix(ty, "2-") {
			name = "unit"
		}
		for _, o := range h.readAll(ty, names) {
			key := ""
			for _, k := range []string{mapping.KeyTenant, mapping.KeyEmergencyContact, mapping.KeyUnit, mapping.KeyProperty} {
				if v := o.props[k]; v != "" {
					key = k + "=" + v
					break
				}
			}
			if key == "" {
				key = "nokey:" + o.props["email"]
			}
			if _, dup := keyOf[ty+"/"+o.id]; dup {
				t.Fatalf("id %s listed twice", o.id)
			}
			keyOf[ty+"/"+o.id] = key
			ids[ty] = append(ids[ty], o.id)
			if out[name+"|"+key+"|record"] {
				out[name+"|"+key+"|DUPLICATE "+o.id] = true
			}
			out[name+"|"+key+"|record"] = true
			for k, v := range o.props {
				if !skip[k] && v != "" {
					out[fmt.Sprintf("%s|%s|%s=%s", name, key, k, v)] = true
				}
			}
		}
	}
	for _, from := range types {
		for _, to := range types {
			if len(ids[from]) == 0 || len(ids[to]) == 0 || (from == "0-420" && to == "0-420") || (strings.HasPrefix(from, "2-") && from == to) {
				continue // no association type exists between these
			}
			for a := range h.assocs(from, to, ids[from]) {
				fromID, rest, _ := strings.Cut(a, ">")
				toID, labels, _ := strings.Cut(rest, ":")
				out["assoc|"+keyOf[from+"/"+fromID]+"|"+keyOf[to+"/"+toID]+"|"+labels] = true
			}
		}
	}
	return out
}
