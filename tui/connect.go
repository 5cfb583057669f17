package tui

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"b2h/tui/theme"
)

// The Connect screen's fields, in focus order.
const (
	fieldClientID = iota
	fieldSecret
	fieldToken
	numFields
	fieldRemember = numFields // the checkbox after the inputs
)

// fieldNames are the Credentials fields behind the inputs (keyring names
// and Deps.Sources keys).
var fieldNames = [numFields]string{"BuildiumClientID", "BuildiumClientSecret", "HubSpotToken"}

// connectScreen takes both accounts' credentials (secrets masked), checks
// them live with a spinner and says precisely what is wrong.
type connectScreen struct {
	sess          *session
	keys          KeyMap
	inputs        [numFields]textinput.Model
	sources       [numFields]Source
	focus         int
	remember      bool
	width, height int

	checking bool
	seq      int
	bdMsg    string // Buildium's problem, "" when fine or unknown
	hsMsg    string
	bdOK     bool
	hsOK     bool
	note     string // a hint (an empty field) or the keyring's answer
}

// connectedMsg is the result of one live check (tagged by seq).
type connectedMsg struct {
	seq      int
	accounts *Accounts
	err      error
	saveErr  error // the keyring's answer when "remember" was on
	saved    bool
}

func (connectedMsg) route() screenID { return scrConnect }

// keyringLoadedMsg carries credentials found in the OS keyring.
type keyringLoadedMsg struct{ values [numFields]string }

func (keyringLoadedMsg) route() screenID { return scrConnect }

func newConnectScreen(sess *session) *connectScreen {
	c := &connectScreen{sess: sess, keys: sess.keys}
	labels := [numFields]string{"Buildium client ID", "Buildium client secret", "HubSpot access token"}
	values := [numFields]string{sess.deps.Credentials.BuildiumClientID, sess.deps.Credentials.BuildiumClientSecret, sess.deps.Credentials.HubSpotToken}
	for i := range c.inputs {
		in := textinput.New()
		in.SetStyles(sess.styles.Input)
		in.Prompt = "› "
		in.Placeholder = labels[i]
		in.CharLimit = 512
		if i != fieldClientID {
			in.EchoMode = textinput.EchoPassword
			in.EchoCharacter = '•'
		}
		in.SetValue(values[i])
		c.inputs[i] = in
		c.sources[i] = sess.deps.Sources[fieldNames[i]]
		if values[i] == "" {
			c.sources[i] = SourceNone
		}
	}
	c.focus = c.firstEmpty()
	return c
}

// canRemember reports whether "remember in the OS keyring" is offered.
func (c *connectScreen) canRemember() bool { return c.sess.deps.Keyring != nil && !c.sess.deps.Demo }

func (c *connectScreen) anyEmpty() bool {
	for _, in := range c.inputs {
		if strings.TrimSpace(in.Value()) == "" {
			return true
		}
	}
	return false
}

func (c *connectScreen) firstEmpty() int {
	for i, in := range c.inputs {
		if strings.TrimSpace(in.Value()) == "" {
			return i
		}
	}
	return fieldToken
}

// Enter implements Component.
func (c *connectScreen) Enter() tea.Cmd {
	cmds := []tea.Cmd{c.setFocus(c.focus)}
	if c.canRemember() && c.anyEmpty() {
		cmds = append(cmds, c.loadKeyring())
	}
	return tea.Batch(cmds...)
}

// loadKeyring reads saved credentials for the configured hosts.
func (c *connectScreen) loadKeyring() tea.Cmd {
	kr := c.sess.deps.Keyring
	hosts := c.hosts()
	return func() tea.Msg {
		var m keyringLoadedMsg
		for i, f := range fieldNames {
			if v, err := kr.Get(credentialName(f, hosts[i])); err == nil {
				m.values[i] = v
			}
		}
		return m
	}
}

// hosts returns the host each field's credential belongs to.
func (c *connectScreen) hosts() [numFields]string {
	bd, hs := hostOf(c.sess.deps.Credentials.BuildiumURL), hostOf(c.sess.deps.Credentials.HubSpotURL)
	return [numFields]string{bd, bd, hs}
}

func hostOf(raw string) string {
	if u, err := url.Parse(raw); err == nil && u.Host != "" {
		return u.Host
	}
	return raw
}

func (c *connectScreen) setFocus(i int) tea.Cmd {
	last := numFields - 1
	if c.canRemember() {
		last = fieldRemember
	}
	c.focus = max(0, min(i, last))
	var cmd tea.Cmd
	for j := range c.inputs {
		if j == c.focus {
			cmd = c.inputs[j].Focus()
		} else {
			c.inputs[j].Blur()
		}
	}
	return cmd
}

