package tui

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"b2h/sync"
	"b2h/sync/mapping"
	"b2h/tui/theme"
)

// lowBudget is the daily budget below which the Check screen warns.
const lowBudget = 5000

// checkScreen shows what the account check found (tier, Listings,
// custom objects, scopes, daily budget), what each means for this
// migration, and the unit mapping chosen and why.
type checkScreen struct {
	sess          *session
	keys          KeyMap
	width, height int
	loading       bool
	seq           int
	err           error
}

// checkedMsg is the result of one account check.
type checkedMsg struct {
	seq int
	res sync.AccountChecked
	err error
}

func (checkedMsg) route() screenID { return scrCheck }

func newCheckScreen(sess *session) *checkScreen { return &checkScreen{sess: sess, keys: sess.keys} }

// Enter implements Component.
func (c *checkScreen) Enter() tea.Cmd {
	if c.sess.check != nil || c.loading {
		return nil
	}
	return c.run()
}

func (c *checkScreen) run() tea.Cmd {
	c.loading, c.err = true, nil
	c.seq++
	seq, sess := c.seq, c.sess
	acc, store, only, ctx, logger := sess.accounts, sess.deps.Store, sess.onlyList(), sess.ctx, sess.deps.Logger
	return func() tea.Msg {
		eng := sync.New(acc.Buildium, acc.HubSpot, store, nil, sync.Options{Only: only, Logger: logger})
		res, err := eng.Check(ctx)
		return checkedMsg{seq: seq, res: res, err: err}
	}
}

// Update implements Component.
func (c *checkScreen) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case checkedMsg:
		if msg.seq != c.seq {
			return nil
		}
		c.loading = false
		if msg.err != nil {
			c.err = msg.err
			return nil
		}
		res := msg.res
		c.sess.check = &res
		c.sess.mapping, c.sess.mapErr = accountMapping(res, c.sess.deps.MappingOverride)
	case tea.KeyPressMsg:
		switch {
		case key.Matches(msg, c.keys.Continue) && c.sess.check != nil:
			return goToCmd(scrMap)
		case key.Matches(msg, c.keys.Retry) && !c.loading:
			c.sess.check = nil
			return c.run()
		case key.Matches(msg, c.keys.Back) && !c.loading:
			return goToCmd(scrConnect)
		}
	}
	return nil
}

// accountMapping is the mapping a run on this account uses: the default
// for its unit target, with the mapping file's overrides.
func accountMapping(res sync.AccountChecked, override func(*mapping.Mapping) (*mapping.Mapping, error)) (*mapping.Mapping, error) {
	target := mapping.TargetUnit
	if res.UnitMode == sync.UnitListing {
		target = mapping.TargetListings
	}
	m := mapping.Default(mapping.Options{UnitTarget: target})
	if override == nil {
		return m, nil
	}
	return override(m)
}

// SetSize implements Component.
func (c *checkScreen) SetSize(w, h int) { c.width, c.height = w, h }

// Busy implements Component.
func (c *checkScreen) Busy() bool { return false }

// Typing implements Component.
func (c *checkScreen) Typing() bool { return false }

// View implements Component.
func (c *checkScreen) View() string {
	st := c.sess.styles
	var b strings.Builder
	b.WriteString(st.Title.Render("Account check") + "\n")
	acc := c.sess.accounts
	if acc != nil {
		b.WriteString(st.Subtle.Render(fmt.Sprintf("HubSpot portal %s %s Buildium %s", acc.PortalID, theme.SymDot, acc.BuildiumHost)) + "\n")
	}
	if c.sess.notice != "" {
		b.WriteString(st.Subtle.Render(wrap(c.sess.notice, c.width, 0)) + "\n")
	}
	b.WriteString("\n")
	switch {
	case c.loading:
		b.WriteString(c.sess.spinFrame + " Reading the HubSpot account: tier, Listings, custom objects, scopes, API budget…\n")
	case c.err != nil:
		b.WriteString(st.Err.Render(theme.SymErr+" The account check failed") + "\n")
		b.WriteString(wrap(safe(c.err.Error()), c.width, 2) + "\n\n")
		b.WriteString(st.Subtle.Render("Fix it, then press r to check again (esc goes back to Connect).") + "\n")
	case c.sess.check != nil:
		c.viewResult(&b, *c.sess.check)
	}
	return b.String()
}

