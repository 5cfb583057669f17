package gen

import (
	"fmt"
	"math"
	"slices"
	"time"

	"b2h/clients/buildium"
)

// properties creates about one rental per 20 tenants: ~40% single-family
// homes with one unit, the rest multi-family buildings.
func (b *builder) properties() {
	nProps := max(1, (b.n+10)/20)
	nUnits := max(1, (b.n+1)/2)
	nOrphans := 0
	if b.n >= 100 {
		nOrphans = max(1, b.n/500)
	}
	placed := nUnits - nOrphans
	single := int(math.Round(0.4 * float64(nProps)))
	multi := nProps - single
	for multi > 0 && placed-single < 2*multi { // each building needs >= 2 units
		single++
		multi--
	}

	// Units per property: 1 for single-family; multi-family buildings get 2
	// each, the rest spread by weight so sizes vary (duplexes to 60+ units).
	sizes := make([]int, nProps)
	kinds := make([]string, nProps)
	order := b.rng.Perm(nProps)
	var weights []float64
	var multiIdx []int
	for rank, i := range order {
		if rank < single {
			sizes[i], kinds[i] = 1, "SingleFamily"
			continue
		}
		sizes[i], kinds[i] = 2, "MultiFamily"
		if b.chance(0.15) {
			kinds[i] = "CondoTownhome"
		}
		multiIdx = append(multiIdx, i)
		weights = append(weights, 0.3+b.rng.ExpFloat64())
	}
	for left := placed - single - 2*multi; left > 0 && len(multiIdx) > 0; left-- {
		sizes[multiIdx[b.weighted(weights)]]++
	}

	b.p.Rentals = make([]buildium.Rental, nProps)
	for i := range nProps {
		b.p.Rentals[i] = b.rental(int32(rentalBase+i+1), kinds[i], sizes[i])
	}
	b.p.Units = make([]buildium.RentalUnit, 0, nUnits)
	for i := range b.p.Rentals {
		b.unitsOf(&b.p.Rentals[i])
	}
	for k := range nOrphans {
		b.orphanUnit(int32(orphanBase + k + 1))
	}
}

// units numbers the units in order, so ids ascend with the slice.
func (b *builder) units() {
	for i := range b.p.Units {
		b.p.Units[i].ID = int32(unitBase + i + 1)
		b.p.Touch(KindUnit, b.p.Units[i].ID, b.between(b.now.AddDate(-3, 0, 0), b.now.Add(-time.Minute)))
	}
}

func (b *builder) address() buildium.Address {
	c := pick(b, usCities)
	if b.chance(0.02) {
		c = pick(b, caCities)
	}
	a := buildium.Address{
		AddressLine1: fmt.Sprintf("%d %s %s", 10+b.rng.IntN(9900), pick(b, streetNames), pick(b, streetSuffixes)),
		City:         c.name,
		State:        c.state,
		Country:      c.country,
	}
	if c.country == "Canada" {
		a.PostalCode = fmt.Sprintf("%s %d%c%d", c.zip, b.rng.IntN(10), 'A'+rune(b.rng.IntN(26)), b.rng.IntN(10))
	} else {
		a.PostalCode = fmt.Sprintf("%s%02d", c.zip, b.rng.IntN(100))
	}
	return a
}

func (b *builder) rental(id int32, subType string, units int) buildium.Rental {
	addr := b.address()
	r := buildium.Rental{
		ID:                     id,
		NumberUnits:            int32(units),
		IsActive:               !b.chance(0.03),
		OperatingBankAccountID: int32(1 + b.rng.IntN(3)),
		Address:                &addr,
		RentalType:             "Residential",
		RentalSubType:          subType,
		StructureDescription:   pick(b, structureDescriptions),
	}
	if subType == "SingleFamily" {
		r.Name = addr.AddressLine1
		r.StructureDescription = "Detached single-family home with yard."
	} else {
		r.Name = fmt.Sprintf("%s %s", pick(b, streetNames), pick(b, complexNames))
		if b.chance(0.05) {
			r.RentalType, r.RentalSubType = "Commercial", pick(b, []string{"Office", "Retail"})
		}
	}
	if b.chance(0.3) {
		r.Reserve = float64(250 * (1 + b.rng.IntN(8)))
	}
	if !b.chance(0.1) {
		r.YearBuilt = ptr(int32(1900 + b.rng.IntN(125)))
	}
	b.p.Touch(KindRental, id, b.between(b.now.AddDate(-3, 0, 0), b.now.Add(-time.Minute)))

	var am buildium.Amenities
	for _, f := range b.rng.Perm(len(features))[:b.rng.IntN(6)] {
		am.Features = append(am.Features, features[f])
	}
	for _, f := range b.rng.Perm(len(included))[:b.rng.IntN(4)] {
		am.IncludedInRent = append(am.IncludedInRent, included[f])
	}
	slices.Sort(am.Features)
	slices.Sort(am.IncludedInRent)
	if am.Features == nil {
		am.Features = []string{}
	}
	if am.IncludedInRent == nil {
		am.IncludedInRent = []string{}
	}
	b.p.Amenities[id] = am
	return r
}

// unitsOf appends a property's units (ids are assigned later by units()).
func (b *builder) unitsOf(r *buildium.Rental) {
	baseRent := float64(800 + 25*b.rng.IntN(110))
	perFloor := 4 + b.rng.IntN(9)
	for k := range int(r.NumberUnits) {
		addr := *r.Address
		u := buildium.RentalUnit{PropertyID: r.ID, Address: &addr, Description: pick(b, unitDescriptions)}
		beds := 1 + b.rng.IntN(3)
		if r.RentalSubType == "SingleFamily" {
			u.UnitNumber = "1"
			beds = 3 + b.rng.IntN(2)
		} else {
			u.UnitNumber = fmt.Sprintf("%d%02d", 1+k/perFloor, 1+k%perFloor)
			addr.AddressLine2 = "Unit " + u.UnitNumber
			if b.chance(0.1) {
				beds = 0
			}
		}
		u.UnitBedrooms = bedrooms[min(beds, len(bedrooms)-1)]
		u.UnitBathrooms = bathrooms[min(max(0, beds-1+b.rng.IntN(2)), len(bathrooms)-1)]
		rent := baseRent + 150*float64(beds) + float64(25*b.rng.IntN(8))
		b.unitRent = append(b.unitRent, rent)
		if !b.chance(0.02) {
			u.MarketRent = ptr(rent)
		}
		if !b.chance(0.05) {
			u.UnitSize = ptr(int32(350 + 300*beds + 10*b.rng.IntN(30)))
		}
		b.p.Units = append(b.p.Units, u)
	}
}

// orphanUnit appends a unit whose PropertyId names no rental. The real API
// would not list such a unit under a property; it exists to test that b2h
// copes with a dangling reference instead of crashing or dropping it.
func (b *builder) orphanUnit(propertyID int32) {
	addr := b.address()
	rent := float64(900 + 25*b.rng.IntN(60))
	b.unitRent = append(b.unitRent, rent)
	b.p.Units = append(b.p.Units, buildium.RentalUnit{
		PropertyID:    propertyID,
		UnitNumber:    "1",
		Address:       &addr,
		MarketRent:    ptr(rent),
		UnitBedrooms:  "TwoBed",
		UnitBathrooms: "OneBath",
	})
}
