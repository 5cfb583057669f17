package buildium

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"net/url"
	"strconv"
	"time"
	"unsafe"
)

// Kind names a list endpoint.
type Kind string

// The list endpoints b2h reads (ref §5). Note the tenant path: rental
// tenants live under /v1/leases, and /v1/tenants does not exist.
const (
	KindRentals Kind = "rentals" // GET /v1/rentals
	KindUnits   Kind = "units"   // GET /v1/rentals/units
	KindTenants Kind = "tenants" // GET /v1/leases/tenants
	KindLeases  Kind = "leases"  // GET /v1/leases
)

// Path returns the endpoint path, or "" for an unknown kind.
func (k Kind) Path() string {
	switch k {
	case KindRentals:
		return "/v1/rentals"
	case KindUnits:
		return "/v1/rentals/units"
	case KindTenants:
		return "/v1/leases/tenants"
	case KindLeases:
		return "/v1/leases"
	}
	return ""
}

// UpdatedLayout is the lastupdatedfrom/lastupdatedto wire format: UTC,
// "YYYY-MM-DDTHH:MM:SSZ" (ref §5).
const UpdatedLayout = "2006-01-02T15:04:05Z"

// ListOptions filter a list.
type ListOptions struct {
	// LastUpdatedFrom and LastUpdatedTo select records last updated in
	// this window, both bounds inclusive, at whole-second resolution
	// (sub-second parts are truncated); zero means unbounded. Keep the
	// window within MaxLastUpdatedRange.
	LastUpdatedFrom, LastUpdatedTo time.Time
	// PropertyIDs keeps records of these properties (every kind).
	PropertyIDs []int32
	// LeaseStatuses keeps leases with these statuses: Active, Past,
	// Future. Leases only.
	LeaseStatuses []string
	// Offset is where to start, e.g. to resume after the last committed
	// page (Page.Next()).
	Offset int
}

// Page is one page of a list.
type Page[T any] struct {
	Items  []T
	Offset int // position of the page's first record in the whole result
	Total  int // X-Total-Count of the whole result; -1 if Buildium sent none
	// Bad are the page's records that are not in Items (see BadRecord), in
	// page order. A page may hold only bad records.
	Bad []BadRecord
}

// Next is the offset after the page: Offset plus its records, items and
// bad records alike.
func (p Page[T]) Next() int { return p.Offset + len(p.Items) + len(p.Bad) }

// query renders opts for kind.
func (o ListOptions) query(kind Kind) (url.Values, error) {
	q := url.Values{}
	if !o.LastUpdatedFrom.IsZero() {
		q.Set("lastupdatedfrom", o.LastUpdatedFrom.UTC().Format(UpdatedLayout))
	}
	if !o.LastUpdatedTo.IsZero() {
		q.Set("lastupdatedto", o.LastUpdatedTo.UTC().Format(UpdatedLayout))
	}
	if !o.LastUpdatedFrom.IsZero() && !o.LastUpdatedTo.IsZero() && o.LastUpdatedTo.Before(o.LastUpdatedFrom) {
		return nil, fmt.Errorf("buildium: LastUpdatedTo (%s) is before LastUpdatedFrom (%s)",
			o.LastUpdatedTo.UTC().Format(UpdatedLayout), o.LastUpdatedFrom.UTC().Format(UpdatedLayout))
	}
	// Arrays repeat the key: ?propertyids=1&propertyids=2 (ref §2).
	for _, id := range o.PropertyIDs {
		q.Add("propertyids", strconv.Itoa(int(id)))
	}
	if len(o.LeaseStatuses) > 0 {
		if kind != KindLeases {
			return nil, fmt.Errorf("buildium: LeaseStatuses filters leases only, not %s", kind)
		}
		for _, s := range o.LeaseStatuses {
			switch s {
			case "Active", "Past", "Future":
			default:
				return nil, fmt.Errorf("buildium: lease status %q is not Active, Past or Future", s)
			}
			q.Add("leasestatuses", s)
		}
	}
	if o.Offset < 0 {
		return nil, fmt.Errorf("buildium: negative offset %d", o.Offset)
	}
	return q, nil
}

