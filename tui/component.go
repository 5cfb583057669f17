package tui

import (
	"context"

	"charm.land/bubbles/v2/help"
	tea "charm.land/bubbletea/v2"

	"b2h/sync"
	"b2h/sync/mapping"
	"b2h/tui/theme"
)

// Component is one screen: a model, its key map (help.KeyMap) and its size
// (STYLE.md example 4). Screens are pointers updated in place by the root,
// which owns them all, so no type assertion is ever needed to route a
// message back.
type Component interface {
	help.KeyMap
	// Enter is called when the screen becomes the active one; it starts
	// whatever the screen needs (a check, a dry run, a sample fetch).
	Enter() tea.Cmd
	// Update handles a key press (active screen only) or a message routed
	// to this screen.
	Update(msg tea.Msg) tea.Cmd
	// View renders the screen's body, at most the size last set.
	View() string
	// SetSize gives the body's size.
	SetSize(width, height int)
	// Busy reports work in flight that quitting would interrupt.
	Busy() bool
	// Typing reports that a text field has focus: printable keys belong to
	// it, so global single-letter keys (q, ?) are off.
	Typing() bool
}

// screenID names a screen; the order is the flow's.
type screenID int

// The screens: first the flow's, in the order a person walks them (the
// breadcrumb), then Review, which is reached from the flow and returns to
// it.
const (
	scrConnect screenID = iota
	scrCheck
	scrMap
	scrPlan
	scrSync
	scrSummary
	numFlow
	scrReview  = numFlow
	numScreens = numFlow + 1
)

// title is the breadcrumb name of the screen.
func (s screenID) title() string {
	return [...]string{"Connect", "Check", "Map", "Plan", "Sync", "Done", "Review"}[s]
}

// routed is a message that belongs to one screen whether or not it is
// active (async results, tagged with the screen and a sequence number).
type routed interface{ route() screenID }

// goTo switches the active screen.
type goTo screenID

func goToCmd(s screenID) tea.Cmd { return func() tea.Msg { return goTo(s) } }

// session is what the screens share: what has been connected, checked,
// mapped, planned and run so far. Only Update (the program goroutine)
// touches it.
type session struct {
	deps   *Deps
	ctx    context.Context
	runs   *tracker
	styles *theme.Styles
	keys   KeyMap

	accounts *Accounts
	check    *sync.AccountChecked
	mapping  *mapping.Mapping
	mapErr   error

	mode sync.Mode
	only map[mapping.Entity]bool // entities in scope (all when empty)

	plan    *sync.Summary  // the last dry run
	planFor runScope       // what it was for
	history []sync.Summary // every live run this session, oldest first
	// lastSegments is how many runs at the end of history make up the
	// last sync (more than one when it was paused and resumed).
	lastSegments int

	notice string // a one-off message for the next screen (keyring result)
	// reviewOpen is the number of open review items (-1 unknown), kept
	// fresh by reviewCountCmd; the Review key shows while it is positive.
	reviewOpen int
	// reviewDecided is how many of them a person decided already (the
	// next sync applies them).
	reviewDecided int
	reviewErr     error
	mask          bool   // personal data masked on screen
	spinFrame     string // the current spinner frame, advanced by the root
	runSeq        int    // run ids, so stale events are dropped
}

// reviewCountMsg is the number of open review items.
type reviewCountMsg struct {
	n       int
	decided int // of which decided, waiting for the next sync to apply them
	err     error
}

// reviewCountCmd counts the open review items off the UI goroutine.
func reviewCountCmd(s *session) tea.Cmd {
	store := s.deps.Store
	return func() tea.Msg {
		items, err := store.ReviewItems("open")
		if err != nil {
			return reviewCountMsg{err: err}
		}
		decs, err := store.Decisions()
		pending := map[string]bool{}
		for _, d := range decs {
			pending[d.ID] = d.AppliedByJob == ""
		}
		decided := 0
		for _, it := range items {
			if pending[it.ID] {
				decided++
			}
		}
		return reviewCountMsg{n: len(items), decided: decided, err: err}
	}
}

// runScope is the mode and entities of a run.
type runScope struct {
	mode sync.Mode
	only string // canonical list, "" = all
}

// scope returns the current run scope.
func (s *session) scope() runScope {
	return runScope{mode: s.mode, only: entityList(s.onlyList())}
}

// onlyList returns the entities in scope (nil = all).
func (s *session) onlyList() []mapping.Entity {
	var out []mapping.Entity
	all := true
	for _, e := range mapping.Entities() {
		if s.only[e] {
			out = append(out, e)
		} else {
			all = false
		}
	}
	if all {
		return nil
	}
	return out
}

// runHandle is one engine run and the clients it uses (their Stats and
// Limits feed the Sync screen's counters).
type runHandle struct {
	eng *sync.Engine
	bd  sync.Buildium
	hs  sync.HubSpot
}

// newRun returns an engine over fresh clients for one run in the current
// scope.
func (s *session) newRun(rep sync.Reporter, dryRun bool) (*runHandle, error) {
	bd, hs, err := s.accounts.clients()
	if err != nil {
		return nil, err
	}
	eng := sync.New(bd, hs, s.deps.Store, rep, sync.Options{
		Mode: s.mode, DryRun: dryRun, PlanDetail: dryRun, Only: s.onlyList(), Workers: s.deps.Workers,
		MappingOverride: s.deps.MappingOverride, BuildiumHost: s.accounts.BuildiumHost, Logger: s.deps.Logger,
	})
	return &runHandle{eng: eng, bd: bd, hs: hs}, nil
}

// connected starts over with new accounts: everything learnt about the old
// ones is dropped.
func (s *session) connected(a *Accounts) {
	s.accounts = a
	s.check, s.mapping, s.mapErr, s.plan = nil, nil, nil, nil
}

// nextRun returns a new run id.
func (s *session) nextRun() int { s.runSeq++; return s.runSeq }
