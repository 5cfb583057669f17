package buildium

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
	"unicode"
)

const (
	hostileID     = "client-id-0000"
	hostileSecret = "s3cr3t-0123456789abcdef"
)

// hostileClient is a client of srv that retries once, quickly.
func hostileClient(t *testing.T, srv *httptest.Server) *Client {
	t.Helper()
	c, err := New(Options{BaseURL: srv.URL, ClientID: hostileID, ClientSecret: hostileSecret, MaxRetries: 1,
		BackoffBase: time.Millisecond, BackoffMax: 2 * time.Millisecond, RatePerSecond: 1000})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestHostileResponses: answers that are cut short, wrongly typed, huge or
// full of terminal escapes make every list call fail with an error a
// terminal can show (no control character, no secret) — never a panic,
// never a silent short page. (Records of the wrong type inside a list are
// not errors but Page.Bad: TestOddRecordsAreReportedNotFatal.)
func TestHostileResponses(t *testing.T) {
	huge := func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("X-Total-Count", "1")
		_, _ = io.WriteString(w, `[{"Id":1,"FirstName":"`)
		chunk := strings.Repeat("x", 1<<20)
		for i := 0; i < maxBody>>20+2; i++ {
			if _, err := io.WriteString(w, chunk); err != nil {
				return
			}
		}
		_, _ = io.WriteString(w, `"}]`)
	}
	cases := []struct {
		name string
		h    http.HandlerFunc
	}{
		{"truncated", func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Length", "100000")
			w.Header().Set("X-Total-Count", "2")
			_, _ = io.WriteString(w, `[{"Id":1,"FirstName":"A"},{"Id":2,"Fir`)
			if f, ok := w.(http.Flusher); ok {
				f.Flush()
			}
			panic(http.ErrAbortHandler)
		}},
		{"cut mid-document", func(w http.ResponseWriter, _ *http.Request) {
			_, _ = io.WriteString(w, `[{"Id":1,"FirstName":"A"},{"Id":2`)
		}},
		{"an object, not a list", func(w http.ResponseWriter, _ *http.Request) { _, _ = io.WriteString(w, `{"Id":1}`) }},
		{"ids as strings", func(w http.ResponseWriter, _ *http.Request) { _, _ = io.WriteString(w, `[{"Id":"1"}]`) }},
		{"id out of range", func(w http.ResponseWriter, _ *http.Request) { _, _ = io.WriteString(w, `[{"Id":99999999999}]`) }},
		{"huge", huge},
		{"escapes in an error page", func(w http.ResponseWriter, _ *http.Request) {
			w.WriteHeader(http.StatusBadRequest)
			_, _ = io.WriteString(w, "<html>\x1b]0;pwned\x07\x1b[2J\u009b31m\u202eevil\rnice "+hostileSecret+"</html>")
		}},
		{"escapes in a JSON error", func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusUnprocessableEntity)
			_, _ = io.WriteString(w, `{"UserMessage":"\u001b]0;pwned\u0007\u009b2J\u202eevil\r","Errors":[{"Key":"\u001b[31m","Value":"\u0007"}]}`)
		}},
	}
	ctx := context.Background()
	calls := map[string]func(c *Client) error{
		"tenants": func(c *Client) error { return drain(c.Tenants(ctx, ListOptions{})) },
		"leases":  func(c *Client) error { return drain(c.Leases(ctx, ListOptions{})) },
		"units":   func(c *Client) error { return drain(c.Units(ctx, ListOptions{})) },
		"rentals": func(c *Client) error { return drain(c.Rentals(ctx, ListOptions{})) },
		"tenant":  func(c *Client) error { _, err := c.Tenant(ctx, 1); return err },
	}
	for _, tc := range cases {
		for name, call := range calls {
			if tc.name == "an object, not a list" && name == "tenant" {
				continue // one record is an object
			}
			if (tc.name == "ids as strings" || tc.name == "id out of range") && name != "tenant" {
				t.Run(tc.name+"/"+name, func(t *testing.T) {
					srv := httptest.NewServer(tc.h)
					defer srv.Close()
					if err := call(hostileClient(t, srv)); err != nil {
						t.Errorf("one odd record stopped the list: %v", err)
					}
				})
				continue
			}
			t.Run(tc.name+"/"+name, func(t *testing.T) {
				srv := httptest.NewServer(tc.h)
				defer srv.Close()
				err := call(hostileClient(t, srv))
				if err == nil {
					t.Fatal("a hostile answer was taken for a success")
				}
				msg := err.Error()
				if strings.Contains(msg, hostileSecret) {
					t.Errorf("the error quotes the secret: %q", msg)
				}
				if i := strings.IndexFunc(msg, func(r rune) bool { return unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r) }); i >= 0 {
					t.Errorf("the error carries %U raw: %q", []rune(msg[i:])[0], msg)
				}
				var de *DecodeError
				var ae *APIError
				var be *BadRecordError
				if !errors.As(err, &de) && !errors.As(err, &ae) && !errors.As(err, &be) && !strings.Contains(msg, "larger than") && !strings.Contains(msg, "no answer") {
					t.Errorf("untyped error %T: %v", err, err)
				}
			})
		}
	}
}

// drain reads every page of a list and returns its first error.
func drain[T any](seq func(func(Page[T], error) bool)) error {
	var first error
	for _, err := range seq {
		if err != nil && first == nil {
			first = err
		}
	}
	return first
}

// TestHostileRecordsDecode: records with 64 KiB+ names, invalid UTF-8,
// control characters and terminal escapes decode as data (the mapping
// sanitizes them before anything is written or shown).
func TestHostileRecordsDecode(t *testing.T) {
	long := strings.Repeat("é", 40_000)
	body := fmt.Sprintf(`[{"Id":1,"FirstName":"%s","LastName":"\u001b[2J\u0007","Comment":"a\u0000b\udfff","Email":"\u202eevil@example.com"}]`, long)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("X-Total-Count", "1")
		_, _ = io.WriteString(w, body)
	}))
	defer srv.Close()
	var got []Tenant
	for page, err := range hostileClient(t, srv).Tenants(context.Background(), ListOptions{}) {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, page.Items...)
	}
	if len(got) != 1 || got[0].FirstName != long || got[0].LastName != "\x1b[2J\a" {
		t.Fatalf("decoded %d tenants, first name %d bytes", len(got), len(got[0].FirstName))
	}
}
