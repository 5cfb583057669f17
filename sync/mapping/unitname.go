package mapping

import (
	"strconv"
	"strings"

	"b2h/clients/buildium"
)

// UnitProperty is what a unit's record needs of its rental property.
type UnitProperty struct {
	// Name is the property's name ("" if unknown).
	Name string
	// Street is the property's address line 1 ("" if unknown).
	Street string
}

// PropertyOf returns what a unit's record needs of its rental property r.
func PropertyOf(r buildium.Rental) UnitProperty {
	p := UnitProperty{Name: r.Name}
	if r.Address != nil {
		p.Street = r.Address.AddressLine1
	}
	return p
}

// UnitName is the display name of unit u of property p, the value of the
// unit object's primary display property (unit_name) and of a unit
// listing's hs_name. It always says which home it is:
//
//   - the street and the unit: "1272 Lincoln Rd – Unit 3";
//   - the street alone for a unit without a number (a single-family home);
//   - without a street, the property's name instead: "Oak Court – Unit 3",
//     "Oak Court";
//   - with neither, "Unit 3", or "Unit <Buildium id>" without a number.
//
// The street is the property's address line 1, else the unit's own (which
// Buildium fills from its property). A number already worded as a unit
// ("Apt 3", "#3", "Suite 200") is not prefixed again, and a number that is
// the street itself is not repeated.
func UnitName(u buildium.RentalUnit, p UnitProperty) string {
	street := singleLine(Sanitize(p.Street))
	if street == "" && u.Address != nil {
		street = singleLine(Sanitize(u.Address.AddressLine1))
	}
	place := street
	if place == "" {
		place = singleLine(Sanitize(p.Name))
	}
	n := singleLine(Sanitize(u.UnitNumber))
	switch {
	case n == "" || strings.EqualFold(n, place):
		if place != "" {
			return place
		}
		return "Unit " + strconv.Itoa(int(u.ID))
	case !wordedAsUnit(n):
		n = "Unit " + n
	}
	if place == "" {
		return n
	}
	return place + " – " + n
}

// unitWords start a unit number that already names itself a unit.
var unitWords = []string{"unit", "apt", "apartment", "suite", "ste", "flat", "#", "no.", "lot", "space", "room", "bldg", "building"}

// wordedAsUnit reports whether a unit number already starts with a word
// such as "Apt" or "#" followed by the number.
func wordedAsUnit(n string) bool {
	low := strings.ToLower(n)
	for _, w := range unitWords {
		rest, ok := strings.CutPrefix(low, w)
		if !ok {
			continue
		}
		if w == "#" || rest == "" || rest[0] == ' ' || rest[0] == '.' || rest[0] >= '0' && rest[0] <= '9' {
			return true
		}
	}
	return false
}
