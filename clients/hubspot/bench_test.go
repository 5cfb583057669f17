package hubspot

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"b2h/clients/sim/hubspotsim"
)

// BenchmarkBatchUpsert measures BatchUpsert throughput (records per second)
// against the simulator with its rate limits off, so the client's own
// overhead (encoding, limiter, decoding) and the loopback round trip are
// what is measured. Each op is one batch of MaxBatchInputs contacts; every
// batch after the first round updates existing records.
func BenchmarkBatchUpsert(b *testing.B) {
	benchUpsert(b, (*Client).BatchUpsert)
}

// BenchmarkBatchUpsertKeys is BenchmarkBatchUpsert with BatchUpsertKeys,
// the engine's call: the echoed properties are not decoded.
func BenchmarkBatchUpsertKeys(b *testing.B) {
	benchUpsert(b, (*Client).BatchUpsertKeys)
}

func benchUpsert(b *testing.B, upsert func(*Client, context.Context, string, []UpsertInput) (*BatchResult, error)) {
	for _, workers := range []int{1, 8} {
		b.Run(map[int]string{1: "serial", 8: "8-workers"}[workers], func(b *testing.B) {
			sim, url := startSim(b, hubspotsim.Options{})
			c, err := New(Options{BaseURL: url, Token: sim.Token(), InitialRate: unlimited})
			if err != nil {
				b.Fatal(err)
			}
			bootstrapContacts(b, c)
			const distinct = 50 // batches of distinct keys, then upserts repeat
			batches := make([][]UpsertInput, distinct)
			for i := range batches {
				batches[i] = tenants(i*MaxBatchInputs, MaxBatchInputs)
			}
			var next atomic.Int64
			b.SetParallelism(workers)
			b.ReportAllocs()
			start := time.Now()
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					i := next.Add(1) - 1
					r, err := upsert(c, context.Background(), "contacts", batches[i%distinct])
					if err != nil {
						b.Error(err)
						return
					}
					if len(r.Results) != MaxBatchInputs {
						b.Errorf("%d results", len(r.Results))
						return
					}
				}
			})
			b.StopTimer()
			b.ReportMetric(float64(b.N*MaxBatchInputs)/time.Since(start).Seconds(), "records/s")
		})
	}
}
