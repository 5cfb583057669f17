package tui

import (
	"cmp"
	"slices"
	"strconv"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"b2h/sync/mapping"
	"b2h/tui/theme"
)

// Search keys of the record lists (Plan): / opens an incremental search by
// Buildium id or name, enter keeps it, n and N go to the next and previous
// match, esc drops it.
var (
	searchKey    = key.NewBinding(key.WithKeys("/"), key.WithHelp("/", "search"))
	searchNext   = key.NewBinding(key.WithKeys("n", "N"), key.WithHelp("n/N", "next/previous match"))
	searchDone   = key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "keep search"))
	searchCancel = key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "cancel search"))
)

// listSearch is a record list's search: the query, whether it is being
// typed, and the row it started from (esc goes back there).
type listSearch struct {
	query  string
	typing bool
	from   int
	miss   bool // the query matches no row of the list
}

// sortItems orders the plan's records stably: by entity in run order, then
// by Buildium id numerically (ids that are not numbers after, by text),
// then by action, so two runs of the same plan list the same rows.
func sortItems(items []planItem) {
	rank := map[mapping.Entity]int{}
	for i, e := range mapping.Entities() {
		rank[e] = i
	}
	slices.SortStableFunc(items, func(a, b planItem) int {
		if c := cmp.Compare(rank[a.entity], rank[b.entity]); c != 0 {
			return c
		}
		if c := compareIDs(a.id, b.id); c != 0 {
			return c
		}
		return cmp.Compare(slices.Index(planActionOrder, a.action), slices.Index(planActionOrder, b.action))
	})
}

// compareIDs compares Buildium ids numerically; a number sorts before text.
func compareIDs(a, b string) int {
	na, ea := strconv.ParseInt(a, 10, 64)
	nb, eb := strconv.ParseInt(b, 10, 64)
	switch {
	case ea == nil && eb == nil:
		return cmp.Compare(na, nb)
	case ea == nil:
		return -1
	case eb == nil:
		return 1
	}
	return strings.Compare(a, b)
}

// matches reports whether it matches the query: a prefix of its id, or
// part of its name, case-insensitively.
func (it planItem) matches(q string) bool {
	if q == "" {
		return false
	}
	return strings.HasPrefix(it.id, q) || strings.Contains(strings.ToLower(it.name), strings.ToLower(q))
}

// edit applies one key to the query being typed: it reports whether the
// search is still open (esc closes it, enter keeps the query) and whether
// the query changed.
func (s *listSearch) edit(msg tea.KeyPressMsg) (open, changed bool) {
	switch msg.String() {
	case "esc":
		*s = listSearch{}
		return false, false
	case "enter":
		s.typing = false
		return false, false
	case "backspace":
		if r := []rune(s.query); len(r) > 0 {
			s.query = string(r[:len(r)-1])
		}
	default:
		if t := msg.Text; t != "" {
			s.query += t
		}
	}
	return true, true
}

// find returns the first of n rows from row start in direction d,
// wrapping around, for which match holds; false when none does.
func (s *listSearch) find(n, start, d int, match func(int) bool) (int, bool) {
	for k := range n {
		i := (((start + d*k) % n) + n) % n
		if match(i) {
			return i, true
		}
	}
	return 0, false
}

// line is the search's part of a list's header.
func (s listSearch) line(st *theme.Styles) string {
	out := ""
	switch {
	case s.typing:
		out = "  /" + s.query + "▏"
	case s.query != "":
		out = st.Subtle.Render("  /" + s.query + " (n/N)")
	}
	if s.miss {
		out += st.Warn.Render(" no match")
	}
	return out
}

// searchKey edits the query being typed; every change moves the cursor to
// the first match at or after where the search started (esc goes back
// there).
func (p *planScreen) searchKey(msg tea.KeyPressMsg) {
	from := p.search.from
	open, changed := p.search.edit(msg)
	if !open && p.search.query == "" {
		p.cursor = from
	}
	if changed {
		p.cursor = from
		p.search.miss = p.search.query != "" && !p.find(from, 1)
	}
}

// jump goes to the next (d = 1) or previous (d = -1) match, wrapping.
func (p *planScreen) jump(d int) {
	p.search.miss = !p.find(p.cursor+d, d)
}

// find moves the cursor to the first matching row from row start in
// direction d, wrapping around; false when none matches.
func (p *planScreen) find(start, d int) bool {
	i, ok := p.search.find(len(p.view), start, d, func(i int) bool { return p.items[p.view[i]].matches(p.search.query) })
	if ok {
		p.cursor = i
	}
	return ok
}

// matches reports whether review entry e matches the query: a prefix of
// one of its Buildium ids, or part of its title, case-insensitively.
func (e *reviewEntry) matches(q string) bool {
	if q == "" {
		return false
	}
	for _, id := range e.item.SourceIDs {
		if strings.HasPrefix(id, q) {
			return true
		}
	}
	return strings.Contains(strings.ToLower(e.title(func(v string) string { return v })), strings.ToLower(q))
}

// searchKey edits the Review list's query being typed, like the Plan's.
func (r *reviewScreen) searchKey(msg tea.KeyPressMsg) {
	from := r.search.from
	open, changed := r.search.edit(msg)
	if !open && r.search.query == "" {
		r.cursor = from
	}
	if changed {
		r.cursor = from
		r.search.miss = r.search.query != "" && !r.find(from, 1)
	}
}

// jump goes to the next (d = 1) or previous (d = -1) match, wrapping.
func (r *reviewScreen) jump(d int) { r.search.miss = !r.find(r.cursor+d, d) }

func (r *reviewScreen) find(start, d int) bool {
	i, ok := r.search.find(len(r.view), start, d, func(i int) bool { return r.entries[r.view[i]].matches(r.search.query) })
	if ok {
		r.cursor = i
	}
	return ok
}
