package tui

import (
	"fmt"
	"path/filepath"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"b2h/sync"
	"b2h/sync/mapping"
	"b2h/tui/theme"
)

// mapScreen shows, per entity, the field mapping with real sample values
// from the first Buildium records, validation problems in the sample, the
// fallbacks chosen for this account and the mapping file's overrides.
type mapScreen struct {
	sess          *session
	keys          KeyMap
	width, height int

	loading bool
	seq     int
	err     error
	data    *mapped

	tab    int // index into mapping.Entities()
	sample [5]int
	offset int // first field row shown
}

func newMapScreen(sess *session) *mapScreen { return &mapScreen{sess: sess, keys: sess.keys} }

// Enter implements Component.
func (s *mapScreen) Enter() tea.Cmd {
	if s.data != nil || s.loading || s.sess.mapping == nil {
		return nil
	}
	return s.fetch()
}

func (s *mapScreen) fetch() tea.Cmd {
	s.loading, s.err = true, nil
	s.seq++
	seq, ctx, bd := s.seq, s.sess.ctx, s.sess.accounts.Buildium
	return func() tea.Msg {
		smp, err := fetchSamples(ctx, bd)
		return samplesMsg{seq: seq, s: smp, err: err}
	}
}

// reset drops the samples (new accounts or mapping).
func (s *mapScreen) reset() { s.data, s.err, s.offset, s.sample = nil, nil, 0, [5]int{} }

// Update implements Component.
func (s *mapScreen) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case samplesMsg:
		if msg.seq != s.seq {
			return nil
		}
		s.loading = false
		if msg.err != nil {
			s.err = msg.err
			return nil
		}
		d := mapSamples(s.sess.mapping, msg.s, s.sess.deps.now())
		s.data = &d
	case tea.KeyPressMsg:
		return s.key(msg)
	}
	return nil
}

func (s *mapScreen) key(msg tea.KeyPressMsg) tea.Cmd {
	k := s.keys
	n := len(mapping.Entities())
	switch {
	case key.Matches(msg, k.Continue) && s.sess.mapping != nil && s.sess.mapErr == nil:
		return goToCmd(scrPlan)
	case key.Matches(msg, k.Back):
		return goToCmd(scrCheck)
	case key.Matches(msg, k.Retry) && s.err != nil:
		return s.fetch()
	case key.Matches(msg, k.NextTab):
		s.tab, s.offset = (s.tab+1)%n, 0
	case key.Matches(msg, k.PrevTab):
		s.tab, s.offset = (s.tab+n-1)%n, 0
	case key.Matches(msg, k.Down):
		s.offset++
	case key.Matches(msg, k.Up):
		s.offset = max(0, s.offset-1)
	case key.Matches(msg, k.PageDown):
		s.offset += max(1, s.rowsRoom())
	case key.Matches(msg, k.PageUp):
		s.offset = max(0, s.offset-max(1, s.rowsRoom()))
	case key.Matches(msg, k.Sample):
		if recs := s.records(); len(recs) > 0 {
			s.sample[s.tab] = (s.sample[s.tab] + 1) % len(recs)
		}
	case key.Matches(msg, k.Mask):
		s.sess.mask = !s.sess.mask
	}
	return nil
}

func (s *mapScreen) entity() mapping.Entity { return mapping.Entities()[s.tab] }

func (s *mapScreen) records() []mapping.Record {
	if s.data == nil {
		return nil
	}
	return s.data.records[s.entity()]
}

// personal reports whether the entity's values are personal data.
func personal(e mapping.Entity) bool { return e == mapping.Tenants || e == mapping.EmergencyContacts }

// SetSize implements Component.
func (s *mapScreen) SetSize(w, h int) { s.width, s.height = w, h }

// Busy implements Component.
func (s *mapScreen) Busy() bool { return false }

// Typing implements Component.
func (s *mapScreen) Typing() bool { return false }