func (c *checkScreen) viewResult(b *strings.Builder, r sync.AccountChecked) {
	st := c.sess.styles
	const labelW = 18
	row := func(state, label, value, meaning string) {
		sym := map[string]string{"ok": st.OK.Render(theme.SymOK), "warn": st.Warn.Render(theme.SymWarn), "err": st.Err.Render(theme.SymErr)}[state]
		b.WriteString(sym + " " + st.Label.Render(pad(label, labelW-2)) + st.Value.Render(value) + "\n")
		if meaning != "" {
			b.WriteString(st.Subtle.Render(wrap(meaning, c.width, labelW)) + "\n")
		}
	}
	rate := "rate limit not reported yet"
	if r.RatePer10s > 0 {
		rate = fmt.Sprintf("%s requests per 10 s: b2h paces itself under it", num(r.RatePer10s))
	}
	tier := rate
	if r.TierHow != "" {
		tier = r.TierHow + "; " + rate
	}
	row("ok", "Tier", r.Tier, tier)
	switch {
	case r.ListingsEnabled:
		row("ok", "Listings", "activated", "rental properties become listings (object 0-420)")
	default:
		row("warn", "Listings", "not activated", "not needed for the entities in scope (contacts only)")
	}
	if r.UnitMode == sync.UnitCustomObject {
		row("ok", "Custom objects", "available", "units become records of the custom object \"unit\"")
	} else {
		row("warn", "Custom objects", "not available", "units become listings marked buildium_record_type = unit")
	}
	switch r.Associations {
	case "default":
		row("warn", "Labels", "not available", "associations use HubSpot's default type; each tenant's lease status and unit go on the contact (buildium_lease_status, buildium_lease_unit)")
	case "labelled":
		row("ok", "Labels", "available", "tenants are labelled Current, Future or Past tenant on their unit; emergency contacts are labelled")
	}
	if len(r.Scopes) == 0 {
		row("warn", "Scopes", "not reported", "service keys do not list scopes; HubSpot will name any that is missing")
	} else {
		row("ok", "Scopes", fmt.Sprintf("%d granted", len(r.Scopes)), "including every scope this migration needs")
	}
	budget := "the plan (next steps) predicts how many calls this migration needs"
	state := "ok"
	if r.DailyRemaining < lowBudget {
		state, budget = "warn", "low: a large sync pauses when it runs out and resumes after the daily reset"
	}
	row(state, "Daily budget", num(r.DailyRemaining)+" calls left today", budget)
	b.WriteString("\n")
	target := "custom object \"unit\""
	if r.UnitMode == sync.UnitListing {
		target = "listings (fallback)"
	}
	b.WriteString(st.Value.Render("Units → "+target) + "\n")
	b.WriteString(wrap(safe(r.UnitReason), c.width, 2) + "\n")
	if len(r.Unchecked) > 0 {
		b.WriteString("\n" + st.Warn.Render(theme.SymWarn+" Not checked") + "\n")
		for _, u := range r.Unchecked {
			b.WriteString(wrap(safe(u), c.width, 2) + "\n")
		}
	}
}

// ShortHelp implements help.KeyMap.
func (c *checkScreen) ShortHelp() []key.Binding {
	k := c.keys
	k.Continue.SetEnabled(c.sess.check != nil)
	k.Retry.SetEnabled(!c.loading)
	k.Back.SetHelp("esc", "back")
	return []key.Binding{k.Continue, k.Retry, k.Back}
}

// FullHelp implements help.KeyMap.
func (c *checkScreen) FullHelp() [][]key.Binding { return [][]key.Binding{c.ShortHelp()} }
