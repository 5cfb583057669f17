package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"b2h/clients/buildium"
	"b2h/clients/hubspot"
	"b2h/state"
	"b2h/sync"
	"b2h/sync/mapping"
)

var updateDocs = flag.Bool("update-docs", false, "rewrite the generated files under docs/ instead of comparing them")

// TestGeneratedDocsUpToDate fails when docs/mapping.md or docs/cli.md
// differs from what the code generates, so the documentation cannot drift:
// after changing the mapping or a command's help, run `go run . docs all`
// (or this test with -update-docs) and commit the result.
func TestGeneratedDocsUpToDate(t *testing.T) {
	for name, gen := range generatedDocs(newRootCmd()) {
		t.Run(name, func(t *testing.T) {
			var want bytes.Buffer
			if err := gen(&want); err != nil {
				t.Fatal(err)
			}
			path := filepath.Join(docsDir, name)
			if *updateDocs {
				if err := os.WriteFile(path, want.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			got, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v: run `go run . docs all` to generate it", err)
			}
			if !bytes.Equal(got, want.Bytes()) {
				line, g, w := firstDifference(string(got), want.String())
				t.Errorf("%s is stale: line %d is\n  %q\nbut the code says\n  %q\nrun `go run . docs all` and commit the result", path, line, g, w)
			}
		})
	}
}

func firstDifference(a, b string) (line int, la, lb string) {
	as, bs := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := 0; i < max(len(as), len(bs)); i++ {
		if i >= len(as) || i >= len(bs) || as[i] != bs[i] {
			if i < len(as) {
				la = as[i]
			}
			if i < len(bs) {
				lb = bs[i]
			}
			return i + 1, la, lb
		}
	}
	return 0, "", ""
}

// TestMappingDocCoversEveryField checks the generator against the model:
// every field of both default mappings (custom object and listings
// fallback) appears in docs/mapping.md with its source and target, so a
// layout change in Describe cannot silently drop the fallback section.
func TestMappingDocCoversEveryField(t *testing.T) {
	var buf bytes.Buffer
	if err := writeMappingDoc(&buf); err != nil {
		t.Fatal(err)
	}
	doc := buf.String()
	for _, target := range []string{mapping.TargetUnit, mapping.TargetListings} {
		m := mapping.Default(mapping.Options{UnitTarget: target})
		for _, e := range mapping.Entities() {
			for _, f := range m.Entities[e].Fields {
				row := "| `" + f.Source + "`"
				if f.Source == "" {
					row = "| constant `" + f.Value + "`"
				}
				if !strings.Contains(doc, row) || !strings.Contains(doc, "`"+f.Target+"`") {
					t.Errorf("%s/%s: field %s → %s missing from the mapping doc", target, e, f.Source, f.Target)
				}
			}
		}
	}
	for _, want := range []string{"## Without custom objects", "### Units (`/v1/rentals/units`) → listings", "`buildium_parent_property_id`", "## HubSpot properties b2h creates", "Tax ids (`TaxId`) are not synced"} {
		if !strings.Contains(doc, want) {
			t.Errorf("mapping doc lacks %q", want)
		}
	}
	if strings.Count(doc, "Tax ids (`TaxId`)") != 1 {
		t.Error("the closing tax-id note must appear once (the fallback sections must not repeat it)")
	}
}

// TestDocsCommandWritesFiles runs `b2h docs all --dir DIR` and checks it
// writes exactly what the generators produce.
func TestDocsCommandWritesFiles(t *testing.T) {
	dir := t.TempDir()
	if _, stderr, code := runCLI(t, "docs", "all", "--dir", dir); code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for name, gen := range generatedDocs(newRootCmd()) {
		var want bytes.Buffer
		if err := gen(&want); err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want.Bytes()) {
			t.Errorf("%s written by the command differs from the generator", name)
		}
	}
	out, _, code := runCLI(t, "--help")
	if code != exitOK || strings.Contains(out, "docs") {
		t.Errorf("the docs command must be hidden from --help (exit %d)", code)
	}
}

