package tui

import (
	"errors"
	"os/user"
	"slices"

	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"b2h/state"
	"b2h/sync/mapping"
)

// reviewScreen is where a person decides what a sync held back (DESIGN.md
// §3, §7): duplicate groups, records whose email belongs to a HubSpot
// contact b2h did not create, and conflicts. The list filters by entity
// and kind and renders only the rows on screen, so thousands of items
// scroll without lag. The detail shows the records side by side with
// character-level diffs and the result under the current choices; choices
// are saved as decisions in state, which the next sync applies.
//
// The payloads hold names, emails and phones: they go on screen only (and
// masked with m), never into a log.
type reviewScreen struct {
	sess          *session
	keys          KeyMap
	width, height int
	// syncBusy reports a sync in flight: it may be applying the decisions
	// it read when it started, so those are locked until it ends.
	syncBusy func() bool

	loading bool
	seq     int
	loadErr error
	entries []reviewEntry
	search  listSearch // / on the list: by Buildium id or name
	// view holds the indices of the entries passing the filters.
	view       []int
	ents       []mapping.Entity // entities with items, in run order
	entFilter  int              // 0 = all, else index+1 into ents
	kindFilter int              // 0 = all, else kind+1
	cursor     int
	top        int
	// counts[ent][kind] is how many items pass that pair of filters (0 =
	// all), and nDecided how many carry a pending decision: kept up to
	// date as the queue and decisions change, so a frame never walks the
	// whole queue.
	counts   [][numKinds + 1]int
	nDecided int

	detail  *reviewDetail
	confirm *reviewConfirm
	notice  string
	bad     bool // notice reports a problem

	// from is the screen that opened the review (esc goes back to it);
	// hasFrom is false when b2h review started on it.
	from    screenID
	hasFrom bool
	who     string
}

// reviewDetail is the item open in the detail view and the decision being
// built for it.
type reviewDetail struct {
	idx         int // into entries
	d           draft
	row         int // the field under the cursor
	off         int // first line shown (scrolling)
	left, right int // the members shown (groups)
	editing     bool
	input       textinput.Model
}

// reviewConfirm is a yes/no question; yes runs onYes.
type reviewConfirm struct {
	text  string
	onYes func() tea.Cmd
}

// reviewLoadedMsg is the open review queue with the pending decisions.
type reviewLoadedMsg struct {
	seq     int
	entries []reviewEntry
	err     error
}

func (reviewLoadedMsg) route() screenID { return scrReview }

func newReviewScreen(sess *session, syncBusy func() bool) *reviewScreen {
	who := sess.deps.Reviewer
	if who == "" {
		who = "unknown"
		if u, err := user.Current(); err == nil && u.Username != "" {
			who = u.Username
		}
	}
	return &reviewScreen{sess: sess, keys: sess.keys, syncBusy: syncBusy, who: who}
}

// Enter implements Component: it reads the queue afresh (a sync may have
// applied or opened items since).
func (r *reviewScreen) Enter() tea.Cmd {
	r.detail, r.confirm, r.notice, r.bad = nil, nil, "", false
	return r.load()
}

// load reads the open items and the decisions off the UI goroutine.
func (r *reviewScreen) load() tea.Cmd {
	r.seq++
	r.loading = true
	seq, store := r.seq, r.sess.deps.Store
	return func() tea.Msg {
		entries, err := loadEntries(store)
		return reviewLoadedMsg{seq: seq, entries: entries, err: err}
	}
}

// loadEntries reads the open review queue and each item's pending decision.
func loadEntries(store Store) ([]reviewEntry, error) {
	items, err := store.ReviewItems(state.ReviewOpen)
	if err != nil {
		return nil, err
	}
	decs, err := store.Decisions()
	if err != nil {
		return nil, err
	}
	byID := make(map[string]*state.Decision, len(decs))
	for i := range decs {
		byID[decs[i].ID] = &decs[i]
	}
	out := make([]reviewEntry, len(items))
	for i, it := range items {
		out[i] = newEntry(it, byID[it.ID])
	}
	slices.SortStableFunc(out, func(a, b reviewEntry) int {
		if a.kind != b.kind {
			return int(a.kind) - int(b.kind)
		}
		return entityOrder(a.entity) - entityOrder(b.entity)
	})
	return out, nil
}

