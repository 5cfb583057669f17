// Package tui is b2h's guided terminal UI (Bubble Tea v2): Connect →
// Check → Map → Plan → Sync → Done (DESIGN.md §7). It imports sync, state
// and the clients, never the reverse: engine progress arrives as
// sync.Events through a bridge (bridge.go) that coalesces progress and
// never drops a stage end, an issue or the summary.
//
// The root Model is a screen enum plus one Component per screen
// (component.go). It handles what is global — size, help, quitting, the
// spinner, navigation — and routes everything else to the screen that owns
// it.
package tui

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"b2h/sync"
	"b2h/sync/mapping"
	"b2h/tui/theme"
)

// Minimum terminal size the UI lays itself out for.
const (
	minWidth  = 60
	minHeight = 16
)

// Model is the root model.
type Model struct {
	sess *session

	connect *connectScreen
	check   *checkScreen
	mapper  *mapScreen
	plan    *planScreen
	sync    *syncScreen
	summary *summaryScreen
	review  *reviewScreen

	active   screenID
	reached  screenID // the furthest screen reached, for the breadcrumb
	help     help.Model
	spinner  spinner.Model
	showHelp bool
	// confirmQuit asks before leaving a running sync; quitting waits for
	// runs in flight to stop and commit before the program ends.
	confirmQuit bool
	quitting    bool

	width, height int
}

// New returns the root model. ctx bounds every check and run it starts.
func New(ctx context.Context, deps Deps) Model {
	st := theme.New(deps.NoColor)
	sess := &session{deps: &deps, ctx: ctx, runs: newTracker(), styles: st, keys: DefaultKeyMap(),
		mode: sync.Full, only: map[mapping.Entity]bool{}, reviewOpen: -1}
	for _, e := range mapping.Entities() {
		sess.only[e] = true
	}
	sp := spinner.New(spinner.WithSpinner(spinner.MiniDot), spinner.WithStyle(st.Title))
	sess.spinFrame = sp.View()
	hm := help.New()
	hm.Styles = st.Help
	syncScr := newSyncScreen(sess)
	m := Model{
		sess: sess, help: hm, spinner: sp, width: 80, height: 24,
		connect: newConnectScreen(sess), check: newCheckScreen(sess), mapper: newMapScreen(sess),
		plan: newPlanScreen(sess), sync: syncScr, summary: newSummaryScreen(sess),
		review: newReviewScreen(sess, syncScr.Busy),
	}
	if deps.StartReview {
		m.active = scrReview
	}
	m.resize()
	return m
}

// screen returns the component of id.
func (m Model) screen(id screenID) Component {
	switch id {
	case scrCheck:
		return m.check
	case scrMap:
		return m.mapper
	case scrPlan:
		return m.plan
	case scrSync:
		return m.sync
	case scrSummary:
		return m.summary
	case scrReview:
		return m.review
	}
	return m.connect
}

// Init implements tea.Model.
func (m Model) Init() tea.Cmd {
	return tea.Batch(m.spinner.Tick, m.screen(m.active).Enter())
}

// busy reports whether any screen has work that quitting would interrupt.
func (m Model) busy() bool { return m.sync.Busy() || m.plan.Busy() }

// Update implements tea.Model.
func (m Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	var cmd tea.Cmd
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
		m.resize()
		return m, nil
	case spinner.TickMsg:
		m.spinner, cmd = m.spinner.Update(msg)
		m.sess.spinFrame = m.spinner.View()
		return m, cmd
	case goTo:
		return m.navigate(screenID(msg))
	case reviewCountMsg:
		m.sess.reviewOpen, m.sess.reviewDecided, m.sess.reviewErr = msg.n, msg.decided, msg.err
		return m, nil
	case tea.KeyPressMsg:
		return m.key(msg)
	case routed:
		cmd = m.screen(msg.route()).Update(msg)
	default:
		cmd = m.screen(m.active).Update(msg)
	}
	if m.quitting && !m.busy() {
		return m, tea.Quit // every run has stopped and committed
	}
	return m, cmd
}

