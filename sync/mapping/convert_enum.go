package mapping

import (
	"strings"
	"unicode"
)

// bedrooms is Buildium's UnitBedrooms enum (reference/buildium-api.md §8).
var bedrooms = map[string]float64{
	"Studio": 0, "OneBed": 1, "TwoBed": 2, "ThreeBed": 3, "FourBed": 4, "FiveBed": 5,
	"SixBed": 6, "SevenBed": 7, "EightBed": 8, "NineBedPlus": 9,
}

// bathrooms is Buildium's UnitBathrooms enum (reference/buildium-api.md §8).
var bathrooms = map[string]float64{
	"OneBath": 1, "OnePointFiveBath": 1.5, "TwoBath": 2, "TwoPointFiveBath": 2.5,
	"ThreeBath": 3, "ThreePointFiveBath": 3.5, "FourBath": 4, "FourPointFiveBath": 4.5,
	"FiveBath": 5, "FivePlusBath": 5,
}

// Bedrooms converts a UnitBedrooms enum value to a number: Studio is 0,
// OneBed 1 … NineBedPlus 9 ("nine or more" is sent as 9). NotSet, "" and
// values Buildium does not document give ok=false, meaning "no value".
func Bedrooms(enum string) (float64, bool) {
	n, ok := bedrooms[strings.TrimSpace(enum)]
	return n, ok
}

// Bathrooms converts a UnitBathrooms enum value to a number: OneBath 1,
// OnePointFiveBath 1.5, … FiveBath 5. FivePlusBath ("more than five") is sent
// as 5, the lower bound, because a HubSpot number cannot say "or more".
// NotSet, "" and unknown values give ok=false.
func Bathrooms(enum string) (float64, bool) {
	n, ok := bathrooms[strings.TrimSpace(enum)]
	return n, ok
}

// countryNames holds the Buildium Country enum values that splitting
// CamelCase cannot name correctly: glued lower-case particles ("and", "of",
// "the", "da", "de"), hyphenated and accented names, and "Mc".
var countryNames = map[string]string{
	"AntiguaandBarbuda":                      "Antigua and Barbuda",
	"AshmoreandCartierIslands":               "Ashmore and Cartier Islands",
	"BassasdaIndia":                          "Bassas da India",
	"BosniaandHerzegovina":                   "Bosnia and Herzegovina",
	"CocosIslands":                           "Cocos (Keeling) Islands",
	"CotedIvoire":                            "Côte d'Ivoire",
	"DemocraticRepublicOfTheCongo":           "Democratic Republic of the Congo",
	"RepublicOfTheCongo":                     "Republic of the Congo",
	"FrenchSouthernandAntarcticLands":        "French Southern and Antarctic Lands",
	"GuineaBissau":                           "Guinea-Bissau",
	"HeardIslandandMcDonaldIslands":          "Heard Island and McDonald Islands",
	"IsleofMan":                              "Isle of Man",
	"JuandeNovaIsland":                       "Juan de Nova Island",
	"SaintKittsandNevis":                     "Saint Kitts and Nevis",
	"SaintPierreandMiquelon":                 "Saint Pierre and Miquelon",
	"SaintVincentandtheGrenadines":           "Saint Vincent and the Grenadines",
	"SaoTomeandPrincipe":                     "São Tomé and Príncipe",
	"SerbiaandMontenegro":                    "Serbia and Montenegro",
	"SouthGeorgiaandtheSouthSandwichIslands": "South Georgia and the South Sandwich Islands",
	"TimorLeste":                             "Timor-Leste",
	"TrinidadandTobago":                      "Trinidad and Tobago",
	"TurksandCaicosIslands":                  "Turks and Caicos Islands",
	"WallisandFutuna":                        "Wallis and Futuna",
}

// Country turns Buildium's CamelCase Country enum (reference/buildium-api.md
// §8: "UnitedStates", not "United States") into a display name by splitting
// words, with an exceptions table for names that need more than that
// ("IsleofMan" → "Isle of Man", "CotedIvoire" → "Côte d'Ivoire"). Text that
// already contains a space is returned trimmed and unchanged.
func Country(enum string) string {
	s := strings.TrimSpace(enum)
	if n, ok := countryNames[s]; ok {
		return n
	}
	if strings.ContainsRune(s, ' ') {
		return s
	}
	return SplitCamel(s)
}

// SplitCamel inserts spaces between the words of a CamelCase identifier:
// "LaundryRoom" → "Laundry Room", "TVLounge" → "TV Lounge",
// "Availability24Hours" → "Availability 24 Hours". Used for Buildium enum
// values shown in HubSpot (amenities, property types, countries).
func SplitCamel(s string) string {
	rs := []rune(s)
	var b strings.Builder
	b.Grow(len(s) + 8)
	for i, r := range rs {
		if i > 0 && rs[i-1] != ' ' && r != ' ' && wordBoundary(rs, i) {
			b.WriteByte(' ')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// wordBoundary reports whether a new word starts at rs[i] (i > 0).
func wordBoundary(rs []rune, i int) bool {
	prev, cur := rs[i-1], rs[i]
	switch {
	case unicode.IsUpper(cur) && (unicode.IsLower(prev) || unicode.IsDigit(prev)):
		return true // "laundryRoom", "24Hours"
	case unicode.IsUpper(cur) && unicode.IsUpper(prev) && i+1 < len(rs) && unicode.IsLower(rs[i+1]):
		return true // "TVLounge": the L starts "Lounge"
	case unicode.IsDigit(cur) && unicode.IsLetter(prev):
		return true // "Availability24"
	}
	return false
}

// listingTypes maps Buildium RentalSubType values to the option values of
// HubSpot's built-in hs_listing_type (reference/hubspot-api.md §7: observed
// options house, townhouse, multi_family, condos_co_ops, lots_land,
// apartments). Commercial sub-types have no fitting option.
var listingTypes = map[string]string{
	"SingleFamily":  "house",
	"MultiFamily":   "multi_family",
	"CondoTownhome": "condos_co_ops",
}

// ListingType returns the hs_listing_type option for a Buildium
// RentalSubType, or ok=false when no option fits (DESIGN.md §2: "where an
// option fits").
func ListingType(subType string) (string, bool) {
	v, ok := listingTypes[strings.TrimSpace(subType)]
	return v, ok
}
