package main

import (
	"bufio"
	"context"
	"encoding/base64"
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	gosync "sync"
	"testing"
	"time"

	"b2h/clients/buildium"
	"b2h/clients/hubspot"
	"b2h/state"
)

// The tests of this file run the real binary, as an operator would, and
// look at everything it leaves behind: files, standard output and error.

var (
	builtOnce gosync.Once
	builtBin  string
	builtErr  error
)

// b2hBinary builds b2h once per test process (go build, not go run: the
// binary is exactly what ships).
func b2hBinary(t *testing.T) string {
	t.Helper()
	builtOnce.Do(func() {
		dir, err := os.MkdirTemp("", "b2h-bin-")
		if err != nil {
			builtErr = err
			return
		}
		builtBin = filepath.Join(dir, "b2h")
		goBin := filepath.Join(runtime.GOROOT(), "bin", "go")
		if _, err := os.Stat(goBin); err != nil {
			goBin = "go"
		}
		out, err := exec.Command(goBin, "build", "-o", builtBin, ".").CombinedOutput()
		if err != nil {
			builtErr = errors.New(string(out) + err.Error())
		}
	})
	if builtErr != nil {
		t.Fatalf("go build: %v", builtErr)
	}
	return builtBin
}

// cliRun is one invocation's captured terminal output and exit code.
type cliRun struct {
	args           []string
	stdout, stderr string
	code           int
}

// b2hCmd runs the binary with env (and nothing else of the parent's
// credentials), as a script would.
func b2hCmd(t *testing.T, env []string, args ...string) cliRun {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, b2hBinary(t), args...)
	cmd.Env = env
	var out, errb strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	r := cliRun{args: args, stdout: out.String(), stderr: errb.String()}
	var ee *exec.ExitError
	switch {
	case errors.As(err, &ee):
		r.code = ee.ExitCode()
	case err != nil:
		t.Fatalf("b2h %s: %v", strings.Join(args, " "), err)
	}
	return r
}

// cleanEnv is the parent's environment without any credential, URL or
// XDG/keyring setting, with HOME and the XDG directories inside dir, so a
// run can touch nothing of the machine's.
func cleanEnv(dir string, extra ...string) []string {
	var env []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(k, "BUILDIUM_") || strings.HasPrefix(k, "HUBSPOT_") || strings.HasPrefix(k, "XDG_") ||
			k == "HOME" || k == "DBUS_SESSION_BUS_ADDRESS" || k == "B2H_WEBHOOK_URL" {
			continue
		}
		env = append(env, kv)
	}
	env = append(env, "HOME="+filepath.Join(dir, "home"), "XDG_STATE_HOME="+filepath.Join(dir, "xdg-state"),
		"XDG_CONFIG_HOME="+filepath.Join(dir, "xdg-config"), "XDG_DATA_HOME="+filepath.Join(dir, "xdg-data"),
		"XDG_CACHE_HOME="+filepath.Join(dir, "xdg-cache"), "NO_COLOR=1")
	return append(env, extra...)
}

// demoServe starts `b2h demo serve` and returns the five NAME=value lines
// it prints (DESIGN.md §6). The server stops with the test.
func demoServe(t *testing.T, env []string, args ...string) map[string]string {
	t.Helper()
	cmd := exec.Command(b2hBinary(t), append([]string{"demo", "serve"}, args...)...)
	cmd.Env = env
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Signal(os.Interrupt)
		done := make(chan struct{})
		go func() { _ = cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			_ = cmd.Process.Kill()
			<-done
		}
	})
	vars := map[string]string{}
	sc := bufio.NewScanner(stdout)
	for len(vars) < 5 && sc.Scan() {
		if k, v, ok := strings.Cut(sc.Text(), "="); ok {
			vars[k] = v
		}
	}
	for _, k := range []string{"BUILDIUM_URL", "BUILDIUM_CLIENT_ID", "BUILDIUM_CLIENT_SECRET", "HUBSPOT_URL", "HUBSPOT_ACCESS_TOKEN"} {
		if vars[k] == "" {
			t.Fatalf("demo serve did not print %s (got %v): %s", k, vars, stderr.String())
		}
	}
	go func() { // keep draining, so the server never blocks on a full pipe
		for sc.Scan() {
		}
	}()
	return vars
}

