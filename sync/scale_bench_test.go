package sync_test

import (
	"os"
	"strconv"
	"testing"
	"time"

	"b2h/clients/buildium"
	"b2h/clients/hubspot"
	"b2h/clients/sim"
	"b2h/sync"
)

// benchScale is the portfolio size of BenchmarkSyncScale: B2H_BENCH_SCALE
// tenants, 2,000 unless set (`B2H_BENCH_SCALE=100000 go test -run '^$'
// -bench SyncScale -benchtime 1x ./sync/` measures the DESIGN.md §9 scale).
func benchScale(b *testing.B) int {
	if v := os.Getenv("B2H_BENCH_SCALE"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n <= 0 {
			b.Fatalf("B2H_BENCH_SCALE=%q: want a positive number", v)
		}
		return n
	}
	return 2000
}

// unthrottled replaces a harness's clients with ones that do not pace
// themselves (the simulators run with rate limits off), so the engine's
// own cost is what is measured.
func unthrottled(b testing.TB, h *harness) {
	b.Helper()
	var err error
	h.bd, err = buildium.New(buildium.Options{BaseURL: h.env.BuildiumURL, ClientID: h.env.BuildiumClientID,
		ClientSecret: h.env.BuildiumClientSecret, RatePerSecond: 1e6})
	if err != nil {
		b.Fatal(err)
	}
	h.hs, err = hubspot.New(hubspot.Options{BaseURL: h.env.HubSpotURL, Token: h.env.HubSpotToken,
		InitialRate: hubspot.Rate{Max: 1_000_000, Interval: 10 * time.Second}})
	if err != nil {
		b.Fatal(err)
	}
}

// BenchmarkSyncScale measures the engine end to end, in process, against
// both simulators with rate limits off: a full sync of an empty HubSpot
// account and a no-op incremental after it. It reports Buildium records
// read per second (DESIGN.md §9: tens of thousands on 2 cores). The
// simulators share the process, so their CPU is in the figure too; peak
// memory is measured on the binary by `make bench`, not here.
func BenchmarkSyncScale(b *testing.B) {
	scale := benchScale(b)
	setup := func(b *testing.B) *harness {
		h := newHarness(b, sim.Options{Scale: scale, Seed: 1, Tier: "professional"})
		unthrottled(b, h)
		return h
	}
	measure := func(b *testing.B, h *harness, o sync.Options) {
		before := h.hs.Stats().Writes
		b.StartTimer()
		start := time.Now()
		sum, _, err := h.run(o)
		el := time.Since(start)
		b.StopTimer()
		if err != nil {
			b.Fatal(err)
		}
		read := 0
		for _, c := range sum.Entities {
			read += c.Read
		}
		b.ReportMetric(float64(read)/el.Seconds(), "records/s")
		b.ReportMetric(float64(h.hs.Stats().Writes-before), "hubspot-writes")
	}
	b.Run("full", func(b *testing.B) {
		for range b.N {
			b.StopTimer()
			h := setup(b)
			measure(b, h, sync.Options{Mode: sync.Full})
		}
	})
	b.Run("noop_incremental", func(b *testing.B) {
		for range b.N {
			b.StopTimer()
			h := setup(b)
			if _, _, err := h.run(sync.Options{Mode: sync.Full}); err != nil {
				b.Fatal(err)
			}
			measure(b, h, sync.Options{Mode: sync.Incremental})
		}
	})
}
