package buildiumsim

import (
	"b2h/clients/buildium"
	"b2h/clients/sim/gen"
)

// Leases: GET /v1/leases and /v1/leases/{leaseId} (ref §5). CurrentTenants
// holds the full tenants whose lease-tenant status is Current, without
// their own Leases. LeaseStatus is served as stored: like Buildium, the
// simulator does not flip a lease to Past the day after it ends.

var leaseKeys = sortKeys{
	"id":                  func(p *gen.Portfolio, i int) sortVal { return num(p.Leases[i].ID) },
	"propertyid":          func(p *gen.Portfolio, i int) sortVal { return num(p.Leases[i].PropertyID) },
	"unitid":              func(p *gen.Portfolio, i int) sortVal { return num(p.Leases[i].UnitID) },
	"unitnumber":          func(p *gen.Portfolio, i int) sortVal { return str(p.Leases[i].UnitNumber) },
	"leasefromdate":       func(p *gen.Portfolio, i int) sortVal { return str(p.Leases[i].LeaseFromDate) },
	"leasetodate":         func(p *gen.Portfolio, i int) sortVal { return str(p.Leases[i].LeaseToDate) },
	"leasetype":           func(p *gen.Portfolio, i int) sortVal { return str(p.Leases[i].LeaseType) },
	"leasestatus":         func(p *gen.Portfolio, i int) sortVal { return str(p.Leases[i].LeaseStatus) },
	"termtype":            func(p *gen.Portfolio, i int) sortVal { return str(p.Leases[i].TermType) },
	"paymentdueday":       func(p *gen.Portfolio, i int) sortVal { return num(p.Leases[i].PaymentDueDay) },
	"createddatetime":     func(p *gen.Portfolio, i int) sortVal { return dateTime(p.Leases[i].CreatedDateTime) },
	"lastupdateddatetime": func(p *gen.Portfolio, i int) sortVal { return dateTime(p.Leases[i].LastUpdatedDateTime) },
}

func dateTime(d *buildium.DateTime) sortVal {
	if d == nil {
		return sortVal{null: true}
	}
	return num(float64(d.Unix()))
}

func (s *Server) listLeases(q *listQuery) response {
	ls := s.p.Leases
	return page(s, q, gen.KindLease, "LeaseMessage", len(ls),
		func(i int) int32 { return ls[i].ID },
		func(i int) bool {
			return q.hasID("propertyids", ls[i].PropertyID) && q.has("leasestatuses", ls[i].LeaseStatus) &&
				q.has("leasetypes", ls[i].LeaseType)
		},
		leaseKeys, nil,
		func(i int) wireLease { return toWireLease(s.p.RenderLease(s.ix, i)) })
}

func (s *Server) getLease(id int32) response {
	i, ok := s.ix.Lease[id]
	if !ok {
		return notFound("Lease", id)
	}
	return okJSON(toWireLease(s.p.RenderLease(s.ix, i)), -1)
}