// key handles the global keys and forwards the rest to the active screen.
func (m Model) key(msg tea.KeyPressMsg) (tea.Model, tea.Cmd) {
	k, scr := m.sess.keys, m.screen(m.active)
	switch {
	case m.quitting:
		if key.Matches(msg, k.ForceQuit) {
			return m, tea.Quit // a second ctrl+c: Run still waits for the engine
		}
		return m, nil
	case m.confirmQuit:
		switch {
		case key.Matches(msg, k.Yes), key.Matches(msg, k.ForceQuit):
			m.confirmQuit = false
			return m.quit()
		case key.Matches(msg, k.No):
			m.confirmQuit = false
		}
		return m, nil
	case key.Matches(msg, k.ForceQuit), key.Matches(msg, k.Quit) && !scr.Typing():
		if m.sync.Busy() {
			m.confirmQuit = true
			return m, nil
		}
		return m.quit()
	case m.showHelp && (key.Matches(msg, k.Help) || key.Matches(msg, k.Back)):
		m.showHelp = false
		return m, nil
	case key.Matches(msg, k.Help) && !scr.Typing():
		m.showHelp = true
		return m, nil
	case m.showHelp:
		return m, nil
	}
	return m, scr.Update(msg)
}

// quit ends the program once nothing is in flight: runs are cancelled and
// the program waits until the engine has committed what it acknowledged.
func (m Model) quit() (tea.Model, tea.Cmd) {
	if !m.busy() {
		return m, tea.Quit
	}
	m.quitting = true
	m.sess.runs.leaving() // the syncs stopped from here on are interrupted ones
	m.sync.Stop()
	m.plan.Stop()
	return m, nil
}

// navigate makes id the active screen.
func (m Model) navigate(id screenID) (tea.Model, tea.Cmd) {
	if id == scrConnect && m.active != scrConnect {
		m.mapper.reset()
	}
	if id == scrReview && m.active != scrReview {
		m.review.from, m.review.hasFrom = m.active, true
	}
	m.active = id
	if id < numFlow {
		m.reached = max(m.reached, id)
	}
	m.showHelp = false
	if id == scrCheck && m.sess.check == nil {
		m.mapper.reset() // new accounts: new samples
	}
	return m, m.screen(id).Enter()
}

// bodyHeight is the height screens get.
func (m Model) bodyHeight() int { return max(1, m.height-3) }

// maxBodyWidth caps the screens' width: lines longer than this are hard
// to read, and bars stretched across 200 columns say nothing more.
const maxBodyWidth = 120

func (m *Model) resize() {
	m.help.SetWidth(m.width)
	for id := range numScreens {
		w := min(m.width, maxBodyWidth)
		if id == scrReview {
			w = m.width // side by side: the columns use every cell
		}
		m.screen(id).SetSize(w, m.bodyHeight())
	}
}

// View implements tea.Model.
func (m Model) View() tea.View {
	v := tea.NewView(m.render())
	v.AltScreen = true
	v.WindowTitle = "b2h — " + m.active.title()
	return v
}

// render draws the whole screen as text.
func (m Model) render() string {
	st := m.sess.styles
	if m.width < minWidth || m.height < minHeight {
		return wrap(fmt.Sprintf("b2h needs a terminal of at least %d×%d; this one is %d×%d. Enlarge it (or press ctrl+c to quit).",
			minWidth, minHeight, m.width, m.height), max(20, m.width), 0)
	}
	scr := m.screen(m.active)
	var body string
	switch {
	case m.quitting:
		body = m.modal(m.sess.spinFrame + " Stopping: letting the batches in flight finish and commit…")
	case m.confirmQuit:
		rest := "What HubSpot acknowledged stays, in HubSpot and in state; the next run picks up the rest."
		if m.sess.deps.TempState {
			rest = "This demo's state is deleted on exit: the next demo starts again from scratch."
		}
		body = m.modal("A sync is running. Quit now?\n\n" + rest + "\n\n" +
			st.Value.Render("y") + " quit   " + st.Value.Render("n") + " keep syncing")
	case m.showHelp:
		body = st.Title.Render("Keys on this screen") + "\n\n" + m.help.FullHelpView(scr.FullHelp()) +
			"\n\n" + st.Subtle.Render("Everywhere: ? this help · q quit (asks first while a sync runs) · ctrl+c quit")
	default:
		body = scr.View()
	}
	var footer string
	switch {
	case m.confirmQuit, m.quitting:
		footer = ""
	case m.showHelp:
		footer = m.help.ShortHelpView([]key.Binding{m.helpKey(true), m.sess.keys.Quit})
	default:
		footer = m.footer(scr)
	}
	return m.header() + "\n\n" + fit(body, m.bodyHeight()) + "\n" + footer
}