// fence is one fenced code block of a Markdown file.
type fence struct {
	lang, marker string // marker: the HTML comment on the line before, if any
	line, indent int    // indent: of the opening fence (a block inside a list item)
	body         string
}

// fences returns the fenced code blocks of a Markdown file.
func fences(t *testing.T, path string) []fence {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var out []fence
	var cur *fence
	prev := ""
	for i, l := range strings.Split(string(raw), "\n") {
		trimmed := strings.TrimSpace(l)
		switch {
		case cur == nil && strings.HasPrefix(trimmed, "```"):
			cur = &fence{lang: strings.TrimPrefix(trimmed, "```"), line: i + 1, indent: leadingSpaces(l)}
			if strings.HasPrefix(prev, "<!--") {
				cur.marker = prev
			}
		case cur != nil && trimmed == "```":
			out = append(out, *cur)
			cur = nil
		case cur != nil:
			cur.body += l[min(cur.indent, leadingSpaces(l)):] + "\n"
		}
		if trimmed != "" {
			prev = trimmed
		}
	}
	return out
}

func leadingSpaces(l string) int { return len(l) - len(strings.TrimLeft(l, " ")) }

// markdownFiles are the documents whose commands are checked.
func markdownFiles(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(docsDir, "*.md"))
	if err != nil {
		t.Fatal(err)
	}
	return append([]string{"README.md"}, files...)
}

// TestReadmeTwoCommands pins the contract of README.md's "Two commands":
// the demo is `go run . --demo`, the tests are `make test`, and `make test`
// is the race-enabled test run that .ci/run executes.
func TestReadmeTwoCommands(t *testing.T) {
	raw, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	s := string(raw)
	i := strings.Index(s, "\n## Two commands\n")
	if i < 0 {
		t.Fatal(`README.md has no "## Two commands" section`)
	}
	sec := s[i+1:]
	if j := strings.Index(sec[3:], "\n## "); j >= 0 {
		sec = sec[:j+3]
	}
	var cmds []string
	for _, m := range regexp.MustCompile("(?s)```sh\n(.*?)```").FindAllStringSubmatch(sec, -1) {
		cmds = append(cmds, strings.TrimSpace(m[1]))
	}
	if !slices.Equal(cmds, []string{"go run . --demo", "make test"}) {
		t.Errorf("the Two commands section shows %q; it must be exactly go run . --demo and make test", cmds)
	}
	mk, err := os.ReadFile("Makefile")
	if err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`(?m)^test:.*\n\t\$\(GO\) test -race `).Match(mk) {
		t.Error("Makefile: `make test` must run go test -race")
	}
	ci, err := os.ReadFile(".ci/run")
	if err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`(?m)^make test$`).Match(ci) {
		t.Error(".ci/run must run `make test`, the command README.md gives for the tests")
	}
}

// TestDocumentedCommandsExist runs every b2h command line shown in
// README.md and docs/ (in sh, console and crontab blocks, and in inline
// code without placeholders) through the real command tree: the command
// must exist and be runnable, every flag must exist and parse, positional
// arguments must fit, and a flag with a fixed set of values (the ones shell
// completion offers) must use one of them.
func TestDocumentedCommandsExist(t *testing.T) {
	checked := 0
	for _, file := range markdownFiles(t) {
		var lines []struct {
			where, text string
		}
		for _, f := range fences(t, file) {
			switch f.lang {
			case "sh", "bash", "shell", "console", "crontab":
			default:
				continue
			}
			for i, l := range joinContinuations(f.body) {
				lines = append(lines, struct{ where, text string }{file + ":" + strconv.Itoa(f.line+1+i), l})
			}
		}
		for _, span := range inlineCommands(t, file) {
			lines = append(lines, struct{ where, text string }{file + " (inline)", span})
		}
		for _, l := range lines {
			for _, args := range b2hInvocations(l.text) {
				checked++
				if err := checkInvocation(args); err != nil {
					t.Errorf("%s: %q: %v", l.where, l.text, err)
				}
			}
		}
	}
	t.Logf("checked %d b2h command lines", checked)
	if checked < 40 {
		t.Errorf("only %d command lines found in the docs; the extractor is broken", checked)
	}
}

