package tui

import (
	"context"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"b2h/clients/buildium"
	"b2h/clients/hubspot"
	"b2h/sync"
	"b2h/sync/mapping"
)

// statsEvery is how often the Sync screen reads the clients' counters
// (requests, 429s, retries, daily budget) while a run is in flight.
const statsEvery = 250 * time.Millisecond

// syncPhase is where the Sync screen is.
type syncPhase int

// Sync screen phases.
const (
	syncSetup      syncPhase = iota // choosing mode and scope
	syncConfirm                     // asking before a live write
	syncRunning                     // a run is in flight
	syncPausing                     // pause asked; in-flight batches finishing
	syncPaused                      // stopped, resumable
	syncCancelling                  // cancel asked; in-flight batches finishing
	syncDone                        // finished (done, failed or cancelled)
)

// syncScreen runs the live sync: mode and scope, one progress bar per
// entity with done/total, records/s and ETA, a live issue list, 429s and
// the daily budget, and pause, resume and cancel that leave the state
// consistent (the engine commits every acknowledged batch; a later run
// resumes and converges, DESIGN.md §3).
type syncScreen struct {
	sess          *session
	keys          KeyMap
	width, height int

	phase         syncPhase
	confirmCancel bool
	state         *runState
	br            *bridge
	cancel        context.CancelFunc
	handle        *runHandle
	segments      []sync.Summary // earlier runs of this sync, ended by a pause

	stats apiStats

	issueScroll int // issues scrolled up from the newest
	issueMax    int // the most issueScroll can be (set by the view)
	activity    string
	activityErr error
}

// statsTickMsg asks a screen to read its run's client counters.
type statsTickMsg struct {
	owner screenID
	run   int
}

func (m statsTickMsg) route() screenID { return m.owner }

// statsTick schedules the next statsTickMsg for a run.
func statsTick(owner screenID, run int) tea.Cmd {
	return tea.Tick(statsEvery, func(time.Time) tea.Msg { return statsTickMsg{owner: owner, run: run} })
}

// apiStats are a run's client counters, read on every tick.
type apiStats struct {
	hs     hubspot.Stats
	bd     buildium.Stats
	limits hubspot.LimitsSnapshot
}

// read takes the counters of the run's clients.
func (h *runHandle) read() apiStats {
	if h == nil {
		return apiStats{}
	}
	return apiStats{hs: h.hs.Stats(), bd: h.bd.Stats(), limits: h.hs.Limits()}
}

// activityMsg is the result of "simulate Buildium activity".
type activityMsg struct {
	owner screenID
	text  string
	err   error
}

func (m activityMsg) route() screenID { return m.owner }

// activityCmd runs the demo's Buildium activity for owner.
func activityCmd(sess *session, owner screenID) tea.Cmd {
	fn := sess.deps.Activity
	return func() tea.Msg {
		text, err := fn()
		return activityMsg{owner: owner, text: text, err: err}
	}
}

func newSyncScreen(sess *session) *syncScreen { return &syncScreen{sess: sess, keys: sess.keys} }

// Enter implements Component.
func (s *syncScreen) Enter() tea.Cmd {
	if s.phase == syncDone {
		s.phase, s.state, s.segments = syncSetup, nil, nil
	}
	return reviewCountCmd(s.sess)
}

// Busy implements Component: a run is writing to HubSpot.
func (s *syncScreen) Busy() bool {
	return s.phase == syncRunning || s.phase == syncPausing || s.phase == syncCancelling
}

// Stop cancels the run in flight; Busy turns false once the engine has
// committed what it had acknowledged.
func (s *syncScreen) Stop() {
	if s.Busy() && s.cancel != nil {
		s.cancel()
		if s.phase == syncRunning {
			s.phase = syncCancelling
		}
	}
}

// Typing implements Component.
func (s *syncScreen) Typing() bool { return false }

// SetSize implements Component.
func (s *syncScreen) SetSize(w, h int) { s.width, s.height = w, h }

// Update implements Component.
func (s *syncScreen) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case eventsMsg:
		return s.events(msg)
	case statsTickMsg:
		if s.state == nil || msg.run != s.state.run || s.state.finished {
			return nil
		}
		s.readStats()
		return s.tick()
	case activityMsg:
		s.activity, s.activityErr = msg.text, msg.err
		if msg.err == nil {
			s.sess.mode = sync.Incremental
		}
	case tea.KeyPressMsg:
		return s.key(msg)
	}
	return nil
}

