package tui

import "charm.land/bubbles/v2/key"

// KeyMap is every key binding of the UI, declared once (STYLE.md example
// 9). Screens copy it, enable what applies to them (disabled bindings vanish
// from help) and list their bindings in ShortHelp and FullHelp.
type KeyMap struct {
	// Global.
	Help      key.Binding
	Quit      key.Binding
	ForceQuit key.Binding
	Back      key.Binding

	// Movement.
	Up       key.Binding
	Down     key.Binding
	PageUp   key.Binding
	PageDown key.Binding
	NextTab  key.Binding
	PrevTab  key.Binding

	// Connect.
	NextField key.Binding
	PrevField key.Binding
	Connect   key.Binding
	Remember  key.Binding

	// Check, Map.
	Continue key.Binding
	Retry    key.Binding
	Mask     key.Binding
	Sample   key.Binding

	// Plan.
	Open         key.Binding
	FilterAction key.Binding
	ToSync       key.Binding

	// Sync.
	Start   key.Binding
	Mode    key.Binding
	Scope   key.Binding
	Pause   key.Binding
	Cancel  key.Binding
	Summary key.Binding

	// Summary.
	SyncAgain   key.Binding
	Activity    key.Binding
	WriteReport key.Binding

	// Review (reached with ToReview from Plan, Sync and the summary).
	ToReview     key.Binding
	Home         key.Binding
	End          key.Binding
	KindFilter   key.Binding
	Refresh      key.Binding
	TakeLeft     key.Binding
	TakeRight    key.Binding
	Edit         key.Binding
	ClearChoice  key.Binding
	Decide       key.Binding
	NextMember   key.Binding
	PrevMember   key.Binding
	Primary      key.Binding
	Save         key.Binding
	NextItem     key.Binding
	PrevItem     key.Binding
	Undo         key.Binding
	ApplySimilar key.Binding
	ApplyNow     key.Binding

	// Confirmations.
	Yes key.Binding
	No  key.Binding
}

// DefaultKeyMap returns the bindings b2h ships with.
func DefaultKeyMap() KeyMap {
	b := func(keys []string, k, desc string) key.Binding {
		return key.NewBinding(key.WithKeys(keys...), key.WithHelp(k, desc))
	}
	return KeyMap{
		Help:      b([]string{"?"}, "?", "keys"),
		Quit:      b([]string{"q"}, "q", "quit"),
		ForceQuit: b([]string{"ctrl+c"}, "ctrl+c", "quit"),
		Back:      b([]string{"esc"}, "esc", "back"),

		Up:       b([]string{"up", "k"}, "↑/k", "up"),
		Down:     b([]string{"down", "j"}, "↓/j", "down"),
		PageUp:   b([]string{"pgup"}, "pgup", "page up"),
		PageDown: b([]string{"pgdown", "space"}, "pgdn", "page down"),
		NextTab:  b([]string{"tab", "right", "l"}, "tab/→", "entity"),
		PrevTab:  b([]string{"shift+tab", "left", "h"}, "shift+tab/←", "previous entity"),

		NextField: b([]string{"tab", "down"}, "tab", "next field"),
		PrevField: b([]string{"shift+tab", "up"}, "shift+tab/↑", "previous field"),
		Connect:   b([]string{"enter"}, "enter", "connect"),
		Remember:  b([]string{"space", "x"}, "space", "remember"),

		Continue: b([]string{"enter"}, "enter", "continue"),
		Retry:    b([]string{"r"}, "r", "retry"),
		Mask:     b([]string{"m"}, "m", "mask PII"),
		Sample:   b([]string{"n"}, "n", "next sample"),

		Open:         b([]string{"enter"}, "enter", "diff"),
		FilterAction: b([]string{"a"}, "a", "action filter"),
		ToSync:       b([]string{"s"}, "s", "sync"),

		Start:   b([]string{"enter"}, "enter", "start"),
		Mode:    b([]string{"f", "i"}, "f/i", "full/incremental"),
		Scope:   b([]string{"1", "2", "3", "4", "5"}, "1-5", "scope"),
		Pause:   b([]string{"p"}, "p", "pause"),
		Cancel:  b([]string{"x"}, "x", "cancel"),
		Summary: b([]string{"enter"}, "enter", "summary"),

		SyncAgain:   b([]string{"s"}, "s", "sync again"),
		Activity:    b([]string{"a"}, "a", "simulate activity"),
		WriteReport: b([]string{"w"}, "w", "write report"),

		ToReview:     b([]string{"v"}, "v", "review"),
		Home:         b([]string{"home", "g"}, "home", "first"),
		End:          b([]string{"end", "G"}, "end", "last"),
		KindFilter:   b([]string{"f"}, "f", "kind filter"),
		Refresh:      b([]string{"r"}, "r", "reload"),
		TakeLeft:     b([]string{"left"}, "←", "take left"),
		TakeRight:    b([]string{"right"}, "→", "take right"),
		Edit:         b([]string{"e"}, "e", "edit value"),
		ClearChoice:  b([]string{"backspace", "delete"}, "⌫", "clear field choice"),
		Decide:       b([]string{"1", "2", "3"}, "1-3", "record decision"),
		NextMember:   b([]string{"tab"}, "tab", "next member"),
		PrevMember:   b([]string{"shift+tab"}, "shift+tab", "other member (left)"),
		Primary:      b([]string{"p"}, "p", "swap primary"),
		Save:         b([]string{"enter"}, "enter", "save"),
		NextItem:     b([]string{"]"}, "]", "next item"),
		PrevItem:     b([]string{"["}, "[", "previous item"),
		Undo:         b([]string{"u"}, "u", "undo decision"),
		ApplySimilar: b([]string{"A"}, "A", "apply to similar"),
		ApplyNow:     b([]string{"s"}, "s", "sync now"),

		Yes: b([]string{"y"}, "y", "yes"),
		No:  b([]string{"n", "esc"}, "n/esc", "no"),
	}
}
