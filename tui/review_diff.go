package tui

import (
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/sergi/go-diff/diffmatchpatch"
)

// span is a run of text; hl marks characters only one side has.
type span struct {
	text string
	hl   bool
}

// diffTimeout bounds one diff: values are short, but a long comment must
// never stall a key press.
const diffTimeout = 20 * time.Millisecond

// diffSpans compares two values character by character (go-diff, cleaned up
// so the highlighted runs are the ones a person would name) and returns
// each side as spans: on the left the characters the right lacks, on the
// right the characters the left lacks, highlighted.
func diffSpans(left, right string) (l, r []span) {
	switch {
	case left == right:
		return []span{{text: left}}, []span{{text: right}}
	case left == "":
		return nil, []span{{text: right, hl: true}}
	case right == "":
		return []span{{text: left, hl: true}}, nil
	}
	dmp := diffmatchpatch.New()
	dmp.DiffTimeout = diffTimeout
	diffs := dmp.DiffCleanupSemantic(dmp.DiffMain(left, right, false))
	for _, d := range diffs {
		switch d.Type {
		case diffmatchpatch.DiffEqual:
			l = append(l, span{text: d.Text})
			r = append(r, span{text: d.Text})
		case diffmatchpatch.DiffDelete:
			l = append(l, span{text: d.Text, hl: true})
		case diffmatchpatch.DiffInsert:
			r = append(r, span{text: d.Text, hl: true})
		}
	}
	return l, r
}

// layoutSpans wraps spans into lines of at most width cells, breaking after
// a space where one is near and anywhere otherwise (emails and phone
// numbers have none). Each line is styled on its own, so no style runs on
// into the next column or line.
func layoutSpans(spans []span, width int, plain, hl func(...string) string) []string {
	width = max(1, width)
	type glyph struct {
		s  string
		w  int
		hl bool
	}
	var gs []glyph
	for _, sp := range spans {
		for _, r := range sp.text {
			s := string(r)
			gs = append(gs, glyph{s: s, w: max(0, ansi.StringWidth(s)), hl: sp.hl})
		}
	}
	render := func(line []glyph) string {
		var b, run strings.Builder
		cur := false
		flush := func() {
			if run.Len() == 0 {
				return
			}
			if cur {
				b.WriteString(hl(run.String()))
			} else {
				b.WriteString(plain(run.String()))
			}
			run.Reset()
		}
		for _, g := range line {
			if g.hl != cur {
				flush()
				cur = g.hl
			}
			run.WriteString(g.s)
		}
		flush()
		return b.String()
	}
	var out []string
	for len(gs) > 0 {
		w, n, lastSpace := 0, 0, -1
		for n < len(gs) && w+gs[n].w <= width {
			w += gs[n].w
			if gs[n].s == " " {
				lastSpace = n
			}
			n++
		}
		if n == 0 {
			n = 1 // a glyph wider than the column: show it anyway
		}
		if n < len(gs) && lastSpace > 0 && lastSpace >= n/2 {
			n = lastSpace + 1 // break after the space
		}
		out = append(out, render(gs[:n]))
		gs = gs[n:]
	}
	return out
}
