// Package sim starts the Buildium and HubSpot simulators together on
// loopback, as `b2h --demo`, `b2h demo serve`, the end-to-end tests and the
// benchmarks use them (DESIGN.md §5).
package sim

import (
	"fmt"
	"io"
	"time"

	"b2h/clients/sim/buildiumsim"
	"b2h/clients/sim/fault"
	"b2h/clients/sim/gen"
	"b2h/clients/sim/hubspotsim"
)

// Options configures a simulated pair of accounts.
type Options struct {
	Scale        int                 // generated tenants (0 leaves Buildium empty)
	Seed         uint64              // generator seed
	Tier         string              // HubSpot tier: free, starter, professional, enterprise
	NoListings   bool                // the Listings object is not activated
	Faults       string              // fault SPEC (see package fault)
	RateLimits   bool                // enforce real rate limits
	BuildiumData string              // load Buildium records from this directory instead of generating
	Portfolio    *gen.Portfolio      // use this portfolio (overrides Scale and BuildiumData)
	Now          func() time.Time    // clock (default time.Now)
	SearchLag    time.Duration       // HubSpot search eventual-consistency lag
	HubSpot      *hubspotsim.Options // advanced HubSpot options; fields above win
	// HubSpotVariants are the real-portal answer shapes the HubSpot
	// simulator plays (see hubspotsim.Variant); when set they replace
	// HubSpot.Variants.
	HubSpotVariants []hubspotsim.Variant
}

// Env is a running pair of simulators and the credentials to reach them.
type Env struct {
	BuildiumURL, BuildiumClientID, BuildiumClientSecret string
	HubSpotURL, HubSpotToken                            string

	Buildium *buildiumsim.Server
	HubSpot  *hubspotsim.Server
}

// Tiers lists the HubSpot tiers the simulator knows.
var Tiers = []string{"free", "starter", "professional", "enterprise"}

// Start generates or loads the portfolio and starts both simulators.
func Start(o Options) (*Env, error) {
	if o.Tier == "" {
		o.Tier = "professional"
	}
	if !validTier(o.Tier) {
		return nil, fmt.Errorf("unknown HubSpot tier %q (use free, starter, professional or enterprise)", o.Tier)
	}
	bf, err := fault.Parse(o.Faults, "buildium")
	if err != nil {
		return nil, err
	}
	hf, err := fault.Parse(o.Faults, "hubspot")
	if err != nil {
		return nil, err
	}
	p := o.Portfolio
	switch {
	case p != nil:
	case o.BuildiumData != "":
		if p, err = gen.Load(o.BuildiumData); err != nil {
			return nil, err
		}
	default:
		g := gen.Options{Scale: o.Scale, Seed: o.Seed}
		if o.Now != nil {
			g.Now = o.Now() // lease dates relative to the simulated "today"
		}
		p = gen.Generate(g)
	}
	b := buildiumsim.New(buildiumsim.Options{Portfolio: p, RateLimits: o.RateLimits, Faults: bf, Now: o.Now})
	burl, err := b.Start()
	if err != nil {
		return nil, fmt.Errorf("start Buildium simulator: %w", err)
	}
	ho := hubspotsim.Options{}
	if o.HubSpot != nil {
		ho = *o.HubSpot
	}
	ho.Tier = hubspotsim.Tier(o.Tier)
	ho.ListingsEnabled = !o.NoListings
	ho.RateLimits = o.RateLimits
	ho.Faults = hf
	if o.Now != nil {
		ho.Now = o.Now
	}
	if o.SearchLag != 0 {
		ho.SearchLag = o.SearchLag
	}
	if len(o.HubSpotVariants) > 0 {
		ho.Variants = o.HubSpotVariants
	}
	h := hubspotsim.New(ho)
	hurl, err := h.Start()
	if err != nil {
		b.Close()
		return nil, fmt.Errorf("start HubSpot simulator: %w", err)
	}
	id, secret := b.Credentials()
	return &Env{
		BuildiumURL: burl, BuildiumClientID: id, BuildiumClientSecret: secret,
		HubSpotURL: hurl, HubSpotToken: h.Token(),
		Buildium: b, HubSpot: h,
	}, nil
}

// Close stops both simulators.
func (e *Env) Close() {
	e.Buildium.Close()
	e.HubSpot.Close()
}

// WriteEnv prints the five NAME=value lines of `b2h demo serve`
// (DESIGN.md §6), in this order.
func (e *Env) WriteEnv(w io.Writer) error {
	_, err := fmt.Fprintf(w, "BUILDIUM_URL=%s\nBUILDIUM_CLIENT_ID=%s\nBUILDIUM_CLIENT_SECRET=%s\nHUBSPOT_URL=%s\nHUBSPOT_ACCESS_TOKEN=%s\n",
		e.BuildiumURL, e.BuildiumClientID, e.BuildiumClientSecret, e.HubSpotURL, e.HubSpotToken)
	return err
}

func validTier(t string) bool {
	for _, x := range Tiers {
		if x == t {
			return true
		}
	}
	return false
}