func (s *syncScreen) tick() tea.Cmd { return statsTick(scrSync, s.state.run) }

func (s *syncScreen) readStats() { s.stats = s.handle.read() }

func (s *syncScreen) key(msg tea.KeyPressMsg) tea.Cmd {
	k := s.keys
	if key.Matches(msg, k.ToReview) && s.sess.reviewOpen > 0 && !s.confirmCancel && s.phase != syncConfirm {
		return goToCmd(scrReview)
	}
	if key.Matches(msg, k.Mask) && !s.confirmCancel && s.phase != syncConfirm && s.phase != syncSetup {
		s.sess.mask = !s.sess.mask // names, emails and phones in the issue list
		return nil
	}
	if s.confirmCancel {
		switch {
		case key.Matches(msg, k.Yes):
			s.confirmCancel = false
			if s.phase == syncPaused {
				return s.finish()
			}
			s.Stop()
		case key.Matches(msg, k.No):
			s.confirmCancel = false
		}
		return nil
	}
	switch s.phase {
	case syncSetup:
		return s.setupKey(msg)
	case syncConfirm:
		switch {
		case key.Matches(msg, k.Yes):
			return s.start()
		case key.Matches(msg, k.No):
			s.phase = syncSetup
		}
	case syncRunning:
		switch {
		case key.Matches(msg, k.Pause):
			s.phase = syncPausing
			s.cancel()
		case key.Matches(msg, k.Cancel):
			s.confirmCancel = true
		case s.scrollIssues(msg):
		}
	case syncPaused:
		switch {
		case s.scrollIssues(msg):
		case key.Matches(msg, k.Pause):
			return s.start()
		case key.Matches(msg, k.Cancel):
			s.confirmCancel = true
		}
	case syncDone:
		if key.Matches(msg, k.Summary) {
			return goToCmd(scrSummary)
		}
		s.scrollIssues(msg)
	}
	return nil
}

func (s *syncScreen) setupKey(msg tea.KeyPressMsg) tea.Cmd {
	k := s.keys
	switch {
	case key.Matches(msg, k.Start):
		if s.anyInScope() {
			s.phase = syncConfirm
		}
	case key.Matches(msg, k.Mode):
		s.sess.mode = sync.Full
		if msg.String() == "i" {
			s.sess.mode = sync.Incremental
		}
	case key.Matches(msg, k.Scope):
		i := int(msg.Code - '1')
		if ents := mapping.Entities(); i >= 0 && i < len(ents) {
			s.sess.only[ents[i]] = !s.sess.only[ents[i]]
		}
	case key.Matches(msg, k.Activity) && s.sess.deps.Activity != nil:
		return activityCmd(s.sess, scrSync)
	case key.Matches(msg, k.Back):
		return goToCmd(scrPlan)
	}
	return nil
}

// anyInScope reports whether at least one entity is selected.
func (s *syncScreen) anyInScope() bool {
	for _, e := range mapping.Entities() {
		if s.sess.only[e] {
			return true
		}
	}
	return false
}

// start launches a run (the first, or a resume after a pause).
func (s *syncScreen) start() tea.Cmd {
	if !s.anyInScope() {
		s.phase = syncSetup
		return nil
	}
	if s.state != nil && s.state.summary != nil && s.phase == syncPaused {
		s.segments = append(s.segments, *s.state.summary)
	}
	run := s.sess.nextRun()
	s.state = newRunState(run, s.sess.styles, s.sess.deps.now())
	s.issueScroll, s.stats, s.handle = 0, apiStats{}, nil
	s.br = newBridge(scrSync, run, s.sess.deps.tap)
	h, err := s.sess.newRun(s.br, false)
	if err != nil {
		s.state.apply(runFinished{Err: err}, s.sess.deps.now())
		s.phase = syncDone
		return nil
	}
	s.handle = h
	ctx, cancel := context.WithCancel(s.sess.ctx)
	s.cancel = cancel
	s.phase = syncRunning
	return tea.Batch(s.br.start(s.sess.runs, cancel, func() (sync.Summary, error) {
		defer cancel()
		return h.eng.Run(ctx)
	}), s.tick())
}

