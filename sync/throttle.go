package sync

import (
	"time"
)

// throttleEvery is how often the engine looks for new 429s.
const throttleEvery = time.Second

// watchThrottling reports a Throttled event whenever either API answered
// 429 since the last look (the clients retry by themselves; this is what
// a person watching the run sees). It returns the function that stops it,
// after a last look so no 429 goes unreported.
func (e *Engine) watchThrottling() (stop func()) {
	done := make(chan struct{})
	finished := make(chan struct{})
	var lastHS, lastBD int64
	var lastWait time.Duration
	look := func() {
		hs, bd := e.hs.Stats(), e.bd.Stats()
		if n := hs.RateLimited - lastHS; n > 0 {
			e.rep.Report(Throttled{API: "hubspot", Count: n, WaitS: (hs.Waited - lastWait).Seconds()})
		}
		if n := bd.RateLimited - lastBD; n > 0 {
			e.rep.Report(Throttled{API: "buildium", Count: n})
		}
		lastHS, lastBD, lastWait = hs.RateLimited, bd.RateLimited, hs.Waited
	}
	// From the counters the run started with (Run takes them first).
	lastHS, lastWait, lastBD = e.hsBase.RateLimited, e.hsBase.Waited, e.bdBase.RateLimited
	go func() {
		defer close(finished)
		t := time.NewTicker(throttleEvery)
		defer t.Stop()
		for {
			select {
			case <-done:
				look()
				return
			case <-t.C:
				look()
			}
		}
	}()
	return func() {
		close(done)
		<-finished
	}
}
