package buildiumsim

import (
	"errors"
	"fmt"
	"slices"
	"time"

	"b2h/clients/buildium"
	"b2h/clients/sim/gen"
)

// ErrNotFound is returned (wrapped) by the Update methods for an unknown id.
var ErrNotFound = errors.New("buildiumsim: no such record")

// ErrIDChanged is returned when an update function changes the record's Id.
var ErrIDChanged = errors.New("buildiumsim: an update may not change the record's Id")

// ErrDuplicateID is returned by the Add methods for an id already in use.
var ErrDuplicateID = errors.New("buildiumsim: a record with this Id already exists")

// update applies fn to a deep copy of record i of a slice, stores it and
// stamps the hidden update time. The caller holds the write lock.
func update[T any](s *Server, kind gen.Kind, xs []T, pos map[int32]int, id int32,
	clone func(T) T, idOf func(*T) int32, fn func(*T)) error {
	i, ok := pos[id]
	if !ok {
		return fmt.Errorf("%w: %s %d", ErrNotFound, kind, id)
	}
	rec := clone(xs[i])
	fn(&rec)
	if idOf(&rec) != id {
		return fmt.Errorf("%w (%s %d)", ErrIDChanged, kind, id)
	}
	xs[i] = rec
	s.p.Touch(kind, id, s.now())
	return nil
}

// UpdateTenant changes a tenant as a Buildium user would, and bumps its
// hidden last-updated time to Now. Links to leases live in Lease.Tenants
// (use UpdateLease); the tenant's Leases field is ignored.
func (s *Server) UpdateTenant(id int32, fn func(*buildium.Tenant)) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return update(s, gen.KindTenant, s.p.Tenants, s.ix.Tenant, id, gen.CloneTenant,
		func(t *buildium.Tenant) int32 { return t.ID },
		func(t *buildium.Tenant) { fn(t); t.Leases = nil })
}

// UpdateUnit changes a unit and bumps its hidden last-updated time.
// IsUnitOccupied is computed on every read and cannot be set.
func (s *Server) UpdateUnit(id int32, fn func(*buildium.RentalUnit)) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return update(s, gen.KindUnit, s.p.Units, s.ix.Unit, id, gen.CloneUnit,
		func(u *buildium.RentalUnit) int32 { return u.ID }, fn)
}

// UpdateRental changes a rental property and bumps its hidden
// last-updated time.
func (s *Server) UpdateRental(id int32, fn func(*buildium.Rental)) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return update(s, gen.KindRental, s.p.Rentals, s.ix.Rental, id, gen.CloneRental,
		func(r *buildium.Rental) int32 { return r.ID }, fn)
}

// UpdateLease changes a lease (dates, status, unit, Lease.Tenants) and
// bumps its hidden last-updated time and LastUpdatedDateTime. The tenants
// it names are not bumped, as in Buildium.
func (s *Server) UpdateLease(id int32, fn func(*buildium.Lease)) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	err := update(s, gen.KindLease, s.p.Leases, s.ix.Lease, id, gen.CloneLease,
		func(l *buildium.Lease) int32 { return l.ID },
		func(l *buildium.Lease) { fn(l); normalizeLease(l) })
	if err != nil {
		return err
	}
	l := &s.p.Leases[s.ix.Lease[id]]
	l.LastUpdatedDateTime = &buildium.DateTime{Time: s.p.UpdatedAt(gen.KindLease, id)}
	s.ix = s.p.BuildIndex()
	return nil
}

// normalizeLease makes Lease.Tenants the one source of links: current
// tenants given only through CurrentTenants are added to it.
func normalizeLease(l *buildium.Lease) {
	for _, t := range l.CurrentTenants {
		if !slices.ContainsFunc(l.Tenants, func(lt buildium.LeaseTenant) bool { return lt.ID == t.ID }) {
			l.Tenants = append(l.Tenants, buildium.LeaseTenant{ID: t.ID, Status: gen.TenantCurrent})
		}
	}
	l.CurrentTenants = nil
}

// insert puts rec into the id-sorted slice, assigning max+1 when its id is
// zero. It returns the id.
func insert[T any](xs *[]T, id int32, idOf func(*T) int32, setID func(*T, int32), rec T, kind gen.Kind) (int32, error) {
	if id == 0 {
		id = 1
		if n := len(*xs); n > 0 {
			id = idOf(&(*xs)[n-1]) + 1
		}
		setID(&rec, id)
	}
	i, found := slices.BinarySearchFunc(*xs, id, func(x T, id int32) int { return int(idOf(&x)) - int(id) })
	if found {
		return 0, fmt.Errorf("%w: %s %d", ErrDuplicateID, kind, id)
	}
	*xs = slices.Insert(*xs, i, rec)
	return id, nil
}

// AddTenant adds a tenant (Id 0 = the next free id) and returns its id.
// CreatedDateTime defaults to Now. Put the tenant on a lease with
// AddLease or UpdateLease.
func (s *Server) AddTenant(t buildium.Tenant) (int32, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	t = gen.CloneTenant(t)
	t.Leases = nil
	if t.CreatedDateTime == nil {
		t.CreatedDateTime = &buildium.DateTime{Time: s.now().UTC().Truncate(time.Second)}
	}
	id, err := insert(&s.p.Tenants, t.ID, func(t *buildium.Tenant) int32 { return t.ID },
		func(t *buildium.Tenant, id int32) { t.ID = id }, t, gen.KindTenant)
	if err != nil {
		return 0, err
	}
	s.p.Touch(gen.KindTenant, id, s.now())
	s.ix = s.p.BuildIndex()
	return id, nil
}

// AddLease adds a lease (Id 0 = the next free id) and returns its id.
// CreatedDateTime defaults to Now; LastUpdatedDateTime is set to Now.
// Tenants named only in CurrentTenants are moved into Tenants as Current.
func (s *Server) AddLease(l buildium.Lease) (int32, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	l = gen.CloneLease(l)
	normalizeLease(&l)
	now := s.now().UTC().Truncate(time.Second)
	if l.CreatedDateTime == nil {
		l.CreatedDateTime = &buildium.DateTime{Time: now}
	}
	l.LastUpdatedDateTime = &buildium.DateTime{Time: now}
	id, err := insert(&s.p.Leases, l.ID, func(l *buildium.Lease) int32 { return l.ID },
		func(l *buildium.Lease, id int32) { l.ID = id }, l, gen.KindLease)
	if err != nil {
		return 0, err
	}
	s.p.Touch(gen.KindLease, id, now)
	s.ix = s.p.BuildIndex()
	return id, nil
}

// Mutate changes about fraction of all records (see gen.Mutate) with
// update time Now, and returns what changed.
func (s *Server) Mutate(fraction float64, seed uint64) gen.MutationSummary {
	s.mu.Lock()
	defer s.mu.Unlock()
	sum := gen.Mutate(s.p, fraction, seed, s.now())
	s.p.Strip()
	s.ix = s.p.BuildIndex()
	return sum
}

// Snapshot returns a deep copy of the data served, with every derived
// field (Tenant.Leases, Lease.CurrentTenants, IsUnitOccupied) filled.
func (s *Server) Snapshot() *gen.Portfolio {
	s.mu.RLock()
	q := s.p.Clone()
	s.mu.RUnlock()
	q.Relink()
	return q
}