// entityOrder is an entity's place in a run.
func entityOrder(e mapping.Entity) int {
	if i := slices.Index(mapping.Entities(), e); i >= 0 {
		return i
	}
	return len(mapping.Entities())
}

// loaded installs a freshly read queue, keeping the cursor on the same
// item when it is still open.
func (r *reviewScreen) loaded(msg reviewLoadedMsg) {
	if msg.seq != r.seq {
		return
	}
	r.loading = false
	r.loadErr = msg.err
	if msg.err != nil {
		return
	}
	keep := ""
	if cur, ok := r.current(); ok {
		keep = cur.item.ID
	}
	r.entries = msg.entries
	r.ents = nil
	for _, e := range mapping.Entities() {
		if slices.ContainsFunc(r.entries, func(x reviewEntry) bool { return x.entity == e }) {
			r.ents = append(r.ents, e)
		}
	}
	if r.entFilter > len(r.ents) {
		r.entFilter = 0
	}
	r.counts = make([][numKinds + 1]int, len(r.ents)+1)
	for i := range r.entries {
		e := &r.entries[i]
		ent := 1 + slices.Index(r.ents, e.entity)
		for _, x := range []int{0, ent} {
			r.counts[x][0]++
			r.counts[x][e.kind+1]++
		}
	}
	r.tally()
	r.filter()
	for i, idx := range r.view {
		if r.entries[idx].item.ID == keep {
			r.cursor = i
		}
	}
}

// filter recomputes the rows passing the entity and kind filters.
func (r *reviewScreen) filter() {
	r.view = r.view[:0]
	for i := range r.entries {
		if r.passes(&r.entries[i], r.entFilter, r.kindFilter) {
			r.view = append(r.view, i)
		}
	}
	r.cursor = max(0, min(r.cursor, len(r.view)-1))
}

// passes reports whether e passes an entity and a kind filter.
func (r *reviewScreen) passes(e *reviewEntry, ent, kind int) bool {
	if ent > 0 && (ent > len(r.ents) || e.entity != r.ents[ent-1]) {
		return false
	}
	return kind == 0 || e.kind == reviewKind(kind-1)
}

// count is how many items pass the filters.
func (r *reviewScreen) count(ent, kind int) int {
	if ent >= len(r.counts) {
		return 0
	}
	return r.counts[ent][kind]
}

// tally recounts the pending decisions (after decisions change).
func (r *reviewScreen) tally() {
	r.nDecided = 0
	for i := range r.entries {
		if r.entries[i].dec != nil {
			r.nDecided++
		}
	}
}

// decided is how many items carry a pending decision.
func (r *reviewScreen) decided() int { return r.nDecided }

// current returns the entry under the list cursor.
func (r *reviewScreen) current() (*reviewEntry, bool) {
	if r.cursor < 0 || r.cursor >= len(r.view) {
		return nil, false
	}
	return &r.entries[r.view[r.cursor]], true
}

// Update implements Component.
func (r *reviewScreen) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case reviewLoadedMsg:
		r.loaded(msg)
	case tea.KeyPressMsg:
		return r.key(msg)
	default:
		if r.detail != nil && r.detail.editing {
			var cmd tea.Cmd
			r.detail.input, cmd = r.detail.input.Update(msg)
			return cmd
		}
	}
	return nil
}

// say sets the notice line.
func (r *reviewScreen) say(text string, bad bool) { r.notice, r.bad = text, bad }

// sayErr reports an error on the notice line.
func (r *reviewScreen) sayErr(err error) { r.say(safe(err.Error()), true) }

// locked reports whether e's decision must not change now: a sync in
// flight may be applying it.
func (r *reviewScreen) locked(e *reviewEntry) bool {
	return e.dec != nil && r.syncBusy != nil && r.syncBusy()
}

// errLocked explains a locked decision.
var errLocked = errors.New("a sync is running and may be applying this decision: change it once the sync ends")

// SetSize implements Component.
func (r *reviewScreen) SetSize(w, h int) {
	r.width, r.height = w, h
	if r.detail != nil {
		r.detail.input.SetWidth(max(10, w-24))
	}
}

// Busy implements Component: decisions are saved as they are made.
func (r *reviewScreen) Busy() bool { return false }

// Typing implements Component: an edited value has focus.
func (r *reviewScreen) Typing() bool {
	return (r.detail != nil && r.detail.editing) || (r.detail == nil && r.search.typing)
}