// flagValues is what a flag was set to, split into its items for the
// flags that take a comma-separated list.
func flagValues(f *pflag.Flag) []string {
	if f.Name == "only" {
		return strings.Split(f.Value.String(), ",")
	}
	return []string{f.Value.String()}
}

// checkInvocation validates one b2h command line against a fresh tree.
func checkInvocation(args []string) error {
	root := newRootCmd()
	root.InitDefaultHelpCmd()
	root.InitDefaultCompletionCmd()
	cmd, rest, err := root.Find(args)
	if err != nil {
		return err
	}
	cmd.InitDefaultHelpFlag()
	if err := cmd.ParseFlags(rest); err != nil {
		return err
	}
	if help, _ := cmd.Flags().GetBool("help"); help {
		return nil
	}
	if !cmd.Runnable() {
		return errors.New(cmd.CommandPath() + " is not a runnable command")
	}
	if err := cmd.ValidateArgs(cmd.Flags().Args()); err != nil {
		return err
	}
	var bad error
	cmd.Flags().Visit(func(f *pflag.Flag) {
		fn, ok := cmd.GetFlagCompletionFunc(f.Name)
		if !ok || bad != nil {
			return
		}
		vals, dir := fn(cmd, nil, "")
		if dir != cobra.ShellCompDirectiveNoFileComp || len(vals) == 0 {
			return
		}
		for _, v := range flagValues(f) {
			if !slices.Contains(vals, v) {
				bad = errors.New("--" + f.Name + " " + v + ": not one of " + strings.Join(vals, ", "))
			}
		}
	})
	return bad
}

// b2hInvocations extracts the argument lists of b2h commands from one
// shell line: `b2h ARGS`, `/path/to/b2h ARGS` and `go run . ARGS`, after
// environment assignments and wrappers (flock, nohup, time, exec), in every
// segment of a pipeline or list; redirections and comments are dropped.
func b2hInvocations(line string) [][]string {
	line = strings.TrimPrefix(strings.TrimSpace(line), "$ ")
	var out [][]string
	for _, seg := range splitShell(line) {
		for len(seg) > 0 && isAssignment(seg[0]) {
			seg = seg[1:]
		}
		for len(seg) > 0 {
			switch seg[0] {
			case "nohup", "time", "exec":
				seg = seg[1:]
				continue
			case "flock":
				seg = seg[1:]
				for len(seg) > 0 && strings.HasPrefix(seg[0], "-") {
					seg = seg[1:]
				}
				if len(seg) > 0 {
					seg = seg[1:] // the lock file
				}
				continue
			}
			break
		}
		switch {
		case len(seg) > 0 && (seg[0] == "b2h" || strings.HasSuffix(seg[0], "/b2h")):
			out = append(out, seg[1:])
		case len(seg) > 2 && seg[0] == "go" && seg[1] == "run" && seg[2] == ".":
			out = append(out, seg[3:])
		}
	}
	return out
}

