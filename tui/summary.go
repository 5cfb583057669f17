package tui

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"b2h/sync"
	"b2h/sync/mapping"
	"b2h/tui/theme"
)

// summaryScreen closes a sync: the engine's final counts per entity, the
// API figures, the review queue and the report, and (in the demo) a way
// to make Buildium change so an incremental sync has something to do.
type summaryScreen struct {
	sess          *session
	keys          KeyMap
	width, height int

	activity    string
	activityErr error
	wrote       string // the report written with WriteReport
	writeErr    error
}

// reportMsg is the outcome of writing the report.
type reportMsg struct {
	path string
	err  error
}

func (reportMsg) route() screenID { return scrSummary }

func newSummaryScreen(sess *session) *summaryScreen {
	return &summaryScreen{sess: sess, keys: sess.keys}
}

// Enter implements Component: it counts the review queue afresh.
func (s *summaryScreen) Enter() tea.Cmd {
	s.activity, s.activityErr = "", nil
	return reviewCountCmd(s.sess)
}

// Update implements Component.
func (s *summaryScreen) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case activityMsg:
		s.activity, s.activityErr = msg.text, msg.err
		if msg.err == nil {
			s.sess.mode = sync.Incremental
		}
	case tea.KeyPressMsg:
		switch {
		case key.Matches(msg, s.keys.SyncAgain):
			return goToCmd(scrSync)
		case key.Matches(msg, s.keys.ToReview) && s.sess.reviewOpen > 0:
			return goToCmd(scrReview)
		case key.Matches(msg, s.keys.Activity) && s.sess.deps.Activity != nil:
			return activityCmd(s.sess, scrSummary)
		case key.Matches(msg, s.keys.WriteReport) && s.sess.deps.WriteReport != nil:
			if last := s.last(); last != nil && last.JobID != "" {
				write, job := s.sess.deps.WriteReport, last.JobID
				return func() tea.Msg {
					p, err := write(job)
					return reportMsg{path: p, err: err}
				}
			}
		}
	case reportMsg:
		s.wrote, s.writeErr = msg.path, msg.err
	}
	return nil
}

// last returns the last run's summary, or nil.
func (s *summaryScreen) last() *sync.Summary {
	if len(s.sess.history) == 0 {
		return nil
	}
	return &s.sess.history[len(s.sess.history)-1]
}

// SetSize implements Component.
func (s *summaryScreen) SetSize(w, h int) { s.width, s.height = w, h }

// Busy implements Component.
func (s *summaryScreen) Busy() bool { return false }

// Typing implements Component.
func (s *summaryScreen) Typing() bool { return false }