// list streams a list endpoint page by page, ordered by Id so that paging
// is stable (ref §2: stable paging needs a unique sort key; every list
// operation of the OpenAPI document takes orderby). Rules:
//   - With X-Total-Count, the list ends when the records read (items and
//     bad records alike) reach it. A page that is short before then is
//     asked for once more (same offset; the longer answer is kept), and
//     reading goes on by offset to the end: an empty page ends it. Should
//     the records read stay below the last X-Total-Count, the last thing
//     yielded, after every page, is (Page{}, *IncompleteListError).
//   - Without the header, a short or empty page ends the list.
//   - A complete list costs one request a page: the retry is only for a
//     page short of the total.
//
// On an error it yields (zero Page, err) once and stops.
//
// The next page is fetched and decoded while the caller works on this one
// (at most readAhead pages wait), so reading overlaps mapping and writing.
// A caller that stops early cancels the fetch in flight; at most that one
// request is spent beyond what it used.
func list[T record](c *Client, ctx context.Context, kind Kind, opts ListOptions) iter.Seq2[Page[T], error] {
	return func(yield func(Page[T], error) bool) {
		q, err := opts.query(kind)
		if err != nil {
			yield(Page[T]{Offset: opts.Offset, Total: -1}, err)
			return
		}
		q.Set("orderby", "Id")
		q.Set("limit", strconv.Itoa(c.pageSize))
		type fetched struct {
			page Page[T]
			err  error
		}
		caller := ctx
		ctx, cancel := context.WithCancel(ctx)
		defer cancel()
		pages := make(chan fetched, readAhead)
		go func() {
			defer close(pages)
			// send hands a page over. Once the context is done it hands over
			// the cancellation instead, so that a caller who cancelled sees
			// it as the last thing yielded; the caller reads (or drains)
			// until the channel closes, so that send never blocks for ever.
			send := func(f fetched) bool {
				if ctx.Err() == nil {
					select {
					case pages <- f:
						return f.err == nil
					case <-ctx.Done():
					}
				}
				if f.err == nil {
					f = fetched{Page[T]{Offset: f.page.Offset, Total: -1}, c.ctxErr(ctx, kind.Path(), ctx.Err())}
				}
				pages <- f
				return false
			}
			fetch := func(offset int) (Page[T], result, error) {
				q.Set("offset", strconv.Itoa(offset))
				d := &pageDecoder[T]{kind: kind, offset: offset, capHint: c.pageSize, clean: c.redact}
				res, err := c.get(ctx, kind.Path(), q, d)
				total := -1
				if res.hasTotal {
					total = res.total
				}
				return Page[T]{Items: d.items, Bad: d.bad, Offset: offset, Total: total}, res, err
			}
			offset, expected := opts.Offset, -1 // expected: the last X-Total-Count
			for first := true; ; first = false {
				p, res, err := fetch(offset)
				if err != nil {
					send(fetched{Page[T]{Offset: offset, Total: -1}, err})
					return
				}
				n := len(p.Items) + len(p.Bad)
				if res.hasTotal && n < c.pageSize && offset+n < res.total {
					p2, res2, err := fetch(offset)
					if err != nil {
						send(fetched{Page[T]{Offset: offset, Total: -1}, err})
						return
					}
					if n2 := len(p2.Items) + len(p2.Bad); n2 >= n {
						p, res, n = p2, res2, n2
					}
				}
				if res.hasTotal {
					expected = res.total
				}
				if n == 0 && !first {
					break
				}
				if !send(fetched{p, nil}) {
					return
				}
				offset += n
				if res.hasTotal {
					if offset >= res.total || n == 0 {
						break
					}
					continue // short of the total: read on by offset
				}
				if n < c.pageSize {
					break
				}
			}
			if expected >= 0 && offset < expected {
				send(fetched{Page[T]{}, &IncompleteListError{Kind: kind, Read: offset - opts.Offset, Expected: expected - opts.Offset}})
			}
		}()
		for f := range pages {
			if err := caller.Err(); err != nil && f.err == nil {
				// Cancelled while this page waited: the caller stopped.
				f = fetched{Page[T]{Offset: f.page.Offset, Total: -1}, c.ctxErr(caller, kind.Path(), err)}
			}
			if !yield(f.page, f.err) || f.err != nil {
				cancel()
				for range pages { // wait for the reader: nothing outlives the loop
				}
				return
			}
		}
	}
}

