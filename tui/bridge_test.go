package tui

import (
	"fmt"
	gosync "sync"
	"testing"
	"time"

	"b2h/sync"
	"b2h/sync/mapping"
)

func progressEv(e mapping.Entity, created int) sync.Progress {
	c := sync.Counters{Read: 1000, Created: created}
	return sync.Progress{Entity: e, Done: created, Total: 1000, Counters: c}
}

func TestBridgeCoalescesProgressKeepsEverythingElse(t *testing.T) {
	b := newBridge(scrSync, 1, nil)
	b.Report(sync.StageStarted{Entity: mapping.Tenants, Total: 1000})
	for i := 1; i <= 500; i++ {
		b.Report(progressEv(mapping.Tenants, i))
		if i%100 == 0 {
			b.Report(sync.Issue{Entity: mapping.Tenants, SourceID: fmt.Sprint(i), Action: sync.ActInvalid})
		}
	}
	b.Report(sync.StageDone{Entity: mapping.Tenants, Counters: sync.Counters{Read: 1000, Created: 1000}})
	b.Report(progressEv(mapping.Tenants, 1000)) // late counters after StageDone (held duplicates)
	b.Report(sync.Summary{JobID: "j"})
	evs, last := b.take()
	if last {
		t.Fatal("last before runFinished")
	}
	var progs, issues int
	var order []string
	for _, ev := range evs {
		order = append(order, ev.EventName())
		switch e := ev.(type) {
		case sync.Progress:
			progs++
			if progs == 1 && e.Counters.Created != 500 {
				t.Errorf("coalesced progress has created=%d, want the newest (500)", e.Counters.Created)
			}
		case sync.Issue:
			issues++
		}
	}
	if progs != 2 || issues != 5 {
		t.Errorf("got %d progress and %d issues, want 2 (coalesced + the one after StageDone) and 5: %v", progs, issues, order)
	}
	want := []string{"stage_started", "progress", "issue", "issue", "issue", "issue", "issue", "stage_done", "progress", "summary"}
	if fmt.Sprint(order) != fmt.Sprint(want) {
		t.Errorf("order\n got %v\nwant %v", order, want)
	}
}

func TestBridgeNeverDropsUnderBackPressure(t *testing.T) {
	b := newBridge(scrSync, 1, nil)
	const n = bridgeLimit*2 + 17
	go func() {
		for i := range n {
			b.Report(sync.Issue{Entity: mapping.Tenants, SourceID: fmt.Sprint(i)})
		}
		b.push(runFinished{})
	}()
	got, next := 0, 0
	for {
		msg := b.wait()().(eventsMsg)
		for _, ev := range msg.events {
			if is, ok := ev.(sync.Issue); ok {
				if is.SourceID != fmt.Sprint(next) {
					t.Fatalf("issue %s out of order, want %d", is.SourceID, next)
				}
				next++
				got++
			}
		}
		if msg.last {
			break
		}
	}
	if got != n {
		t.Fatalf("delivered %d issues, want %d", got, n)
	}
}

func TestBridgeWaitEndsWithRunFinished(t *testing.T) {
	b := newBridge(scrPlan, 7, nil)
	tr := newTracker()
	cmd := b.start(tr, func() {}, func() (sync.Summary, error) {
		b.Report(sync.JobStarted{JobID: "j1"})
		b.Report(sync.Summary{JobID: "j1", Status: sync.StatusDone})
		return sync.Summary{JobID: "j1", Status: sync.StatusDone}, nil
	})
	var names []string
	for {
		msg := cmd().(eventsMsg)
		if msg.owner != scrPlan || msg.run != 7 {
			t.Fatalf("message tagged %v/%d, want plan/7", msg.owner, msg.run)
		}
		for _, ev := range msg.events {
			names = append(names, ev.EventName())
		}
		if msg.last {
			break
		}
		cmd = b.wait()
	}
	tr.stopAll() // returns: the run has ended
	want := "[job_started summary run_finished]"
	if fmt.Sprint(names) != want {
		t.Fatalf("events %v, want %s", names, want)
	}
}

func TestTrackerStopAllCancelsAndUnblocks(t *testing.T) {
	b := newBridge(scrSync, 1, nil)
	tr := newTracker()
	stop := make(chan struct{})
	var once gosync.Once
	b.start(tr, func() { once.Do(func() { close(stop) }) }, func() (sync.Summary, error) {
		for i := 0; ; i++ { // an engine flooding a UI that no longer drains
			select {
			case <-stop:
				return sync.Summary{Status: sync.StatusCancelled}, nil
			default:
			}
			b.Report(sync.Issue{SourceID: fmt.Sprint(i)})
		}
	})
	done := make(chan struct{})
	go func() { tr.stopAll(); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("stopAll did not return: a blocked Report kept the run alive")
	}
}

// TestTrackerReportsInterruptedSyncs: the live syncs that end once the
// program is leaving are reported (Run then says so and b2h exits 4);
// a dry run, or a sync that ended before, is not.
func TestTrackerReportsInterruptedSyncs(t *testing.T) {
	tr := newTracker()
	run := func(sum sync.Summary) (cancel func()) {
		stop := make(chan struct{})
		var once gosync.Once
		b := newBridge(scrSync, 1, nil)
		b.start(tr, func() { once.Do(func() { close(stop) }) }, func() (sync.Summary, error) {
			<-stop
			return sum, nil
		})
		return func() { once.Do(func() { close(stop) }) }
	}
	early := run(sync.Summary{JobID: "before", Status: sync.StatusDone})
	early()
	for deadline := time.Now().Add(5 * time.Second); ; {
		tr.mu.Lock()
		n := len(tr.live)
		tr.mu.Unlock()
		if n == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the first run did not end")
		}
		time.Sleep(time.Millisecond)
	}
	run(sync.Summary{JobID: "live", Status: sync.StatusCancelled})
	run(sync.Summary{JobID: "plan", DryRun: true, Status: sync.StatusCancelled})
	tr.leaving()
	got := tr.stopAll()
	if len(got) != 1 || got[0].JobID != "live" {
		t.Fatalf("stopAll reported %+v, want the live sync only", got)
	}
}
