package logx

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	gosync "sync"
	"testing"
	"testing/slogtest"
	"time"
)

// newTestLogger logs JSON lines without timestamps into buf, through the
// masking handler.
func newTestLogger(buf *bytes.Buffer) *slog.Logger {
	return slog.New(NewMaskingHandler(slog.NewJSONHandler(buf, &slog.HandlerOptions{
		Level: slog.LevelDebug,
		ReplaceAttr: func(groups []string, a slog.Attr) slog.Attr {
			if len(groups) == 0 && a.Key == slog.TimeKey {
				return slog.Attr{}
			}
			return a
		},
	})))
}

// lastLine decodes the last JSON line in buf.
func lastLine(t *testing.T, buf *bytes.Buffer) map[string]any {
	t.Helper()
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	var m map[string]any
	if err := json.Unmarshal([]byte(lines[len(lines)-1]), &m); err != nil {
		t.Fatalf("log line is not JSON: %v\n%s", err, buf)
	}
	return m
}

// pii is a struct a careless caller might log whole.
type pii struct {
	ID          int
	Name        string
	Email       string
	DateOfBirth string
	Phones      []string
	Note        string
	Address     struct{ Line1, City string }
}

// valuer resolves, lazily, to personal data.
type valuer struct{}

func (valuer) LogValue() slog.Value { return slog.StringValue("reach me at jane@example.com") }

// stringer prints personal data.
type stringer struct{}

func (stringer) String() string { return "tenant 555-010-0199" }

