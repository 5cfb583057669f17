package gen

import (
	"fmt"
	"slices"
	"strings"

	"b2h/clients/buildium"
)

// The dirt categories: data problems a real Buildium account has and b2h
// must handle. Census counts each one.
const (
	DirtSharedEmail           = "household-shared-email"          // two tenants, same email
	DirtEmailVariant          = "email-case-space-variant"        // "  Jane.Doe@Example.COM " vs "jane.doe@example.com"
	DirtEmailIsAlternate      = "email-equals-other-alternate"    // a tenant's Email is another's AlternateEmail
	DirtInvalidEmail          = "invalid-email"                   // "jane@", "no-at-sign.com"
	DirtMissingEmail          = "missing-email"                   // no email at all
	DirtMissingName           = "missing-name"                    // empty FirstName and/or LastName
	DirtUnicodeName           = "unicode-name"                    // accents, CJK, emoji
	DirtUncommonPhoneType     = "uncommon-phone-type"             // Personal, Fax, Other, NotSet
	DirtOddPhoneFormat        = "odd-phone-format"                // "555.010.0199", "+44 20 7946 0958", "ext 12"
	DirtGarbagePhone          = "garbage-phone"                   // "call me"
	DirtSameNamePhone         = "same-name-phone-different-email" // one person entered twice?
	DirtNullRooms             = "null-bedrooms-bathrooms"         // UnitBedrooms/UnitBathrooms null
	DirtOrphanedUnit          = "orphaned-unit"                   // unit whose PropertyId has no rental
	DirtMultiTenantLease      = "multi-tenant-lease"              // 2-3 tenants on one lease
	DirtPastLease             = "past-lease"                      // LeaseStatus Past
	DirtFutureLease           = "future-lease"                    // LeaseStatus Future
	DirtEndedButActive        = "ended-but-active-lease"          // LeaseToDate before today, status still Active
	DirtTenantOnSeveralLeases = "tenant-on-several-leases"        // moved between units
	DirtEmergencyIsTenant     = "emergency-contact-is-tenant"     // EmergencyContact.Email is a tenant's email
	DirtSharedEmergency       = "shared-emergency-contact"        // one emergency contact for several tenants
	DirtTaxID                 = "tax-id"                          // TaxId present (national id; never synced by default)
	DirtHostileString         = "hostile-string"                  // terminal escapes, control characters
)

// DirtCategories lists every dirt category, in a stable order.
var DirtCategories = []string{
	DirtSharedEmail, DirtEmailVariant, DirtEmailIsAlternate, DirtInvalidEmail,
	DirtMissingEmail, DirtMissingName, DirtUnicodeName, DirtUncommonPhoneType,
	DirtOddPhoneFormat, DirtGarbagePhone, DirtSameNamePhone, DirtNullRooms,
	DirtOrphanedUnit, DirtMultiTenantLease, DirtPastLease, DirtFutureLease,
	DirtEndedButActive, DirtTenantOnSeveralLeases, DirtEmergencyIsTenant,
	DirtSharedEmergency, DirtTaxID, DirtHostileString,
}

