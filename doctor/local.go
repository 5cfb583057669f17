package doctor

import (
	"b2h/sync/mapping"
	"b2h/sync/schema"

	"context"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/zalando/go-keyring"

	"b2h/state"
)

// errStop ends a walk early.
var errStop = errors.New("stop")

// checkState opens the state file read-only (a shared lock, so a running
// sync shows as locked rather than being disturbed), verifies it, checks
// that its encrypted values can be read, and reads the last job.
func (d *doctor) checkState(ctx context.Context) Finding {
	path := d.o.StatePath
	if path == "" {
		p, err := state.DefaultPath()
		if err != nil {
			return fail(CheckState, err.Error(), "set XDG_STATE_HOME or pass --state")
		}
		path = p
	}
	fi, err := os.Stat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return warn(CheckState, "no state file at "+path+" yet",
			"the first b2h sync creates it; if you expected one (a scheduled sync), check that it runs with the same --state or XDG_STATE_HOME")
	}
	wait := d.o.StateLockWait
	if wait <= 0 {
		wait = defaultStateLockWait
	}
	st, err := state.Open(state.Options{Path: path, ReadOnly: true, Timeout: wait, Keys: d.o.StateKeys})
	if err != nil {
		return stateFinding(err)
	}
	defer st.Close()
	if err := st.Verify(); err != nil {
		return stateFinding(err)
	}
	if err := st.CheckKeyFile(); err != nil {
		return stateFinding(err)
	}
	for _, k := range state.Kinds { // one sealed snapshot proves the key
		if err := st.ForEachMapping(k, func(state.Mapping) error { return errStop }); errors.Is(err, errStop) {
			break
		} else if err != nil {
			return stateFinding(err)
		}
	}
	info, err := st.Inspect(ctx)
	if err != nil {
		return stateFinding(err)
	}
	if acct, err := st.Account(); err == nil {
		d.stored = &acct
		d.prior = schema.PriorOf(acct, info.Mappings[state.Kind(mapping.Units)])
	}
	maps := 0
	for _, n := range info.Mappings {
		maps += n
	}
	detail := fmt.Sprintf("%s: schema %d, %s, %s, key in %s", path, info.SchemaVersion, plural(info.Jobs, "job"), plural(maps, "mapping"), info.KeyLocation)
	if fi.Mode().Perm()&0o077 != 0 {
		return warn(CheckState, detail+fmt.Sprintf("; other users may read it (mode %o)", fi.Mode().Perm()), "chmod 600 "+path)
	}
	if stale := state.StaleTemporaries(path); len(stale) > 0 {
		what := fmt.Sprintf("%d temporary copies", len(stale))
		if len(stale) == 1 {
			what = "a temporary copy"
		}
		return warn(CheckState, detail+"; "+what+" left by a b2h that was killed (a state compact or restore) lie beside it",
			"remove them: rm "+strings.Join(stale, " ")+" (the next b2h sync also removes them)")
	}
	if len(info.LastJobs) > 0 {
		j := info.LastJobs[0]
		switch j.Status {
		case state.StatusRunning:
			return warn(CheckState, detail+fmt.Sprintf("; the last job %s was interrupted (no process holds the state, yet it is marked running)", j.ID),
				"run b2h sync again: it resumes from the committed batches and converges; nothing is lost")
		case state.StatusFailed, state.StatusPaused, state.StatusCancelled:
			return warn(CheckState, detail+fmt.Sprintf("; the last job %s ended %s", j.ID, j.Status),
				fmt.Sprintf("b2h report --job %s shows what happened; run b2h sync again to resume (after the daily reset if it paused at the limit)", j.ID))
		}
		detail += fmt.Sprintf("; last job %s %s", j.ID, j.Status)
	}
	return pass(CheckState, detail)
}