// Update implements Component.
func (c *connectScreen) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case keyringLoadedMsg:
		for i, v := range msg.values {
			if v != "" && strings.TrimSpace(c.inputs[i].Value()) == "" {
				c.inputs[i].SetValue(v)
				c.sources[i] = SourceKeyring
			}
		}
		return c.setFocus(c.firstEmpty())
	case connectedMsg:
		return c.connected(msg)
	case tea.KeyPressMsg:
		return c.key(msg)
	}
	if c.focus < numFields {
		var cmd tea.Cmd
		c.inputs[c.focus], cmd = c.inputs[c.focus].Update(msg)
		return cmd
	}
	return nil
}

func (c *connectScreen) key(msg tea.KeyPressMsg) tea.Cmd {
	if c.checking {
		return nil // the check is on its way; edits would not be what was checked
	}
	switch {
	case key.Matches(msg, c.keys.Connect):
		return c.connect()
	case key.Matches(msg, c.keys.NextField):
		return c.setFocus((c.focus + 1) % (c.lastFocus() + 1))
	case key.Matches(msg, c.keys.PrevField):
		return c.setFocus((c.focus + c.lastFocus()) % (c.lastFocus() + 1))
	case c.focus == fieldRemember && key.Matches(msg, c.keys.Remember):
		c.remember = !c.remember
		return nil
	case c.focus < numFields:
		before := c.inputs[c.focus].Value()
		var cmd tea.Cmd
		c.inputs[c.focus], cmd = c.inputs[c.focus].Update(msg)
		if c.inputs[c.focus].Value() != before {
			c.sources[c.focus] = SourceNone // typed: no longer what came from elsewhere
			c.note = ""
		}
		return cmd
	}
	return nil
}

func (c *connectScreen) lastFocus() int {
	if c.canRemember() {
		return fieldRemember
	}
	return numFields - 1
}

func (c *connectScreen) credentials() Credentials {
	cr := c.sess.deps.Credentials
	cr.BuildiumClientID = strings.TrimSpace(c.inputs[fieldClientID].Value())
	cr.BuildiumClientSecret = strings.TrimSpace(c.inputs[fieldSecret].Value())
	cr.HubSpotToken = strings.TrimSpace(c.inputs[fieldToken].Value())
	return cr
}

// connect validates the fields and starts the live check.
func (c *connectScreen) connect() tea.Cmd {
	names := [numFields]string{"the Buildium client ID", "the Buildium client secret", "the HubSpot access token"}
	for i, in := range c.inputs {
		if strings.TrimSpace(in.Value()) == "" {
			c.note = "Enter " + names[i] + "."
			return c.setFocus(i)
		}
	}
	c.checking, c.note = true, ""
	c.bdOK, c.hsOK, c.bdMsg, c.hsMsg = false, false, "", ""
	c.seq++
	seq, creds, ctx := c.seq, c.credentials(), c.sess.ctx
	connectFn, kr, remember, hosts := c.sess.deps.Connect, c.sess.deps.Keyring, c.remember && c.canRemember(), c.hosts()
	return func() tea.Msg {
		acc, err := connectFn(ctx, creds)
		msg := connectedMsg{seq: seq, accounts: acc, err: err}
		if err == nil && remember {
			vals := [numFields]string{creds.BuildiumClientID, creds.BuildiumClientSecret, creds.HubSpotToken}
			for i, f := range fieldNames {
				if serr := kr.Set(credentialName(f, hosts[i]), vals[i]); serr != nil && msg.saveErr == nil {
					msg.saveErr = serr
				}
			}
			msg.saved = msg.saveErr == nil
		}
		return msg
	}
}

func (c *connectScreen) connected(msg connectedMsg) tea.Cmd {
	if msg.seq != c.seq {
		return nil // an older attempt
	}
	c.checking = false
	var ce *ConnectError
	switch {
	case msg.err == nil:
		c.bdOK, c.hsOK = true, true
		c.sess.connected(msg.accounts)
		switch {
		case msg.saved:
			c.sess.notice = "Credentials saved in the OS keyring (service \"" + KeyringService + "\")."
		case msg.saveErr != nil:
			c.sess.notice = "Not saved in the OS keyring: " + safe(msg.saveErr.Error()) + ". Set them in the environment next time."
		}
		return goToCmd(scrCheck)
	case errors.As(msg.err, &ce):
		c.bdOK, c.hsOK = ce.Buildium == nil, ce.HubSpot == nil
		c.bdMsg = Problem("Buildium", hostOf(c.sess.deps.Credentials.BuildiumURL), ce.Buildium)
		c.hsMsg = Problem("HubSpot", hostOf(c.sess.deps.Credentials.HubSpotURL), ce.HubSpot)
		switch {
		case ce.Buildium != nil:
			return c.setFocus(fieldSecret)
		default:
			return c.setFocus(fieldToken)
		}
	case errors.Is(msg.err, context.Canceled):
		return nil
	default:
		c.note = safe(msg.err.Error())
	}
	return nil
}