// TestMaskingHandler logs one record per case and checks the JSON the
// wrapped handler wrote: values masked by key, by pattern, in groups,
// errors, structs and maps; plain values untouched.
func TestMaskingHandler(t *testing.T) {
	var person pii
	person.ID, person.Name, person.Email, person.DateOfBirth = 4012, "Jane Doe", "Jane@Example.com", "1990-05-17"
	person.Phones = []string{"(555) 010-0199", "+44 20 7946 0018"}
	person.Note = "SSN 123-45-6789 on file"
	person.Address.Line1, person.Address.City = "12 Main Street", "Springfield"

	cases := []struct {
		name string
		log  func(l *slog.Logger)
		want map[string]any // JSON fields expected (others ignored)
		deny []string       // substrings that must not appear in the line
	}{
		{"email by key", func(l *slog.Logger) { l.Info("m", "email", "Jane.Doe@Example.com") },
			map[string]any{"email": "J***@Example.com"}, []string{"Jane.Doe"}},
		{"alternate email by key", func(l *slog.Logger) { l.Info("m", "buildium_alternate_email", "sam@example.org") },
			map[string]any{"buildium_alternate_email": "s***@example.org"}, []string{"sam@"}},
		{"phone by key", func(l *slog.Logger) { l.Info("m", "mobilephone", "(555) 010-0199") },
			map[string]any{"mobilephone": "(*** #***"}, []string{"555", "0199"}},
		{"tax id by key", func(l *slog.Logger) { l.Info("m", "TaxId", "12-3") },
			map[string]any{"TaxId": RedactedText}, []string{"12-3"}},
		{"date of birth by key", func(l *slog.Logger) { l.Info("m", "date_of_birth", "1990-05-17") },
			map[string]any{"date_of_birth": RedactedText}, []string{"1990"}},
		{"dob as a time", func(l *slog.Logger) { l.Info("m", "dob", time.Date(1990, 5, 17, 0, 0, 0, 0, time.UTC)) },
			map[string]any{"dob": RedactedText}, []string{"1990"}},
		{"address by key", func(l *slog.Logger) { l.Info("m", "hs_address_1", "12 Main Street") },
			map[string]any{"hs_address_1": "#*** M*** S***"}, []string{"Main"}},
		{"secrets by key", func(l *slog.Logger) {
			l.Info("m", "HUBSPOT_ACCESS_TOKEN", "abc", "x-buildium-client-secret", "s3", "Authorization", "Bearer zz", "password", "pw")
		}, map[string]any{"HUBSPOT_ACCESS_TOKEN": RedactedText, "x-buildium-client-secret": RedactedText, "Authorization": RedactedText, "password": RedactedText},
			[]string{"abc", "s3", "zz", `"pw"`}},
		{"empty secret stays empty", func(l *slog.Logger) { l.Info("m", "token", "") },
			map[string]any{"token": ""}, nil},
		{"numbers under a secret key", func(l *slog.Logger) { l.Info("m", "secret", 1234, "ssn", 123456789) },
			map[string]any{"secret": RedactedText, "ssn": RedactedText}, []string{"1234"}},
		{"phone as a number", func(l *slog.Logger) { l.Info("m", "phone", int64(5550100199), "emails", 3, "email_valid", true) },
			map[string]any{"phone": RedactedText, "emails": float64(3), "email_valid": true}, []string{"5550100199"}},
		{"patterns in plain strings", func(l *slog.Logger) {
			l.Info("m", "detail", "Contact jane@example.com exists; call +1 (555) 010-0199; SSN 123-45-6789, EIN 12-3456789")
		}, map[string]any{"detail": "Contact j***@example.com exists; call ***99; SSN ***-**-****, EIN **-*******"},
			[]string{"jane@", "010-0199", "6789"}},
		{"message masked", func(l *slog.Logger) { l.Info("upsert failed for jane@example.com") },
			map[string]any{"msg": "upsert failed for j***@example.com"}, []string{"jane@"}},
		{"error value", func(l *slog.Logger) {
			l.Warn("m", "err", fmt.Errorf("batch: %w", errors.New("Contact already exists: jane@example.com, 555.010.0199")))
		}, map[string]any{"err": "batch: Contact already exists: j***@example.com, ***99"}, []string{"jane@", "010.0199"}},
		{"error under a secret key", func(l *slog.Logger) { l.Info("m", "token", errors.New("pat-x")) },
			map[string]any{"token": RedactedText}, []string{"pat-x"}},
		{"group by key", func(l *slog.Logger) {
			l.Info("m", slog.Group("address", "line1", "12 Main Street", "city", "Springfield"))
		},
			map[string]any{"address": map[string]any{"line1": "#*** M*** S***", "city": "S***"}}, []string{"Main", "Springfield"}},
		{"nested plain group", func(l *slog.Logger) {
			l.Info("m", slog.Group("tenant", "id", 7, slog.Group("contact", "email", "a@b.com", "kind", "Cell")))
		}, map[string]any{"tenant": map[string]any{"id": float64(7), "contact": map[string]any{"email": "a***@b.com", "kind": "Cell"}}}, nil},
		{"struct through Any", func(l *slog.Logger) { l.Info("m", "tenant", person) }, map[string]any{"tenant": map[string]any{
			"ID": float64(4012), "Name": "Jane Doe", "Email": "J***@Example.com", "DateOfBirth": RedactedText,
			"Phones": []any{"(*** #***", "+*** #*** #*** #***"}, "Note": "SSN ***-**-**** on file",
			"Address": map[string]any{"Line1": "#*** M*** S***", "City": "S***"}}},
			[]string{"Jane@", "1990", "0199", "7946", "6789", "Main", "Springfield"}},
		{"map keys masked", func(l *slog.Logger) { l.Info("m", "ids", map[string]int{"jane@example.com": 1}) },
			map[string]any{"ids": map[string]any{"j***@example.com": float64(1)}}, []string{"jane@"}},
		{"bytes", func(l *slog.Logger) { l.Info("m", "body", []byte(`{"email":"jane@example.com"}`)) },
			map[string]any{"body": `{"email":"j***@example.com"}`}, []string{"jane@"}},
		{"log valuer", func(l *slog.Logger) { l.Info("m", "v", valuer{}) },
			map[string]any{"v": "reach me at j***@example.com"}, []string{"jane@"}},
		{"stringer", func(l *slog.Logger) { l.Info("m", "s", stringer{}) },
			map[string]any{"s": "tenant ***99"}, []string{"010-0199"}},
		{"with group by key", func(l *slog.Logger) { l.WithGroup("address").Info("m", "line1", "1 Main") },
			map[string]any{"address": map[string]any{"line1": "#*** M***"}}, []string{"Main"}},
		{"with attrs", func(l *slog.Logger) { l.With("token", "abc", "who", "a@b.co").Info("m") },
			map[string]any{"token": RedactedText, "who": "a***@b.co"}, []string{"abc"}},
		{"plain values untouched", func(l *slog.Logger) {
			l.Info("buildium: retrying", "path", "/v1/leases/tenants", "status", 429, "attempt", 2, "wait", 1500*time.Millisecond,
				"type", "2-3508482", "at", "2026-11-01T12:00:00Z", "host", "127.0.0.1:8080",
				"correlation", "a2b3c4d5-1111-2222-3333-444444444444", "count", "12 records")
		}, map[string]any{"msg": "buildium: retrying", "path": "/v1/leases/tenants", "status": float64(429), "attempt": float64(2),
			"wait": float64(1500 * time.Millisecond), "type": "2-3508482", "at": "2026-11-01T12:00:00Z", "host": "127.0.0.1:8080",
			"correlation": "a2b3c4d5-1111-2222-3333-444444444444", "count": "12 records"}, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var buf bytes.Buffer
			c.log(newTestLogger(&buf))
			got := lastLine(t, &buf)
			for k, want := range c.want {
				if !jsonEqual(got[k], want) {
					t.Errorf("%s = %#v, want %#v\nline: %s", k, got[k], want, buf.String())
				}
			}
			for _, d := range c.deny {
				if strings.Contains(buf.String(), d) {
					t.Errorf("line contains %q: %s", d, buf.String())
				}
			}
		})
	}
}