// View implements Component.
func (s *summaryScreen) View() string {
	st := s.sess.styles
	sum := s.last()
	if sum == nil {
		return st.Subtle.Render("No sync has run yet.")
	}
	var b strings.Builder
	sym, style, word := theme.SymOK, st.OK.Render, "done"
	switch sum.Status {
	case sync.StatusDoneWithErrors:
		sym, style, word = theme.SymWarn, st.Warn.Render, "done with issues"
	case sync.StatusCancelled:
		sym, style, word = theme.SymWarn, st.Warn.Render, "cancelled"
	case sync.StatusPaused:
		sym, style, word = theme.SymWarn, st.Warn.Render, "paused"
	case sync.StatusFailed:
		sym, style, word = theme.SymErr, st.Err.Render, "failed"
	}
	b.WriteString(style(sym+" Sync "+word) + st.Subtle.Render(fmt.Sprintf("  %s %s job %s %s %s", sum.Mode, theme.SymDot, sum.JobID, theme.SymDot, seconds(sum.DurationS))) + "\n")
	ents := sum.Entities
	if n := s.sess.lastSegments; n > 1 {
		earlier := s.sess.history[len(s.sess.history)-n : len(s.sess.history)-1]
		var parts []string
		for _, e := range earlier {
			var c sync.Counters
			for _, x := range e.Entities {
				c.Add(x)
			}
			parts = append(parts, fmt.Sprintf("job %s paused after creating %s and updating %s", e.JobID, num(c.Created), num(c.Updated)))
		}
		ents = cumulative(earlier, *sum)
		b.WriteString(st.Subtle.Render(wrap(fmt.Sprintf("Resumed: %s. The table adds up all %d runs: what an earlier run wrote counts as created or updated, not unchanged.",
			strings.Join(parts, "; "), n), s.width, 0)) + "\n")
	}
	if sum.Error != "" {
		b.WriteString(style(wrap(safe(sum.Error), s.width, 2)) + "\n")
	}
	b.WriteString("\n")
	for _, l := range countsTable(st, s.width, ents, summaryColumns) {
		b.WriteString(l + "\n")
	}
	b.WriteString("\n")
	b.WriteString(cut(fmt.Sprintf("%s %s calls (%s writes, %s × 429) %s %s %s calls", st.Label.Render("HubSpot"), num(sum.HubSpot.Requests), num(sum.HubSpot.Writes),
		num(sum.HubSpot.RateLimited), theme.SymDot, st.Label.Render("Buildium"), num(sum.Buildium.Requests)), s.width) + "\n")
	switch n := s.sess.reviewOpen; {
	case s.sess.reviewErr != nil:
		b.WriteString(st.Err.Render(cut(theme.SymErr+" Review queue unreadable: "+safe(s.sess.reviewErr.Error()), s.width)) + "\n")
	case n > 0 && s.sess.reviewDecided >= n:
		b.WriteString(st.OK.Render(theme.SymOK) + cut(fmt.Sprintf(" Review queue: %s decided; the next sync applies them (s)", num(n)), s.width-2) + "\n")
	case n > 0 && s.sess.reviewDecided > 0:
		b.WriteString(st.Warn.Render(theme.SymWarn) + cut(fmt.Sprintf(" Review queue: %s to decide (press v), %s decided for the next sync", num(n-s.sess.reviewDecided), num(s.sess.reviewDecided)), s.width-2) + "\n")
	case n > 0:
		b.WriteString(st.Warn.Render(theme.SymWarn) + cut(fmt.Sprintf(" Review queue: %s open (duplicates, conflicts): press v to decide them", num(n)), s.width-2) + "\n")
	case n == 0:
		b.WriteString(st.OK.Render(theme.SymOK) + " Review queue: nothing waiting.\n")
	}
	switch {
	case s.wrote != "":
		b.WriteString(st.OK.Render(theme.SymOK) + cut(fmt.Sprintf(" Report written to %s", s.wrote), s.width-2) + "\n")
	case s.writeErr != nil:
		b.WriteString(st.Err.Render(wrap(theme.SymErr+" "+safe(s.writeErr.Error()), s.width, 2)) + "\n")
	case s.sess.deps.TempState && s.sess.deps.WriteReport != nil:
		b.WriteString(cut(fmt.Sprintf("%s press w to write it here: the demo's state is deleted on exit", st.Label.Render("Report")), s.width) + "\n")
	default:
		b.WriteString(cut(fmt.Sprintf("%s b2h report --job %s --format html -o report.html", st.Label.Render("Report"), sum.JobID), s.width) + "\n")
	}
	if s.sess.deps.TempState {
		b.WriteString(cut(st.Label.Render("State ")+" temporary (run b2h --demo --state FILE to keep it)", s.width) + "\n")
	} else {
		b.WriteString(cut(st.Label.Render("State ")+" "+s.sess.deps.Store.Path(), s.width) + "\n")
	}
	if s.activity != "" {
		b.WriteString("\n" + st.OK.Render(wrap(theme.SymOK+" Buildium activity simulated: "+s.activity+". Press s for an incremental sync.", s.width, 0)) + "\n")
	}
	if s.activityErr != nil {
		b.WriteString("\n" + st.Err.Render(wrap(theme.SymErr+" "+safe(s.activityErr.Error()), s.width, 0)) + "\n")
	}
	return b.String()
}

// ShortHelp implements help.KeyMap.
func (s *summaryScreen) ShortHelp() []key.Binding {
	k := s.keys
	k.Activity.SetEnabled(s.sess.deps.Activity != nil)
	k.ToReview.SetEnabled(s.sess.reviewOpen > 0)
	k.WriteReport.SetEnabled(s.sess.deps.WriteReport != nil)
	return []key.Binding{k.ToReview, k.SyncAgain, k.Activity, k.WriteReport}
}

// FullHelp implements help.KeyMap.
func (s *summaryScreen) FullHelp() [][]key.Binding { return [][]key.Binding{s.ShortHelp()} }

// cumulative is a sync's counts over all its runs, a paused run and its
// resumes: the final run read everything again, so its read, skipped,
// invalid, failed, duplicate and conflict figures stand; writes add up over
// the runs, and a record an earlier run wrote, which the final run found
// unchanged, leaves the unchanged column for the earlier run's write.
func cumulative(earlier []sync.Summary, last sync.Summary) map[mapping.Entity]sync.Counters {
	out := map[mapping.Entity]sync.Counters{}
	for e, c := range last.Entities {
		out[e] = c
	}
	for _, run := range earlier {
		for e, c := range run.Entities {
			t := out[e]
			t.Created += c.Created
			t.Updated += c.Updated
			t.Unchanged = max(0, t.Unchanged-c.Created-c.Updated)
			out[e] = t
		}
	}
	return out
}
