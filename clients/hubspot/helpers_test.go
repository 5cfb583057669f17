package hubspot

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"
)

// testToken is the token every unit test uses; tests assert it never leaks.
const testToken = "pat-na1-00000000-1111-2222-3333-444444444444"

// fakeClock is a clock whose Sleep advances time instantly and records the
// waits, so retry and limiter decisions are tested without real time.
type fakeClock struct {
	mu    sync.Mutex
	t     time.Time
	slept []time.Duration
}

func newFakeClock() *fakeClock {
	return &fakeClock{t: time.Date(2026, 11, 2, 15, 0, 0, 0, time.UTC)}
}

func (f *fakeClock) Now() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.t
}

func (f *fakeClock) Sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.t = f.t.Add(d)
	f.slept = append(f.slept, d)
	return nil
}

func (f *fakeClock) Slept() []time.Duration {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]time.Duration(nil), f.slept...)
}

func (f *fakeClock) Total() time.Duration {
	var t time.Duration
	for _, d := range f.Slept() {
		t += d
	}
	return t
}

// recorded is one request a canned server saw.
type recorded struct {
	Method, Path, RawQuery, Auth string
	Body                         string
}

// cannedServer answers each request with the next reply of a script; the
// last reply repeats. It records every request.
type cannedServer struct {
	*httptest.Server
	mu      sync.Mutex
	script  []http.HandlerFunc
	reqs    []recorded
	handled int
}

func newCannedServer(t *testing.T, script ...http.HandlerFunc) *cannedServer {
	t.Helper()
	s := &cannedServer{script: script}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		s.mu.Lock()
		s.reqs = append(s.reqs, recorded{r.Method, r.URL.Path, r.URL.RawQuery, r.Header.Get("Authorization"), string(body)})
		i := min(s.handled, len(s.script)-1)
		s.handled++
		h := s.script[i]
		s.mu.Unlock()
		h(w, r)
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *cannedServer) Requests() []recorded {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]recorded(nil), s.reqs...)
}

// reply writes status, optional headers (pairs) and a JSON body.
func reply(status int, body string, headers ...string) http.HandlerFunc {
	return func(w http.ResponseWriter, _ *http.Request) {
		for i := 0; i+1 < len(headers); i += 2 {
			w.Header().Set(headers[i], headers[i+1])
		}
		if body != "" {
			w.Header().Set("Content-Type", "application/json")
		}
		w.WriteHeader(status)
		_, _ = io.WriteString(w, body)
	}
}

// resetConn drops the connection without answering.
func resetConn(w http.ResponseWriter, _ *http.Request) {
	conn, _, err := w.(http.Hijacker).Hijack()
	if err == nil {
		_ = conn.Close()
	}
}

// truncated announces a longer body than it sends, then drops the connection.
func truncated(status int, body string) http.HandlerFunc {
	return func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Length", "100000")
		w.WriteHeader(status)
		_, _ = io.WriteString(w, body[:len(body)/2])
		if f, ok := w.(http.Flusher); ok {
			f.Flush()
		}
		panic(http.ErrAbortHandler)
	}
}

// newTestClient returns a client for srv with a fake clock.
func newTestClient(t *testing.T, srv *cannedServer, mod ...func(*Options)) (*Client, *fakeClock) {
	t.Helper()
	clk := newFakeClock()
	o := Options{BaseURL: srv.URL, Token: testToken, Sleep: clk.Sleep, Now: clk.Now}
	for _, m := range mod {
		m(&o)
	}
	c, err := New(o)
	if err != nil {
		t.Fatal(err)
	}
	return c, clk
}
