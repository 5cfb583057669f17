// Package theme holds every style b2h's terminal UI uses, built once and
// passed down (STYLE.md example 10). It is a leaf: it imports no other b2h
// package, so screens and their tests can share it without cycles.
//
// Meaning never rides on colour alone: every status also has a symbol (✓,
// !, ✗) and bars use distinct fill characters, so the UI reads the same
// with NO_COLOR (https://no-color.org) or on a monochrome terminal.
package theme

import (
	"image/color"
	"strings"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
)

// Status symbols, shared so every screen says "fine", "look at this" and
// "broken" the same way.
const (
	SymOK   = "✓"
	SymWarn = "!"
	SymErr  = "✗"
	SymDot  = "·"
)

// Styles is the complete set of styles. Build it with New; it is read-only
// afterwards.
type Styles struct {
	// NoColor is true when colours are off (NO_COLOR): styles then carry
	// only attributes such as bold, faint and reverse.
	NoColor bool

	App      lipgloss.Style // the brand in the header
	Badge    lipgloss.Style // the DEMO badge
	StepDone lipgloss.Style // a finished step of the breadcrumb
	StepNow  lipgloss.Style // the current step
	StepTodo lipgloss.Style // a step still ahead

	Title    lipgloss.Style // a screen's heading
	Subtle   lipgloss.Style // secondary text
	Label    lipgloss.Style // the label column of key/value lines
	Value    lipgloss.Style // a value worth noticing
	Header   lipgloss.Style // a table header row
	Selected lipgloss.Style // the selected row or focused field
	Tab      lipgloss.Style // an inactive tab
	TabNow   lipgloss.Style // the active tab

	OK   lipgloss.Style // success (✓)
	Warn lipgloss.Style // worth a look (!)
	Err  lipgloss.Style // failure (✗)

	Old lipgloss.Style // a value being replaced (diffs)
	New lipgloss.Style // the replacing value (diffs)

	Modal lipgloss.Style // a confirmation box

	// BarFull and BarEmpty colour the progress bars (nil with NoColor).
	BarFull, BarEmpty color.Color

	// Help styles the footer and the full help.
	Help help.Styles

	// Input styles text fields.
	Input textinput.Styles
}

// New returns the styles; noColor drops every colour.
func New(noColor bool) *Styles {
	if noColor {
		return plain()
	}
	var (
		accent = lipgloss.Color("#7D56F4")
		green  = lipgloss.Color("#3FB950")
		yellow = lipgloss.Color("#D29922")
		red    = lipgloss.Color("#F85149")
		grey   = lipgloss.Color("#8B949E")
		dim    = lipgloss.Color("#484F58")
		text   = lipgloss.Color("#E6EDF3")
	)
	s := &Styles{
		App:      lipgloss.NewStyle().Bold(true).Foreground(text).Background(accent).Padding(0, 1),
		Badge:    lipgloss.NewStyle().Bold(true).Foreground(lipgloss.Color("#1F2328")).Background(yellow).Padding(0, 1),
		StepDone: lipgloss.NewStyle().Foreground(green),
		StepNow:  lipgloss.NewStyle().Bold(true).Underline(true).Foreground(text),
		StepTodo: lipgloss.NewStyle().Foreground(grey),
		Title:    lipgloss.NewStyle().Bold(true).Foreground(accent),
		Subtle:   lipgloss.NewStyle().Foreground(grey),
		Label:    lipgloss.NewStyle().Foreground(grey),
		Value:    lipgloss.NewStyle().Bold(true),
		Header:   lipgloss.NewStyle().Bold(true).Foreground(grey),
		Selected: lipgloss.NewStyle().Bold(true).Foreground(text).Background(lipgloss.Color("#30363D")),
		Tab:      lipgloss.NewStyle().Foreground(grey).Padding(0, 1),
		TabNow:   lipgloss.NewStyle().Bold(true).Foreground(text).Background(accent).Padding(0, 1),
		OK:       lipgloss.NewStyle().Foreground(green),
		Warn:     lipgloss.NewStyle().Foreground(yellow),
		Err:      lipgloss.NewStyle().Foreground(red),
		Old:      lipgloss.NewStyle().Foreground(red),
		New:      lipgloss.NewStyle().Foreground(green),
		Modal:    lipgloss.NewStyle().Border(lipgloss.RoundedBorder()).BorderForeground(yellow).Padding(0, 2),
		BarFull:  accent,
		BarEmpty: dim,
		Help:     help.DefaultDarkStyles(),
		Input:    textinput.DefaultDarkStyles(),
	}
	return s
}

// plain is the NO_COLOR theme: attributes only.
func plain() *Styles {
	n := lipgloss.NewStyle
	return &Styles{
		NoColor:  true,
		App:      n().Bold(true).Reverse(true).Padding(0, 1),
		Badge:    n().Bold(true).Padding(0, 1),
		StepDone: n(),
		StepNow:  n().Bold(true).Underline(true),
		StepTodo: n().Faint(true),
		Title:    n().Bold(true),
		Subtle:   n().Faint(true),
		Label:    n(),
		Value:    n().Bold(true),
		Header:   n().Bold(true),
		Selected: n().Reverse(true),
		Tab:      n().Padding(0, 1),
		TabNow:   n().Reverse(true).Padding(0, 1),
		OK:       n(),
		Warn:     n().Bold(true),
		Err:      n().Bold(true),
		Old:      n().Strikethrough(true),
		New:      n().Bold(true),
		Modal:    n().Border(lipgloss.RoundedBorder()).Padding(0, 2),
		Help: help.Styles{
			Ellipsis: n(), ShortKey: n().Bold(true), ShortDesc: n(), ShortSeparator: n(),
			FullKey: n().Bold(true), FullDesc: n(), FullSeparator: n(),
		},
		Input: textinput.Styles{
			Focused: textinput.StyleState{Text: n(), Placeholder: n().Faint(true), Suggestion: n().Faint(true), Prompt: n().Bold(true)},
			Blurred: textinput.StyleState{Text: n(), Placeholder: n().Faint(true), Suggestion: n().Faint(true), Prompt: n()},
			Cursor:  textinput.CursorStyle{Shape: tea.CursorBlock, Blink: true},
		},
	}
}

// NoColorEnv reports whether the environment asks for no colour: NO_COLOR
// set to any non-empty value (https://no-color.org).
func NoColorEnv(environ []string) bool {
	for _, kv := range environ {
		if v, ok := strings.CutPrefix(kv, "NO_COLOR="); ok && v != "" {
			return true
		}
	}
	return false
}