func jsonEqual(a, b any) bool {
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	return bytes.Equal(ja, jb)
}

// TestMaskingHandlerConforms runs the standard library's handler
// conformance suite through the masking handler.
func TestMaskingHandlerConforms(t *testing.T) {
	var buf bytes.Buffer
	h := NewMaskingHandler(slog.NewJSONHandler(&buf, nil))
	results := func() []map[string]any {
		var ms []map[string]any
		for _, line := range bytes.Split(buf.Bytes(), []byte{'\n'}) {
			if len(line) == 0 {
				continue
			}
			var m map[string]any
			if err := json.Unmarshal(line, &m); err != nil {
				t.Fatal(err)
			}
			ms = append(ms, m)
		}
		return ms
	}
	if err := slogtest.TestHandler(h, results); err != nil {
		t.Fatal(err)
	}
}

// TestMaskingHandlerLevelsAndText: Enabled defers to the wrapped handler,
// and a text handler gets masked values too.
func TestMaskingHandlerLevelsAndText(t *testing.T) {
	var buf bytes.Buffer
	l := slog.New(NewMaskingHandler(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelWarn})))
	l.Info("dropped", "email", "jane@example.com")
	if buf.Len() != 0 {
		t.Fatalf("info logged at warn level: %s", buf.String())
	}
	l.Warn("kept", "email", "jane@example.com", "tenant", pii{Email: "sam@example.com"})
	if s := buf.String(); !strings.Contains(s, "j***@example.com") || strings.Contains(s, "jane@") || strings.Contains(s, "sam@") {
		t.Fatalf("text line: %s", s)
	}
}

// TestMaskingHandlerConcurrent logs from many goroutines (run with -race).
func TestMaskingHandlerConcurrent(t *testing.T) {
	var mu gosync.Mutex
	var buf bytes.Buffer
	noTime := func(groups []string, a slog.Attr) slog.Attr {
		if a.Key == slog.TimeKey {
			return slog.Attr{}
		}
		return a
	}
	l := slog.New(NewMaskingHandler(slog.NewJSONHandler(lockedWriter{&mu, &buf}, &slog.HandlerOptions{ReplaceAttr: noTime})))
	var wg gosync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 50 {
				l.With("worker", g).Info("x", fmt.Sprintf("key_email_%d", i%70), "u@example.com", "phone", "555 010 0199")
			}
		}()
	}
	wg.Wait()
	if n := strings.Count(buf.String(), "\n"); n != 400 {
		t.Fatalf("%d lines", n)
	}
	if strings.Contains(buf.String(), "u@example") || strings.Contains(buf.String(), "0199") {
		t.Fatal("unmasked value under concurrency")
	}
}

type lockedWriter struct {
	mu *gosync.Mutex
	w  *bytes.Buffer
}

func (l lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// TestHandleLeavesRecordAlone: the caller's record is not modified.
func TestHandleLeavesRecordAlone(t *testing.T) {
	r := slog.NewRecord(time.Time{}, slog.LevelInfo, "to jane@example.com", 0)
	r.AddAttrs(slog.String("email", "jane@example.com"))
	if err := NewMaskingHandler(slog.DiscardHandler).Handle(context.Background(), r); err != nil {
		t.Fatal(err)
	}
	var got string
	r.Attrs(func(a slog.Attr) bool { got = a.Value.String(); return true })
	if r.Message != "to jane@example.com" || got != "jane@example.com" {
		t.Fatalf("record changed: %q %q", r.Message, got)
	}
}
