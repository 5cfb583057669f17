package tui

import (
	"context"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"b2h/sync"
	"b2h/sync/mapping"
)

// planItem is one record of the plan a person can drill into: a planned
// create or update with its field-level diff, or an issue (invalid,
// duplicate, skip) with its message.
type planItem struct {
	entity  mapping.Entity
	id      string
	name    string
	action  sync.Action
	changes []sync.FieldChange
	message string
}

// planScreen runs a dry run (the engine's own code path, no write) and
// shows counts per entity and action, the predicted HubSpot calls and the
// minimum time at the account's rate limit, and every record's diff.
type planScreen struct {
	sess          *session
	keys          KeyMap
	width, height int

	state   *runState
	handle  *runHandle
	stats   apiStats
	br      *bridge
	cancel  context.CancelFunc
	items   []planItem
	dropped int   // records past maxPlanned, counted but not kept
	view    []int // indexes into items passing the filters, in list order
	search  listSearch

	entFilter int // 0 = all, else index+1 into mapping.Entities()
	actFilter int // 0 = all, else index+1 into actions()
	cursor    int
	top       int
	detail    *planItem
	dOffset   int
}

func newPlanScreen(sess *session) *planScreen { return &planScreen{sess: sess, keys: sess.keys} }

// Enter implements Component: it plans when there is no plan for the
// current scope yet.
func (p *planScreen) Enter() tea.Cmd {
	count := reviewCountCmd(p.sess)
	if p.running() || (p.sess.plan != nil && p.sess.planFor == p.sess.scope()) {
		return count
	}
	return tea.Batch(count, p.start())
}

func (p *planScreen) running() bool { return p.state != nil && !p.state.finished }

// start launches the dry run.
func (p *planScreen) start() tea.Cmd {
	run := p.sess.nextRun()
	p.state = newRunState(run, p.sess.styles, p.sess.deps.now())
	p.items, p.view, p.dropped, p.detail, p.cursor, p.top = nil, nil, 0, nil, 0, 0
	p.search = listSearch{}
	p.sess.plan = nil
	br := newBridge(scrPlan, run, p.sess.deps.tap)
	p.br = br
	h, err := p.sess.newRun(br, true)
	if err != nil {
		p.state.apply(runFinished{Err: err}, p.sess.deps.now())
		return nil
	}
	ctx, cancel := context.WithCancel(p.sess.ctx)
	p.cancel, p.handle, p.stats = cancel, h, apiStats{}
	p.sess.planFor = p.sess.scope()
	return tea.Batch(br.start(p.sess.runs, cancel, func() (sync.Summary, error) {
		defer cancel()
		return h.eng.Run(ctx)
	}), statsTick(scrPlan, run))
}

// Update implements Component.
func (p *planScreen) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case eventsMsg:
		return p.events(msg)
	case statsTickMsg:
		if p.state == nil || msg.run != p.state.run || p.state.finished {
			return nil
		}
		p.stats = p.handle.read()
		return statsTick(scrPlan, msg.run)
	case tea.KeyPressMsg:
		return p.key(msg)
	}
	return nil
}

func (p *planScreen) events(msg eventsMsg) tea.Cmd {
	if p.state == nil || msg.run != p.state.run {
		return nil // a run this screen no longer shows
	}
	now := p.sess.deps.now()
	for _, ev := range msg.events {
		p.state.apply(ev, now)
		switch e := ev.(type) {
		case sync.RecordPlanned:
			p.add(planItem{entity: e.Entity, id: e.SourceID, name: e.Name, action: e.Action, changes: e.Changes})
		case sync.Issue:
			p.add(planItem{entity: e.Entity, id: e.SourceID, name: e.Name, action: e.Action, message: e.Message})
		}
	}
	if msg.last {
		sortItems(p.items)
		p.filter()
		if p.state.err == nil {
			p.sess.plan = p.state.summary
		}
		return nil
	}
	return p.br.wait()
}

func (p *planScreen) key(msg tea.KeyPressMsg) tea.Cmd {
	k := p.keys
	if p.detail != nil {
		switch {
		case key.Matches(msg, k.Back), key.Matches(msg, k.Open):
			p.detail = nil
		case key.Matches(msg, k.Down):
			p.dOffset++
		case key.Matches(msg, k.Up):
			p.dOffset = max(0, p.dOffset-1)
		case key.Matches(msg, k.Mask):
			p.sess.mask = !p.sess.mask
		}
		return nil
	}
	if p.search.typing {
		p.searchKey(msg)
		return nil
	}
	switch {
	case key.Matches(msg, k.Back) && p.search.query != "" && !p.running():
		p.search = listSearch{} // esc clears the search first
	case key.Matches(msg, k.Back):
		if p.running() {
			p.cancel()
		}
		return goToCmd(scrMap)
	case p.running():
		return nil
	case key.Matches(msg, k.Retry):
		return p.start()
	case key.Matches(msg, k.ToSync) && p.sess.plan != nil:
		return goToCmd(scrSync)
	case key.Matches(msg, k.ToReview) && p.sess.reviewOpen > 0:
		return goToCmd(scrReview)
	case key.Matches(msg, k.Open):
		if p.cursor < len(p.view) {
			it := p.items[p.view[p.cursor]]
			p.detail, p.dOffset = &it, 0
		}
	case msg.String() == "/":
		p.search = listSearch{typing: true, from: p.cursor}
	case msg.String() == "n" && p.search.query != "":
		p.jump(1)
	case msg.String() == "N" && p.search.query != "":
		p.jump(-1)
	case key.Matches(msg, k.Home):
		p.cursor = 0
	case key.Matches(msg, k.End):
		p.cursor = max(0, len(p.view)-1)
	case key.Matches(msg, k.Down):
		p.move(1)
	case key.Matches(msg, k.Up):
		p.move(-1)
	case key.Matches(msg, k.PageDown):
		p.move(p.listRoom())
	case key.Matches(msg, k.PageUp):
		p.move(-p.listRoom())
	case key.Matches(msg, k.NextTab):
		p.entFilter = (p.entFilter + 1) % (len(mapping.Entities()) + 1)
		p.filter()
	case key.Matches(msg, k.PrevTab):
		n := len(mapping.Entities()) + 1
		p.entFilter = (p.entFilter + n - 1) % n
		p.filter()
	case key.Matches(msg, k.FilterAction):
		p.actFilter = (p.actFilter + 1) % (len(p.actions()) + 1)
		p.filter()
	case key.Matches(msg, k.Mask):
		p.sess.mask = !p.sess.mask
	}
	return nil
}

