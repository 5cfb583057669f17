package gen

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"time"

	"b2h/clients/buildium"
)

// The files of a portfolio directory (`b2h demo serve --buildium-data DIR`).
// The first four are required; each holds a JSON array of Buildium API
// records as the list endpoints return them.
const (
	RentalsFile   = "rentals.json"
	UnitsFile     = "units.json"
	TenantsFile   = "tenants.json"
	LeasesFile    = "leases.json"
	AmenitiesFile = "amenities.json" // optional: object keyed by property id
	UpdatedFile   = "updated.json"   // optional: {"tenant/123": "2026-01-02T03:04:05Z", ...}
)

// LoadError reports a file that could not be read or decoded.
type LoadError struct {
	File   string // path of the file
	Offset int64  // byte offset of the problem, or -1
	Line   int    // 1-based line of Offset, or 0
	Column int    // 1-based column of Offset, or 0
	Err    error
}

// Error names the file and where in it the problem is.
func (e *LoadError) Error() string {
	if e.Offset < 0 {
		return fmt.Sprintf("buildium data %s: %v", e.File, e.Err)
	}
	return fmt.Sprintf("buildium data %s: line %d, column %d (byte %d): %v", e.File, e.Line, e.Column, e.Offset, e.Err)
}

// Unwrap returns the underlying error.
func (e *LoadError) Unwrap() error { return e.Err }

// Load reads a portfolio directory. Missing derived links are filled in:
// a lease with CurrentTenants but no Tenants gets them as Current, and a
// tenant's Leases entry missing from the lease's Tenants is added with the
// status the lease implies; then Relink makes every derived field agree.
// Records without a hidden last-updated time (updated.json) take, in
// order, the lease's LastUpdatedDateTime, the tenant's CreatedDateTime, or
// the file's modification time.
func Load(dir string) (*Portfolio, error) {
	p := &Portfolio{Amenities: map[int32]buildium.Amenities{}, Updated: map[Ref]time.Time{}, AsOf: time.Now().UTC().Truncate(time.Second)}
	mtimes := map[Kind]time.Time{}
	for _, f := range []struct {
		name string
		kind Kind
		dst  any
	}{
		{RentalsFile, KindRental, &p.Rentals},
		{UnitsFile, KindUnit, &p.Units},
		{TenantsFile, KindTenant, &p.Tenants},
		{LeasesFile, KindLease, &p.Leases},
	} {
		mt, err := readJSON(filepath.Join(dir, f.name), f.dst, true)
		if err != nil {
			return nil, err
		}
		mtimes[f.kind] = mt
	}
	if _, err := readJSON(filepath.Join(dir, AmenitiesFile), &p.Amenities, false); err != nil {
		return nil, err
	}
	var updated map[Ref]time.Time
	if _, err := readJSON(filepath.Join(dir, UpdatedFile), &updated, false); err != nil {
		return nil, err
	}

	if err := sortUnique(filepath.Join(dir, RentalsFile), p.Rentals, func(r buildium.Rental) int32 { return r.ID }); err != nil {
		return nil, err
	}
	if err := sortUnique(filepath.Join(dir, UnitsFile), p.Units, func(u buildium.RentalUnit) int32 { return u.ID }); err != nil {
		return nil, err
	}
	if err := sortUnique(filepath.Join(dir, TenantsFile), p.Tenants, func(t buildium.Tenant) int32 { return t.ID }); err != nil {
		return nil, err
	}
	if err := sortUnique(filepath.Join(dir, LeasesFile), p.Leases, func(l buildium.Lease) int32 { return l.ID }); err != nil {
		return nil, err
	}
	if p.Amenities == nil {
		p.Amenities = map[int32]buildium.Amenities{}
	}
	p.fillLinks()

	stamp := func(kind Kind, id int32, fallback ...*buildium.DateTime) {
		if t, ok := updated[Ref{kind, id}]; ok {
			p.Touch(kind, id, t)
			return
		}
		for _, f := range fallback {
			if f != nil && !f.IsZero() {
				p.Touch(kind, id, f.Time)
				return
			}
		}
		p.Touch(kind, id, mtimes[kind])
	}
	for _, r := range p.Rentals {
		stamp(KindRental, r.ID)
	}
	for _, u := range p.Units {
		stamp(KindUnit, u.ID)
	}
	for _, t := range p.Tenants {
		stamp(KindTenant, t.ID, t.CreatedDateTime)
	}
	for i := range p.Leases {
		l := &p.Leases[i]
		stamp(KindLease, l.ID, l.LastUpdatedDateTime, l.CreatedDateTime)
		l.LastUpdatedDateTime = dt(p.Updated[Ref{KindLease, l.ID}])
	}
	p.Relink()
	return p, nil
}

