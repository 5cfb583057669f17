package tui

import (
	"cmp"
	"slices"
	"strconv"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"b2h/sync/mapping"
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

// searchKey edits the query being typed; every change moves the cursor to
// the first match at or after where the search started.
func (p *planScreen) searchKey(msg tea.KeyPressMsg) {
	s := &p.search
	switch msg.String() {
	case "esc":
		p.cursor = s.from
		p.search = listSearch{}
		return
	case "enter":
		s.typing = false
		return
	case "backspace":
		if r := []rune(s.query); len(r) > 0 {
			s.query = string(r[:len(r)-1])
		}
	default:
		if t := msg.Text; t != "" {
			s.query += t
		}
	}
	p.cursor = s.from
	s.miss = s.query != "" && !p.find(s.from, 1, true)
}

// jump goes to the next (d = 1) or previous (d = -1) match, wrapping.
func (p *planScreen) jump(d int) {
	p.search.miss = !p.find(p.cursor+d, d, true)
}

// find moves the cursor to the first matching row from row start in
// direction d, wrapping around when wrap is set; false when none matches.
func (p *planScreen) find(start, d int, wrap bool) bool {
	n := len(p.view)
	for k := 0; k < n; k++ {
		i := start + d*k
		if wrap {
			i = ((i % n) + n) % n
		} else if i < 0 || i >= n {
			return false
		}
		if p.items[p.view[i]].matches(p.search.query) {
			p.cursor = i
			return true
		}
	}
	return false
}
