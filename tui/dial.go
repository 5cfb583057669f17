package tui

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"os"
	gosync "sync"
	"time"

	"b2h/clients/buildium"
	"b2h/clients/hubspot"
	"b2h/sync"
	"b2h/sync/schema"
)

// ConnectError says which account refused the credentials and why. Either
// field may be nil (that account connected).
type ConnectError struct {
	Buildium error
	HubSpot  error
}

// Error implements error.
func (e *ConnectError) Error() string {
	switch {
	case e.Buildium != nil && e.HubSpot != nil:
		return "Buildium: " + e.Buildium.Error() + "; HubSpot: " + e.HubSpot.Error()
	case e.Buildium != nil:
		return "Buildium: " + e.Buildium.Error()
	case e.HubSpot != nil:
		return "HubSpot: " + e.HubSpot.Error()
	}
	return "connected"
}

// DialOptions configure Dial.
type DialOptions struct {
	// Logger receives the clients' request log (never secrets).
	Logger *slog.Logger
	// UserAgent is sent with every request.
	UserAgent string
	// AllowHTTP allows plain-http URLs outside loopback.
	AllowHTTP bool
	// Timeout bounds the live check (default 20 s).
	Timeout time.Duration
	// HubSpotAPI selects HubSpot's API paths as hubspot.ParseAPIVersion
	// reads them ("2026-03", "v3"); empty means $B2H_HUBSPOT_API, else
	// the date-based default.
	HubSpotAPI string
}

// Dial checks both accounts live, concurrently: Buildium with its cheapest
// read, HubSpot with the access-token info. A refusal is a *ConnectError
// whose fields say precisely what to fix (Problem renders them).
func Dial(ctx context.Context, c Credentials, o DialOptions) (*Accounts, error) {
	if o.Timeout <= 0 {
		o.Timeout = 20 * time.Second
	}
	ctx, cancel := context.WithTimeout(ctx, o.Timeout)
	defer cancel()
	style, apiVersion, apiErr := hubspot.ParseAPIVersion(firstSet(o.HubSpotAPI, os.Getenv("B2H_HUBSPOT_API")))
	if apiErr != nil {
		return nil, &ConnectError{HubSpot: apiErr}
	}
	newClients := func(checkOnly bool) (*buildium.Client, *hubspot.Client, error) {
		retries := 0 // client defaults for runs
		if checkOnly {
			retries = 1 // a live check answers fast; the run retries properly
		}
		bd, bdErr := buildium.New(buildium.Options{BaseURL: c.BuildiumURL, ClientID: c.BuildiumClientID,
			ClientSecret: c.BuildiumClientSecret, Logger: o.Logger, UserAgent: o.UserAgent, MaxRetries: retries, StartSpent: true})
		hs, hsErr := hubspot.New(hubspot.Options{BaseURL: c.HubSpotURL, Token: c.HubSpotToken, Logger: o.Logger,
			UserAgent: o.UserAgent, MaxRetries: retries, PathStyle: style, APIVersion: apiVersion})
		if bdErr != nil || hsErr != nil {
			return nil, nil, &ConnectError{Buildium: bdErr, HubSpot: hsErr}
		}
		return bd, hs, nil
	}
	ce := &ConnectError{Buildium: checkURL(c.BuildiumURL, o.AllowHTTP), HubSpot: checkURL(c.HubSpotURL, o.AllowHTTP)}
	if ce.Buildium != nil || ce.HubSpot != nil {
		return nil, ce
	}
	bdCheck, hsCheck, err := newClients(true)
	if err != nil {
		return nil, err
	}
	var portal string
	var wg gosync.WaitGroup
	wg.Add(2)
	go func() { defer wg.Done(); ce.Buildium = bdCheck.Ping(ctx) }()
	go func() { defer wg.Done(); portal, ce.HubSpot = schema.Identify(ctx, hsCheck) }()
	wg.Wait()
	if ce.Buildium != nil || ce.HubSpot != nil {
		return nil, ce
	}
	bd, hs, err := newClients(false)
	if err != nil {
		return nil, err
	}
	host := ""
	if u, err := url.Parse(c.BuildiumURL); err == nil {
		host = u.Host
	}
	return &Accounts{
		Buildium: bd, HubSpot: hs, BuildiumHost: host, PortalID: portal,
		NewClients: func() (sync.Buildium, sync.HubSpot, error) {
			b2, h2, err := newClients(false)
			if err != nil {
				return nil, nil, err
			}
			return b2, h2, nil
		},
	}, nil
}

