package buildiumsim

import (
	"net/http"
	"strconv"
	"strings"

	"b2h/clients/sim/gen"
)

// endpoint is one GET operation of the simulated API.
type endpoint struct {
	pattern string // as in the OpenAPI document, e.g. "/v1/rentals/{propertyId}"
	idParam string // the path parameter of a by-id GET; "" for a list
	get     func(s *Server, id int32) response
	list    *listSpec
}

// pagingParams are accepted by every list endpoint.
var pagingParams = []string{"orderby", "offset", "limit", "lastupdatedfrom", "lastupdatedto"}

var (
	epRentals = &endpoint{pattern: "/v1/rentals", list: &listSpec{
		known:       []string{"location", "types", "subtypes", "status", "rentalownerids", "propertyids"},
		implemented: []string{"status", "propertyids"},
		run:         (*Server).listRentals,
	}}
	epRental    = &endpoint{pattern: "/v1/rentals/{propertyId}", idParam: "propertyId", get: (*Server).getRental}
	epAmenities = &endpoint{pattern: "/v1/rentals/{propertyId}/amenities", idParam: "propertyId", get: (*Server).getAmenities}
	epUnits     = &endpoint{pattern: "/v1/rentals/units", list: &listSpec{
		known:       []string{"propertyids"},
		implemented: []string{"propertyids"},
		run:         (*Server).listUnits,
	}}
	epUnit    = &endpoint{pattern: "/v1/rentals/units/{unitId}", idParam: "unitId", get: (*Server).getUnit}
	epTenants = &endpoint{pattern: "/v1/leases/tenants", list: &listSpec{
		known: []string{"buildingstatuses", "leasetermstatuses", "unitnumber", "name", "phone", "email",
			"propertyids", "rentalownerids", "unitids"},
		implemented: []string{"leasetermstatuses", "propertyids", "unitids"},
		run:         (*Server).listTenants,
	}}
	epTenant = &endpoint{pattern: "/v1/leases/tenants/{tenantId}", idParam: "tenantId", get: (*Server).getTenant}
	epLeases = &endpoint{pattern: "/v1/leases", list: &listSpec{
		known: []string{"propertyids", "rentalownerids", "unitnumber", "tenantname", "leasedatefrom", "leasedateto",
			"leasetypes", "leasestatuses", "createddatetimefrom", "createddatetimeto"},
		implemented: []string{"propertyids", "leasetypes", "leasestatuses"},
		run:         (*Server).listLeases,
	}}
	epLease = &endpoint{pattern: "/v1/leases/{leaseId}", idParam: "leaseId", get: (*Server).getLease}
)

// route matches a path exactly as Buildium does: case-sensitive, /v1/
// required (ref §1: a wrong case or a missing version gets 404). It
// returns nil for no match, and the raw id segment of a by-id path.
func route(path string) (*endpoint, string) {
	rest, ok := strings.CutPrefix(path, "/v1/")
	if !ok {
		return nil, ""
	}
	seg := strings.Split(rest, "/")
	// An id segment must be a number, as with an {id:int} route
	// constraint; anything else matches no route.
	isID := func(i int) bool {
		return len(seg) > i && seg[i] != "" && strings.Trim(seg[i], "0123456789") == ""
	}
	switch {
	case len(seg) == 1 && seg[0] == "rentals":
		return epRentals, ""
	case len(seg) == 2 && seg[0] == "rentals" && seg[1] == "units":
		return epUnits, ""
	case len(seg) == 3 && seg[0] == "rentals" && seg[1] == "units" && isID(2):
		return epUnit, seg[2]
	case len(seg) == 2 && seg[0] == "rentals" && isID(1):
		return epRental, seg[1]
	case len(seg) == 3 && seg[0] == "rentals" && seg[2] == "amenities" && isID(1):
		return epAmenities, seg[1]
	case len(seg) == 1 && seg[0] == "leases":
		return epLeases, ""
	case len(seg) == 2 && seg[0] == "leases" && seg[1] == "tenants":
		return epTenants, ""
	case len(seg) == 3 && seg[0] == "leases" && seg[1] == "tenants" && isID(2):
		return epTenant, seg[2]
	case len(seg) == 2 && seg[0] == "leases" && isID(1):
		return epLease, seg[1]
	}
	return nil, ""
}

// serve runs an authorised GET on a matched endpoint.
func (s *Server) serve(r *http.Request, ep *endpoint, rawID string) response {
	if ep.list != nil {
		q, bad := s.parseList(r, ep.list)
		if bad != nil {
			return *bad
		}
		s.mu.RLock()
		defer s.mu.RUnlock()
		return ep.list.run(s, q)
	}
	id, err := strconv.ParseInt(rawID, 10, 32)
	if err != nil {
		return badParam(ep.idParam, "The value '"+rawID+"' is not valid: ids are 32-bit integers.")
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	resp := ep.get(s, int32(id))
	// An odd record is odd in its by-id GET too (shape.go).
	switch ep {
	case epRental:
		return s.oddRecord(gen.KindRental, s.ix.Rental[int32(id)], resp)
	case epUnit:
		return s.oddRecord(gen.KindUnit, s.ix.Unit[int32(id)], resp)
	case epTenant:
		return s.oddRecord(gen.KindTenant, s.ix.Tenant[int32(id)], resp)
	case epLease:
		return s.oddRecord(gen.KindLease, s.ix.Lease[int32(id)], resp)
	}
	return resp
}

func notFound(what string, id int32) response {
	return errorResponse(http.StatusNotFound, what+" with id "+strconv.Itoa(int(id))+" was not found.")
}