// readAhead is how many fetched pages may wait for the caller.
const readAhead = 1

// Rentals streams GET /v1/rentals.
func (c *Client) Rentals(ctx context.Context, opts ListOptions) iter.Seq2[Page[Rental], error] {
	return list[Rental](c, ctx, KindRentals, opts)
}

// Units streams GET /v1/rentals/units.
func (c *Client) Units(ctx context.Context, opts ListOptions) iter.Seq2[Page[RentalUnit], error] {
	return list[RentalUnit](c, ctx, KindUnits, opts)
}

// Tenants streams GET /v1/leases/tenants (rental tenants, each with the
// leases it is on).
func (c *Client) Tenants(ctx context.Context, opts ListOptions) iter.Seq2[Page[Tenant], error] {
	return list[Tenant](c, ctx, KindTenants, opts)
}

// TenantsShallow streams GET /v1/leases/tenants as Tenants does, but leaves
// every tenant's Leases nil, undecoded: for a pass that reads the leases
// from GET /v1/leases anyway. The nested copies were a third of what a
// tenant page cost to decode, and most of what it held in memory.
func (c *Client) TenantsShallow(ctx context.Context, opts ListOptions) iter.Seq2[Page[Tenant], error] {
	return func(yield func(Page[Tenant], error) bool) {
		for p, err := range list[shallowTenant](c, ctx, KindTenants, opts) {
			// The same array, typed as Tenants: the two types differ in a
			// tag only (the conversion of the element pointer checks it).
			items := unsafe.Slice((*Tenant)(unsafe.SliceData(p.Items)), len(p.Items))
			if !yield(Page[Tenant]{Items: items, Offset: p.Offset, Total: p.Total, Bad: p.Bad}, err) {
				return
			}
		}
	}
}

// shallowTenant is Tenant with its Leases left out of decoding. Go converts
// *shallowTenant to *Tenant only while their fields match, names and types,
// so a field added to Tenant and not here fails to compile.
type shallowTenant struct {
	ID                int32             `json:"Id"`
	FirstName         string            `json:"FirstName"`
	LastName          string            `json:"LastName"`
	Email             string            `json:"Email"`
	AlternateEmail    string            `json:"AlternateEmail"`
	PhoneNumbers      []PhoneNumber     `json:"PhoneNumbers"`
	CreatedDateTime   *DateTime         `json:"CreatedDateTime"`
	EmergencyContact  *EmergencyContact `json:"EmergencyContact"`
	DateOfBirth       string            `json:"DateOfBirth"`
	SMSOptInStatus    string            `json:"SMSOptInStatus,omitempty"`
	Address           *Address          `json:"Address"`
	AlternateAddress  *Address          `json:"AlternateAddress"`
	MailingPreference string            `json:"MailingPreference,omitempty"`
	Leases            []Lease           `json:"-"`
	Comment           string            `json:"Comment"`
	TaxID             string            `json:"TaxId"`
}

// TenantContacts streams GET /v1/leases/tenants decoding only the fields
// of a TenantContact: for a pass that needs no more (duplicate detection),
// skipping the rest of each tenant costs a fraction of decoding it.
func (c *Client) TenantContacts(ctx context.Context, opts ListOptions) iter.Seq2[Page[TenantContact], error] {
	return list[TenantContact](c, ctx, KindTenants, opts)
}