// planted is the personal data of the demo portfolio, read back from the
// Buildium simulator the way b2h reads it.
type planted struct {
	emails, phones, dobs, taxIDs, streets []string
}

func readPlanted(t *testing.T, vars map[string]string) planted {
	t.Helper()
	bd, err := buildium.New(buildium.Options{BaseURL: vars["BUILDIUM_URL"], ClientID: vars["BUILDIUM_CLIENT_ID"], ClientSecret: vars["BUILDIUM_CLIENT_SECRET"]})
	if err != nil {
		t.Fatal(err)
	}
	var p planted
	for page, err := range bd.Tenants(context.Background(), buildium.ListOptions{}) {
		if err != nil {
			t.Fatal(err)
		}
		for _, tn := range page.Items {
			for _, em := range []string{tn.Email, tn.AlternateEmail} {
				if strings.Contains(em, "@") && len(em) > 6 {
					p.emails = append(p.emails, strings.ToLower(strings.TrimSpace(em)))
				}
			}
			for _, ph := range tn.PhoneNumbers {
				if d := digitsOf(ph.Number); len(d) >= 7 {
					p.phones = append(p.phones, d)
				}
			}
			if len(tn.DateOfBirth) >= 10 {
				p.dobs = append(p.dobs, tn.DateOfBirth[:10])
			}
			if len(digitsOf(tn.TaxID)) >= 7 {
				p.taxIDs = append(p.taxIDs, tn.TaxID)
			}
			if tn.Address != nil && len(tn.Address.AddressLine1) >= 8 {
				p.streets = append(p.streets, tn.Address.AddressLine1)
			}
			if ec := tn.EmergencyContact; ec != nil {
				if strings.Contains(ec.Email, "@") && len(ec.Email) > 6 {
					p.emails = append(p.emails, strings.ToLower(strings.TrimSpace(ec.Email)))
				}
				if d := digitsOf(ec.Phone); len(d) >= 7 {
					p.phones = append(p.phones, d)
				}
			}
		}
	}
	if len(p.emails) == 0 || len(p.phones) == 0 || len(p.dobs) == 0 {
		t.Fatalf("the demo portfolio has no personal data to look for: %d emails, %d phones, %d dates of birth", len(p.emails), len(p.phones), len(p.dobs))
	}
	return p
}

func digitsOf(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, s)
}

