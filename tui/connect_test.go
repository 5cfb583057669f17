package tui

import (
	"context"
	"errors"
	"net"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/zalando/go-keyring"

	"b2h/clients/buildium"
	"b2h/clients/hubspot"
	"b2h/clients/sim"
)

func TestConnectAsksForEveryField(t *testing.T) {
	m := newTestModel(t, testDeps(t), 80, 24)
	m, cmd := press(m, "enter")
	for _, msg := range exec(t, cmd) {
		if _, ok := msg.(connectedMsg); ok {
			t.Fatal("enter with empty fields connected")
		}
	}
	if m.connect.checking {
		t.Fatal("checking with empty fields")
	}
	if !strings.Contains(screenText(m), "Enter the Buildium client ID.") {
		t.Fatalf("no hint about the empty field:\n%s", screenText(m))
	}
	if m.connect.focus != fieldClientID {
		t.Fatalf("focus %d, want the empty client id", m.connect.focus)
	}
}

func TestConnectMasksSecretsAndKeepsQForTyping(t *testing.T) {
	m := newTestModel(t, testDeps(t), 80, 24)
	m, _ = press(m, "i", "d", "tab")
	for _, r := range "qs3cr3t" {
		m, _ = press(m, string(r))
	}
	if got := m.connect.inputs[fieldSecret].Value(); got != "qs3cr3t" {
		t.Fatalf("secret field holds %q: q must type, not quit", got)
	}
	text := screenText(m)
	if strings.Contains(text, "s3cr3t") {
		t.Fatalf("the secret is visible:\n%s", text)
	}
	if !strings.Contains(text, "•••••••") {
		t.Fatalf("the secret is not masked:\n%s", text)
	}
}

func TestConnectShowsWhatEachAccountSaid(t *testing.T) {
	tests := []struct {
		name        string
		err         error
		want        []string
		wantFocus   int
		wantNoCheck bool
	}{
		{"buildium 401", &ConnectError{Buildium: &buildium.APIError{StatusCode: 401, Host: "api.buildium.com"}},
			[]string{"✗ Buildium", "rejected the client id/secret (401)", "✓ HubSpot accepted"}, fieldSecret, false},
		{"hubspot missing scopes", &ConnectError{HubSpot: &hubspot.APIError{StatusCode: 403, Category: hubspot.CategoryMissingScopes,
			RequiredScopes: []string{"crm.objects.contacts.write"}}},
			[]string{"✓ Buildium accepted", "✗ HubSpot", "crm.objects.contacts.write"}, fieldToken, false},
		{"both", &ConnectError{Buildium: &net.DNSError{Name: "api.buildum.com", Err: "no such host"}, HubSpot: &hubspot.APIError{StatusCode: 401}},
			[]string{"cannot find the host api.buildum.com", "rejected the access token (401)"}, fieldSecret, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := testDeps(t)
			d.Credentials.BuildiumClientID, d.Credentials.BuildiumClientSecret, d.Credentials.HubSpotToken = "id", "secret", "pat-1"
			d.Connect = func(context.Context, Credentials) (*Accounts, error) { return nil, tt.err }
			m := newTestModel(t, d, 100, 30)
			m, cmd := press(m, "enter")
			if !m.connect.checking || cmd == nil {
				t.Fatal("enter did not start the check")
			}
			if !strings.Contains(screenText(m), "Checking both accounts") {
				t.Fatalf("no spinner line while checking:\n%s", screenText(m))
			}
			msgs := exec(t, cmd)
			m, _ = send(m, msgs...)
			text := strings.Join(strings.Fields(screenText(m)), " ")
			for _, w := range tt.want {
				if !strings.Contains(text, w) {
					t.Errorf("screen lacks %q:\n%s", w, screenText(m))
				}
			}
			if m.connect.focus != tt.wantFocus {
				t.Errorf("focus %d, want %d", m.connect.focus, tt.wantFocus)
			}
			if m.active != scrConnect {
				t.Errorf("left Connect after a refusal")
			}
		})
	}
}

func TestConnectSuccessSavesToKeyringAndMovesOn(t *testing.T) {
	keyring.MockInit()
	d := testDeps(t)
	d.Keyring = OSKeyring{}
	d.Credentials.BuildiumClientID, d.Credentials.BuildiumClientSecret, d.Credentials.HubSpotToken = "cid", "csecret", "pat-na1-token"
	var got Credentials
	d.Connect = func(_ context.Context, c Credentials) (*Accounts, error) {
		got = c
		return &Accounts{PortalID: "42", BuildiumHost: "api.buildium.com"}, nil
	}
	m := newTestModel(t, d, 80, 24)
	m, _ = press(m, "tab") // token → remember
	if m.connect.focus != fieldRemember {
		t.Fatalf("focus %d, want the remember box", m.connect.focus)
	}
	m, _ = press(m, "space")
	if !m.connect.remember {
		t.Fatal("space did not tick remember")
	}
	m, cmd := press(m, "enter")
	m, cmd = send(m, exec(t, cmd)...)
	if got.HubSpotToken != "pat-na1-token" || got.BuildiumClientSecret != "csecret" {
		t.Fatalf("Connect got %+v", got)
	}
	msgs := exec(t, cmd)
	if len(msgs) != 1 || msgs[0] != goTo(scrCheck) {
		t.Fatalf("after a successful connect got %v, want goTo(check)", msgs)
	}
	if m.sess.accounts == nil || m.sess.accounts.PortalID != "42" {
		t.Fatal("accounts not kept in the session")
	}
	for field, want := range map[string]string{"BuildiumClientSecret": "csecret", "HubSpotToken": "pat-na1-token"} {
		host := "api.buildium.com"
		if field == "HubSpotToken" {
			host = "api.hubapi.com"
		}
		v, err := keyring.Get(KeyringService, credentialName(field, host))
		if err != nil || v != want {
			t.Errorf("keyring %s = %q, %v; want %q", field, v, err, want)
		}
	}
	if !strings.Contains(m.sess.notice, "saved in the OS keyring") {
		t.Errorf("notice %q", m.sess.notice)
	}
}

