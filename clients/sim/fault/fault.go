// Package fault is the fault injector shared by the Buildium and HubSpot
// simulators: it decides, per request, whether to answer with an injected
// failure (429 storm, 5xx, 423, connection reset, truncated body, latency,
// per-record errors, daily limit exhausted). The simulators render the
// failure in their own API's shape; this package only decides.
//
// A profile is written as a comma-separated SPEC, the form `b2h demo serve
// --faults` takes:
//
//	429=0.1,5xx=0.05,reset=0.02,423=0.01,truncate=0.01,record=0.02,latency=20ms,daily=5000,seed=7
//
// Rates are probabilities in [0,1] per request (record: per batch input);
// latency is added to every request; daily=N makes the account's daily
// budget N requests; seed makes the sequence of decisions repeatable.
// A key may be prefixed with "buildium." or "hubspot." to aim it at one
// simulator only (e.g. buildium.429=0.2).
//
// Two keys shape the data of Buildium's list pages rather than fail a
// request (buildium only):
//
//	buildium.short=50,buildium.shortfor=3   the first 3 list requests serve
//	                                        50 records fewer than asked while
//	                                        X-Total-Count stays true
//	                                        (shortfor=0 or absent: every one)
//	buildium.odd=all                        odd records: see Odd; kinds are
//	                                        joined with '+', e.g.
//	                                        odd=null+zero+stringid
package fault

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Kind is one injected failure.
type Kind int

// The injectable failures.
const (
	None        Kind = iota
	RateLimited      // 429 with the API's rate-limit body
	ServerError      // 500/502/503
	Locked           // 423 (HubSpot only)
	Reset            // connection closed without a response
	Truncated        // a 200 whose body is cut short
)

// String names the kind as the SPEC does.
func (k Kind) String() string {
	switch k {
	case RateLimited:
		return "429"
	case ServerError:
		return "5xx"
	case Locked:
		return "423"
	case Reset:
		return "reset"
	case Truncated:
		return "truncate"
	}
	return "none"
}

// Profile is a parsed fault SPEC for one simulator.
type Profile struct {
	RateLimit   float64       // share of requests answered 429
	ServerError float64       // share answered 5xx
	Locked      float64       // share answered 423
	Reset       float64       // share whose connection is reset
	Truncate    float64       // share whose body is truncated
	Record      float64       // share of batch inputs failing with a per-record error
	Latency     time.Duration // added to every request
	DailyLimit  int           // if > 0, the daily request budget
	Seed        uint64        // RNG seed; 0 means 1
	Short       int           // list pages served this many records short (Buildium)
	ShortFor    int           // only the first ShortFor list requests are short; 0 means all
	Odd         Odd           // odd records served in lists and by-id GETs (Buildium)
}

// Odd is a set of odd records a Buildium simulator serves: each kind
// corrupts one record of every list: the records with the lowest Ids get
// the kinds that apply to the list, in Kinds order. Kinds that do not apply to a list (emergency
// to anything but tenants) are skipped there.
type Odd uint8

// The odd record kinds, in the order they are handed out.
const (
	OddNull      Odd = 1 << iota // the record is JSON null
	OddZeroID                    // "Id": 0
	OddNegative                  // "Id": -5
	OddStringID                  // "Id": "<id>" (a string)
	OddBigID                     // "Id": 2147483648 (over int32)
	OddEmergency                 // "EmergencyContact": [] (tenants only)
	OddAll       = OddNull | OddZeroID | OddNegative | OddStringID | OddBigID | OddEmergency
)

// oddNames are the SPEC names of the odd kinds, in Kinds order.
var oddNames = []struct {
	name string
	odd  Odd
}{{"null", OddNull}, {"zero", OddZeroID}, {"negative", OddNegative}, {"stringid", OddStringID},
	{"bigid", OddBigID}, {"emergency", OddEmergency}}

// Kinds lists the kinds in o, in the order they are handed out.
func (o Odd) Kinds() []Odd {
	var out []Odd
	for _, n := range oddNames {
		if o&n.odd != 0 {
			out = append(out, n.odd)
		}
	}
	return out
}

// String names the kinds as the SPEC does, joined with '+'.
func (o Odd) String() string {
	var names []string
	for _, n := range oddNames {
		if o&n.odd != 0 {
			names = append(names, n.name)
		}
	}
	return strings.Join(names, "+")
}

// ParseOdd reads odd kinds joined with '+' ("all" for every kind).
func ParseOdd(v string) (Odd, error) {
	var o Odd
	for _, w := range strings.Split(v, "+") {
		w = strings.ToLower(strings.TrimSpace(w))
		if w == "all" {
			o |= OddAll
			continue
		}
		known := false
		for _, n := range oddNames {
			if n.name == w {
				o, known = o|n.odd, true
			}
		}
		if !known {
			return 0, fmt.Errorf("fault spec: odd=%s: unknown kind %q (known: all, null, zero, negative, stringid, bigid, emergency)", v, w)
		}
	}
	return o, nil
}

// Zero reports whether the profile injects nothing.
func (p Profile) Zero() bool { return p == Profile{} || p == Profile{Seed: p.Seed} }