// TestSecretsAndPIINeverLeak runs a rehearsal as a consultant would — a
// full sync against `b2h demo serve` (faults on, so retries and record
// failures are logged), an incremental sync, a plan, every report format,
// review, state inspect and backup, doctor, runs with wrong credentials, a
// refused plain-http URL, and a --demo sync — with the credentials in the
// environment. Then it reads every file left behind and everything printed:
// the credentials appear nowhere (nor base64-encoded), the log holds no
// unmasked personal data, and the state file no plain-text email.
func TestSecretsAndPIINeverLeak(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	dir := t.TempDir()
	work := filepath.Join(dir, "work")
	if err := os.MkdirAll(work, 0o700); err != nil {
		t.Fatal(err)
	}
	base := cleanEnv(dir)
	vars := demoServe(t, base, "--scale", "80", "--seed", "5", "--tier", "enterprise", "--rate-limits", "off",
		"--faults", "hubspot.record=0.04,hubspot.429=0.02,hubspot.5xx=0.03,buildium.5xx=0.03,seed=11")
	pii := readPlanted(t, vars)
	env := append(append([]string{}, base...), "BUILDIUM_URL="+vars["BUILDIUM_URL"], "BUILDIUM_CLIENT_ID="+vars["BUILDIUM_CLIENT_ID"],
		"BUILDIUM_CLIENT_SECRET="+vars["BUILDIUM_CLIENT_SECRET"], "HUBSPOT_URL="+vars["HUBSPOT_URL"], "HUBSPOT_ACCESS_TOKEN="+vars["HUBSPOT_ACCESS_TOKEN"])
	st := filepath.Join(work, "state.db")
	logf := filepath.Join(work, "b2h.log")
	common := []string{"--state", st, "--log-file", logf}

	var runs []cliRun
	run := func(env []string, okCodes []int, args ...string) cliRun {
		t.Helper()
		r := b2hCmd(t, env, args...)
		runs = append(runs, r)
		for _, c := range okCodes {
			if r.code == c {
				return r
			}
		}
		t.Errorf("b2h %s: exit %d, want one of %v\nstdout: %s\nstderr: %s", strings.Join(args, " "), r.code, okCodes, tail(r.stdout), r.stderr)
		return r
	}
	run(env, []int{exitOK, exitPartial}, append([]string{"sync", "--full", "--yes", "--json"}, common...)...)
	run(env, []int{exitOK, exitPartial}, append([]string{"sync", "--incremental", "--json"}, common...)...)
	run(env, []int{exitOK, exitPartial}, append([]string{"plan"}, common...)...)
	for _, f := range []string{"r.md", "r.html", "r.csv", "r.json"} {
		run(env, []int{exitOK}, append([]string{"report", "-o", filepath.Join(work, f)}, common...)...)
	}
	run(env, []int{exitOK, exitPartial}, append([]string{"review", "--json"}, common...)...)
	run(env, []int{exitOK}, append([]string{"state", "inspect"}, common...)...)
	run(env, []int{exitOK}, append([]string{"state", "backup", filepath.Join(work, "state.bak")}, common...)...)
	run(env, []int{exitOK, exitPartial, exitFatal}, append([]string{"doctor"}, common...)...)

	// Wrong credentials fail — without echoing the wrong ones either.
	wrongToken := "pat-na1-deadbeef-0000-4000-8000-feedfacecafe"
	wrongSecret := "0123456789abcdef0123456789abcdef-wrong"
	bad := append(append([]string{}, env...), "HUBSPOT_ACCESS_TOKEN="+wrongToken, "BUILDIUM_CLIENT_SECRET="+wrongSecret)
	if r := run(bad, []int{exitFatal, exitUsage}, append([]string{"sync", "--full", "--yes", "--json"}, common...)...); r.code == exitOK {
		t.Error("a sync with wrong credentials succeeded")
	}
	// Plain http outside loopback is refused before any credential is sent.
	r := run(env, []int{exitUsage}, append([]string{"sync", "--full", "--yes", "--hubspot-url", "http://hubspot.example.com"}, common...)...)
	if !strings.Contains(r.stderr, "plain http") {
		t.Errorf("plain-http refusal does not say why: %q", r.stderr)
	}
	// The brief's demo run, with its own simulators and state.
	run(base, []int{exitOK, exitPartial}, "sync", "--demo", "--demo-scale", "60", "--full", "--json",
		"--state", filepath.Join(work, "demo.db"), "--log-file", filepath.Join(work, "demo.log"))

	secrets := map[string]string{"Buildium client secret": vars["BUILDIUM_CLIENT_SECRET"],
		"HubSpot token": vars["HUBSPOT_ACCESS_TOKEN"], "wrong HubSpot token": wrongToken, "wrong Buildium secret": wrongSecret}
	// The token's random part alone is a leak too.
	secrets["HubSpot token (random part)"] = strings.TrimPrefix(vars["HUBSPOT_ACCESS_TOKEN"], "pat-na1-")
	for name, s := range secrets {
		secrets[name+" (base64)"] = base64.StdEncoding.EncodeToString([]byte(s))
	}
	haystacks := map[string]string{}
	for i, r := range runs {
		haystacks[fmtRun(i, r, "stdout")] = r.stdout
		haystacks[fmtRun(i, r, "stderr")] = r.stderr
	}
	files := 0
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		files++
		haystacks[p] = string(b)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for where, text := range haystacks {
		for name, s := range secrets {
			if strings.Contains(text, s) {
				t.Errorf("%s found in %s", name, where)
			}
		}
	}

	// The logs: written, and without unmasked personal data.
	logged := 0
	for _, lf := range []string{logf, filepath.Join(work, "demo.log")} {
		b, err := os.ReadFile(lf)
		if err != nil {
			t.Fatalf("no log file: %v", err)
		}
		logged += strings.Count(string(b), "\n")
		if os.Getenv("B2H_SHOW_LOG") != "" {
			t.Logf("%s:\n%s", lf, b)
		}
		checkNoPII(t, lf, strings.ToLower(string(b)), pii)
	}
	if logged == 0 {
		t.Error("nothing was logged: the log check proves nothing")
	}
	// The state file seals personal data (AES-256-GCM): no address in clear.
	raw, err := os.ReadFile(st)
	if err != nil {
		t.Fatal(err)
	}
	for _, em := range pii.emails {
		if strings.Contains(strings.ToLower(string(raw)), em) {
			t.Errorf("the state file holds the email %q in plain text", em)
			break
		}
	}
	checkNoTaxIDsInHubSpot(t, vars, pii.taxIDs)
	t.Logf("%d runs, %d files, %d log lines checked for %d secrets; %d emails, %d phones, %d dates of birth, %d tax ids, %d streets",
		len(runs), files, logged, len(secrets), len(pii.emails), len(pii.phones), len(pii.dobs), len(pii.taxIDs), len(pii.streets))
}