// notes returns the lines under the table: validation, fallbacks, overrides.
func (s *mapScreen) notes() []string {
	st, ent := s.sess.styles, s.entity()
	var out []string
	add := func(style func(...string) string, text string) {
		out = append(out, strings.Split(style(wrap(text, s.width, 0)), "\n")...)
	}
	if recs := s.records(); len(recs) > 0 {
		bad, warned := 0, 0
		for _, r := range recs {
			switch {
			case !r.Valid():
				bad++
			case len(r.WarningDetails) > 0:
				warned++
			}
		}
		rec := recs[s.sample[s.tab]%len(recs)]
		switch {
		case bad > 0:
			add(st.Warn.Render, fmt.Sprintf("%s %d of %d sampled %s fail validation: not sent.",
				theme.SymWarn, bad, len(recs), strings.ToLower(entityTitle(ent))))
		case warned > 0:
			add(st.Warn.Render, fmt.Sprintf("%s %d of %d sampled %s are sent with a field left off (see the warning).",
				theme.SymWarn, warned, len(recs), strings.ToLower(entityTitle(ent))))
		default:
			add(st.OK.Render, fmt.Sprintf("%s %d of %d sampled %s pass validation.", theme.SymOK, len(recs), len(recs), strings.ToLower(entityTitle(ent))))
		}
		for _, ve := range rec.Errors {
			text := ve.Reveal() // for the person at the screen
			if s.sess.mask && personal(ent) {
				text = ve.String()
			}
			add(st.Err.Render, "  "+theme.SymErr+" this sample: "+safe(text))
		}
		for i, w := range rec.Warnings {
			if i < len(rec.WarningDetails) && !(s.sess.mask && personal(ent)) {
				w = rec.WarningDetails[i].Reveal() // the raw value, for the person fixing it
			}
			add(st.Warn.Render, "  "+theme.SymWarn+" this sample: "+safe(w))
		}
	}
	if c := s.sess.check; c != nil && (ent == mapping.Units || ent == mapping.Leases) && c.UnitMode == sync.UnitListing {
		add(st.Subtle.Render, "Fallback: "+safe(c.UnitReason)+".")
	}
	if ent == mapping.Leases {
		add(st.Subtle.Render, "Each tenant on a lease is associated with the lease's unit, labelled Current, Future or Past tenant from the lease's status and dates, recomputed every run.")
		if s.data != nil && len(s.data.leases) > 0 {
			ls := s.data.leases[s.sample[s.tab]%len(s.data.leases)]
			for _, l := range ls.labels {
				add(st.Subtle.Render, "  "+l)
			}
		}
	}
	if m := s.sess.mapping; m != nil && m.File != "" {
		n := 0
		for _, f := range m.Entity(ent).Fields {
			if f.Line > 0 {
				n++
			}
		}
		add(st.Subtle.Render, fmt.Sprintf("✎ %d field(s) here come from the mapping file %s.", n, filepath.Base(m.File)))
	}
	return out
}

// rowsRoom is how many field rows fit.
func (s *mapScreen) rowsRoom() int {
	return s.height - 6 - len(s.notes())
}

// View implements Component.
func (s *mapScreen) View() string {
	st := s.sess.styles
	var b strings.Builder
	b.WriteString(s.tabs() + "\n")
	switch {
	case s.sess.mapErr != nil:
		b.WriteString("\n" + st.Err.Render(wrap(theme.SymErr+" The mapping file cannot be used: "+safe(s.sess.mapErr.Error()), s.width, 0)) + "\n")
		b.WriteString(st.Subtle.Render("Fix the file and start b2h again; the default mapping is `b2h mapping show`.") + "\n")
		return b.String()
	case s.sess.mapping == nil:
		return b.String()
	}
	ent := s.entity()
	em := s.sess.mapping.Entity(ent)
	head := "→ " + targetName(em.Target)
	if em.Key != "" {
		head += ", unique key " + em.Key
	}
	b.WriteString(st.Subtle.Render(cut(head, s.width)) + "\n")
	recs := s.records()
	var rec *mapping.Record
	switch {
	case s.loading:
		b.WriteString(s.sess.spinFrame + " Reading the first records from Buildium…\n")
	case s.err != nil:
		b.WriteString(st.Err.Render(cut(theme.SymErr+" "+safe(s.err.Error()), s.width)) + "  r retry\n")
	case len(recs) == 0:
		b.WriteString(st.Subtle.Render("No sample: Buildium returned no "+strings.ToLower(entityTitle(ent))+".") + "\n")
	default:
		i := s.sample[s.tab] % len(recs)
		rec = &recs[i]
		name := safe(rec.Name)
		if personal(ent) {
			name = s.sess.show(rec.Name)
		}
		title := fmt.Sprintf("Sample %d of %d: %s (%s)", i+1, len(recs), st.Value.Render(name), rec.SourceID)
		if strings.Contains(rec.Name, rec.SourceID) {
			title = fmt.Sprintf("Sample %d of %d: %s", i+1, len(recs), st.Value.Render(name)) // the name says the id already
		}
		b.WriteString(cut(title, s.width) + "\n")
	}
	b.WriteString("\n")
	b.WriteString(s.table(em, rec))
	for _, l := range s.notes() {
		b.WriteString(l + "\n")
	}
	return b.String()
}

