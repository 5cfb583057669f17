package buildiumsim

import (
	"b2h/clients/buildium"
	"b2h/clients/sim/gen"
)

// Rentals: GET /v1/rentals, /v1/rentals/{propertyId} and
// /v1/rentals/{propertyId}/amenities (ref §5).

var rentalKeys = sortKeys{
	"id":                     func(p *gen.Portfolio, i int) sortVal { return num(p.Rentals[i].ID) },
	"name":                   func(p *gen.Portfolio, i int) sortVal { return str(p.Rentals[i].Name) },
	"numberunits":            func(p *gen.Portfolio, i int) sortVal { return num(p.Rentals[i].NumberUnits) },
	"yearbuilt":              func(p *gen.Portfolio, i int) sortVal { return numPtr(p.Rentals[i].YearBuilt) },
	"rentaltype":             func(p *gen.Portfolio, i int) sortVal { return str(p.Rentals[i].RentalType) },
	"rentalsubtype":          func(p *gen.Portfolio, i int) sortVal { return str(p.Rentals[i].RentalSubType) },
	"structuredescription":   func(p *gen.Portfolio, i int) sortVal { return str(p.Rentals[i].StructureDescription) },
	"operatingbankaccountid": func(p *gen.Portfolio, i int) sortVal { return num(p.Rentals[i].OperatingBankAccountID) },
	"reserve":                func(p *gen.Portfolio, i int) sortVal { return num(p.Rentals[i].Reserve) },
	"isactive": func(p *gen.Portfolio, i int) sortVal {
		if p.Rentals[i].IsActive {
			return num(1)
		}
		return num(0)
	},
}

func (s *Server) listRentals(q *listQuery) response {
	rs := s.p.Rentals
	return page(s, q, gen.KindRental, "RentalMessage", len(rs),
		func(i int) int32 { return rs[i].ID },
		func(i int) bool {
			status := "InActive"
			if rs[i].IsActive {
				status = "Active"
			}
			return q.hasID("propertyids", rs[i].ID) && q.has("status", status)
		},
		rentalKeys, nil,
		func(i int) buildium.Rental { return rs[i] })
}

func (s *Server) getRental(id int32) response {
	i, ok := s.ix.Rental[id]
	if !ok {
		return notFound("Rental property", id)
	}
	return okJSON(s.p.Rentals[i], -1)
}

// getAmenities answers RentalFeaturesMessage; a property without any has
// empty lists.
func (s *Server) getAmenities(id int32) response {
	if _, ok := s.ix.Rental[id]; !ok {
		return notFound("Rental property", id)
	}
	a := s.p.Amenities[id]
	if a.Features == nil {
		a.Features = []string{}
	}
	if a.IncludedInRent == nil {
		a.IncludedInRent = []string{}
	}
	return okJSON(a, -1)
}
