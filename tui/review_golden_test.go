package tui

import (
	"fmt"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"

	"b2h/sync"
)

// reviewSizes are the Review screen's golden sizes: the smallest everyday
// terminal (columns stacked) and a wide one (side by side).
var reviewSizes = []struct{ w, h int }{{80, 24}, {200, 50}}

// reviewScreens build the Review screen in one state at a given size.
var reviewScreens = []struct {
	name  string
	build func(t *testing.T, w, h int) Model
}{
	{"list", func(t *testing.T, w, h int) Model {
		m := reviewModel(t, w, h)
		m = openItem(t, m, fxRent)
		m, _ = press(m, "1", "enter", "esc", "down", "down")
		return m
	}},
	{"conflict", func(t *testing.T, w, h int) Model {
		m := openItem(t, reviewModel(t, w, h), fxPhone1)
		m = toField(t, m, "lastname")
		m, _ = press(m, "right", "down", "left")
		return m
	}},
	{"group", func(t *testing.T, w, h int) Model {
		m := openItem(t, reviewModel(t, w, h), fxGroup)
		m = toField(t, m, "address")
		m, _ = press(m, "p", "right")
		return m
	}},
	{"existing", func(t *testing.T, w, h int) Model {
		m := openItem(t, reviewModel(t, w, h), fxExisting)
		m = toField(t, m, "firstname")
		m, _ = press(m, "right")
		return m
	}},
	{"similar", func(t *testing.T, w, h int) Model {
		m := openItem(t, reviewModel(t, w, h), fxPhone1)
		m, _ = press(m, "2", "A")
		return m
	}},
	{"help", func(t *testing.T, w, h int) Model {
		m := openItem(t, reviewModel(t, w, h), fxHouse)
		m, _ = press(m, "?")
		return m
	}},
}

// checkFrame asserts a frame's size: exactly h lines, none wider than w.
func checkFrame(t *testing.T, out string, w, h int) {
	t.Helper()
	lines := strings.Split(out, "\n")
	if len(lines) != h {
		t.Errorf("%d lines, want exactly %d", len(lines), h)
	}
	for i, l := range lines {
		if n := ansi.StringWidth(l); n > w {
			t.Errorf("line %d is %d cells wide (max %d): %q", i+1, n, w, l)
		}
	}
}

func TestReviewViews(t *testing.T) {
	for _, sc := range reviewScreens {
		for _, sz := range reviewSizes {
			t.Run(fmt.Sprintf("%s_%dx%d", sc.name, sz.w, sz.h), func(t *testing.T) {
				m := sc.build(t, sz.w, sz.h) // testDeps sets NoColor
				if raw := m.render(); strings.Contains(raw, "38;") || strings.Contains(raw, "48;") {
					t.Errorf("colour escape with NO_COLOR: %q", raw)
				}
				out := screenText(m)
				checkFrame(t, out, sz.w, sz.h)
				golden.RequireEqual(t, out)
			})
		}
	}
}

// TestReviewViewsANSI keeps the colours of one side-by-side detail: the
// character-level diff is highlighted (deleted red on the left, inserted
// green on the right) and nothing else of the line is.
func TestReviewViewsANSI(t *testing.T) {
	d := testDeps(t)
	d.NoColor = false
	d.Reviewer = "consultant"
	seedReview(t, d.Store)
	m := connected(t, newTestModel(t, d, 200, 50), sync.UnitListing)
	m.active = scrSummary
	m, cmd := send(m, goTo(scrReview))
	m, _ = send(m, exec(t, cmd)...)
	m = openItem(t, m, fxGroup)
	m = toField(t, m, "lastname")
	m, _ = press(m, "right")
	out := m.render()
	checkFrame(t, out, 200, 50)
	// "Doe" → "Doe-Smith": only "-Smith" is highlighted, in green.
	if !strings.Contains(out, "Doe\x1b[") || !strings.Contains(out, "-Smith") {
		t.Fatalf("no highlighted insertion in %q", out)
	}
	golden.RequireEqual(t, out)
}
