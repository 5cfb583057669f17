package gen

import (
	"strings"
	"time"
	"unicode"
)

// Census counts the occurrences of each dirt category in p, by looking at
// the records themselves (so it works on generated, mutated and loaded
// portfolios alike). Tenant categories count tenants, unit categories
// units, lease categories leases. It also reports "phone-type:<Type>" for
// each phone type seen.
func Census(p *Portfolio) map[string]int {
	c := make(map[string]int, len(DirtCategories)+len(PhoneTypes))
	for _, k := range DirtCategories {
		c[k] = 0
	}
	asOf := p.AsOf
	if asOf.IsZero() {
		asOf = time.Now().UTC()
	}
	today := asOf.Format(time.DateOnly)

	rentals := make(map[int32]bool, len(p.Rentals))
	for _, r := range p.Rentals {
		rentals[r.ID] = true
	}
	for _, u := range p.Units {
		if u.UnitBedrooms == "" || u.UnitBathrooms == "" {
			c[DirtNullRooms]++
		}
		if !rentals[u.PropertyID] {
			c[DirtOrphanedUnit]++
		}
	}

	leasesOf := make(map[int32]int)
	for _, l := range p.Leases {
		if len(l.Tenants) >= 2 {
			c[DirtMultiTenantLease]++
		}
		switch l.LeaseStatus {
		case StatusPast:
			c[DirtPastLease]++
		case StatusFuture:
			c[DirtFutureLease]++
		case StatusActive:
			if l.LeaseToDate != "" && l.LeaseToDate < today {
				c[DirtEndedButActive]++
			}
		}
		for _, lt := range l.Tenants {
			leasesOf[lt.ID]++
		}
	}

	raw := make(map[string]int)         // exact Email → tenants
	norm := make(map[string]int)        // normalised Email → tenants
	alternates := make(map[string]int)  // normalised AlternateEmail → tenants
	namePhone := make(map[string][]int) // name|phone digits → tenant indexes
	ecs := make(map[string]int)         // emergency contact key → tenants
	for _, t := range p.Tenants {
		if t.Email != "" {
			raw[t.Email]++
			norm[NormalizeEmail(t.Email)]++
		}
		if a := NormalizeEmail(t.AlternateEmail); a != "" {
			alternates[a]++
		}
		if ec := t.EmergencyContact; ec != nil {
			if k := ecKey(ec.Name, ec.Email, ec.Phone); k != "" {
				ecs[k]++
			}
		}
	}
	for i, t := range p.Tenants {
		e := NormalizeEmail(t.Email)
		switch {
		case e == "":
			c[DirtMissingEmail]++
		case !ValidEmail(e):
			c[DirtInvalidEmail]++
		}
		if t.Email != "" && raw[t.Email] > 1 {
			c[DirtSharedEmail]++
		}
		if t.Email != "" && t.Email != e && norm[e] > 1 {
			c[DirtEmailVariant]++
		}
		if n := alternates[e]; e != "" && n > 0 && (n > 1 || NormalizeEmail(t.AlternateEmail) != e) {
			c[DirtEmailIsAlternate]++
		}
		first, last := strings.TrimSpace(t.FirstName), strings.TrimSpace(t.LastName)
		if first == "" || last == "" {
			c[DirtMissingName]++
		}
		if nonASCII(first) || nonASCII(last) {
			c[DirtUnicodeName]++
		}
		uncommon, odd, garbage := false, false, false
		for _, ph := range t.PhoneNumbers {
			c["phone-type:"+ph.Type]++
			switch ph.Type {
			case "Personal", "Fax", "Other", "NotSet":
				uncommon = true
			}
			d := digits(ph.Number)
			switch {
			case len(d) < 7:
				garbage = true
			case !usFormat(ph.Number):
				odd = true
			}
			if first != "" && last != "" && len(d) >= 7 {
				k := strings.ToLower(first) + "|" + strings.ToLower(last) + "|" + d
				namePhone[k] = append(namePhone[k], i)
			}
		}
		if uncommon {
			c[DirtUncommonPhoneType]++
		}
		if odd {
			c[DirtOddPhoneFormat]++
		}
		if garbage {
			c[DirtGarbagePhone]++
		}
		if leasesOf[t.ID] > 1 {
			c[DirtTenantOnSeveralLeases]++
		}
		if ec := t.EmergencyContact; ec != nil {
			if ee := NormalizeEmail(ec.Email); ee != "" && norm[ee] > 0 && (norm[ee] > 1 || ee != e) {
				c[DirtEmergencyIsTenant]++
			}
			if k := ecKey(ec.Name, ec.Email, ec.Phone); k != "" && ecs[k] > 1 {
				c[DirtSharedEmergency]++
			}
		}
		if t.TaxID != "" {
			c[DirtTaxID]++
		}
		if hostile(t.FirstName, t.LastName, t.Email, t.Comment) || (t.Address != nil && hostile(t.Address.AddressLine1)) ||
			(t.EmergencyContact != nil && hostile(t.EmergencyContact.Name)) {
			c[DirtHostileString]++
		}
	}
	same := make(map[int]bool)
	for _, idx := range namePhone {
		emails := make(map[string]bool)
		for _, i := range idx {
			emails[NormalizeEmail(p.Tenants[i].Email)] = true
		}
		if len(emails) > 1 {
			for _, i := range idx {
				same[i] = true
			}
		}
	}
	c[DirtSameNamePhone] = len(same)
	return c
}

// NormalizeEmail trims and lower-cases an address, the form b2h compares
// and sends.
func NormalizeEmail(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// ValidEmail is a deliberately plain check of a normalised address: one
// "@", a non-empty local part, a dotted domain, no spaces.
func ValidEmail(e string) bool {
	local, domain, ok := strings.Cut(e, "@")
	if !ok || local == "" || strings.ContainsAny(domain, "@") || strings.ContainsAny(e, " \t") {
		return false
	}
	dot := strings.LastIndexByte(domain, '.')
	return dot > 0 && dot < len(domain)-1
}

func ecKey(name, email, phone string) string {
	if e := NormalizeEmail(email); e != "" {
		return e
	}
	n := strings.ToLower(strings.TrimSpace(name))
	if n == "" {
		return ""
	}
	return n + "|" + digits(phone)
}

func digits(s string) string {
	var sb strings.Builder
	for _, r := range s {
		if r >= '0' && r <= '9' {
			sb.WriteRune(r)
		}
	}
	return sb.String()
}

// usFormat reports whether s is exactly "(AAA) NNN-NNNN".
func usFormat(s string) bool {
	if len(s) != 14 || s[0] != '(' || s[4] != ')' || s[5] != ' ' || s[9] != '-' {
		return false
	}
	return len(digits(s)) == 10
}

func nonASCII(s string) bool {
	for _, r := range s {
		if r > unicode.MaxASCII {
			return true
		}
	}
	return false
}

// hostile reports whether any string holds a control character (which
// includes the ESC of terminal escape sequences).
func hostile(ss ...string) bool {
	for _, s := range ss {
		for _, r := range s {
			if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) {
				return true
			}
		}
	}
	return false
}