var assignmentRe = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*=`)

func isAssignment(w string) bool { return assignmentRe.MatchString(w) }

var redirectRe = regexp.MustCompile(`^[0-9&]*(>>?|<)(&[0-9]+)?`)

// splitShell splits a shell line into the words of each command of a list
// or pipeline. Quotes and $(…)/<(…) groups stay one word; a word starting
// with # begins a comment; redirections and their targets are dropped.
func splitShell(line string) [][]string {
	var (
		segs  [][]string
		words []string
		w     strings.Builder
		inW   bool
		quote rune
		depth int
	)
	flush := func() {
		if inW {
			words = append(words, w.String())
			w.Reset()
			inW = false
		}
	}
	endSeg := func() {
		flush()
		segs = append(segs, dropRedirects(words))
		words = nil
	}
	rs := []rune(line)
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		switch {
		case quote != 0:
			if r == quote {
				quote = 0
			} else {
				w.WriteRune(r)
			}
			continue
		case depth > 0:
			w.WriteRune(r)
			if r == '(' {
				depth++
			} else if r == ')' {
				depth--
			}
			continue
		case r == '\'' || r == '"':
			quote, inW = r, true
		case r == '\\' && i+1 < len(rs):
			i++
			w.WriteRune(rs[i])
			inW = true
		case (r == '$' || r == '<') && i+1 < len(rs) && rs[i+1] == '(':
			w.WriteRune(r)
			w.WriteRune('(')
			i++
			depth, inW = 1, true
		case r == '#' && !inW:
			endSeg()
			return segs
		case r == ' ' || r == '\t':
			flush()
		case r == ';' || r == '|' || (r == '&' && !(i+1 < len(rs) && rs[i+1] == '>') && !(i > 0 && rs[i-1] == '>')):
			endSeg()
			if i+1 < len(rs) && (rs[i+1] == '&' || rs[i+1] == '|') {
				i++
			}
		default:
			w.WriteRune(r)
			inW = true
		}
	}
	endSeg()
	return segs
}

// dropRedirects removes redirections (>, >>, 2>, <, &>, 2>&1) and their
// targets from a command's words.
func dropRedirects(words []string) []string {
	var out []string
	for i := 0; i < len(words); i++ {
		m := redirectRe.FindString(words[i])
		if m == "" {
			out = append(out, words[i])
			continue
		}
		if m == words[i] && !strings.Contains(m, "&") {
			i++ // the target is the next word
		}
	}
	return out
}

// joinContinuations joins lines ending in a backslash.
func joinContinuations(body string) []string {
	var out []string
	var cur strings.Builder
	for _, l := range strings.Split(body, "\n") {
		if strings.HasSuffix(l, "\\") {
			cur.WriteString(strings.TrimSuffix(l, "\\") + " ")
			continue
		}
		cur.WriteString(l)
		out = append(out, cur.String())
		cur.Reset()
	}
	return out
}

var (
	inlineCodeRe  = regexp.MustCompile("`(b2h [^0-9`][^`]*)`") // not output such as `b2h 1.2.0 (…)`
	placeholderRe = regexp.MustCompile(`\b[A-Z][A-Z_]{1,}\b`)
)

// inlineCommands returns the inline code spans of a Markdown file (outside
// code blocks) that are complete b2h command lines: without placeholders
// (FILE, ID), alternatives (a|b), ellipses or optional parts ([…]).
func inlineCommands(t *testing.T, path string) []string {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	inFence := false
	sc := bufio.NewScanner(bytes.NewReader(raw))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		l := sc.Text()
		if strings.HasPrefix(strings.TrimSpace(l), "```") {
			inFence = !inFence
			continue
		}
		if inFence {
			continue
		}
		for _, m := range inlineCodeRe.FindAllStringSubmatch(l, -1) {
			c := m[1]
			if strings.ContainsAny(c, "|…[") || strings.Contains(c, "...") || placeholderRe.MatchString(c) {
				continue
			}
			out = append(out, c)
		}
	}
	return out
}

