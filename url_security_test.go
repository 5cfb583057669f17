package main

import (
	"context"
	"errors"
	"io"
	"strings"
	"testing"
)

// TestPlainHTTPRefusedOutsideLoopback: credentials never cross a network in
// clear text. --buildium-url and --hubspot-url may be plain http only on
// this machine, unless --allow-insecure-http says otherwise (issue 9).
func TestPlainHTTPRefusedOutsideLoopback(t *testing.T) {
	cases := []struct {
		url       string
		allowHTTP bool
		ok        bool
	}{
		{"https://api.hubapi.com", false, true},
		{"https://api.buildium.com/v1", false, true},
		{"http://127.0.0.1:8080", false, true},
		{"http://127.1.2.3", false, true},
		{"http://localhost:9000", false, true},
		{"http://[::1]:9000", false, true},
		{"http://api.hubapi.com", false, false},
		{"http://10.0.0.5:8080", false, false},
		{"http://192.168.1.20", false, false},
		{"http://localhost.example.com", false, false},
		{"http://127.0.0.1.nip.io", false, false},
		{"http://[::ffff:10.0.0.1]", false, false},
		{"http://user:pass@api.hubapi.com", false, false},
		{"https://user:pass@%zz", false, false},
		{"http://api.hubapi.com", true, true},
		{"ftp://api.hubapi.com", false, false},
		{"ftp://api.hubapi.com", true, false},
		{"api.hubapi.com", false, false},
		{"", false, false},
		{"https://", false, false},
	}
	for _, c := range cases {
		err := checkURL("--hubspot-url", c.url, c.allowHTTP)
		if (err == nil) != c.ok {
			t.Errorf("checkURL(%q, allow=%v) = %v, want ok=%v", c.url, c.allowHTTP, err, c.ok)
		}
		if err != nil && strings.Contains(err.Error(), "pass@") {
			t.Errorf("the refusal quotes the URL's password: %v", err)
		}
	}
}

// TestPlainHTTPRefusedByTheCommands: the refusal happens before any
// request, with exit code 2, for both URLs.
func TestPlainHTTPRefusedByTheCommands(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("BUILDIUM_CLIENT_ID", "id")
	t.Setenv("BUILDIUM_CLIENT_SECRET", "secret-not-to-send")
	t.Setenv("HUBSPOT_ACCESS_TOKEN", "pat-na1-not-to-send")
	for _, flag := range []string{"--buildium-url", "--hubspot-url"} {
		root := newRootCmd()
		root.SetArgs([]string{"sync", "--full", "--yes", flag, "http://api.example.com", "--state", dir + "/s.db"})
		root.SetOut(io.Discard)
		root.SetErr(io.Discard)
		err := root.ExecuteContext(context.Background())
		var ee *exitError
		if !errors.As(err, &ee) || ee.code != exitUsage || !strings.Contains(ee.msg, "plain http") {
			t.Errorf("%s http://api.example.com: %v, want exit %d saying why", flag, err, exitUsage)
		}
	}
}