// footer is the short help: the screen's keys that fit, then the global
// ones, which are never cut (they lead to everything else).
func (m Model) footer(scr Component) string {
	own, global := scr.ShortHelp(), m.globalKeys(scr)
	measure := m.help
	measure.SetWidth(0)
	for len(own) > 0 && lipgloss.Width(measure.ShortHelpView(append(append([]key.Binding{}, own...), global...))) > m.width {
		own = own[:len(own)-1]
	}
	return m.help.ShortHelpView(append(own, global...))
}

// globalKeys are the keys every screen has.
func (m Model) globalKeys(scr Component) []key.Binding {
	k := m.sess.keys
	quit := k.Quit
	if scr.Typing() {
		quit = k.ForceQuit
	}
	return []key.Binding{m.helpKey(false), quit}
}

func (m Model) helpKey(open bool) key.Binding {
	k := m.sess.keys.Help
	if open {
		k.SetHelp("?/esc", "close help")
	}
	if m.screen(m.active).Typing() {
		k.SetEnabled(false)
	}
	return k
}

// modal centres a bordered box in the body.
func (m Model) modal(text string) string {
	box := m.sess.styles.Modal.Render(wrap(text, min(m.width-8, 64), 0))
	return lipgloss.Place(m.width, m.bodyHeight(), lipgloss.Center, lipgloss.Center, box)
}

// header draws the brand and the breadcrumb of steps.
func (m Model) header() string {
	st := m.sess.styles
	h := st.App.Render("b2h")
	if m.sess.deps.Demo {
		h += " " + st.Badge.Render("DEMO")
	}
	var steps []string
	for id := range numFlow {
		name := id.title()
		switch {
		case id == m.active:
			steps = append(steps, st.StepNow.Render(name))
		case id < m.reached || id < m.active && m.active < numFlow:
			steps = append(steps, st.StepDone.Render(name))
		default:
			steps = append(steps, st.StepTodo.Render(name))
		}
	}
	crumb := strings.Join(steps, st.StepTodo.Render(" › "))
	if m.active == scrReview {
		crumb += st.StepTodo.Render(" │ ") + st.StepNow.Render(scrReview.title())
	}
	return cut(h+"  "+crumb, m.width)
}

// Run runs the guided TUI until the person quits. It returns only once
// every engine run it started has stopped and committed, so the state is
// consistent for the next run.
func Run(ctx context.Context, deps Deps, opts ...tea.ProgramOption) error {
	if deps.Connect == nil || deps.Store == nil {
		return errors.New("tui: Deps.Connect and Deps.Store are required")
	}
	m := New(ctx, deps)
	p := tea.NewProgram(m, append([]tea.ProgramOption{tea.WithContext(ctx)}, opts...)...)
	_, err := p.Run()
	stopped := m.sess.runs.stopAll()
	if errors.Is(err, tea.ErrProgramKilled) && ctx.Err() != nil {
		err = nil // interrupted from outside (SIGTERM): runs were stopped cleanly
	}
	if err == nil && len(stopped) > 0 {
		return &InterruptedError{Summary: stopped[0], Temporary: deps.TempState}
	}
	return err
}

// InterruptedError is Run's answer when leaving the program stopped a sync
// in flight: what it acknowledged is committed, and the next sync resumes.
// Temporary says the state went with the program (a demo without
// --state): nothing is left to resume.
type InterruptedError struct {
	Summary   sync.Summary
	Temporary bool
}

func (e *InterruptedError) Error() string {
	s := e.Summary
	if e.Temporary {
		return fmt.Sprintf("demo sync %s stopped when you left b2h (%s sync, %.0fs in); the demo's state was temporary, so the next demo starts afresh",
			s.JobID, s.Mode, s.DurationS)
	}
	return fmt.Sprintf("sync %s stopped when you left b2h (%s sync, %.0fs in): what HubSpot acknowledged is saved; "+
		"run b2h again (or b2h sync --incremental) to resume where it stopped", s.JobID, s.Mode, s.DurationS)
}