// SetSize implements Component.
func (c *connectScreen) SetSize(w, h int) {
	c.width, c.height = w, h
	for i := range c.inputs {
		// label 17, prompt 2, cursor 1, gap 2, source, margin 1
		c.inputs[i].SetWidth(max(10, min(48, w-23-srcW(w))))
		c.inputs[i].SetCursor(c.inputs[i].Position()) // re-clip the value to the new width
	}
}

// srcW is the width kept for "from the environment" beside the inputs.
func srcW(width int) int {
	if width < 70 {
		return 0
	}
	return len(SourceEnv)
}

// Busy implements Component: a live check writes nothing.
func (c *connectScreen) Busy() bool { return false }

// Typing implements Component.
func (c *connectScreen) Typing() bool { return c.focus < numFields && !c.checking }

// View implements Component.
func (c *connectScreen) View() string {
	st := c.sess.styles
	var b strings.Builder
	b.WriteString(st.Title.Render("Connect both accounts") + "\n")
	if c.sess.deps.Demo {
		b.WriteString(st.Subtle.Render(wrap("Demo: both accounts are simulators on this machine; the credentials are theirs. Press enter.", c.width, 0)) + "\n")
	} else {
		b.WriteString(st.Subtle.Render(wrap("Secrets stay in memory and the OS keyring, never in files or logs.", c.width, 0)) + "\n")
	}
	b.WriteString("\n")
	labels := [numFields]string{"Client ID", "Client secret", "Access token"}
	account := func(name, rawURL string) {
		b.WriteString(st.Value.Render(pad(name, 10)) + st.Subtle.Render(hostOf(rawURL)) + "\n")
	}
	for i := range c.inputs {
		switch i {
		case fieldClientID:
			account("Buildium", c.sess.deps.Credentials.BuildiumURL)
		case fieldToken:
			account("HubSpot", c.sess.deps.Credentials.HubSpotURL)
		}
		label := pad("  "+labels[i], 17)
		if c.focus == i {
			label = st.Value.Render(label)
		} else {
			label = st.Label.Render(label)
		}
		line := label + c.inputs[i].View()
		if src := c.sources[i]; src != SourceNone && srcW(c.width) > 0 {
			line += "  " + st.Subtle.Render(string(src))
		}
		b.WriteString(cut(line, c.width) + "\n")
	}
	if c.canRemember() {
		box := "[ ]"
		if c.remember {
			box = "[x]"
		}
		line := box + " Remember in the OS keyring"
		if c.focus == fieldRemember {
			line = st.Selected.Render(line)
		}
		b.WriteString("\n" + line + "\n")
	}
	b.WriteString("\n")
	switch {
	case c.checking:
		b.WriteString(c.sess.spinFrame + " Checking both accounts…\n")
	default:
		c.status(&b, st, "Buildium", c.bdOK, c.bdMsg)
		c.status(&b, st, "HubSpot", c.hsOK, c.hsMsg)
	}
	if c.note != "" {
		b.WriteString(st.Warn.Render(wrap(theme.SymWarn+" "+c.note, c.width, 0)) + "\n")
	}
	return b.String()
}

func (c *connectScreen) status(b *strings.Builder, st *theme.Styles, name string, ok bool, problem string) {
	switch {
	case problem != "":
		b.WriteString(st.Err.Render(hangWrap(fmt.Sprintf("%s %s: %s", theme.SymErr, name, problem), c.width, 2)) + "\n")
	case ok:
		b.WriteString(st.OK.Render(theme.SymOK+" "+name+" accepted the credentials.") + "\n")
	}
}

// ShortHelp implements help.KeyMap.
func (c *connectScreen) ShortHelp() []key.Binding {
	k := c.keys
	k.NextField.SetHelp("tab", "next field")
	bs := []key.Binding{k.Connect, k.NextField}
	if c.focus == fieldRemember {
		bs = append(bs, k.Remember)
	}
	return bs
}

// FullHelp implements help.KeyMap.
func (c *connectScreen) FullHelp() [][]key.Binding {
	k := c.keys
	col := []key.Binding{k.Connect, k.NextField, k.PrevField}
	if c.canRemember() {
		col = append(col, k.Remember)
	}
	return [][]key.Binding{col}
}
