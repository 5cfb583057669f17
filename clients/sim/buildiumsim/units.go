package buildiumsim

import "b2h/clients/sim/gen"

// Units: GET /v1/rentals/units and /v1/rentals/units/{unitId} (ref §5).
// IsUnitOccupied is computed at query time from the unit's Active leases
// and does not bump the unit's update time (ref §5, incremental fetch).

var unitKeys = sortKeys{
	"id":            func(p *gen.Portfolio, i int) sortVal { return num(p.Units[i].ID) },
	"propertyid":    func(p *gen.Portfolio, i int) sortVal { return num(p.Units[i].PropertyID) },
	"unitnumber":    func(p *gen.Portfolio, i int) sortVal { return str(p.Units[i].UnitNumber) },
	"buildingname":  func(p *gen.Portfolio, i int) sortVal { return str(p.Units[i].BuildingName) },
	"description":   func(p *gen.Portfolio, i int) sortVal { return str(p.Units[i].Description) },
	"marketrent":    func(p *gen.Portfolio, i int) sortVal { return numPtr(p.Units[i].MarketRent) },
	"unitsize":      func(p *gen.Portfolio, i int) sortVal { return numPtr(p.Units[i].UnitSize) },
	"unitbedrooms":  func(p *gen.Portfolio, i int) sortVal { return str(p.Units[i].UnitBedrooms) },
	"unitbathrooms": func(p *gen.Portfolio, i int) sortVal { return str(p.Units[i].UnitBathrooms) },
}

// unitDefaultOrder is what a request without orderby gets. The real
// default is undocumented (ref §2); a 2021 production capture shows units
// in PropertyId order (ref §9), which is not Id order, so a client that
// forgets orderby=Id pages unstably here as it would there.
var unitDefaultOrder = []orderKey{{prop: "propertyid"}}

func (s *Server) listUnits(q *listQuery) response {
	us := s.p.Units
	return page(s, q, gen.KindUnit, "RentalUnitMessage", len(us),
		func(i int) int32 { return us[i].ID },
		func(i int) bool { return q.hasID("propertyids", us[i].PropertyID) },
		unitKeys, unitDefaultOrder,
		func(i int) wireUnit { return toWireUnit(s.p.RenderUnit(s.ix, i)) })
}

func (s *Server) getUnit(id int32) response {
	i, ok := s.ix.Unit[id]
	if !ok {
		return notFound("Rental unit", id)
	}
	return okJSON(toWireUnit(s.p.RenderUnit(s.ix, i)), -1)
}