func (p *planScreen) move(d int) {
	p.cursor = max(0, min(len(p.view)-1, p.cursor+d))
}

// add keeps one record of the plan, up to maxPlanned.
func (p *planScreen) add(it planItem) {
	if len(p.items) >= maxPlanned {
		p.dropped++
		return
	}
	p.items = append(p.items, it)
}

// actions lists the actions present in the plan, in a fixed order: every
// action and reason the plan holds is reachable through the filter.
func (p *planScreen) actions() []sync.Action {
	seen := map[sync.Action]bool{}
	for _, it := range p.items {
		seen[it.action] = true
	}
	var out []sync.Action
	for _, a := range planActionOrder {
		if seen[a] {
			out = append(out, a)
		}
	}
	return out
}

var planActionOrder = []sync.Action{sync.ActCreate, sync.ActUpdate, sync.ActUnchanged, sync.ActDuplicate, sync.ActConflict,
	sync.ActSkip, sync.ActInvalid, sync.ActWarning, sync.ActFailed}

// filter recomputes the list under the entity and action filters and puts
// the cursor back at the top.
func (p *planScreen) filter() {
	var ent mapping.Entity
	if p.entFilter > 0 {
		ent = mapping.Entities()[p.entFilter-1]
	}
	var act sync.Action
	if acts := p.actions(); p.actFilter > 0 && p.actFilter <= len(acts) {
		act = acts[p.actFilter-1]
	}
	p.view = p.view[:0]
	for i, it := range p.items {
		if (ent == "" || it.entity == ent) && (act == "" || it.action == act) {
			p.view = append(p.view, i)
		}
	}
	p.cursor, p.top = 0, 0
}

// filtered returns the items passing the entity and action filters.
func (p *planScreen) filtered() []planItem {
	out := make([]planItem, len(p.view))
	for i, x := range p.view {
		out[i] = p.items[x]
	}
	return out
}

// SetSize implements Component.
func (p *planScreen) SetSize(w, h int) { p.width, p.height = w, h }

// Busy implements Component: a dry run records a job in state.
func (p *planScreen) Busy() bool { return p.running() }

// Stop cancels the dry run.
func (p *planScreen) Stop() {
	if p.running() && p.cancel != nil {
		p.cancel()
	}
}

// Typing implements Component.
func (p *planScreen) Typing() bool { return p.search.typing }

// ShortHelp implements help.KeyMap.
func (p *planScreen) ShortHelp() []key.Binding {
	k := p.keys
	if p.detail != nil {
		k.Back.SetHelp("esc", "list")
		k.Down.SetHelp("↑/↓", "scroll")
		return []key.Binding{k.Back, k.Down, k.Mask}
	}
	done := !p.running() && p.sess.plan != nil
	k.ToSync.SetEnabled(done)
	k.Open.SetEnabled(done && len(p.view) > 0)
	if p.search.typing {
		return []key.Binding{searchDone, searchCancel}
	}
	k.NextTab.SetHelp("tab", "entity")
	k.NextTab.SetEnabled(done)
	k.FilterAction.SetEnabled(done)
	k.Retry.SetHelp("r", "replan")
	k.Retry.SetEnabled(!p.running())
	k.Back.SetHelp("esc", "map")
	if p.running() {
		return []key.Binding{k.Back}
	}
	k.ToReview.SetEnabled(p.sess.reviewOpen > 0)
	return []key.Binding{k.ToSync, k.ToReview, k.Open, searchKey, k.NextTab, k.FilterAction, k.Retry}
}

// FullHelp implements help.KeyMap.
func (p *planScreen) FullHelp() [][]key.Binding {
	k := p.keys
	k.Back.SetHelp("esc", "map (or close the diff)")
	k.NextTab.SetHelp("tab", "entity filter")
	k.Open.SetHelp("enter", "the record's field-level diff")
	k.Retry.SetHelp("r", "plan again")
	k.ToReview.SetHelp("v", "review open duplicates and conflicts")
	k.ToReview.SetEnabled(p.sess.reviewOpen > 0)
	return [][]key.Binding{{k.ToSync, k.ToReview, k.Open, k.NextTab, k.PrevTab, k.FilterAction, k.Retry}, {k.Up, k.Down, k.PageUp, k.PageDown, k.Home, k.End, searchKey, searchNext, k.Mask, k.Back}}
}