func TestConnectPrefillsFromKeyring(t *testing.T) {
	keyring.MockInit()
	if err := keyring.Set(KeyringService, credentialName("HubSpotToken", "api.hubapi.com"), "pat-saved"); err != nil {
		t.Fatal(err)
	}
	d := testDeps(t)
	d.Keyring = OSKeyring{}
	d.Credentials.BuildiumClientID = "from-env"
	d.Sources["BuildiumClientID"] = SourceEnv
	m := newTestModel(t, d, 100, 24)
	var loaded []tea.Msg
	for _, msg := range exec(t, m.Init()) {
		if _, ok := msg.(keyringLoadedMsg); ok {
			loaded = append(loaded, msg)
		}
	}
	if len(loaded) != 1 {
		t.Fatalf("Init did not read the keyring (%d messages)", len(loaded))
	}
	m, _ = send(m, loaded...)
	if v := m.connect.inputs[fieldToken].Value(); v != "pat-saved" {
		t.Fatalf("token %q, want the saved one", v)
	}
	if v := m.connect.inputs[fieldClientID].Value(); v != "from-env" {
		t.Fatalf("client id %q: the environment must win over the keyring", v)
	}
	text := screenText(m)
	if !strings.Contains(text, "from the OS keyring") || !strings.Contains(text, "from the environment") {
		t.Fatalf("sources not shown:\n%s", text)
	}
}

func TestProblemSaysWhatToFix(t *testing.T) {
	tests := []struct {
		name, account string
		err           error
		want          string
	}{
		{"buildium 401", "Buildium", &buildium.APIError{StatusCode: 401, Host: "apisandbox.buildium.com"}, "keys for production and the sandbox are not interchangeable"},
		{"buildium 403", "Buildium", &buildium.APIError{StatusCode: 403, Method: "GET", Path: "/v1/rentals"}, "Rentals > Rental properties and units: View"},
		{"buildium wrong host 404", "Buildium", &buildium.APIError{StatusCode: 404, Path: "/v1/rentals"}, "this is not the Buildium API"},
		{"buildium html page", "Buildium", &buildium.DecodeError{Method: "GET", Path: "/v1/rentals", Err: errors.New("invalid character '<'")}, "not like the Buildium API"},
		{"dns", "Buildium", &net.DNSError{Name: "api.buildum.com", Err: "no such host"}, "cannot find the host api.buildum.com"},
		{"refused", "HubSpot", &net.OpError{Op: "dial", Net: "tcp", Err: errors.New("connection refused")}, "cannot connect to example.test"},
		{"timeout", "HubSpot", context.DeadlineExceeded, "no answer from example.test in time"},
		{"hubspot 401", "HubSpot", &hubspot.APIError{StatusCode: 401}, "rejected the access token (401)"},
		{"hubspot scopes", "HubSpot", &hubspot.APIError{StatusCode: 403, Category: hubspot.CategoryMissingScopes, RequiredScopes: []string{"crm.schemas.listings.write"}}, "crm.schemas.listings.write"},
		{"hubspot wrong host", "HubSpot", &hubspot.APIError{StatusCode: 404}, "this is not the HubSpot API"},
		{"nil", "HubSpot", nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Problem(tt.account, "example.test", tt.err)
			if tt.want == "" && got != "" || !strings.Contains(got, tt.want) {
				t.Fatalf("Problem = %q, want it to contain %q", got, tt.want)
			}
		})
	}
}

func TestDialAgainstSimulators(t *testing.T) {
	env, err := sim.Start(sim.Options{Scale: 1, Seed: 1, Tier: "professional"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(env.Close)
	good := Credentials{BuildiumURL: env.BuildiumURL, BuildiumClientID: env.BuildiumClientID, BuildiumClientSecret: env.BuildiumClientSecret,
		HubSpotURL: env.HubSpotURL, HubSpotToken: env.HubSpotToken}
	acc, err := Dial(context.Background(), good, DialOptions{})
	if err != nil {
		t.Fatalf("good credentials refused: %v", err)
	}
	if acc.PortalID == "" || acc.PortalID == "0" || acc.Buildium == nil || acc.HubSpot == nil {
		t.Fatalf("accounts %+v", acc)
	}
	if _, _, err := acc.clients(); err != nil {
		t.Fatalf("fresh clients: %v", err)
	}

	bad := good
	bad.BuildiumClientSecret, bad.HubSpotToken = "wrong", "pat-wrong"
	_, err = Dial(context.Background(), bad, DialOptions{})
	var ce *ConnectError
	if !errors.As(err, &ce) || ce.Buildium == nil || ce.HubSpot == nil {
		t.Fatalf("wrong secrets: %v, want a ConnectError naming both", err)
	}
	if p := Problem("Buildium", "x", ce.Buildium); !strings.Contains(p, "401") {
		t.Errorf("Buildium problem %q", p)
	}
	if p := Problem("HubSpot", "x", ce.HubSpot); !strings.Contains(p, "rejected the access token") {
		t.Errorf("HubSpot problem %q", p)
	}

	plain := good
	plain.HubSpotURL = "http://hubspot.example.com"
	if _, err := Dial(context.Background(), plain, DialOptions{}); !errors.As(err, &ce) || ce.HubSpot == nil {
		t.Fatalf("plain http outside loopback accepted: %v", err)
	}
}