// TestShellHelpers pins the small shell parser the docs checks rely on.
func TestShellHelpers(t *testing.T) {
	cases := []struct {
		line string
		want [][]string
	}{
		{"b2h sync --full --yes", [][]string{{"sync", "--full", "--yes"}}},
		{"go run . sync --demo --json   # a comment", [][]string{{"sync", "--demo", "--json"}}},
		{"b2h demo serve --scale 200 > demo.env &", [][]string{{"demo", "serve", "--scale", "200"}}},
		{`15 * * * * . "$HOME/env" && flock -n /tmp/b2h.lock /usr/local/bin/b2h sync --incremental --json >> "$HOME/b2h/s.jsonl" 2>> e.err`, [][]string{{"sync", "--incremental", "--json"}}},
		{`B2H_WEBHOOK_URL=https://x b2h sync 2>&1 | tail -1`, [][]string{{"sync"}}},
		{`b2h state backup "$HOME/b/state-$(date +\%u).db"`, [][]string{{"state", "backup", `$HOME/b/state-$(date +\%u).db`}}},
		{"cd /srv/b2h && make test", nil},
		{"source <(b2h completion bash)", nil},
		{"go run github.com/goreleaser/goreleaser/v2@v2.15.1 check", nil},
	}
	for _, c := range cases {
		if got := b2hInvocations(c.line); !equalArgs(got, c.want) {
			t.Errorf("%q: got %q, want %q", c.line, got, c.want)
		}
	}
	for _, args := range [][]string{{"sync", "--bogus"}, {"synk"}, {"report", "--format", "pdf"}, {"sync", "--only", "tenants,owners"}, {"state", "backup"}, {"mapping"}} {
		if checkInvocation(args) == nil {
			t.Errorf("%q: accepted, want an error", args)
		}
	}
	for _, args := range [][]string{{"sync", "--only", "tenants,emergency_contacts"}, {"--mapping", "m.yaml"}, {"doctor", "--json"}, {"undo", "--job", "x", "--dry-run"}, {"completion", "bash", "--help"}} {
		if err := checkInvocation(args); err != nil {
			t.Errorf("%q: %v", args, err)
		}
	}
}

func equalArgs(a, b [][]string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !slices.Equal(a[i], b[i]) {
			return false
		}
	}
	return true
}

// TestMappingFileExamples loads every YAML example of docs/mapping-file.md:
// the examples must load over both default mappings, the export excerpt
// must be what `b2h mapping export` writes, and the invalid example must
// fail with exactly the error shown after it.
func TestMappingFileExamples(t *testing.T) {
	fs := fences(t, filepath.Join(docsDir, "mapping-file.md"))
	var export bytes.Buffer
	if err := mapping.Default(mapping.Options{UnitTarget: mapping.TargetUnit}).Export(&export); err != nil {
		t.Fatal(err)
	}
	loaded, excerpt, invalid := 0, false, false
	for i, f := range fs {
		if f.lang != "yaml" {
			continue
		}
		switch {
		case strings.HasPrefix(f.marker, "<!-- export-excerpt"):
			excerpt = true
			if !strings.HasPrefix(export.String(), f.body) {
				t.Errorf("line %d: the export excerpt is not how `b2h mapping export` starts now:\n%s", f.line, export.String()[:min(export.Len(), 600)])
			}
		case strings.HasPrefix(f.marker, "<!-- invalid"):
			invalid = true
			if i+1 >= len(fs) || fs[i+1].lang != "text" {
				t.Fatalf("line %d: an invalid example must be followed by a text block with its error", f.line)
			}
			_, err := mapping.Load(strings.NewReader(f.body), "mapping.yaml", nil)
			if err == nil || err.Error() != strings.TrimSpace(fs[i+1].body) {
				t.Errorf("line %d: loading gives %v, the doc says %q", f.line, err, strings.TrimSpace(fs[i+1].body))
			}
		default:
			for _, target := range []string{mapping.TargetUnit, mapping.TargetListings} {
				if _, err := mapping.Load(strings.NewReader(f.body), "mapping.yaml", mapping.Default(mapping.Options{UnitTarget: target})); err != nil {
					t.Errorf("line %d (units as %s): %v", f.line, target, err)
				}
			}
			loaded++
		}
	}
	if loaded < 5 || !excerpt || !invalid {
		t.Errorf("found %d loadable examples, export excerpt %v, invalid example %v", loaded, excerpt, invalid)
	}
}

