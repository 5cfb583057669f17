package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"b2h/state"
)

// damageBTree overwrites 64 bytes in a leaf page of the state at path until
// it finds a corruption that opening the state lets through but the full
// check finds: the kind a sync would otherwise commit into. It returns the
// damage as the state package reports it.
func damageBTree(t *testing.T, path string) *state.CorruptError {
	t.Helper()
	good, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var leaves []int
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	_ = db.Update(func(tx *bolt.Tx) error { // Page needs the freelist: a write tx has it
		for id := 2; ; id++ {
			info, err := tx.Page(id)
			if err != nil || info == nil {
				return err
			}
			if info.Type == "leaf" {
				leaves = append(leaves, id)
			}
			id += info.OverflowCount
		}
	})
	db.Close()
	page := os.Getpagesize()
	for i, p := range leaves {
		bad := append([]byte(nil), good...)
		for j := p*page + page/2; j < p*page+page/2+64; j++ {
			bad[j] = byte(j*131 + i)
		}
		if err := os.WriteFile(path, bad, 0o600); err != nil {
			t.Fatal(err)
		}
		st, err := state.Open(state.Options{Path: path, ReadOnly: true, Timeout: time.Second})
		if err != nil {
			continue
		}
		err = st.Verify()
		st.Close()
		var ce *state.CorruptError
		if errors.As(err, &ce) {
			return ce
		}
	}
	t.Fatal("no leaf corruption gets past Open and fails the full check")
	return nil
}

// TestSyncOnADamagedStateWritesNothing: `b2h sync` on a state whose B+tree
// is damaged (past the checks of opening it) records no job, writes no byte,
// exits 1 with the state's one damaged-state message, and posts the critical
// alert to the webhook.
func TestSyncOnADamagedStateWritesNothing(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.db")
	if _, stderr, code := runCLI(t, "sync", "--demo", "--demo-scale", "60", "--full", "--json", "--yes", "--state", path); code != exitOK && code != exitPartial {
		t.Fatalf("first sync: exit %d: %s", code, stderr)
	}
	damage := damageBTree(t, path)
	before, _ := os.ReadFile(path)

	var posted atomic.Value
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		posted.Store(string(b))
	}))
	defer hook.Close()

	root := newRootCmd()
	root.SetArgs([]string{"sync", "--demo", "--demo-scale", "60", "--incremental", "--json", "--state", path, "--webhook", hook.URL})
	var out, errb bytes.Buffer
	root.SetOut(&out)
	root.SetErr(&errb)
	err := root.ExecuteContext(context.Background())
	var ee *exitError
	if !errors.As(err, &ee) || ee.code != exitFatal {
		t.Fatalf("sync on a damaged state: %v, want exit 1", err)
	}
	want := "state file " + path + " is damaged ("
	if !strings.HasPrefix(ee.msg, want) || !strings.HasSuffix(ee.msg, damage.Fix()) || !strings.Contains(ee.msg, "mv "+path+" "+path+".damaged") {
		t.Errorf("message %q, want the damaged-state message (%q…%q)", ee.msg, want, damage.Fix())
	}
	if strings.Contains(errb.String(), "is damaged") || strings.Contains(out.String(), "is damaged") {
		t.Errorf("the damage was told more than once:\nstdout %s\nstderr %s", out.String(), errb.String())
	}
	if after, _ := os.ReadFile(path); !bytes.Equal(before, after) {
		t.Error("the damaged state was written")
	}
	if p, _ := posted.Load().(string); !strings.Contains(p, "critical") || !strings.Contains(p, "is damaged") {
		t.Errorf("webhook got %q, want the critical alert of the damaged state", p)
	}
}