func (s *syncScreen) events(msg eventsMsg) tea.Cmd {
	if s.state == nil || msg.run != s.state.run {
		return nil
	}
	now := s.sess.deps.now()
	for _, ev := range msg.events {
		s.state.apply(ev, now)
	}
	if !msg.last {
		return s.br.wait()
	}
	s.readStats()
	sum := *s.state.summary
	s.sess.plan = nil // HubSpot changed: the old plan no longer holds
	switch {
	case s.phase == syncPausing:
		s.phase = syncPaused
	case sum.Status == sync.StatusPaused:
		s.phase = syncPaused // the daily limit: resumable after the reset
	default:
		return s.finish()
	}
	return nil
}

// finish closes this sync: the summary screen shows the last run and the
// segments before it.
func (s *syncScreen) finish() tea.Cmd {
	s.phase = syncDone
	if s.state != nil && s.state.summary != nil {
		s.sess.history = append(s.sess.history, s.segments...)
		s.sess.history = append(s.sess.history, *s.state.summary)
		s.sess.lastSegments = len(s.segments) + 1
	}
	return reviewCountCmd(s.sess) // the run opened or settled items
}

// ShortHelp implements help.KeyMap.
func (s *syncScreen) ShortHelp() []key.Binding {
	k := s.keys
	if s.confirmCancel || s.phase == syncConfirm {
		return []key.Binding{k.Yes, k.No}
	}
	k.ToReview.SetEnabled(s.sess.reviewOpen > 0)
	switch s.phase {
	case syncSetup:
		k.Back.SetHelp("esc", "plan")
		k.Activity.SetEnabled(s.sess.deps.Activity != nil)
		k.Start.SetEnabled(s.anyInScope())
		return []key.Binding{k.Start, k.Mode, k.Scope, k.Activity, k.ToReview, k.Back}
	case syncRunning:
		k.Up.SetHelp("↑/↓", "issues")
		return []key.Binding{k.Pause, k.Cancel, k.Up, k.ToReview}
	case syncPaused:
		k.Pause.SetHelp("p", "resume")
		k.Cancel.SetHelp("x", "stop here")
		k.Up.SetHelp("↑/↓", "issues")
		return []key.Binding{k.Pause, k.Cancel, k.Up, k.ToReview}
	case syncDone:
		k.Up.SetHelp("↑/↓", "issues")
		return []key.Binding{k.Summary, k.ToReview, k.Up}
	}
	return []key.Binding{k.ToReview}
}

// FullHelp implements help.KeyMap.
func (s *syncScreen) FullHelp() [][]key.Binding {
	k := s.keys
	k.Mode.SetHelp("f / i", "full / incremental sync")
	k.Scope.SetHelp("1-5", "toggle an entity in scope")
	k.Activity.SetHelp("a", "simulate Buildium activity (demo)")
	k.Activity.SetEnabled(s.sess.deps.Activity != nil)
	k.Back.SetHelp("esc", "back to the plan")
	k.Pause.SetHelp("p", "pause / resume (running)")
	k.Cancel.SetHelp("x", "cancel (running or paused)")
	k.Up.SetHelp("↑/↓", "scroll the issues")
	k.ToReview.SetHelp("v", "review open duplicates and conflicts")
	k.ToReview.SetEnabled(s.sess.reviewOpen > 0)
	switch {
	case s.confirmCancel || s.phase == syncConfirm:
		return [][]key.Binding{{k.Yes, k.No}}
	case s.phase == syncSetup:
		return [][]key.Binding{{k.Start, k.Mode, k.Scope}, {k.Activity, k.ToReview, k.Back}}
	case s.phase == syncDone:
		return [][]key.Binding{{k.Summary, k.Up, k.ToReview, k.Mask}}
	}
	return [][]key.Binding{{k.Pause, k.Cancel}, {k.Up, k.ToReview, k.Mask}}
}

// scrollIssues moves the issue list for ↑/↓ and reports whether the key
// was one of them.
func (s *syncScreen) scrollIssues(msg tea.KeyPressMsg) bool {
	switch {
	case key.Matches(msg, s.keys.Up):
		s.issueScroll = min(s.issueScroll+1, s.issueMax)
	case key.Matches(msg, s.keys.Down):
		s.issueScroll = max(0, s.issueScroll-1)
	default:
		return false
	}
	return true
}