// TestTroubleshootingQuotesTheErrors: docs/troubleshooting.md quotes the
// messages b2h prints, so each typed error's distinctive phrase must be in
// both the error text and the guide. A reworded message fails here until
// the guide follows.
func TestTroubleshootingQuotesTheErrors(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join(docsDir, "troubleshooting.md"))
	if err != nil {
		t.Fatal(err)
	}
	guide := string(raw)
	_, badMapping := mapping.Load(strings.NewReader("version: 1\nentities:\n  tenants:\n    fields:\n      - source: Emial\n        target: email\n"), "bad.yaml", nil)
	cases := []struct {
		err    error
		phrase string
	}{
		{&hubspot.APIError{StatusCode: 401, Category: hubspot.CategoryAuthentication, Op: "read access token info"}, "the access token was rejected (401 INVALID_AUTHENTICATION): check HUBSPOT_ACCESS_TOKEN"},
		{&hubspot.APIError{StatusCode: 403, Category: hubspot.CategoryMissingScopes, RequiredScopes: []string{"crm.objects.listings.write"}}, "the private app / service key lacks a required scope (403 MISSING_SCOPES)"},
		{&hubspot.DailyLimitError{Op: "batch upsert contacts", ResetAt: time.Now()}, "the account's daily API limit is reached; requests can resume after"},
		{&hubspot.NetworkError{Op: "batch upsert contacts", Attempts: 5, Err: errors.New("EOF")}, "no usable response after"},
		{&buildium.APIError{StatusCode: 401, Host: "api.buildium.com"}, "Buildium rejected the client id/secret (401)"},
		{&buildium.APIError{StatusCode: 403, Method: "GET", Path: "/v1/leases"}, "the API key lacks the permission"},
		{&buildium.APIError{StatusCode: 503, Method: "GET", Path: "/v1/leases"}, "Buildium is unavailable (503, usually scheduled maintenance)"},
		{&buildium.APIError{StatusCode: 429, Method: "GET", Path: "/v1/leases"}, "Buildium kept answering 429 Too Many Requests"},
		{&state.LockedError{Path: "/x/state.db"}, "another b2h is using"},
		{&state.CorruptError{Path: "/x/state.db", Reason: "truncated"}, "is damaged ("},
		{&state.SchemaError{Path: "/x/state.db", Version: 9, Supported: 1}, "has schema version"},
		{&state.SchemaError{Path: "/x/state.db", Version: -1}, "is a bbolt file but not a b2h state file"},
		{&state.KeyError{Path: "/x/state.db", KeyStore: "key file /x/state.db.key"}, "the encryption key"},
		{&state.InvalidBackupError{Path: "/x/b.db", Reason: "truncated"}, "is not a usable b2h state backup"},
		{&state.KeyFileModeError{Path: "/x/state.db.key", Mode: 0o644}, "can be read by other users (mode"},
		{state.ErrNoState, "no state file yet"},
		{badMapping, `field "Emial" is not a Buildium tenant field (did you mean "Email"?)`},
		{usageErr("a live full sync needs confirmation: run it in a terminal, or add --yes"), "a live full sync needs confirmation"},
	}
	for _, c := range cases {
		if c.err == nil {
			t.Errorf("%q: no error to check", c.phrase)
			continue
		}
		if !strings.Contains(c.err.Error(), c.phrase) {
			t.Errorf("%T no longer says %q: %q; update the code's test case and docs/troubleshooting.md", c.err, c.phrase, c.err.Error())
		}
		if !strings.Contains(guide, c.phrase) {
			t.Errorf("docs/troubleshooting.md does not quote %q (%T)", c.phrase, c.err)
		}
	}
}