// stateFinding explains a state error and its fix.
func stateFinding(err error) Finding {
	var (
		locked  *state.LockedError
		corrupt *state.CorruptError
		schema  *state.SchemaError
		key     *state.KeyError
		keyMode *state.KeyFileModeError
	)
	switch {
	case errors.As(err, &locked):
		return fail(CheckState, locked.Error(),
			"a b2h (perhaps the scheduled sync) is running with this state: wait for it to finish (pgrep -a b2h; systemctl list-timers or crontab -l show schedules); a second b2h never waits forever, it exits with code 1")
	case errors.As(err, &corrupt):
		// The one damaged-state message, split where it turns to the fix.
		return fail(CheckState, strings.TrimSuffix(corrupt.Error(), ": "+corrupt.Fix()), corrupt.Fix())
	case errors.As(err, &keyMode):
		return fail(CheckState, keyMode.Error(), keyMode.Fix())
	case errors.As(err, &schema):
		return fail(CheckState, schema.Error(), "use a b2h at least as new as the one that wrote the state, or check --state")
	case errors.As(err, &key):
		return fail(CheckState, fmt.Sprintf("the key that encrypts the PII in %s is not available from %s", key.Path, key.KeyStore),
			"run b2h where that key is reachable (the OS keyring of the machine that wrote the state, or its key file beside it); without it, move the state aside and run b2h sync --full to rebuild it")
	}
	return fail(CheckState, err.Error(), "check the --state path and its permissions")
}

// checkKeyring checks that an OS keyring answers, where b2h keeps the key
// that encrypts the PII in the state.
func (d *doctor) checkKeyring() Finding {
	probe := d.o.Keyring
	if probe == nil {
		probe = probeKeyring
	}
	if err := probe(); err != nil {
		return warn(CheckKeyring, "no OS keyring answers ("+err.Error()+")",
			"b2h then keeps the state's encryption key in a file beside the state (<state>.key, mode 0600), which is normal on a headless server: protect and back it up with the state; for a keyring, run b2h where a Secret Service (GNOME Keyring, KWallet), macOS Keychain or Windows Credential Manager is available")
	}
	if d.o.Demo {
		return pass(CheckKeyring, "the demo's simulated keyring answers (run b2h doctor without --demo to check this machine's)")
	}
	return pass(CheckKeyring, "the OS keyring answers: the state's encryption key is kept there")
}

// probeKeyring reads an entry that does not exist: "not found" means a
// keyring answered. It gives up after a few seconds (a locked keyring can
// wait for a password prompt forever).
func probeKeyring() error {
	done := make(chan error, 1)
	go func() {
		_, err := keyring.Get("b2h", "doctor-probe")
		done <- err
	}()
	select {
	case err := <-done:
		if err == nil || errors.Is(err, keyring.ErrNotFound) {
			return nil
		}
		return err
	case <-time.After(defaultKeyringTimeout):
		return fmt.Errorf("the OS keyring did not answer within %s", defaultKeyringTimeout)
	}
}

// checkClock compares this machine's clock with HubSpot's.
func (d *doctor) checkClock(ctx context.Context) Finding {
	if d.o.ServerTime == nil {
		return warn(CheckClock, "not checked: no HubSpot host to compare with", "set --hubspot-url or unset it for the production host")
	}
	theirs, err := d.o.ServerTime(ctx)
	if err != nil {
		return warn(CheckClock, "could not read HubSpot's clock: "+err.Error(), "check the network and any proxy, then run b2h doctor again")
	}
	skew := d.o.Now().Sub(theirs)
	way := "ahead of"
	if skew < 0 {
		skew, way = -skew, "behind"
	}
	if skew > maxClockSkew {
		return warn(CheckClock, fmt.Sprintf("this machine's clock is %s %s HubSpot's", skew.Round(time.Second), way),
			"turn on time synchronisation (timedatectl set-ntp true, chrony or ntpd): lease labels follow today's date, incremental windows this clock, and a paused job's resume time is computed from it")
	}
	return pass(CheckClock, fmt.Sprintf("within %s of HubSpot's clock", max(skew.Round(time.Second), time.Second)))
}

// ServerClock returns a ServerTime that reads the Date header of an
// unauthenticated request to the HubSpot base URL (the access token is not
// sent: any answer, a 401 included, carries the server's time).
func ServerClock(baseURL string) func(ctx context.Context) (time.Time, error) {
	return func(ctx context.Context) (time.Time, error) {
		ctx, cancel := context.WithTimeout(ctx, 15*time.Second)
		defer cancel()
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, strings.TrimRight(baseURL, "/")+"/account-info/v3/details", nil)
		if err != nil {
			return time.Time{}, err
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return time.Time{}, err
		}
		resp.Body.Close()
		t, err := http.ParseTime(resp.Header.Get("Date"))
		if err != nil {
			return time.Time{}, fmt.Errorf("HubSpot's answer has no usable Date header (%q)", resp.Header.Get("Date"))
		}
		return t, nil
	}
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
