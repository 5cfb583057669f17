package tui

import (
	gosync "sync"
	"time"

	tea "charm.land/bubbletea/v2"

	"b2h/sync"
	"b2h/sync/mapping"
)

// bridgeLimit bounds the events waiting for the UI. Progress is coalesced
// and never counts against it in practice; when a flood of issues fills it,
// Report waits for the UI to drain (back-pressure) rather than drop one.
const bridgeLimit = 4096

// deliverEvery paces deliveries: the UI takes everything pending at most
// this often, so a fast engine costs one Update per frame, not one per
// record, and the screen is never more than a frame behind.
const deliverEvery = 40 * time.Millisecond

// runFinished is the last item of a run's stream: what Engine.Run
// returned. It follows the engine's own Summary event, so a screen that
// sees it has seen every event of the run.
type runFinished struct {
	Summary sync.Summary
	Err     error
}

// EventName implements sync.Event.
func (runFinished) EventName() string { return "run_finished" }

// eventsMsg carries a batch of one run's events, in order, to the screen
// that owns the run (STYLE.md examples 2 and 7).
type eventsMsg struct {
	owner  screenID
	run    int
	events []sync.Event
	last   bool // the batch ends with runFinished: do not re-arm
}

func (m eventsMsg) route() screenID { return m.owner }

// bridge is a sync.Reporter that hands events to Bubble Tea through a
// bounded queue and a re-armed wait Cmd. Progress is coalesced per entity
// (only the newest pending one is kept); every other event is delivered,
// in order, exactly once.
type bridge struct {
	owner screenID
	run   int
	tap   sync.Reporter

	mu       gosync.Mutex
	space    *gosync.Cond
	queue    []sync.Event
	progress map[mapping.Entity]int // index in queue of a pending Progress
	finished bool
	detached bool          // nobody listens any more: never wait for space
	wake     chan struct{} // capacity 1: "something is pending"
}

func newBridge(owner screenID, run int, tap sync.Reporter) *bridge {
	b := &bridge{owner: owner, run: run, tap: tap, progress: map[mapping.Entity]int{}, wake: make(chan struct{}, 1)}
	b.space = gosync.NewCond(&b.mu)
	return b
}

// Report implements sync.Reporter. It is called from engine goroutines.
func (b *bridge) Report(ev sync.Event) {
	if b.tap != nil {
		b.tap.Report(ev)
	}
	b.push(ev)
}

func (b *bridge) push(ev sync.Event) {
	b.mu.Lock()
	defer b.mu.Unlock()
	switch e := ev.(type) {
	case sync.Progress:
		if i, ok := b.progress[e.Entity]; ok {
			b.queue[i] = e // coalesce: the newer counters replace the pending ones
			return
		}
	case sync.StageStarted:
		delete(b.progress, e.Entity)
	case sync.StageDone:
		delete(b.progress, e.Entity) // the final counters travel with StageDone
	}
	if b.detached {
		return
	}
	for len(b.queue) >= bridgeLimit && !b.detached {
		b.space.Wait()
	}
	if p, ok := ev.(sync.Progress); ok {
		b.progress[p.Entity] = len(b.queue)
	}
	b.queue = append(b.queue, ev)
	if _, ok := ev.(runFinished); ok {
		b.finished = true
	}
	select {
	case b.wake <- struct{}{}:
	default:
	}
}

// take removes and returns everything pending.
func (b *bridge) take() (evs []sync.Event, last bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	evs, b.queue = b.queue, nil
	clear(b.progress)
	b.space.Broadcast()
	return evs, b.finished
}

// wait returns a Cmd that blocks until events are pending and delivers them
// all as one eventsMsg. The receiver re-arms it until last.
func (b *bridge) wait() tea.Cmd {
	return func() tea.Msg {
		<-b.wake
		if !b.isFinished() {
			time.Sleep(deliverEvery) // let the batch gather
		}
		evs, last := b.take()
		return eventsMsg{owner: b.owner, run: b.run, events: evs, last: last}
	}
}

func (b *bridge) isFinished() bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.finished
}

// detach stops the bridge from ever blocking the engine: the program is
// leaving and no one will drain it.
func (b *bridge) detach() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.detached = true
	b.queue = nil
	b.space.Broadcast()
}

// start runs fn (an engine run) in the background, registered with the
// tracker: its events go through the bridge and its result is the stream's
// last item.
func (b *bridge) start(tr *tracker, cancel func(), fn func() (sync.Summary, error)) tea.Cmd {
	tr.begin(b, cancel)
	go func() {
		sum, err := fn()
		tr.end(b, sum)
		b.push(runFinished{Summary: sum, Err: err})
	}()
	return b.wait()
}

// tracker knows the engine runs in flight, so leaving the program can stop
// them and wait until each has committed what it acknowledged: the state
// is then consistent and the next run resumes (DESIGN.md §3).
type tracker struct {
	wg   gosync.WaitGroup
	mu   gosync.Mutex
	live map[*bridge]func()
	// stopping is set by stopAll; stopped are the live (not dry) runs that
	// ended after it, i.e. the syncs leaving the program interrupted.
	stopping bool
	stopped  []sync.Summary
}

func newTracker() *tracker { return &tracker{live: map[*bridge]func(){}} }

func (t *tracker) begin(b *bridge, cancel func()) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.wg.Add(1)
	t.live[b] = cancel
}

func (t *tracker) end(b *bridge, sum sync.Summary) {
	t.mu.Lock()
	delete(t.live, b)
	if t.stopping && !sum.DryRun && sum.JobID != "" {
		t.stopped = append(t.stopped, sum)
	}
	t.mu.Unlock()
	t.wg.Done()
}

// leaving records that the program is ending: runs that end from now on
// were interrupted by it.
func (t *tracker) leaving() {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.stopping = true
}

// stopAll cancels every run in flight and waits for them to return. It
// returns the summaries of the live syncs it interrupted.
func (t *tracker) stopAll() []sync.Summary {
	t.mu.Lock()
	t.stopping = true
	for b, cancel := range t.live {
		cancel()
		b.detach()
	}
	t.mu.Unlock()
	t.wg.Wait()
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.stopped
}