// TestMonitoringDocMatchesContract checks docs/monitoring.md against the
// code: the exit-code table lists the five codes of main.go with their
// meaning, the example summary decodes into sync.Summary with no unknown
// field, and every summary field is described.
func TestMonitoringDocMatchesContract(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join(docsDir, "monitoring.md"))
	if err != nil {
		t.Fatal(err)
	}
	doc := string(raw)
	for code, word := range map[int]string{exitOK: "done", exitFatal: "fatal", exitUsage: "usage or configuration", exitPartial: "record-level", exitPaused: "paused"} {
		if !regexp.MustCompile("(?m)^\\| `" + strconv.Itoa(code) + "` \\|[^\n]*" + regexp.QuoteMeta(word)).MatchString(doc) {
			t.Errorf("monitoring.md: no exit-code row `%d` | %s", code, word)
		}
	}
	var summaryLine string
	for _, f := range fences(t, filepath.Join(docsDir, "monitoring.md")) {
		if f.lang == "json" && strings.Contains(f.body, `"event":"summary"`) {
			summaryLine = strings.TrimSpace(f.body)
		}
	}
	if summaryLine == "" {
		t.Fatal("monitoring.md has no example summary")
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal([]byte(summaryLine), &m); err != nil {
		t.Fatal(err)
	}
	delete(m, "event") // added by the JSON printer
	b, _ := json.Marshal(m)
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	var sum sync.Summary
	if err := dec.Decode(&sum); err != nil {
		t.Errorf("the example summary does not fit sync.Summary: %v", err)
	}
	at := time.Now()
	full := sync.Summary{JobID: "j", Mode: "full", Status: "done", Entities: map[mapping.Entity]sync.Counters{mapping.Tenants: {}},
		HubSpot: sync.HubSpotStats{Writes: 1}, Predicted: &sync.Prediction{}, Error: "e", ResumeAt: &at}
	b, _ = json.Marshal(full)
	var keys map[string]json.RawMessage
	if err := json.Unmarshal(b, &keys); err != nil {
		t.Fatal(err)
	}
	for k := range keys {
		if !strings.Contains(doc, "| `"+k+"` |") {
			t.Errorf("monitoring.md does not describe the summary field %q", k)
		}
	}
}

// TestCompletion checks the shell completion the README documents: the
// scripts for the four shells, and flag values completed from the same
// lists the commands accept.
func TestCompletion(t *testing.T) {
	for _, sh := range []string{"bash", "zsh", "fish", "powershell"} {
		out, stderr, code := runCLI(t, "completion", sh)
		if code != exitOK || !strings.Contains(out, "b2h") || len(out) < 500 {
			t.Errorf("completion %s: exit %d, %d bytes, %s", sh, code, len(out), stderr)
		}
	}
	cases := []struct {
		args []string
		want []string
	}{
		{[]string{"report", "--format", ""}, []string{"md", "html", "csv", "json"}},
		{[]string{"sync", "--conflicts", ""}, sync.Strategies},
		{[]string{"plan", "--duplicates", ""}, []string{"review", "merge", "keep_separate", "skip"}},
		{[]string{"mapping", "show", "--units", ""}, []string{"unit", "listings"}},
		{[]string{"demo", "serve", "--tier", ""}, []string{"free", "starter", "professional", "enterprise"}},
		{[]string{"sync", "--demo-tier", ""}, []string{"free", "starter", "professional", "enterprise"}},
		{[]string{"review", "--apply", ""}, []string{"buildium_wins", "hubspot_wins", "merge", "keep_separate", "skip", "adopt"}},
	}
	for _, c := range cases {
		root := newRootCmd() // registers the flag completions itself
		var out, errb bytes.Buffer
		root.SetOut(&out)
		root.SetErr(&errb)
		root.SetArgs(append([]string{cobra.ShellCompRequestCmd}, c.args...))
		if err := root.Execute(); err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(strings.TrimSpace(out.String()), "\n")
		got := lines[:len(lines)-1] // the last line is the directive
		if !slices.Equal(got, c.want) {
			t.Errorf("complete %q: %q, want %q", c.args, got, c.want)
		}
	}
}