// dirt spoils a share of the clean records. Each tenant-level category is
// guaranteed at least once (on its own reserved tenant, so categories do
// not overwrite each other) and otherwise appears at a realistic rate.
func (b *builder) dirt() {
	n := b.n
	ts := b.p.Tenants
	perm := b.rng.Perm(n)
	slot := 0
	reserved := make([]bool, n) // carries a guaranteed dirt; leave it alone
	emailDone := make([]bool, n)
	forced := func() int {
		i := perm[slot%n]
		slot++
		reserved[i] = true
		return i
	}
	// free picks a random tenant not reserved and different from not.
	free := func(not int, ok func(int) bool) int {
		for range 64 {
			i := b.rng.IntN(n)
			if i != not && !reserved[i] && (ok == nil || ok(i)) {
				return i
			}
		}
		return -1
	}
	rate := func(p float64, apply func(i int)) {
		for i := range n {
			if !reserved[i] && b.chance(p) {
				apply(i)
			}
		}
	}
	hasEmail := func(i int) bool { return !emailDone[i] && ts[i].Email != "" }

	// Units: null bedrooms/bathrooms (reference §9: null, not "NotSet").
	for i := range b.p.Units {
		u := &b.p.Units[i]
		if b.chance(0.03) || i == len(b.p.Units)/2 {
			u.UnitBedrooms = ""
		}
		if b.chance(0.03) {
			u.UnitBathrooms = ""
		}
	}

	// Same name and phone, different email.
	sameNamePhone := func(j int) {
		i := free(j, func(i int) bool { return ts[i].FirstName != "" && ts[i].LastName != "" })
		if i < 0 {
			return
		}
		if len(ts[i].PhoneNumbers) == 0 {
			ts[i].PhoneNumbers = []buildium.PhoneNumber{{Number: b.phone(), Type: "Cell"}}
		}
		reserved[i], reserved[j] = true, true
		emailDone[i], emailDone[j] = true, true
		ts[j].FirstName, ts[j].LastName = ts[i].FirstName, ts[i].LastName
		ts[j].PhoneNumbers = slices.Clone(ts[i].PhoneNumbers)
	}
	if n >= 2 {
		sameNamePhone(forced())
	}
	rate(0.005, sameNamePhone)

	// Households: co-tenants on one lease sharing an email.
	household := false
	for _, li := range b.rng.Perm(len(b.p.Leases)) {
		l := b.p.Leases[li]
		if len(l.Tenants) < 2 || (household && !b.chance(0.04)) {
			continue
		}
		i, j := int(l.Tenants[0].ID-tenantBase-1), int(l.Tenants[1].ID-tenantBase-1)
		if emailDone[i] || emailDone[j] || ts[i].Email == "" {
			continue
		}
		ts[j].Email = ts[i].Email
		emailDone[i], emailDone[j], reserved[i], reserved[j] = true, true, true, true
		household = true
	}

	// Case/space variants of another tenant's email.
	variant := func(j int) {
		i := free(j, hasEmail)
		if i < 0 || emailDone[j] {
			return
		}
		ts[j].Email = "  " + caseVariant(ts[i].Email) + " "
		emailDone[i], emailDone[j], reserved[i] = true, true, true
	}
	variant(forced())
	rate(0.01, variant)

	// A tenant's email is another tenant's alternate email.
	alternate := func(j int) {
		i := free(j, hasEmail)
		if i < 0 {
			return
		}
		ts[j].AlternateEmail = ts[i].Email
		emailDone[i], reserved[i] = true, true
	}
	alternate(forced())
	rate(0.01, alternate)

	setEmail := func(pool func() string) func(int) {
		return func(i int) {
			if !emailDone[i] {
				ts[i].Email, emailDone[i] = pool(), true
			}
		}
	}
	invalid := setEmail(func() string { return pick(b, invalidEmails) })
	invalid(forced())
	rate(0.007, invalid)
	missing := setEmail(func() string { return "" })
	missing(forced())
	rate(0.02, missing)

	missingName := func(i int) {
		switch b.weighted([]float64{0.5, 0.3, 0.2}) {
		case 0:
			ts[i].FirstName = ""
		case 1:
			ts[i].LastName = ""
		default:
			ts[i].FirstName, ts[i].LastName = "", ""
		}
	}
	missingName(forced())
	rate(0.005, missingName)

	// Guarantee each script at least once; the rates are in name().
	for _, names := range [][][2]string{cjkNames, emojiNames, {{accentedFirst[0], accentedLast[0]}}} {
		nm := pick(b, names)
		i := forced()
		ts[i].FirstName, ts[i].LastName = nm[0], nm[1]
	}

	// Phones: every type at least once, odd formats, garbage.
	for _, typ := range PhoneTypes {
		i := forced()
		if !slices.ContainsFunc(ts[i].PhoneNumbers, func(p buildium.PhoneNumber) bool { return p.Type == typ }) {
			ts[i].PhoneNumbers = append(slices.Clone(ts[i].PhoneNumbers), buildium.PhoneNumber{Number: b.phone(), Type: typ})
		}
	}
	spoilPhone := func(render func() string) func(int) {
		return func(i int) {
			ps := slices.Clone(ts[i].PhoneNumbers)
			if len(ps) == 0 {
				ps = []buildium.PhoneNumber{{Type: "Cell"}}
			}
			ps[b.rng.IntN(len(ps))].Number = render()
			ts[i].PhoneNumbers = ps
		}
	}
	odd := spoilPhone(func() string {
		if b.chance(0.25) {
			return pick(b, foreignPhones)
		}
		return fmt.Sprintf(pick(b, oddPhoneFormats), pick(b, areaCodes), fmt.Sprintf("01%02d", b.rng.IntN(100)))
	})
	odd(forced())
	rate(0.03, odd)
	garbage := spoilPhone(func() string { return pick(b, garbagePhones) })
	garbage(forced())
	rate(0.005, garbage)

	// Emergency contacts who are tenants, and shared ones.
	ecIsTenant := func(j int) {
		i := free(j, hasEmail)
		if i < 0 {
			return
		}
		emailDone[i], reserved[i] = true, true
		ec := &buildium.EmergencyContact{
			Name:                    strings.TrimSpace(ts[i].FirstName + " " + ts[i].LastName),
			RelationshipDescription: pick(b, []string{"Roommate", "Spouse", "Partner", "Sibling"}),
			Email:                   ts[i].Email,
		}
		if len(ts[i].PhoneNumbers) > 0 {
			ec.Phone = ts[i].PhoneNumbers[0].Number
		}
		ts[j].EmergencyContact = ec
	}
	ecIsTenant(forced())
	rate(0.02, ecIsTenant)
	sharedEC := func(j int) {
		i := free(j, func(i int) bool { return ts[i].EmergencyContact != nil })
		if i < 0 {
			return
		}
		reserved[i] = true
		ec := *ts[i].EmergencyContact
		ts[j].EmergencyContact = &ec
	}
	sharedEC(forced())
	rate(0.03, sharedEC)

	// Tax ids are common (15%, set in tenants()); make sure one exists.
	if i := forced(); ts[i].TaxID == "" {
		ts[i].TaxID = fmt.Sprintf("%03d-%02d-%04d", 100+b.rng.IntN(800), 1+b.rng.IntN(98), 1+b.rng.IntN(9998))
	}

	// Hostile strings: rare, and only once a portfolio is big enough that
	// a demo of a handful of tenants stays readable.
	hostile := func(i int) {
		s := pick(b, hostileStrings)
		switch b.rng.IntN(4) {
		case 0:
			ts[i].FirstName = s
		case 1:
			ts[i].LastName = s
		case 2:
			ts[i].Comment = s
		default:
			if ts[i].Address != nil {
				a := *ts[i].Address
				a.AddressLine1 = s
				ts[i].Address = &a
			} else {
				ts[i].Comment = s
			}
		}
	}
	if n >= 20 {
		hostile(forced())
		rate(0.001, hostile)
	}
}

// caseVariant writes an address the way people mistype it:
// "jane.doe@example.com" → "Jane.Doe@Example.COM".
func caseVariant(email string) string {
	local, domain, ok := strings.Cut(email, "@")
	if !ok {
		return strings.ToUpper(email)
	}
	parts := strings.Split(local, ".")
	for i, p := range parts {
		if p != "" {
			parts[i] = strings.ToUpper(p[:1]) + p[1:]
		}
	}
	labels := strings.Split(domain, ".")
	for i, l := range labels {
		if l == "" {
			continue
		}
		if i == len(labels)-1 {
			labels[i] = strings.ToUpper(l)
		} else {
			labels[i] = strings.ToUpper(l[:1]) + l[1:]
		}
	}
	return strings.Join(parts, ".") + "@" + strings.Join(labels, ".")
}
