package main

import (
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"b2h/clients/buildium"
	"b2h/clients/hubspot"
	"b2h/clients/sim"
	"b2h/logx"
	"b2h/state"
)

// session is everything one command needs: both clients, the state store
// and, with --demo, the simulators behind them.
type session struct {
	bd       *buildium.Client
	hs       *hubspot.Client
	st       *state.Store
	env      *sim.Env // non-nil with --demo
	bdHost   string
	logger   *slog.Logger
	closers  []func()
	tempDirs []string
}

func (s *session) Close() {
	for i := len(s.closers) - 1; i >= 0; i-- {
		s.closers[i]()
	}
	for _, d := range s.tempDirs {
		_ = os.RemoveAll(d)
	}
}

// credentials are the values that reach the APIs. They come from the
// environment, the TUI or the keyring, never from flags (flags end up in
// shell history).
type credentials struct {
	BuildiumURL, BuildiumClientID, BuildiumClientSecret string
	HubSpotURL, HubSpotToken                            string
}

// envCredentials reads the credentials from the environment and flags.
func envCredentials(g *globals) credentials {
	c := credentials{
		BuildiumURL:          firstNonEmpty(g.buildiumURL, os.Getenv("BUILDIUM_URL")),
		BuildiumClientID:     os.Getenv("BUILDIUM_CLIENT_ID"),
		BuildiumClientSecret: os.Getenv("BUILDIUM_CLIENT_SECRET"),
		HubSpotURL:           firstNonEmpty(g.hubspotURL, os.Getenv("HUBSPOT_URL")),
		HubSpotToken:         os.Getenv("HUBSPOT_ACCESS_TOKEN"),
	}
	if c.BuildiumURL == "" {
		c.BuildiumURL = buildium.ProductionURL
		if g.buildiumSandbox {
			c.BuildiumURL = buildium.SandboxURL
		}
	}
	if c.HubSpotURL == "" {
		c.HubSpotURL = hubspot.DefaultBaseURL
	}
	return c
}

func (c credentials) missing() []string {
	var m []string
	if c.BuildiumClientID == "" {
		m = append(m, "BUILDIUM_CLIENT_ID")
	}
	if c.BuildiumClientSecret == "" {
		m = append(m, "BUILDIUM_CLIENT_SECRET")
	}
	if c.HubSpotToken == "" {
		m = append(m, "HUBSPOT_ACCESS_TOKEN")
	}
	return m
}

func firstNonEmpty(v ...string) string {
	for _, s := range v {
		if s != "" {
			return s
		}
	}
	return ""
}

// checkURL refuses plain http outside loopback unless explicitly allowed:
// credentials must not cross a network in clear text.
func checkURL(name, raw string, allowHTTP bool) error {
	// Messages show the URL with any password replaced (url.URL.Redacted):
	// a URL with credentials in it is a secret, and refusals get logged.
	u, err := url.Parse(raw)
	if err != nil {
		return usageErr("%s is not a URL (want https://host[:port]); the value is not shown in case it holds a secret", name)
	}
	if u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return usageErr("%s %q is not an http(s) URL", name, u.Redacted())
	}
	if u.Scheme == "https" || allowHTTP {
		return nil
	}
	host := u.Hostname()
	if host == "localhost" {
		return nil
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
		return nil
	}
	return usageErr("%s %s uses plain http outside this machine: credentials would cross the network unencrypted; use https, or pass --allow-insecure-http if you really mean it", name, u.Redacted())
}