// checkNoTaxIDsInHubSpot reads every contact back from HubSpot, with every
// property, and fails if a tenant's tax id is anywhere: tax ids are synced
// only on opt-in (DESIGN.md §2).
func checkNoTaxIDsInHubSpot(t *testing.T, vars map[string]string, taxIDs []string) {
	t.Helper()
	if len(taxIDs) == 0 {
		t.Fatal("the demo portfolio has no tax id: the check proves nothing")
	}
	hs, err := hubspot.New(hubspot.Options{BaseURL: vars["HUBSPOT_URL"], Token: vars["HUBSPOT_ACCESS_TOKEN"]})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	props, err := hs.ListProperties(ctx, "contacts")
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, p := range props {
		names = append(names, p.Name)
	}
	contacts := 0
	for page, err := range hs.ListObjects(ctx, "contacts", names) {
		if err != nil {
			t.Fatal(err)
		}
		for _, o := range page {
			contacts++
			for k := range o.Properties {
				v := digitsOf(o.Prop(k))
				for _, id := range taxIDs {
					if d := digitsOf(id); v != "" && strings.Contains(v, d) {
						t.Errorf("contact %s: property %s holds a tenant's tax id", o.ID, k)
					}
				}
			}
		}
	}
	if contacts == 0 {
		t.Error("no contact in HubSpot: the tax id check proves nothing")
	}
}

// checkNoPII fails for every planted value found in text (lower-cased).
func checkNoPII(t *testing.T, where, text string, p planted) {
	t.Helper()
	report := func(kind, v string) {
		if strings.Contains(text, strings.ToLower(v)) {
			t.Errorf("%s holds the %s %q unmasked", where, kind, v)
		}
	}
	for _, v := range p.emails {
		report("email", v)
	}
	for _, v := range p.phones {
		report("phone number", v)
	}
	for _, v := range p.dobs {
		report("date of birth", v)
	}
	for _, v := range p.taxIDs {
		report("tax id", v)
	}
	for _, v := range p.streets {
		report("street address", v)
	}
}

func fmtRun(i int, r cliRun, stream string) string {
	return "run " + strconv.Itoa(i) + " (b2h " + strings.Join(r.args, " ") + ") " + stream
}

func tail(s string) string {
	if len(s) > 2000 {
		return "…" + s[len(s)-2000:]
	}
	return s
}

// TestSecondProcessRefused: while one b2h holds the state file, a second
// one says so and exits instead of hanging or corrupting it.
func TestSecondProcessRefused(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "state.db")
	st, err := state.Open(state.Options{Path: path, Keys: state.NewFileKeyStore(path + ".key")})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	for _, args := range [][]string{{"state", "inspect", "--state", path}, {"sync", "--demo", "--full", "--yes", "--state", path}} {
		// b2hCmd's deadline turns a hang into a failure.
		r := b2hCmd(t, cleanEnv(dir), args...)
		if r.code == exitOK || !strings.Contains(r.stderr, "another b2h is using") {
			t.Errorf("b2h %s with the state held elsewhere: exit %d, stderr %q", strings.Join(args, " "), r.code, r.stderr)
		}
	}
}