// Parse reads a SPEC and returns the profile for the named simulator
// ("buildium" or "hubspot"). Unprefixed keys apply to both. An empty SPEC
// is the zero profile.
func Parse(spec, target string) (Profile, error) {
	var p Profile
	spec = strings.TrimSpace(spec)
	if spec == "" || spec == "none" {
		return p, nil
	}
	for _, part := range strings.Split(spec, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		k, v, ok := strings.Cut(part, "=")
		if !ok {
			return p, fmt.Errorf("fault spec %q: %q is not key=value", spec, part)
		}
		k = strings.ToLower(strings.TrimSpace(k))
		v = strings.TrimSpace(v)
		if pre, rest, ok := strings.Cut(k, "."); ok {
			if pre != "buildium" && pre != "hubspot" {
				return p, fmt.Errorf("fault spec: unknown target %q in %q (use buildium. or hubspot.)", pre, part)
			}
			if pre != target {
				continue
			}
			k = rest
		}
		rate := func(dst *float64) error {
			f, err := strconv.ParseFloat(v, 64)
			if err != nil || f < 0 || f > 1 {
				return fmt.Errorf("fault spec: %s=%s must be a probability between 0 and 1", k, v)
			}
			*dst = f
			return nil
		}
		var err error
		switch k {
		case "429":
			err = rate(&p.RateLimit)
		case "5xx", "500":
			err = rate(&p.ServerError)
		case "423":
			err = rate(&p.Locked)
		case "reset":
			err = rate(&p.Reset)
		case "truncate":
			err = rate(&p.Truncate)
		case "record":
			err = rate(&p.Record)
		case "latency":
			p.Latency, err = time.ParseDuration(v)
			if err != nil {
				err = fmt.Errorf("fault spec: latency=%s is not a duration (e.g. 20ms)", v)
			}
		case "daily":
			p.DailyLimit, err = strconv.Atoi(v)
			if err != nil || p.DailyLimit < 0 {
				err = fmt.Errorf("fault spec: daily=%s must be a whole number of requests", v)
			}
		case "short", "shortfor":
			n, perr := strconv.Atoi(v)
			if perr != nil || n < 0 {
				err = fmt.Errorf("fault spec: %s=%s must be a whole number", k, v)
			} else if k == "short" {
				p.Short = n
			} else {
				p.ShortFor = n
			}
		case "odd":
			p.Odd, err = ParseOdd(v)
		case "seed":
			p.Seed, err = strconv.ParseUint(v, 10, 64)
			if err != nil {
				err = fmt.Errorf("fault spec: seed=%s must be a whole number", v)
			}
		default:
			err = fmt.Errorf("fault spec: unknown key %q (known: 429, 5xx, 423, reset, truncate, record, latency, daily, short, shortfor, odd, seed)", k)
		}
		if err != nil {
			return p, err
		}
	}
	return p, nil
}

// Injector draws decisions from a profile. It is safe for concurrent use;
// the profile can be replaced while requests are in flight.
type Injector struct {
	mu  sync.Mutex
	p   Profile
	rng *rand.Rand
}

// New returns an injector for p.
func New(p Profile) *Injector {
	in := &Injector{}
	in.Set(p)
	return in
}

// Set replaces the profile and reseeds the generator.
func (in *Injector) Set(p Profile) {
	in.mu.Lock()
	defer in.mu.Unlock()
	seed := p.Seed
	if seed == 0 {
		seed = 1
	}
	in.p = p
	in.rng = rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
}

// Profile returns the profile in force.
func (in *Injector) Profile() Profile {
	in.mu.Lock()
	defer in.mu.Unlock()
	return in.p
}

// Request decides the fate of one request. allowLocked says whether 423 is
// meaningful for this API (HubSpot only).
func (in *Injector) Request(allowLocked bool) Kind {
	in.mu.Lock()
	defer in.mu.Unlock()
	p := in.p
	if p.RateLimit == 0 && p.ServerError == 0 && p.Locked == 0 && p.Reset == 0 && p.Truncate == 0 {
		return None
	}
	x := in.rng.Float64()
	for _, c := range []struct {
		rate float64
		kind Kind
	}{{p.RateLimit, RateLimited}, {p.ServerError, ServerError}, {p.Locked, Locked}, {p.Reset, Reset}, {p.Truncate, Truncated}} {
		if c.kind == Locked && !allowLocked {
			continue
		}
		if x < c.rate {
			return c.kind
		}
		x -= c.rate
	}
	return None
}

// Record decides whether one batch input fails with a per-record error.
func (in *Injector) Record() bool {
	in.mu.Lock()
	defer in.mu.Unlock()
	if in.p.Record == 0 {
		return false
	}
	return in.rng.Float64() < in.p.Record
}

// Latency returns the delay to add to each request.
func (in *Injector) Latency() time.Duration {
	in.mu.Lock()
	defer in.mu.Unlock()
	return in.p.Latency
}

// ServerErrorStatus picks 500, 502 or 503 for an injected 5xx.
func (in *Injector) ServerErrorStatus() int {
	in.mu.Lock()
	defer in.mu.Unlock()
	return []int{500, 502, 503}[in.rng.IntN(3)]
}