// openSession connects to the accounts (or starts the simulators with
// --demo) and opens the state store.
func openSession(g *globals, stderr io.Writer) (*session, error) {
	s := &session{}
	creds := envCredentials(g)
	if g.demo {
		variants, err := demoVariantsOf(g)
		if err != nil {
			return nil, err
		}
		env, err := sim.Start(sim.Options{Scale: g.demoScale, Seed: g.demoSeed, Tier: g.demoTier, RateLimits: true, Now: time.Now,
			HubSpotVariants: variants})
		if err != nil {
			return nil, err
		}
		s.env = env
		s.closers = append(s.closers, env.Close)
		creds = credentials{BuildiumURL: env.BuildiumURL, BuildiumClientID: env.BuildiumClientID,
			BuildiumClientSecret: env.BuildiumClientSecret, HubSpotURL: env.HubSpotURL, HubSpotToken: env.HubSpotToken}
	}
	if m := creds.missing(); len(m) > 0 {
		s.Close()
		return nil, usageErr("missing %s: set them in the environment (see README › Connecting real accounts), or try b2h with --demo", strings.Join(m, ", "))
	}
	if err := checkURL("--buildium-url", creds.BuildiumURL, g.allowHTTP); err != nil {
		s.Close()
		return nil, err
	}
	if err := checkURL("--hubspot-url", creds.HubSpotURL, g.allowHTTP); err != nil {
		s.Close()
		return nil, err
	}
	statePath := g.statePath
	if statePath == "" && g.demo {
		dir, err := os.MkdirTemp("", "b2h-demo-")
		if err != nil {
			s.Close()
			return nil, err
		}
		s.tempDirs = append(s.tempDirs, dir)
		statePath = filepath.Join(dir, "state.db")
	}
	st, err := state.Open(state.Options{Path: statePath})
	if err != nil {
		s.Close()
		return nil, err
	}
	s.st = st
	s.closers = append(s.closers, func() { _ = st.Close() })
	s.logger = openLogger(g, st.Path(), stderr)

	bo := buildium.Options{BaseURL: creds.BuildiumURL, ClientID: creds.BuildiumClientID,
		ClientSecret: creds.BuildiumClientSecret, Logger: s.logger, UserAgent: "b2h/" + version, StartSpent: true}
	if r, err := strconv.Atoi(os.Getenv("B2H_BUILDIUM_RATE")); err == nil && r > 0 {
		// Benchmarks against `demo serve --rate-limits off`: Buildium's
		// documented 10/s is the client's own pacing, lifted here.
		bo.RatePerSecond = float64(r)
	}
	bd, err := buildium.New(bo)
	if err != nil {
		s.Close()
		return nil, usageErr("Buildium: %v", err)
	}
	ho := hubspot.Options{BaseURL: creds.HubSpotURL, Token: creds.HubSpotToken, Logger: s.logger, UserAgent: "b2h/" + version}
	applyHubSpotAPI(g, &ho)
	if r, err := strconv.Atoi(os.Getenv("B2H_HUBSPOT_RATE")); err == nil && r > 0 {
		// Benchmarks against `demo serve --rate-limits off`, which sends no
		// limit headers: start from this many requests per 10 s.
		ho.InitialRate = hubspot.Rate{Max: r, Interval: 10 * time.Second}
	}
	hs, err := hubspot.New(ho)
	if err != nil {
		s.Close()
		return nil, usageErr("HubSpot: %v", err)
	}
	s.bd, s.hs = bd, hs
	if u, err := url.Parse(creds.BuildiumURL); err == nil {
		s.bdHost = u.Host
	}
	return s, nil
}

// openLogger opens the structured log file beside the state file (JSON,
// PII masked by logx). When b2h starts with the log at 10 MB or more, it is
// rotated first: b2h.log → b2h.log.1 → … → b2h.log.5, the oldest dropped,
// so scheduled syncs never fill the disk and one run's log is never split.
// Only the process holding the state lock gets here, so rotations do not race.
func openLogger(g *globals, statePath string, stderr io.Writer) *slog.Logger {
	const maxLogBytes, keepLogs = 10 << 20, 5
	path := g.logFile
	if path == "" {
		path = filepath.Join(filepath.Dir(statePath), "b2h.log")
	}
	if fi, err := os.Stat(path); err == nil && fi.Size() >= maxLogBytes {
		for i := keepLogs - 1; i >= 1; i-- {
			_ = os.Rename(fmt.Sprintf("%s.%d", path, i), fmt.Sprintf("%s.%d", path, i+1)) // replaces the oldest
		}
		if err := os.Rename(path, path+".1"); err != nil {
			fmt.Fprintf(stderr, "b2h: cannot rotate the log file %s (%v); appending to it\n", path, err)
		}
	}
	f, err := os.OpenFile(path, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		fmt.Fprintf(stderr, "b2h: cannot open log file %s (%v); logging is off\n", path, err)
		return slog.New(slog.DiscardHandler)
	}
	return slog.New(logx.NewMaskingHandler(slog.NewJSONHandler(f, &slog.HandlerOptions{Level: slog.LevelInfo})))
}
