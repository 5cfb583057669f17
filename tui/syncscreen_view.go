package tui

import (
	"fmt"
	"strings"
	"time"

	"b2h/sync"
	"b2h/sync/mapping"
	"b2h/tui/theme"
)

// View implements Component.
func (s *syncScreen) View() string {
	switch s.phase {
	case syncSetup, syncConfirm:
		return s.setupView()
	}
	return s.runView()
}

// target names where the writes go.
func (s *syncScreen) target() string {
	t := "HubSpot portal "
	if s.sess.accounts != nil {
		t += s.sess.accounts.PortalID
	}
	if s.sess.deps.Demo {
		t += " (demo simulator)"
	}
	return t
}

func (s *syncScreen) setupView() string {
	st := s.sess.styles
	var b strings.Builder
	b.WriteString(st.Title.Render("Sync") + st.Subtle.Render("  live write to "+s.target()) + "\n\n")
	radio := func(on bool) string {
		if on {
			return "(•)"
		}
		return "( )"
	}
	b.WriteString(st.Label.Render(pad("Mode", 8)) + radio(s.sess.mode == sync.Full) + " f  full          " + st.Subtle.Render("every record in scope") + "\n")
	b.WriteString(pad("", 8) + radio(s.sess.mode == sync.Incremental) + " i  incremental   " + st.Subtle.Render("what changed in Buildium since the last sync") + "\n\n")
	for i, e := range mapping.Entities() {
		label := ""
		if i == 0 {
			label = "Scope"
		}
		box := "[ ]"
		if s.sess.only[e] {
			box = "[x]"
		}
		b.WriteString(st.Label.Render(pad(label, 8)) + fmt.Sprintf("%s %d  %s", box, i+1, entityTitle(e)) + "\n")
	}
	b.WriteString("\n")
	switch {
	case !s.anyInScope():
		b.WriteString(st.Warn.Render(theme.SymWarn+" Choose at least one entity (1-5).") + "\n")
	case s.sess.plan != nil && s.sess.planFor == s.sess.scope() && s.sess.plan.Predicted != nil:
		pr := s.sess.plan.Predicted
		b.WriteString(st.Subtle.Render(wrap(fmt.Sprintf("The plan for this scope predicted %s HubSpot calls, at least %s.", num(pr.Requests), seconds(pr.MinDurationS)), s.width, 0)) + "\n")
	default:
		b.WriteString(st.Subtle.Render(wrap("No plan for this mode and scope yet: esc goes back to the plan, or start anyway (the engine plans each record before writing it).", s.width, 0)) + "\n")
	}
	if s.activity != "" {
		b.WriteString(st.OK.Render(wrap(theme.SymOK+" Buildium activity simulated: "+s.activity, s.width, 0)) + "\n")
	}
	if s.activityErr != nil {
		b.WriteString(st.Err.Render(wrap(theme.SymErr+" "+safe(s.activityErr.Error()), s.width, 0)) + "\n")
	}
	if s.phase == syncConfirm {
		scope := "all entities"
		if only := s.sess.onlyList(); only != nil {
			scope = entityList(only)
		}
		q := fmt.Sprintf("Start a live %s sync of %s into %s? Every acknowledged batch is committed, so pausing or quitting later is safe.", s.sess.mode, scope, s.target())
		b.WriteString("\n" + st.Modal.Render(wrap(q, min(s.width-6, 72), 0)+"\n\n"+st.Value.Render("y")+" start   "+st.Value.Render("n")+" not now") + "\n")
	}
	return b.String()
}

func (s *syncScreen) runView() string {
	st, r, now := s.sess.styles, s.state, s.sess.deps.now()
	var b strings.Builder
	elapsed := now.Sub(r.started)
	if r.finished && r.summary != nil {
		elapsed = time.Duration(r.summary.DurationS * float64(time.Second))
	}
	head := st.Title.Render("Sync") + st.Subtle.Render(fmt.Sprintf("  %s %s job %s %s %s", s.sess.mode, theme.SymDot, r.job, theme.SymDot, clock(elapsed)))
	if n := len(s.segments); n > 0 {
		head += st.Subtle.Render(fmt.Sprintf(" %s resumed (%d earlier)", theme.SymDot, n))
	}
	b.WriteString(cut(head, s.width) + "\n")
	b.WriteString(s.statusLine() + "\n\n")
	inScope := func(e mapping.Entity) bool { return s.sess.only[e] }
	for _, l := range r.barLines(st, s.width, inScope, now) {
		b.WriteString(l + "\n")
	}
	b.WriteString("\n")
	for _, l := range s.statsLines() {
		b.WriteString(cut(l, s.width) + "\n")
	}
	used := 3 + len(mapping.Entities()) + 1 + 1 + 2 + 1 // head, bars, overall, gap, stats, gap
	if s.confirmCancel {
		q := "Cancel the sync? What HubSpot acknowledged stays, in HubSpot and in state; a later run picks up the rest."
		if s.phase == syncPaused {
			q = "Stop here? What HubSpot acknowledged stays; a later run picks up the rest."
		}
		b.WriteString("\n" + st.Modal.Render(wrap(q, min(s.width-6, 72), 0)+"\n\n"+st.Value.Render("y")+" yes   "+st.Value.Render("n")+" keep going") + "\n")
		return b.String()
	}
	b.WriteString(s.issuesView(s.height - used))
	return b.String()
}

