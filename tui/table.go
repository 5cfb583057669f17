package tui

import (
	"strings"

	"b2h/sync"
	"b2h/sync/mapping"
	"b2h/tui/theme"
)

// column is one numeric column of a counts table. Plan and Done share the
// same column values, so a figure has one name on every screen: long when
// the table fits, short otherwise.
type column struct {
	long, short string
	get         func(sync.Counters) int
}

var (
	colRead      = column{"read", "read", func(c sync.Counters) int { return c.Read }}
	colCreate    = column{"create", "create", func(c sync.Counters) int { return c.Created }}
	colUpdate    = column{"update", "update", func(c sync.Counters) int { return c.Updated }}
	colUnchanged = column{"unchanged", "same", func(c sync.Counters) int { return c.Unchanged }}
	colSkipped   = column{"skipped", "skip", func(c sync.Counters) int { return c.Skipped }}
	colInvalid   = column{"invalid", "invalid", func(c sync.Counters) int { return c.Invalid }}
	colFailed    = column{"failed", "failed", func(c sync.Counters) int { return c.Failed }}
	colDupes     = column{"duplicates", "dupl.", func(c sync.Counters) int { return c.Duplicates }}
	colConflicts = column{"conflicts", "confl.", func(c sync.Counters) int { return c.Conflicts }}
)

// planColumns are the plan's columns; summaryColumns the run summary's (a
// dry run never fails a write, so the plan has no failed column).
var (
	planColumns    = []column{colRead, colCreate, colUpdate, colUnchanged, colSkipped, colInvalid, colDupes, colConflicts}
	summaryColumns = []column{colRead, colCreate, colUpdate, colUnchanged, colSkipped, colInvalid, colFailed, colDupes, colConflicts}
)

// countsTable renders one row per entity present in ents, in run order,
// and a total row. Every column is as wide as its widest figure or header,
// numbers are right-aligned and cells are separated by at least one space;
// when the table is too wide, headers and entity names shorten, never the
// numbers.
func countsTable(st *theme.Styles, width int, ents map[mapping.Entity]sync.Counters, cols []column) []string {
	var total sync.Counters
	var rows []mapping.Entity
	for _, e := range mapping.Entities() {
		if c, ok := ents[e]; ok {
			total.Add(c)
			rows = append(rows, e)
		}
	}
	widths := func(useLong bool) ([]int, int) {
		colW := make([]int, len(cols))
		sum := 0
		for i, c := range cols {
			h := c.short
			if useLong {
				h = c.long
			}
			w := max(len(h), len(num(c.get(total))))
			for _, e := range rows {
				w = max(w, len(num(c.get(ents[e]))))
			}
			colW[i] = w
			sum += w + 1
		}
		return colW, sum
	}
	useLong := true
	colW, sum := widths(true)
	labelW := len("Emergency contacts")
	if labelW+sum > width {
		useLong = false
		colW, sum = widths(false)
		labelW = len("Emerg. contacts")
	}
	labelW = max(5, min(labelW, width-sum))
	header := pad("", labelW)
	for i, c := range cols {
		h := c.short
		if useLong {
			h = c.long
		}
		header += " " + padLeft(h, colW[i])
	}
	out := []string{st.Header.Render(header)}
	for _, e := range rows {
		name := entityTitle(e)
		if !useLong {
			name = entityShort(e)
		}
		out = append(out, row(pad(name, labelW), ents[e], cols, colW, st, false))
	}
	out = append(out, row(st.Value.Render(pad("Total", labelW)), total, cols, colW, st, true))
	return out
}

func row(label string, c sync.Counters, cols []column, colW []int, st *theme.Styles, bold bool) string {
	var b strings.Builder
	b.WriteString(label)
	for i, col := range cols {
		v := col.get(c)
		cell := padLeft(num(v), colW[i])
		switch {
		case v > 0 && (col.long == "invalid" || col.long == "failed" || col.long == "duplicates" || col.long == "conflicts"):
			cell = st.Warn.Render(cell)
		case bold:
			cell = st.Value.Render(cell)
		}
		b.WriteString(" " + cell)
	}
	return b.String()
}