// TestResolveBuildInfo pins how `b2h version` gets its build information:
// -ldflags win; otherwise the module version and VCS settings the Go
// toolchain embeds; `go run` builds stay "dev".
func TestResolveBuildInfo(t *testing.T) {
	info := func(v string, settings ...string) func() (*debug.BuildInfo, bool) {
		return func() (*debug.BuildInfo, bool) {
			bi := &debug.BuildInfo{Main: debug.Module{Path: "b2h", Version: v}}
			for i := 0; i+1 < len(settings); i += 2 {
				bi.Settings = append(bi.Settings, debug.BuildSetting{Key: settings[i], Value: settings[i+1]})
			}
			return bi, true
		}
	}
	cases := []struct {
		name              string
		v, c, d           string
		read              func() (*debug.BuildInfo, bool)
		wantV, wantC, wnD string
	}{
		{"ldflags win", "1.2.0", "abc1234", "2026-01-02T03:04:05Z", info("v9", "vcs.revision", "ffff"), "1.2.0", "abc1234", "2026-01-02T03:04:05Z"},
		{"go install in a checkout", "dev", "", "", info("v0.0.0-20261127013919-f5dfd57c1c36", "vcs.revision", "f5dfd57c1c36086051ee3c1aa2683bb94603b0aa", "vcs.time", "2026-11-27T01:39:19Z", "vcs.modified", "false"),
			"v0.0.0-20261127013919-f5dfd57c1c36", "f5dfd57c1c36", "2026-11-27T01:39:19Z"},
		{"dirty tree", "dev", "", "", info("(devel)", "vcs.revision", "f5dfd57c1c36086051ee3c1aa2683bb94603b0aa", "vcs.modified", "true"), "dev", "f5dfd57c1c36-dirty", ""},
		{"go run", "dev", "", "", info("(devel)"), "dev", "", ""},
		{"no build info", "dev", "", "", func() (*debug.BuildInfo, bool) { return nil, false }, "dev", "", ""},
		{"make build", "aaa0e8f-dirty", "", "", info("(devel)", "vcs.revision", "ffff"), "aaa0e8f-dirty", "", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			v, cm, d := resolveBuildInfo(c.v, c.c, c.d, c.read)
			if v != c.wantV || cm != c.wantC || d != c.wnD {
				t.Errorf("got %q %q %q, want %q %q %q", v, cm, d, c.wantV, c.wantC, c.wnD)
			}
		})
	}
	out, _, code := runCLI(t, "version")
	if code != exitOK || !strings.HasPrefix(out, "b2h ") || !strings.Contains(out, runtime.Version()) {
		t.Errorf("b2h version: exit %d, %q (want the Go version too)", code, out)
	}
}

// TestDocLinks checks every relative link of README.md and docs/: the file
// exists and, for a #fragment, the target has a heading with that anchor
// (GitHub's rule: lower case, punctuation dropped, spaces to hyphens).
func TestDocLinks(t *testing.T) {
	linkRe := regexp.MustCompile(`\]\(([^)\s]+)\)`)
	for _, file := range markdownFiles(t) {
		raw, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range linkRe.FindAllStringSubmatch(string(raw), -1) {
			link := m[1]
			if strings.Contains(link, "://") || strings.HasPrefix(link, "mailto:") {
				continue
			}
			path, frag, _ := strings.Cut(link, "#")
			target := file
			if path != "" {
				target = filepath.Join(filepath.Dir(file), path)
			}
			fi, err := os.Stat(target)
			if err != nil {
				t.Errorf("%s: link %s: %v", file, link, err)
				continue
			}
			if frag == "" || fi.IsDir() {
				continue
			}
			if !slices.Contains(anchors(t, target), frag) {
				t.Errorf("%s: link %s: %s has no heading with that anchor", file, link, target)
			}
		}
	}
}

// anchors returns the GitHub anchors of a Markdown file's headings.
func anchors(t *testing.T, path string) []string {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	inFence := false
	for _, l := range strings.Split(string(raw), "\n") {
		if strings.HasPrefix(strings.TrimSpace(l), "```") {
			inFence = !inFence
		}
		if inFence || !strings.HasPrefix(l, "#") {
			continue
		}
		var b strings.Builder
		for _, r := range strings.ToLower(strings.TrimSpace(strings.TrimLeft(l, "#"))) {
			switch {
			case r == ' ':
				b.WriteByte('-')
			case r == '-' || r == '_' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
				b.WriteRune(r)
			}
		}
		out = append(out, b.String())
	}
	return out
}