// table renders the field rows that fit, scrolled to offset.
func (s *mapScreen) table(em *mapping.EntityMapping, rec *mapping.Record) string {
	st := s.sess.styles
	srcW, tgtW := 24, 26
	showTransform := s.width >= 120
	if s.width >= 120 {
		srcW, tgtW = 30, 32
	}
	valW := s.width - srcW - tgtW
	if showTransform {
		valW -= 14
	}
	var b strings.Builder
	hdr := pad("Buildium", srcW) + pad("HubSpot", tgtW)
	if showTransform {
		hdr += pad("Conversion", 14)
	}
	b.WriteString(st.Header.Render(hdr+"Sample value") + "\n")
	room := max(1, s.rowsRoom())
	s.offset = min(s.offset, max(0, len(em.Fields)-room))
	for i, f := range em.Fields {
		if i < s.offset || i >= s.offset+room {
			continue
		}
		src := f.Source
		if src == "" {
			src = "constant " + f.Value
		}
		if f.Line > 0 {
			src = "✎ " + src
		}
		tgt := f.Target
		if f.Target == em.Key {
			tgt += " ⚷"
		}
		line := pad(src, srcW-1) + " " + pad(tgt, tgtW-1) + " "
		if showTransform {
			line += pad(f.Transform, 13) + " "
		}
		val := "—"
		if rec != nil {
			if v, ok := rec.Properties[f.Target]; ok {
				val = safe(v)
				if personal(rec.Entity) {
					val = s.sess.show(v)
				}
				if val == "" {
					val = "(cleared)"
				}
			}
		}
		b.WriteString(line + cut(val, valW) + "\n")
	}
	if more := len(em.Fields) - s.offset - room; more > 0 {
		b.WriteString(s.sess.styles.Subtle.Render(fmt.Sprintf("  … %d more field(s): ↓ to scroll", more)) + "\n")
	}
	return b.String()
}

func targetName(t string) string {
	switch t {
	case mapping.TargetContacts:
		return "HubSpot contacts"
	case mapping.TargetListings:
		return "HubSpot listings (0-420)"
	case mapping.TargetUnit:
		return "custom object \"unit\""
	}
	return t
}

// tabs renders the entity tabs.
func (s *mapScreen) tabs() string {
	st := s.sess.styles
	var parts []string
	for i, e := range mapping.Entities() {
		name := entityTitle(e)
		if s.width < 90 {
			name = entityShort(e)
		}
		if i == s.tab {
			parts = append(parts, st.TabNow.Render(name))
		} else {
			parts = append(parts, st.Tab.Render(name))
		}
	}
	return cut(strings.Join(parts, ""), s.width)
}

// ShortHelp implements help.KeyMap.
func (s *mapScreen) ShortHelp() []key.Binding {
	k := s.keys
	k.Continue.SetHelp("enter", "plan")
	k.Continue.SetEnabled(s.sess.mapErr == nil && s.sess.mapping != nil)
	k.NextTab.SetHelp("tab", "entity")
	return []key.Binding{k.Continue, k.NextTab, k.Sample, k.Mask}
}

// FullHelp implements help.KeyMap.
func (s *mapScreen) FullHelp() [][]key.Binding {
	k := s.keys
	k.Back.SetHelp("esc", "check")
	k.Down.SetHelp("↓/j", "scroll fields")
	return [][]key.Binding{s.ShortHelp(), {k.PrevTab, k.Up, k.Down, k.PageUp, k.PageDown, k.Back}}
}
