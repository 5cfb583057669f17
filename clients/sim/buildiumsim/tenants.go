package buildiumsim

import "b2h/clients/sim/gen"

// Tenants: GET /v1/leases/tenants and /v1/leases/tenants/{tenantId}
// (ref §5). Each tenant carries every lease it is on, shallow (no
// CurrentTenants), so the tenant ⇄ lease nesting stops after one level.

var tenantKeys = sortKeys{
	"id":             func(p *gen.Portfolio, i int) sortVal { return num(p.Tenants[i].ID) },
	"firstname":      func(p *gen.Portfolio, i int) sortVal { return str(p.Tenants[i].FirstName) },
	"lastname":       func(p *gen.Portfolio, i int) sortVal { return str(p.Tenants[i].LastName) },
	"email":          func(p *gen.Portfolio, i int) sortVal { return str(p.Tenants[i].Email) },
	"alternateemail": func(p *gen.Portfolio, i int) sortVal { return str(p.Tenants[i].AlternateEmail) },
	"dateofbirth":    func(p *gen.Portfolio, i int) sortVal { return str(p.Tenants[i].DateOfBirth) },
	"comment":        func(p *gen.Portfolio, i int) sortVal { return str(p.Tenants[i].Comment) },
	"taxid":          func(p *gen.Portfolio, i int) sortVal { return str(p.Tenants[i].TaxID) },
	"createddatetime": func(p *gen.Portfolio, i int) sortVal {
		if c := p.Tenants[i].CreatedDateTime; c != nil {
			return num(float64(c.Unix()))
		}
		return sortVal{null: true}
	},
}

func (s *Server) listTenants(q *listQuery) response {
	ts := s.p.Tenants
	return page(s, q, gen.KindTenant, "TenantMessage", len(ts),
		func(i int) int32 { return ts[i].ID },
		func(i int) bool {
			if !q.filtered("propertyids") && !q.filtered("unitids") && !q.filtered("leasetermstatuses") {
				return true
			}
			// A tenant matches through any one of its leases.
			for _, lid := range s.ix.TenantLeases[ts[i].ID] {
				li, ok := s.ix.Lease[lid]
				if !ok {
					continue
				}
				l := &s.p.Leases[li]
				if q.hasID("propertyids", l.PropertyID) && q.hasID("unitids", l.UnitID) && q.has("leasetermstatuses", l.LeaseStatus) {
					return true
				}
			}
			return false
		},
		tenantKeys, nil,
		func(i int) wireTenant { return toWireTenant(s.p.RenderTenant(s.ix, i)) })
}

func (s *Server) getTenant(id int32) response {
	i, ok := s.ix.Tenant[id]
	if !ok {
		return notFound("Tenant", id)
	}
	return okJSON(toWireTenant(s.p.RenderTenant(s.ix, i)), -1)
}
