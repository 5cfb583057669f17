package sync

import (
	"context"
	gosync "sync"

	"b2h/clients/buildium"
)

// amenityFetcher fetches property amenities in the background (one Buildium
// request per property, at Buildium's rate) while the unit, tenant and
// emergency-contact stages keep HubSpot busy, so the slowest API's time is
// spent once, not twice.
type amenityFetcher struct {
	mu   gosync.Mutex
	got  map[int32]*buildium.Amenities
	done map[int32]chan struct{}
	ctx  context.Context
	stop context.CancelFunc
	wg   gosync.WaitGroup
}

// startAmenities begins fetching the amenities of ids, in order.
func (e *Engine) startAmenities(ctx context.Context, ids []int32) *amenityFetcher {
	ctx, cancel := context.WithCancel(ctx)
	f := &amenityFetcher{got: map[int32]*buildium.Amenities{}, done: map[int32]chan struct{}{}, ctx: ctx, stop: cancel}
	for _, id := range ids {
		f.done[id] = make(chan struct{})
	}
	// Two fetchers: Buildium's limiter paces them; two hide each request's
	// latency behind the other's.
	next := make(chan int32)
	total, fetched := len(ids), 0
	start := e.now()
	for range 2 {
		f.wg.Add(1)
		go func() {
			defer f.wg.Done()
			for id := range next {
				a, err := e.bd.Amenities(ctx, id)
				f.mu.Lock()
				if err == nil {
					f.got[id] = &a
				} else if ctx.Err() == nil {
					e.log.Warn("amenities unavailable", "property", id, "err", err)
				}
				fetched++
				n := fetched
				f.mu.Unlock()
				close(f.done[id])
				// Properties wait on these: the screens show them moving, at
				// most a hundred steps a run.
				if step := max(1, total/100); n%step == 0 || n == total {
					e.rep.Report(AmenitiesRead{Done: n, Total: total, ElapsedS: e.now().Sub(start).Seconds()})
				}
			}
		}()
	}
	go func() {
		defer close(next)
		for _, id := range ids {
			select {
			case next <- id:
			case <-ctx.Done():
				return
			}
		}
	}()
	return f
}

// get waits for one property's amenities; nil when they could not be read
// or were not requested.
func (f *amenityFetcher) get(ctx context.Context, id int32) *buildium.Amenities {
	if f == nil {
		return nil
	}
	ch, ok := f.done[id]
	if !ok {
		return nil
	}
	select {
	case <-ch:
	case <-ctx.Done():
		return nil
	case <-f.ctx.Done():
		return nil
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.got[id]
}

// close stops the fetchers.
func (f *amenityFetcher) close() {
	if f == nil {
		return
	}
	f.stop()
	f.wg.Wait()
}
