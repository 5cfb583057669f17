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

// maxPlanned bounds the plan records kept for drilling in: far above any
// portfolio b2h is built for (the list renders only its visible rows); a
// plan past it says the list was cut.
const maxPlanned = 1_000_000

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
	// A stage that stopped part-way (paused, cancelled) is drawn to its
	// true length: only a finished stage with no total is full.
	switch {
	case s.total > 0:
		return min(1, float64(s.accounted())/float64(s.total))
	case s.done:
		return 1
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
	amen     *sync.AmenitiesRead // the background amenities read, while it runs
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
	case sync.AmenitiesRead:
		a := e
		r.amen = &a
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

// barLines renders one progress line per entity in scope and an overall
// line; cells are separated by at least one space:
//
//	Tenants      ███████░░░░░░   154/300   48/s  ETA 0:03
//
// While properties wait on the background amenities read, their line shows
// "amenities n/N" with that read's rate and ETA instead of a still 0/N.
func (r *runState) barLines(st *theme.Styles, width int, inScope func(mapping.Entity) bool, now time.Time) []string {
	labelW := 19
	if width < 90 {
		labelW = 16
	}
	countW := len("amenities 999,999/999,999")
	if width < 100 {
		countW = len("999,999/999,999")
	}
	const rateW, etaW = 9, 11
	barW := max(8, width-labelW-countW-rateW-etaW-4)
	var out []string
	remaining, accounted := 0, 0
	etaKnown := true
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
		fill := s.percent()
		accounted += s.accounted()
		switch {
		case e == mapping.Properties && !s.done && s.accounted() == 0 && r.amen != nil && r.amen.Done < r.amen.Total && r.amen.Total > 0:
			// Properties wait on the amenities read, started or not.
			a := r.amen
			counts = fmt.Sprintf("%s/%s", num(a.Done), num(a.Total))
			switch {
			case len("amenities "+counts) <= countW:
				counts = "amenities " + counts
			case len("amen. "+counts) <= countW:
				counts = "amen. " + counts
			default:
				name = "Prop. amenities"
			}
			fill = float64(a.Done) / float64(a.Total)
			if a.ElapsedS > 0 && a.Done > 0 {
				rt := float64(a.Done) / a.ElapsedS
				rate = perSecond(rt)
				left := time.Duration(float64(a.Total-a.Done) / rt * float64(time.Second))
				eta = "ETA " + clock(left)
			}
			if s.total > 0 {
				remaining += s.total
			} else {
				etaKnown = false
			}
		case !s.started:
			counts = st.Subtle.Render("waiting")
			etaKnown = false
		default:
			total := s.total
			if total < 0 {
				total = s.counters.Read
				etaKnown = etaKnown && s.done
			}
			counts = fmt.Sprintf("%s/%s", num(s.accounted()), num(total))
			if rt := s.rate(now); rt > 0 {
				rate = perSecond(rt)
				if !s.done && total > s.accounted() {
					eta = "ETA " + clock(time.Duration(float64(total-s.accounted())/rt*float64(time.Second)))
				}
			}
			if !s.done {
				remaining += max(0, total-s.accounted())
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
		line := pad(name, labelW) + s.bar.ViewAs(fill) + " " + padLeft(counts, countW) + " " + padLeft(rate, rateW) + "  " + eta
		out = append(out, cut(line, width))
	}
	out = append(out, cut(r.overallLine(st, labelW, accounted, remaining, etaKnown, now), width))
	return out
}

// overallLine is the run's overall figure: records with an outcome so far
// and, once every stage in scope has a known total, an ETA at the run's
// average rate.
func (r *runState) overallLine(st *theme.Styles, labelW, accounted, remaining int, known bool, now time.Time) string {
	line := st.Label.Render(pad("Overall", labelW)) + num(accounted) + " records"
	if r.finished {
		return line
	}
	d := now.Sub(r.started).Seconds()
	switch {
	case accounted == 0 || d <= 0:
		return line
	case !known:
		return line + st.Subtle.Render(fmt.Sprintf(" %s %s, ETA once every stage has its count", theme.SymDot, perSecond(float64(accounted)/d)))
	}
	rt := float64(accounted) / d
	return line + fmt.Sprintf(" %s %s left %s %s %s ETA %s", theme.SymDot, num(remaining), theme.SymDot, perSecond(rt), theme.SymDot,
		clock(time.Duration(float64(remaining)/rt*float64(time.Second))))
}

// perSecond writes a rate with separators: "143,920/s".
func perSecond(rt float64) string { return num(int(rt+0.5)) + "/s" }

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
