package tui

import (
	"fmt"
	"strings"
	"time"

	"charm.land/bubbles/v2/progress"
	"charm.land/lipgloss/v2"

	"b2h/sync"
	"b2h/sync/mapping"
	"b2h/tui/theme"
)

// maxIssues bounds the issues kept for the live list (the count is exact;
// the report and the ledger have them all).
const maxIssues = 2000

// maxPlanned bounds the plan records kept for drilling in.
const maxPlanned = 20000

// stageState is one entity's progress in a run.
type stageState struct {
	started   bool
	done      bool
	total     int // Buildium's count, -1 unknown
	counters  sync.Counters
	startedAt time.Time
	lastAt    time.Time
	elapsed   float64 // from StageDone
	bar       progress.Model
}

// accounted is how many records of the stage have an outcome.
func (s *stageState) accounted() int { return s.counters.Accounted() }

// percent is the bar's fill.
func (s *stageState) percent() float64 {
	switch {
	case s.done:
		return 1
	case s.total > 0:
		return min(1, float64(s.accounted())/float64(s.total))
	}
	return 0
}

// rate is records per second so far.
func (s *stageState) rate(now time.Time) float64 {
	end := now
	if s.done {
		if s.elapsed > 0 {
			return float64(s.accounted()) / s.elapsed
		}
		end = s.lastAt
	}
	d := end.Sub(s.startedAt).Seconds()
	if d <= 0.05 {
		return 0
	}
	return float64(s.accounted()) / d
}

// runState folds one run's events into what the screens show. It is fed
// only from Update.
type runState struct {
	run      int
	job      string
	phase    string
	stages   map[mapping.Entity]*stageState
	order    []mapping.Entity
	issues   []sync.Issue
	nIssues  int
	throttle *sync.Throttled
	nThrottl int
	paused   *sync.Paused
	planned  []sync.RecordPlanned
	summary  *sync.Summary
	err      error
	finished bool
	started  time.Time
}

func newRunState(run int, st *theme.Styles, now time.Time) *runState {
	r := &runState{run: run, phase: "starting", stages: map[mapping.Entity]*stageState{}, started: now}
	for _, e := range mapping.Entities() {
		opts := []progress.Option{progress.WithFillCharacters('█', '░'), progress.WithoutPercentage()}
		if st.BarFull != nil {
			opts = append(opts, progress.WithColors(st.BarFull))
		}
		bar := progress.New(opts...)
		bar.EmptyColor = st.BarEmpty
		if st.NoColor {
			bar.FullColor, bar.EmptyColor = lipgloss.NoColor{}, lipgloss.NoColor{}
		}
		r.stages[e] = &stageState{total: -1, bar: bar}
	}
	return r
}

// apply folds one event in.
func (r *runState) apply(ev sync.Event, now time.Time) {
	switch e := ev.(type) {
	case sync.JobStarted:
		r.job, r.phase = e.JobID, "checking the account"
	case sync.AccountChecked:
		r.phase = "preparing the HubSpot schema"
	case sync.SchemaReady:
		r.phase = "reading leases from Buildium"
	case sync.StageStarted:
		s := r.stages[e.Entity]
		if s == nil {
			return
		}
		s.started, s.total, s.startedAt, s.lastAt = true, e.Total, now, now
		r.phase = "syncing " + strings.ToLower(entityTitle(e.Entity))
	case sync.Progress:
		// A stage can still account for records after StageDone (held
		// duplicates are tallied last), so later counters win when they
		// account for more.
		if s := r.stages[e.Entity]; s != nil && (!s.done || e.Counters.Accounted() > s.accounted()) {
			s.counters, s.lastAt = e.Counters, now
			if s.done && s.total < s.counters.Read {
				s.total = s.counters.Read
			}
		}
	case sync.StageDone:
		if s := r.stages[e.Entity]; s != nil {
			s.done, s.counters, s.elapsed, s.lastAt = true, e.Counters, e.Elapsed, now
			if s.total < s.counters.Read {
				s.total = s.counters.Read
			}
		}
	case sync.Issue:
		r.nIssues++
		r.issues = append(r.issues, e)
		if len(r.issues) > maxIssues {
			r.issues = r.issues[len(r.issues)-maxIssues:]
		}
	case sync.RecordPlanned:
		if len(r.planned) < maxPlanned {
			r.planned = append(r.planned, e)
		}
	case sync.Throttled:
		r.nThrottl++
		t := e
		r.throttle = &t
	case sync.Paused:
		p := e
		r.paused = &p
	case sync.Summary:
		s := e
		r.summary = &s
	case runFinished:
		r.finished, r.err = true, e.Err
		if r.summary == nil {
			s := e.Summary
			r.summary = &s
		}
		r.phase = "finished"
	}
}

// barLines renders one progress line per entity in scope:
//
//	Tenants      ███████░░░░░░   154/300   48/s  ETA 0:03
func (r *runState) barLines(st *theme.Styles, width int, inScope func(mapping.Entity) bool, now time.Time) []string {
	labelW := 19
	if width < 90 {
		labelW = 16
	}
	const countW, rateW, etaW = 14, 8, 10
	barW := max(8, width-labelW-countW-rateW-etaW-2)
	var out []string
	for _, e := range mapping.Entities() {
		if !inScope(e) {
			continue
		}
		s := r.stages[e]
		name := entityTitle(e)
		if labelW < 19 {
			name = entityShort(e)
		}
		s.bar.SetWidth(barW)
		counts, rate, eta := "", "", ""
		switch {
		case !s.started:
			counts = st.Subtle.Render("waiting")
		default:
			total := s.total
			if total < 0 {
				total = s.counters.Read
			}
			counts = fmt.Sprintf("%s/%s", num(s.accounted()), num(total))
			if rt := s.rate(now); rt > 0 {
				rate = fmt.Sprintf("%.0f/s", rt)
				if !s.done && total > s.accounted() {
					eta = "ETA " + clock(time.Duration(float64(total-s.accounted())/rt*float64(time.Second)))
				}
			}
			switch {
			case s.done && total > s.accounted() && r.stoppedEarly():
				// The run stopped (paused, cancelled, a fatal error) part-way
				// through this stage: the rest is for the next run.
				eta = st.Warn.Render(theme.SymWarn + " stopped")
			case s.done:
				eta = st.OK.Render(theme.SymOK + " done")
			}
		}
		line := pad(name, labelW) + s.bar.ViewAs(s.percent()) + " " + padLeft(counts, countW-1) + padLeft(rate, rateW) + "  " + eta
		out = append(out, cut(line, width))
	}
	return out
}

// stoppedEarly reports whether the run ended before its work was done:
// paused (daily limit, pause key), cancelled or failed.
func (r *runState) stoppedEarly() bool {
	if r.paused != nil {
		return true
	}
	if r.summary == nil {
		return r.finished && r.err != nil
	}
	switch r.summary.Status {
	case sync.StatusDone, sync.StatusDoneWithErrors:
		return false
	}
	return true
}
