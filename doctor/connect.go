package doctor

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"

	"b2h/clients/buildium"
)

// HubSpot's API host (reference/hubspot-api.md §0).
const hubspotHost = "api.hubapi.com"

// checkHosts checks that both API URLs are https (credentials never cross a
// network in clear, reference/buildium-api.md §1) and names the
// environments they point at.
func (d *doctor) checkHosts() Finding {
	type verdict struct {
		status      Status
		detail, fix string
	}
	host := func(name, raw, flag, env string, known map[string]string) verdict {
		u, err := url.Parse(raw)
		if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
			return verdict{Fail, fmt.Sprintf("%s URL %q is not an http(s) URL", name, raw), fmt.Sprintf("fix %s / %s, or unset both for the production host", flag, env)}
		}
		h := u.Hostname()
		if u.Scheme == "http" && !loopback(h) && !d.o.AllowHTTP {
			return verdict{Fail, fmt.Sprintf("%s is plain http outside this machine: credentials would cross the network unencrypted", raw),
				fmt.Sprintf("use https (unset %s and %s for the production host)", flag, env)}
		}
		switch {
		case known[h] != "":
			return verdict{Pass, fmt.Sprintf("%s %s (%s)", name, h, known[h]), ""}
		case loopback(h) && d.o.Demo:
			return verdict{Pass, fmt.Sprintf("%s %s (the demo simulator)", name, u.Host), ""}
		}
		return verdict{Warn, fmt.Sprintf("%s %s is not %s's own API host (a proxy or a simulator?)", name, u.Host, name),
			fmt.Sprintf("if that is not intended, unset %s and %s to use the production host", flag, env)}
	}
	vs := []verdict{
		host("Buildium", d.o.BuildiumURL, "--buildium-url", "BUILDIUM_URL", map[string]string{
			"api.buildium.com": "production", "apisandbox.buildium.com": "the sandbox: keys are per environment"}),
		host("HubSpot", d.o.HubSpotURL, "--hubspot-url", "HUBSPOT_URL", map[string]string{hubspotHost: "production"}),
	}
	f := Finding{Check: CheckHosts, Status: Pass}
	var details, fixes []string
	for _, v := range vs {
		if v.status.rank() > f.Status.rank() {
			f.Status = v.status
		}
		details = append(details, v.detail)
		if v.fix != "" {
			fixes = append(fixes, v.fix)
		}
	}
	f.Detail, f.Fix = strings.Join(details, "; "), strings.Join(fixes, "; ")
	return f
}

func loopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// checkBuildium checks the API key against the three list endpoints b2h
// reads, so a missing permission shows before a sync (ref §1: 401 = bad
// key, 403 = a permission the key lacks).
func (d *doctor) checkBuildium(ctx context.Context) Finding {
	if d.o.Buildium == nil {
		err := d.o.BuildiumErr
		if err == nil {
			err = &MissingCredentialsError{Vars: []string{"BUILDIUM_CLIENT_ID", "BUILDIUM_CLIENT_SECRET"}}
		}
		var missing *MissingCredentialsError
		if !errors.As(err, &missing) {
			return fail(CheckBuildium, err.Error(), "fix --buildium-url or BUILDIUM_URL (see the hosts check), or unset both for the production host")
		}
		return fail(CheckBuildium, err.Error(), "set BUILDIUM_CLIENT_ID and BUILDIUM_CLIENT_SECRET in the environment to a Buildium API key (Settings › Developer tools › API keys); README › Connecting real accounts")
	}
	if err := d.o.Buildium.Ping(ctx); err != nil {
		return buildiumFinding(err, d.o.BuildiumURL)
	}
	for _, k := range []buildium.Kind{buildium.KindTenants, buildium.KindLeases} {
		if _, err := d.o.Buildium.Count(ctx, k, buildium.ListOptions{}); err != nil && !errors.Is(err, buildium.ErrNoTotalCount) {
			return buildiumFinding(err, d.o.BuildiumURL)
		}
	}
	return pass(CheckBuildium, "the API key reads rentals, tenants and leases")
}

// buildiumFinding turns a Buildium error into a finding with its fix.
func buildiumFinding(err error, base string) Finding {
	var ae *buildium.APIError
	if errors.As(err, &ae) {
		switch ae.StatusCode {
		case 401:
			return fail(CheckBuildium, fmt.Sprintf("Buildium rejected the client id/secret (401) at %s", ae.Host),
				"check BUILDIUM_CLIENT_ID and BUILDIUM_CLIENT_SECRET; keys for production and the sandbox are not interchangeable (--buildium-sandbox selects the sandbox)")
		case 403:
			return fail(CheckBuildium, fmt.Sprintf("the API key may not read %s (403)", ae.Path),
				fmt.Sprintf("grant the key %q in Buildium (Settings › Developer tools › API keys); b2h needs View on Rentals › Rental properties and units, Rentals › Tenants and Rentals › Leases", buildium.Permission(ae.Path)))
		}
		return fail(CheckBuildium, ae.Error(), "retry later; if it persists, check Buildium's status page or contact Buildium support")
	}
	return fail(CheckBuildium, fmt.Sprintf("cannot reach Buildium at %s: %v", base, err),
		"check the network, any proxy (HTTPS_PROXY) and --buildium-url; Buildium answers 503 during maintenance")
}
