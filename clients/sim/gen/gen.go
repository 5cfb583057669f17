// Package gen builds the demo portfolio that the Buildium simulator serves:
// rental properties, units, tenants and leases in realistic proportions and
// with realistic dirt (households sharing an email, invalid emails, missing
// names, odd phones, orphaned units, multi-tenant and date-inconsistent
// leases, hostile strings), deterministically from a seed at any scale.
//
// Records are Buildium API records (package buildium) exactly as the API
// returns them, so the simulator can serve them as they are. Each record
// also carries a hidden last-updated time (Portfolio.Updated) that the API
// does not expose on rentals, units and tenants but filters on
// (lastupdatedfrom/lastupdatedto, reference/buildium-api.md §5).
//
// Lease.Tenants is the source of truth for who is on which lease;
// Tenant.Leases, Lease.CurrentTenants, Lease.CurrentNumberOfOccupants and
// RentalUnit.IsUnitOccupied are derived from it by Relink.
package gen

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"

	"b2h/clients/buildium"
)

// DefaultNow is the reference "today" used when Options.Now is zero, so that
// output does not depend on the wall clock.
var DefaultNow = time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC)

// Options control Generate.
type Options struct {
	// Scale is the number of tenants; properties, units and leases follow
	// from it (about 1 property per 20 tenants, 1 unit per 2 tenants).
	// Zero yields an empty portfolio.
	Scale int
	// Seed selects the portfolio; the same options always yield the same
	// records.
	Seed uint64
	// Now is the reference "today" that lease dates and statuses are
	// relative to; zero means DefaultNow.
	Now time.Time
}

// Kind names a record type in Ref and MutationSummary.
type Kind string

// The record kinds.
const (
	KindRental Kind = "rental"
	KindUnit   Kind = "unit"
	KindTenant Kind = "tenant"
	KindLease  Kind = "lease"
)

// Ref names one record, e.g. {KindTenant, 1000001}. Its text form is
// "tenant/1000001", which is also its JSON map-key form.
type Ref struct {
	Kind Kind
	ID   int32
}

// String returns "kind/id".
func (r Ref) String() string { return string(r.Kind) + "/" + strconv.Itoa(int(r.ID)) }

// MarshalText implements encoding.TextMarshaler.
func (r Ref) MarshalText() ([]byte, error) { return []byte(r.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler.
func (r *Ref) UnmarshalText(b []byte) error {
	k, id, ok := strings.Cut(string(b), "/")
	n, err := strconv.ParseInt(id, 10, 32)
	if !ok || err != nil {
		return fmt.Errorf("gen: record reference %q is not kind/id", b)
	}
	switch Kind(k) {
	case KindRental, KindUnit, KindTenant, KindLease:
	default:
		return fmt.Errorf("gen: record reference %q: unknown kind %q (rental, unit, tenant, lease)", b, k)
	}
	*r = Ref{Kind(k), int32(n)}
	return nil
}

// Portfolio is one Buildium account's rentals data. Every slice is sorted
// by Id.
type Portfolio struct {
	Rentals []buildium.Rental
	Units   []buildium.RentalUnit
	Tenants []buildium.Tenant
	Leases  []buildium.Lease
	// Amenities holds GET /v1/rentals/{id}/amenities per property id.
	Amenities map[int32]buildium.Amenities
	// Updated is every record's hidden last-updated time (UTC, whole
	// seconds). For leases it equals LastUpdatedDateTime.
	Updated map[Ref]time.Time
	// AsOf is the reference "today" the portfolio was generated for; dirt
	// such as "lease ended but still Active" is relative to it.
	AsOf time.Time
}

// UpdatedAt returns the hidden last-updated time of a record (zero if
// unknown).
func (p *Portfolio) UpdatedAt(kind Kind, id int32) time.Time { return p.Updated[Ref{kind, id}] }

// Touch sets the hidden last-updated time of a record, truncated to whole
// seconds (the resolution of the lastupdatedfrom filter). For a lease the
// caller must also set LastUpdatedDateTime; Touch cannot reach it.
func (p *Portfolio) Touch(kind Kind, id int32, at time.Time) {
	if p.Updated == nil {
		p.Updated = make(map[Ref]time.Time)
	}
	p.Updated[Ref{kind, id}] = at.UTC().Truncate(time.Second)
}

// Id bases: each kind has its own range so ids are recognisable in logs.
const (
	rentalBase = 1000
	unitBase   = 100_000
	tenantBase = 1_000_000
	leaseBase  = 5_000_000
	// orphanBase is where orphaned units point: no rental has these ids.
	orphanBase = 900_000
)

// Generate builds a portfolio. It is deterministic: the same options give
// byte-identical records.
func Generate(opts Options) *Portfolio {
	now := opts.Now
	if now.IsZero() {
		now = DefaultNow
	}
	now = now.UTC().Truncate(time.Second)
	seed := opts.Seed
	b := &builder{
		rng:   rand.New(rand.NewPCG(seed, seed^0x5851f42d4c957f2d)),
		now:   now,
		today: time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC),
		p: &Portfolio{
			Amenities: map[int32]buildium.Amenities{},
			Updated:   map[Ref]time.Time{},
			AsOf:      now,
		},
	}
	if opts.Scale <= 0 {
		return b.p
	}
	b.n = opts.Scale
	b.properties()
	b.units()
	b.leases()
	b.tenants()
	b.dirt()
	b.p.Relink()
	return b.p
}

// builder carries the state of one Generate call.
type builder struct {
	rng   *rand.Rand
	now   time.Time
	today time.Time
	n     int // tenants
	p     *Portfolio

	// unitRent is the base market rent of each unit (index-aligned with
	// p.Units), used for lease rent even when MarketRent is null.
	unitRent []float64
	// home is, per tenant index, the lease index that gives the tenant's
	// address and creation date (their most recent lease).
	home []int
	// tenantLeases is, per tenant index, the lease indexes they are on.
	tenantLeases [][]int
	// endedActive records that the "ended but still Active" lease exists.
	endedActive bool
	// emails holds every address handed out, to keep clean ones unique.
	emails map[string]bool
}

// chance reports true with probability p.
func (b *builder) chance(p float64) bool { return b.rng.Float64() < p }

// pick returns a random element.
func pick[T any](b *builder, xs []T) T { return xs[b.rng.IntN(len(xs))] }

// weighted picks an index with the given weights.
func (b *builder) weighted(w []float64) int {
	var sum float64
	for _, x := range w {
		sum += x
	}
	r := b.rng.Float64() * sum
	for i, x := range w {
		if r < x {
			return i
		}
		r -= x
	}
	return len(w) - 1
}

// between returns a time uniformly in [from, to], whole seconds.
func (b *builder) between(from, to time.Time) time.Time {
	if !to.After(from) {
		return from.Truncate(time.Second)
	}
	d := to.Sub(from)
	return from.Add(time.Duration(b.rng.Int64N(int64(d/time.Second)+1)) * time.Second)
}

func date(t time.Time) string { return t.Format(time.DateOnly) }

func dt(t time.Time) *buildium.DateTime {
	return &buildium.DateTime{Time: t.UTC().Truncate(time.Second)}
}

func ptr[T any](v T) *T { return &v }
