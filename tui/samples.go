package tui

import (
	"context"
	"fmt"
	"iter"
	"time"

	"b2h/clients/buildium"
	"b2h/sync"
	"b2h/sync/mapping"
)

// sampleSize bounds the records read per entity for the Map screen: the
// first page, cut to this many.
const sampleSize = 50

// samples are the first records of each Buildium entity.
type samples struct {
	rentals []buildium.Rental
	units   []buildium.RentalUnit
	tenants []buildium.Tenant
	leases  []buildium.Lease
}

// samplesMsg is the result of reading the samples.
type samplesMsg struct {
	seq int
	s   samples
	err error
}

func (samplesMsg) route() screenID { return scrMap }

// firstPage reads one page of a list and keeps up to sampleSize items.
func firstPage[T any](ctx context.Context, list func(context.Context, buildium.ListOptions) iter.Seq2[buildium.Page[T], error]) ([]T, error) {
	for p, err := range list(ctx, buildium.ListOptions{}) {
		if err != nil {
			return nil, err
		}
		items := p.Items
		if len(items) > sampleSize {
			items = items[:sampleSize]
		}
		return items, nil
	}
	return nil, nil
}

// fetchSamples reads the first records of every entity.
func fetchSamples(ctx context.Context, bd sync.Buildium) (samples, error) {
	var s samples
	var err error
	if s.rentals, err = firstPage(ctx, bd.Rentals); err != nil {
		return s, fmt.Errorf("read rental properties: %w", err)
	}
	if s.units, err = firstPage(ctx, bd.Units); err != nil {
		return s, fmt.Errorf("read units: %w", err)
	}
	if s.tenants, err = firstPage(ctx, bd.TenantsShallow); err != nil {
		return s, fmt.Errorf("read tenants: %w", err)
	}
	if s.leases, err = firstPage(ctx, bd.Leases); err != nil {
		return s, fmt.Errorf("read leases: %w", err)
	}
	return s, nil
}

// leaseSample is one lease shown on the Leases tab: the lease fields it
// puts on its unit and the label of each of its tenants.
type leaseSample struct {
	lease  buildium.Lease
	labels []string // "tenant 1000012: Current tenant"
}

// mapped are the samples run through the mapping, per entity.
type mapped struct {
	records map[mapping.Entity][]mapping.Record
	leases  []leaseSample
}

// mapSamples maps every sample with m, the way the engine would (minus
// amenities, which cost one request per property).
func mapSamples(m *mapping.Mapping, s samples, today time.Time) mapped {
	out := mapped{records: map[mapping.Entity][]mapping.Record{}}
	names := map[int32]string{}
	unitsOf := map[int32][]buildium.RentalUnit{}
	for _, u := range s.units {
		unitsOf[u.PropertyID] = append(unitsOf[u.PropertyID], u)
	}
	for _, r := range s.rentals {
		names[r.ID] = r.Name
		out.records[mapping.Properties] = append(out.records[mapping.Properties], m.Rental(r, nil, mapping.MinMarketRent(unitsOf[r.ID])))
	}
	leasesOf := map[int32][]buildium.Lease{}
	for _, l := range s.leases {
		leasesOf[l.UnitID] = append(leasesOf[l.UnitID], l)
	}
	for _, u := range s.units {
		rec := m.UnitWithLease(u, names[u.PropertyID], mapping.ActiveLease(leasesOf[u.ID], today))
		out.records[mapping.Units] = append(out.records[mapping.Units], rec)
	}
	for _, t := range s.tenants {
		out.records[mapping.Tenants] = append(out.records[mapping.Tenants], m.Tenant(t))
		if ec, ok := m.EmergencyContact(t); ok {
			out.records[mapping.EmergencyContacts] = append(out.records[mapping.EmergencyContacts], ec)
		}
	}
	for _, l := range s.leases {
		ls := leaseSample{lease: l}
		for _, t := range l.Tenants {
			ls.labels = append(ls.labels, fmt.Sprintf("tenant %d → unit %d: %s", t.ID, l.UnitID, mapping.LeaseLabel(l, t.Status, today)))
		}
		out.leases = append(out.leases, ls)
		props := m.LeaseFields(&l)
		rec := mapping.Record{Entity: mapping.Leases, SourceID: fmt.Sprint(l.ID), Target: m.Entity(mapping.Leases).Target,
			Name: fmt.Sprintf("lease %d (%s, unit %d)", l.ID, l.LeaseStatus, l.UnitID), Properties: props}
		out.records[mapping.Leases] = append(out.records[mapping.Leases], rec)
	}
	return out
}