// fillLinks makes Lease.Tenants complete from the other two link fields.
func (p *Portfolio) fillLinks() {
	pos := make(map[int32]int, len(p.Leases))
	for i, l := range p.Leases {
		pos[l.ID] = i
	}
	has := func(l *buildium.Lease, id int32) bool {
		return slices.ContainsFunc(l.Tenants, func(lt buildium.LeaseTenant) bool { return lt.ID == id })
	}
	for i := range p.Leases {
		l := &p.Leases[i]
		for _, t := range l.CurrentTenants {
			if !has(l, t.ID) {
				l.Tenants = append(l.Tenants, buildium.LeaseTenant{ID: t.ID, Status: TenantCurrent})
			}
		}
	}
	for _, t := range p.Tenants {
		for _, tl := range t.Leases {
			li, ok := pos[tl.ID]
			if !ok || has(&p.Leases[li], t.ID) {
				continue
			}
			l := &p.Leases[li]
			status := TenantCurrent
			switch l.LeaseStatus {
			case StatusPast:
				status = TenantMovedOut
			case StatusFuture:
				status = TenantFuture
			}
			l.Tenants = append(l.Tenants, buildium.LeaseTenant{ID: t.ID, Status: status})
		}
	}
}

// readJSON decodes one file into dst and returns its modification time. A
// missing optional file is not an error.
func readJSON(path string, dst any, required bool) (time.Time, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) && !required {
		return time.Time{}, nil
	}
	if errors.Is(err, fs.ErrNotExist) {
		return time.Time{}, &LoadError{File: path, Offset: -1, Err: fmt.Errorf("file not found (a Buildium data folder needs %s, %s, %s and %s)", RentalsFile, UnitsFile, TenantsFile, LeasesFile)}
	}
	if err != nil {
		return time.Time{}, &LoadError{File: path, Offset: -1, Err: err}
	}
	if err := json.Unmarshal(data, dst); err != nil {
		off := int64(-1)
		var syn *json.SyntaxError
		var typ *json.UnmarshalTypeError
		switch {
		case errors.As(err, &syn):
			off = syn.Offset
		case errors.As(err, &typ):
			off = typ.Offset
		}
		le := &LoadError{File: path, Offset: off, Err: err}
		if off >= 0 {
			le.Line, le.Column = lineCol(data, off)
		}
		return time.Time{}, le
	}
	st, err := os.Stat(path)
	if err != nil {
		return time.Time{}, &LoadError{File: path, Offset: -1, Err: err}
	}
	return st.ModTime().UTC().Truncate(time.Second), nil
}

func lineCol(data []byte, off int64) (line, col int) {
	off = min(off, int64(len(data)))
	before := data[:off]
	line = 1 + bytes.Count(before, []byte("\n"))
	col = int(off) - (bytes.LastIndexByte(before, '\n') + 1) + 1
	return line, col
}

// sortUnique sorts records by id and rejects a repeated id.
func sortUnique[T any](path string, xs []T, id func(T) int32) error {
	slices.SortStableFunc(xs, func(a, b T) int { return int(id(a)) - int(id(b)) })
	for i := 1; i < len(xs); i++ {
		if id(xs[i]) == id(xs[i-1]) {
			return &LoadError{File: path, Offset: -1, Err: fmt.Errorf("Id %d appears more than once", id(xs[i]))}
		}
	}
	return nil
}

// WriteDir writes p as a portfolio directory that Load reads back: one
// record per line in each array file, plus amenities.json and
// updated.json. Files are created 0600 (tenant records are personal data).
func (p *Portfolio) WriteDir(dir string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	writes := []struct {
		name string
		n    int
		item func(int) any
	}{
		{RentalsFile, len(p.Rentals), func(i int) any { return p.Rentals[i] }},
		{UnitsFile, len(p.Units), func(i int) any { return p.Units[i] }},
		{TenantsFile, len(p.Tenants), func(i int) any { return p.Tenants[i] }},
		{LeasesFile, len(p.Leases), func(i int) any { return p.Leases[i] }},
	}
	for _, w := range writes {
		if err := writeArray(filepath.Join(dir, w.name), w.n, w.item); err != nil {
			return err
		}
	}
	for name, v := range map[string]any{AmenitiesFile: p.Amenities, UpdatedFile: p.Updated} {
		b, err := json.MarshalIndent(v, "", " ")
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(dir, name), append(b, '\n'), 0o600); err != nil {
			return err
		}
	}
	return nil
}

func writeArray(path string, n int, item func(int) any) (err error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}()
	w := bufio.NewWriterSize(f, 1<<16)
	w.WriteString("[")
	for i := range n {
		b, err := json.Marshal(item(i))
		if err != nil {
			return fmt.Errorf("%s: record %d: %w", path, i, err)
		}
		if i > 0 {
			w.WriteString(",")
		}
		w.WriteString("\n")
		w.Write(b)
	}
	w.WriteString("\n]\n")
	return w.Flush()
}
