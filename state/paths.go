package state

import (
	"os"
	"path/filepath"
	"strings"
	"time"
)

// resolvePath makes a state path absolute and follows symbolic links to the
// file itself, so the key file, the backup record and the temporary copies
// are found beside the real file, and a rename replaces the file, never the
// link. A path that does not exist yet is only made absolute.
func resolvePath(path string) (string, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", err
	}
	if real, err := filepath.EvalSymlinks(abs); err == nil {
		return real, nil
	}
	return abs, nil
}

// The temporary files b2h writes beside a state file, as
// "<state><infix><digits>" (os.CreateTemp's random part is decimal digits).
// Locked: written only while holding the state's exclusive lock (compact,
// restore, the backup record), so once a process holds that lock, any such
// file is left over from one that was killed. The others (the new state of
// create, a new key file) are written before any lock exists: they are
// taken for left over only when older than staleAge.
var tempInfixes = []struct {
	infix  string
	locked bool
}{
	{".compact-", true},
	{".restore-", true},
	{".pre-restore.bak.tmp-", true},
	{lastBackupSuffix + ".tmp-", true},
	{".new-", false},
	{".key.tmp-", false},
}

// staleAge is how old an unlocked temporary must be to count as left over.
const staleAge = 10 * time.Minute

// StaleTemporaries lists the temporary copies a killed b2h (state compact,
// state restore, creating the state, saving its key) left beside the state
// at path. Only files named exactly as b2h names its own temporaries of
// this state, regular files (not links), are listed. A read-write Open
// removes them; `b2h doctor` names them.
func StaleTemporaries(path string) []string {
	path, err := resolvePath(path)
	if err != nil {
		return nil
	}
	return staleTemps(path, time.Now(), false)
}

// staleTemps lists the left-over temporaries of the state at path (an
// absolute, resolved path). locked says the caller holds its exclusive lock:
// only then are the locked kinds certainly left over.
func staleTemps(path string, now time.Time, locked bool) []string {
	dir, base := filepath.Split(path)
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil
	}
	var out []string
	for _, e := range entries {
		name := e.Name()
		if !strings.HasPrefix(name, base) || !e.Type().IsRegular() {
			continue
		}
		rest := name[len(base):]
		for _, t := range tempInfixes {
			digits, ok := strings.CutPrefix(rest, t.infix)
			if !ok || !allDigits(digits) {
				continue
			}
			if t.locked && locked {
				out = append(out, filepath.Join(dir, name))
			} else if fi, err := e.Info(); err == nil && now.Sub(fi.ModTime()) > staleAge {
				out = append(out, filepath.Join(dir, name))
			}
			break
		}
	}
	return out
}

func allDigits(s string) bool {
	if s == "" || len(s) > 20 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// removeStaleTemps removes what staleTemps finds; the caller holds the
// state's exclusive lock. Best effort.
func removeStaleTemps(path string) {
	for _, p := range staleTemps(path, time.Now(), true) {
		_ = os.Remove(p)
	}
}
