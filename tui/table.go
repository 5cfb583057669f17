package tui

import (
	"strings"

	"b2h/sync"
	"b2h/sync/mapping"
	"b2h/tui/theme"
)

// column is one numeric column of a counts table.
type column struct {
	long, short string
	get         func(sync.Counters) int
}

var (
	colRead      = column{"read", "read", func(c sync.Counters) int { return c.Read }}
	colCreate    = column{"create", "create", func(c sync.Counters) int { return c.Created }}
	colUpdate    = column{"update", "update", func(c sync.Counters) int { return c.Updated }}
	colCreated   = column{"created", "created", func(c sync.Counters) int { return c.Created }}
	colUpdated   = column{"updated", "updated", func(c sync.Counters) int { return c.Updated }}
	colUnchanged = column{"unchanged", "same", func(c sync.Counters) int { return c.Unchanged }}
	colSkipped   = column{"skipped", "skip", func(c sync.Counters) int { return c.Skipped }}
	colInvalid   = column{"invalid", "invalid", func(c sync.Counters) int { return c.Invalid }}
	colFailed    = column{"failed", "failed", func(c sync.Counters) int { return c.Failed }}
	colDupes     = column{"duplicates", "dupl.", func(c sync.Counters) int { return c.Duplicates }}
	colConflicts = column{"conflicts", "confl.", func(c sync.Counters) int { return c.Conflicts }}
)

// planColumns are the plan's columns; summaryColumns the run summary's.
var (
	planColumns    = []column{colRead, colCreate, colUpdate, colUnchanged, colSkipped, colInvalid, colDupes, colConflicts}
	summaryColumns = []column{colRead, colCreated, colUpdated, colUnchanged, colSkipped, colInvalid, colFailed, colDupes, colConflicts}
)

// countsTable renders one row per entity present in ents, in run order,
// and a total row. Headers are long when they fit, short otherwise.
func countsTable(st *theme.Styles, width int, ents map[mapping.Entity]sync.Counters, cols []column) []string {
	labelW := 20
	long := labelW
	for _, c := range cols {
		long += len(c.long) + 2
	}
	useLong := long <= width
	if !useLong {
		labelW = 16
	}
	colW := make([]int, len(cols))
	for i, c := range cols {
		h := c.short
		if useLong {
			h = c.long
		}
		colW[i] = max(len(h), 5) + 1
	}
	header := pad("", labelW)
	for i, c := range cols {
		h := c.short
		if useLong {
			h = c.long
		}
		header += padLeft(h, colW[i])
	}
	out := []string{st.Header.Render(header)}
	var total sync.Counters
	for _, e := range mapping.Entities() {
		c, ok := ents[e]
		if !ok {
			continue
		}
		total.Add(c)
		name := entityTitle(e)
		if !useLong {
			name = entityShort(e)
		}
		out = append(out, row(pad(name, labelW), c, cols, colW, st, false))
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
		b.WriteString(cell)
	}
	return b.String()
}
