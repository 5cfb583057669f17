// Package tui is b2h's terminal UI (Bubble Tea v2). It imports sync, state
// and report, never the reverse: engine progress arrives as sync.Events.
package tui

import (
	"context"
	"io"
	"strings"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
)

// Info is what the opening screen shows about the accounts in use.
type Info struct {
	Demo        bool
	BuildiumURL string
	HubSpotURL  string
	StatePath   string
}

// Model is the root model. Until the guided flow lands it is a welcome
// screen that names the accounts and the commands to use.
type Model struct {
	info          Info
	width, height int
}

// New returns the root model.
func New(info Info) Model { return Model{info: info, width: 80, height: 24} }

// Init implements tea.Model.
func (m Model) Init() tea.Cmd { return nil }

// Update implements tea.Model.
func (m Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
	case tea.KeyPressMsg:
		switch msg.String() {
		case "q", "ctrl+c", "esc":
			return m, tea.Quit
		}
	}
	return m, nil
}

var (
	titleStyle = lipgloss.NewStyle().Bold(true)
	dimStyle   = lipgloss.NewStyle().Faint(true)
)

// View implements tea.Model.
func (m Model) View() tea.View {
	var b strings.Builder
	b.WriteString(titleStyle.Render("b2h — Buildium → HubSpot") + "\n\n")
	if m.info.Demo {
		b.WriteString("Demo mode: both accounts are in-process simulators.\n")
	}
	b.WriteString("Buildium: " + m.info.BuildiumURL + "\n")
	b.WriteString("HubSpot:  " + m.info.HubSpotURL + "\n")
	b.WriteString("State:    " + m.info.StatePath + "\n\n")
	b.WriteString("The guided flow is coming; meanwhile use the commands:\n")
	b.WriteString("  b2h plan --demo          what a sync would do, record by record\n")
	b.WriteString("  b2h sync --demo --full   run it\n\n")
	b.WriteString(dimStyle.Render("q quit"))
	v := tea.NewView(b.String())
	v.AltScreen = true
	return v
}

// Run runs the TUI until the person quits.
func Run(ctx context.Context, info Info, in io.Reader, out io.Writer) error {
	p := tea.NewProgram(New(info), tea.WithContext(ctx), tea.WithInput(in), tea.WithOutput(out))
	_, err := p.Run()
	return err
}