// statusLine says what the run is doing or how it ended.
func (s *syncScreen) statusLine() string {
	st, r := s.sess.styles, s.state
	switch s.phase {
	case syncRunning:
		return s.sess.spinFrame + " " + capital(r.phase) + "…"
	case syncPausing:
		return s.sess.spinFrame + " Pausing: letting the batches in flight finish and commit…"
	case syncCancelling:
		return s.sess.spinFrame + " Cancelling: letting the batches in flight finish and commit…"
	case syncPaused:
		if r.summary != nil && r.summary.Status == sync.StatusPaused && r.summary.ResumeAt != nil {
			return st.Warn.Render(fmt.Sprintf("%s Paused: HubSpot's daily API limit is reached; it resets at %s. p tries again.",
				theme.SymWarn, r.summary.ResumeAt.Local().Format("15:04")))
		}
		return st.Warn.Render(theme.SymWarn + " Paused. Everything acknowledged is committed; p resumes where it stopped.")
	case syncDone:
		sum := r.summary
		switch {
		case sum == nil:
			return st.Err.Render(theme.SymErr + " The sync did not start: " + errText(r.err))
		case sum.Status == sync.StatusDone:
			return st.OK.Render(theme.SymOK + " Sync finished. Press enter for the summary.")
		case sum.Status == sync.StatusDoneWithErrors:
			return st.Warn.Render(theme.SymWarn + " Sync finished with issues. Press enter for the summary.")
		case sum.Status == sync.StatusCancelled:
			return st.Warn.Render(theme.SymWarn + " Sync cancelled; a later run resumes. Press enter for the summary.")
		default:
			why := sum.Error
			if why == "" {
				why = errText(r.err)
			}
			return st.Err.Render(cut(theme.SymErr+" Sync failed: "+safe(why)+". Enter: summary.", s.width))
		}
	}
	return ""
}

func errText(err error) string {
	if err == nil {
		return "unknown error"
	}
	return safe(err.Error())
}

func capital(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// statsLines are the API counters: requests, 429s, retries, budget.
func (s *syncScreen) statsLines() []string {
	st := s.sess.styles
	hs, bd := s.stats.hs, s.stats.bd
	budget := ""
	switch {
	case s.stats.limits.DailyKnown:
		budget = num(s.stats.limits.DailyRemaining) + " left today"
	case s.sess.check != nil:
		budget = "≈" + num(max(0, s.sess.check.DailyRemaining-int(hs.Requests))) + " left today"
	}
	rl := fmt.Sprintf("429s %s", num(hs.RateLimited))
	if hs.RateLimited > 0 {
		rl = st.Warn.Render(rl)
	}
	line1 := fmt.Sprintf("%s %s calls (%s writes) %s %s %s retries %s", st.Label.Render("HubSpot "), num(hs.Requests), num(hs.Writes),
		theme.SymDot, rl, theme.SymDot, num(hs.Retries))
	if budget != "" {
		line1 += fmt.Sprintf(" %s budget %s", theme.SymDot, budget)
	}
	line2 := fmt.Sprintf("%s %s calls %s 429s %s %s retries %s", st.Label.Render("Buildium"), num(bd.Requests), theme.SymDot,
		num(bd.RateLimited), theme.SymDot, num(bd.Retries))
	if t := s.state.throttle; t != nil {
		line2 += st.Warn.Render(fmt.Sprintf(" %s last throttled: %s %s × 429", theme.SymDot, t.API, num(t.Count)))
	}
	return []string{line1, line2}
}

// issuesView lists the newest issues that fit in room lines.
func (s *syncScreen) issuesView(room int) string {
	st, r := s.sess.styles, s.state
	if room < 2 {
		return ""
	}
	var b strings.Builder
	if r.nIssues == 0 {
		b.WriteString(st.Subtle.Render("No issues so far.") + "\n")
		return b.String()
	}
	title := fmt.Sprintf("Issues (%s)", num(r.nIssues))
	if r.nIssues > len(r.issues) {
		title += fmt.Sprintf(", newest %s shown; the ledger and the report have them all", num(len(r.issues)))
	}
	b.WriteString(st.Header.Render(cut(title, s.width)) + "\n")
	rows := room - 1
	s.issueMax = max(0, len(r.issues)-rows)
	end := len(r.issues) - min(s.issueScroll, s.issueMax)
	begin := max(0, end-rows)
	for _, is := range r.issues[begin:end] {
		sym, style := theme.SymWarn, st.Warn.Render
		if is.Action == sync.ActFailed || is.Action == sync.ActInvalid {
			sym, style = theme.SymErr, st.Err.Render
		}
		b.WriteString(style(sym) + " " + cut(s.sess.showIssue(is), s.width-2) + "\n")
	}
	return b.String()
}
