package tui

import (
	"b2h/sync"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"

	"b2h/sync/mapping"
)

// num writes n with thousands separators: 624967 → "624,967".
func num[T ~int | ~int64](n T) string {
	s := strconv.FormatInt(int64(n), 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// clock writes a duration as m:ss or h:mm:ss.
func clock(d time.Duration) string {
	if d < 0 {
		d = 0
	}
	s := int(d.Round(time.Second).Seconds())
	if s >= 3600 {
		return fmt.Sprintf("%d:%02d:%02d", s/3600, s%3600/60, s%60)
	}
	return fmt.Sprintf("%d:%02d", s/60, s%60)
}

// seconds writes a duration in seconds for people: "0.4 s", "12 s", "3 min 20 s".
func seconds(s float64) string {
	switch {
	case s < 10:
		return fmt.Sprintf("%.1f s", s)
	case s < 120:
		return fmt.Sprintf("%.0f s", s)
	}
	return fmt.Sprintf("%d min %02d s", int(s)/60, int(s)%60)
}

// entityTitle is the entity's name on screen.
func entityTitle(e mapping.Entity) string {
	switch e {
	case mapping.Properties:
		return "Properties"
	case mapping.Units:
		return "Units"
	case mapping.Tenants:
		return "Tenants"
	case mapping.EmergencyContacts:
		return "Emergency contacts"
	case mapping.Leases:
		return "Leases"
	}
	return string(e)
}

// entityShort is the entity's name where space is tight.
func entityShort(e mapping.Entity) string {
	if e == mapping.EmergencyContacts {
		return "Emerg. contacts"
	}
	return entityTitle(e)
}

// entityList writes entities as "tenants, leases"; "" for none.
func entityList(es []mapping.Entity) string {
	s := make([]string, len(es))
	for i, e := range es {
		s[i] = string(e)
	}
	return strings.Join(s, ", ")
}

// wrap word-wraps text to width, indenting continuation lines by indent
// spaces. It never breaks a word shorter than the width.
func wrap(text string, width, indent int) string {
	if width <= indent+10 {
		return text
	}
	lines := strings.Split(ansi.Wrap(text, width-indent, " "), "\n")
	pad := strings.Repeat(" ", indent)
	for i := range lines {
		lines[i] = pad + strings.TrimRight(lines[i], " ")
	}
	return strings.Join(lines, "\n")
}

// hangWrap wraps text whose first line follows a label of width indent:
// continuation lines are indented to line up under it.
func hangWrap(text string, width, indent int) string {
	if width <= indent+10 {
		return text
	}
	lines := strings.Split(ansi.Wrap(text, width-indent, " "), "\n")
	pad := strings.Repeat(" ", indent)
	for i := range lines {
		lines[i] = strings.TrimRight(lines[i], " ")
		if i > 0 {
			lines[i] = pad + lines[i]
		}
	}
	return strings.Join(lines, "\n")
}

// cut truncates a (possibly styled) line to width cells with "…".
func cut(s string, width int) string {
	if width <= 0 {
		return ""
	}
	return ansi.Truncate(s, width, "…")
}

// pad right-pads s (possibly styled) to width cells, truncating if longer.
func pad(s string, width int) string {
	w := ansi.StringWidth(s)
	if w > width {
		return cut(s, width)
	}
	return s + strings.Repeat(" ", width-w)
}

// padLeft left-pads s to width cells.
func padLeft(s string, width int) string {
	w := ansi.StringWidth(s)
	if w >= width {
		return s
	}
	return strings.Repeat(" ", width-w) + s
}

// fit makes body exactly height lines: extra lines are dropped, missing
// ones added, so the footer never moves.
func fit(body string, height int) string {
	if height <= 0 {
		return ""
	}
	lines := strings.Split(strings.TrimRight(body, "\n"), "\n")
	if len(lines) > height {
		lines = lines[:height]
	}
	for len(lines) < height {
		lines = append(lines, "")
	}
	return strings.Join(lines, "\n")
}

// safe cleans Buildium-derived text for the terminal: no escapes, no
// control characters, one line (names can contain anything).
func safe(s string) string {
	s = mapping.Sanitize(s)
	return strings.Join(strings.Fields(s), " ")
}

// masked returns safe(s), masked when the session hides personal data.
// showIssue is an engine issue's message for the screen: with masking on
// (m, for screen sharing), the record's name and any email address or
// phone number in it are masked too.
func (s *session) showIssue(is sync.Issue) string {
	msg := is.Message
	if s.mask {
		if name := strings.TrimSpace(is.Name); name != "" {
			msg = strings.ReplaceAll(msg, name, mapping.Mask(name))
		}
		words := strings.Split(msg, " ")
		for i, w := range words {
			core := strings.Trim(w, "()[],;:.\"'`")
			switch {
			case strings.Contains(core, "@"), len(core) > 8 && core[0] == '+' && strings.Trim(core[1:], "0123456789") == "":
				words[i] = strings.Replace(w, core, mapping.Mask(core), 1) // an email, an E.164 phone
			}
		}
		msg = strings.Join(words, " ")
	}
	return safe(msg)
}

func (s *session) show(v string) string {
	if s.mask {
		return mapping.Mask(safe(v))
	}
	return safe(v)
}