// Leases streams GET /v1/leases.
func (c *Client) Leases(ctx context.Context, opts ListOptions) iter.Seq2[Page[Lease], error] {
	return list[Lease](c, ctx, KindLeases, opts)
}

// LeaseSummaries streams GET /v1/leases decoding LeaseSummary: for a pass
// that needs no more, it skips the current tenants' full records nested in
// every lease.
func (c *Client) LeaseSummaries(ctx context.Context, opts ListOptions) iter.Seq2[Page[LeaseSummary], error] {
	return list[LeaseSummary](c, ctx, KindLeases, opts)
}

// Count returns the number of records a list would yield (X-Total-Count
// of a one-record page), for progress totals. opts.Offset is ignored.
func (c *Client) Count(ctx context.Context, kind Kind, opts ListOptions) (int, error) {
	if kind.Path() == "" {
		return 0, fmt.Errorf("buildium: unknown kind %q", kind)
	}
	opts.Offset = 0
	q, err := opts.query(kind)
	if err != nil {
		return 0, err
	}
	q.Set("limit", "1")
	var items []struct{}
	res, err := c.get(ctx, kind.Path(), q, &items)
	if err != nil {
		return 0, err
	}
	if !res.hasTotal {
		return 0, fmt.Errorf("%w (GET %s)", ErrNoTotalCount, kind.Path())
	}
	return res.total, nil
}

// The by-id GETs below return a *BadRecordError, unretried, for an answer
// that is null, does not fit the record type or has no positive Id.

// Rental returns GET /v1/rentals/{id}.
func (c *Client) Rental(ctx context.Context, id int32) (Rental, error) {
	var r Rental
	_, err := c.get(ctx, "/v1/rentals/"+strconv.Itoa(int(id)), nil, &oneDecoder[Rental]{KindRentals, &r, c.redact})
	return r, err
}

// Unit returns GET /v1/rentals/units/{id}.
func (c *Client) Unit(ctx context.Context, id int32) (RentalUnit, error) {
	var u RentalUnit
	_, err := c.get(ctx, "/v1/rentals/units/"+strconv.Itoa(int(id)), nil, &oneDecoder[RentalUnit]{KindUnits, &u, c.redact})
	return u, err
}

// Tenant returns GET /v1/leases/tenants/{id}.
func (c *Client) Tenant(ctx context.Context, id int32) (Tenant, error) {
	var t Tenant
	_, err := c.get(ctx, "/v1/leases/tenants/"+strconv.Itoa(int(id)), nil, &oneDecoder[Tenant]{KindTenants, &t, c.redact})
	return t, err
}

// Lease returns GET /v1/leases/{id}.
func (c *Client) Lease(ctx context.Context, id int32) (Lease, error) {
	var l Lease
	_, err := c.get(ctx, "/v1/leases/"+strconv.Itoa(int(id)), nil, &oneDecoder[Lease]{KindLeases, &l, c.redact})
	return l, err
}

// Amenities returns GET /v1/rentals/{propertyId}/amenities.
func (c *Client) Amenities(ctx context.Context, propertyID int32) (Amenities, error) {
	var a Amenities
	_, err := c.get(ctx, "/v1/rentals/"+strconv.Itoa(int(propertyID))+"/amenities", nil, &a)
	return a, err
}

// Ping checks the credentials and the connection with the cheapest read,
// GET /v1/rentals?limit=1. A bad key gives an *APIError with StatusCode 401.
func (c *Client) Ping(ctx context.Context) error {
	var items []struct{}
	_, err := c.get(ctx, "/v1/rentals", url.Values{"limit": {"1"}}, &items)
	return err
}

// IsNotFound reports whether err is a 404 from Buildium.
func IsNotFound(err error) bool {
	var e *APIError
	return errors.As(err, &e) && e.StatusCode == 404
}