// checkURL refuses plain http outside this machine: a secret must not cross
// a network unencrypted.
func checkURL(raw string, allowHTTP bool) error {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return fmt.Errorf("%q is not an http(s) URL", raw)
	}
	if u.Scheme == "https" || allowHTTP || u.Hostname() == "localhost" {
		return nil
	}
	if ip := net.ParseIP(u.Hostname()); ip != nil && ip.IsLoopback() {
		return nil
	}
	return fmt.Errorf("%s uses plain http outside this machine: the credentials would cross the network unencrypted; use https", raw)
}

// Problem turns a connection error of one account ("Buildium" or
// "HubSpot") into one precise sentence: what happened and what to do.
func Problem(account, host string, err error) string {
	if err == nil {
		return ""
	}
	var (
		bdAPI  *buildium.APIError
		bdDec  *buildium.DecodeError
		hsAPI  *hubspot.APIError
		dnsErr *net.DNSError
		opErr  *net.OpError
		uaErr  x509.UnknownAuthorityError
		hnErr  x509.HostnameError
		cvErr  *tls.CertificateVerificationError
	)
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		return fmt.Sprintf("no answer from %s in time: check the URL and your network (a proxy or VPN?)", host)
	case errors.As(err, &dnsErr):
		return fmt.Sprintf("cannot find the host %s: check the %s URL (wrong host?) and your network", dnsErr.Name, account)
	case errors.As(err, &uaErr), errors.As(err, &hnErr), errors.As(err, &cvErr):
		return fmt.Sprintf("%s's TLS certificate is not trusted (%v): wrong host, or a proxy intercepting https", host, err)
	case errors.As(err, &opErr) && opErr.Op == "dial":
		return fmt.Sprintf("cannot connect to %s (%v): wrong host or port, or the service is down", host, opErr.Err)
	case errors.As(err, &bdAPI):
		if bdAPI.StatusCode == 404 {
			return fmt.Sprintf("%s answered 404 for %s: this is not the Buildium API; check --buildium-url (production: %s, sandbox: %s)",
				host, bdAPI.Path, buildium.ProductionURL, buildium.SandboxURL)
		}
		return bdAPI.Error()
	case errors.As(err, &bdDec):
		return fmt.Sprintf("%s answered, but not like the Buildium API (%v): check --buildium-url", host, bdDec.Err)
	case hubspot.IsUnauthorized(err):
		return "HubSpot rejected the access token (401): copy it again from the private app (Settings › Integrations › Private apps › Auth); it belongs to one HubSpot account and may have been rotated"
	}
	if scopes, ok := hubspot.IsMissingScopes(err); ok {
		if len(scopes) == 0 {
			return "the private app lacks a required scope (403 MISSING_SCOPES): add the scopes b2h needs (README › Connecting real accounts) and copy the token again"
		}
		return fmt.Sprintf("the private app lacks the scopes %v (403): add them under the app's Scopes tab, then retry", scopes)
	}
	if errors.As(err, &hsAPI) {
		if hsAPI.StatusCode == 404 {
			return fmt.Sprintf("%s answered 404 for the token check: this is not the HubSpot API; check --hubspot-url (default %s)", host, hubspot.DefaultBaseURL)
		}
		return hsAPI.Error()
	}
	return err.Error()
}

// firstSet returns the first non-empty string.
func firstSet(v ...string) string {
	for _, s := range v {
		if s != "" {
			return s
		}
	}
	return ""
}
