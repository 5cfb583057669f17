package gen

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"b2h/clients/buildium"
)

// Phone types (PhoneNumberMessage.Type, reference/buildium-api.md §8).
var PhoneTypes = []string{"NotSet", "Home", "Office", "Cell", "Personal", "Fax", "Other"}

var phoneTypeWeights = []float64{0.03, 0.22, 0.13, 0.45, 0.07, 0.05, 0.05}

// tenants creates the tenant records planned by leases(): clean,
// plausible people living at their lease's unit. dirt() spoils some.
func (b *builder) tenants() {
	b.p.Tenants = make([]buildium.Tenant, b.n)
	b.emails = make(map[string]bool, b.n)
	for i := range b.n {
		t := &b.p.Tenants[i]
		t.ID = tenantID(i)
		t.FirstName, t.LastName = b.name()
		t.Email = b.email(t.FirstName, t.LastName, t.ID)
		t.PhoneNumbers = b.phones()

		home := b.p.Leases[b.home[i]]
		if ui := int(home.UnitID - unitBase - 1); ui >= 0 && ui < len(b.p.Units) && b.p.Units[ui].Address != nil {
			addr := *b.p.Units[ui].Address
			t.Address = &addr
		}
		first := b.p.Leases[b.tenantLeases[i][0]].CreatedDateTime.Time
		for _, li := range b.tenantLeases[i][1:] {
			if c := b.p.Leases[li].CreatedDateTime.Time; c.Before(first) {
				first = c
			}
		}
		created := first.Add(-time.Duration(b.rng.IntN(3*86400)) * time.Second)
		t.CreatedDateTime = dt(created)
		if !b.chance(0.2) {
			t.DateOfBirth = date(time.Date(1950+b.rng.IntN(55), time.Month(1+b.rng.IntN(12)), 1+b.rng.IntN(28), 0, 0, 0, 0, time.UTC))
		}
		if b.chance(0.6) {
			t.SMSOptInStatus = pick(b, smsStatuses)
		}
		t.MailingPreference = "PrimaryAddress"
		if b.chance(0.05) {
			alt := b.address()
			t.AlternateAddress = &alt
			if b.chance(0.5) {
				t.MailingPreference = "AlternateAddress"
			}
		}
		if b.chance(0.1) {
			t.Comment = pick(b, comments)
		}
		if b.chance(0.1) {
			t.AlternateEmail = b.email(t.FirstName, t.LastName+"work", t.ID)
		}
		if !b.chance(0.15) {
			t.EmergencyContact = b.emergencyContact()
		}
		if b.chance(0.15) {
			t.TaxID = fmt.Sprintf("%03d-%02d-%04d", 100+b.rng.IntN(800), 1+b.rng.IntN(98), 1+b.rng.IntN(9998))
		}
		b.p.Touch(KindTenant, t.ID, b.between(created, b.now.Add(-time.Minute)))
	}
}

func (b *builder) name() (first, last string) {
	switch r := b.rng.Float64(); {
	case r < 0.01:
		n := pick(b, cjkNames)
		return n[0], n[1]
	case r < 0.015:
		n := pick(b, emojiNames)
		return n[0], n[1]
	case r < 0.06:
		return pick(b, accentedFirst), pick(b, lastNames)
	case r < 0.10:
		return pick(b, firstNames), pick(b, accentedLast)
	}
	return pick(b, firstNames), pick(b, lastNames)
}

// email makes a unique, valid address from a name.
func (b *builder) email(first, last string, id int32) string {
	f, l := fold(first), fold(last)
	var local string
	switch {
	case f == "" && l == "":
		local = "tenant" + strconv.Itoa(int(id))
	case f == "" || l == "":
		local = f + l
	default:
		local = []string{f + "." + l, f + l, f[:1] + "." + l, f + "_" + l}[b.rng.IntN(4)]
	}
	domain := pick(b, emailDomains)
	e := local + "@" + domain
	for n := 2; b.emails[e]; n++ {
		e = local + strconv.Itoa(n) + "@" + domain
	}
	b.emails[e] = true
	return e
}

// fold lower-cases s and keeps ASCII letters and digits, mapping common
// accented letters to their base letter.
func fold(s string) string {
	var sb strings.Builder
	for _, r := range strings.ToLower(s) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			sb.WriteRune(r)
		default:
			if a, ok := asciiOf[r]; ok {
				sb.WriteString(a)
			}
		}
	}
	return sb.String()
}

var asciiOf = map[rune]string{
	'á': "a", 'à': "a", 'â': "a", 'ä': "a", 'ã': "a", 'å': "a", 'æ': "ae", 'ç': "c",
	'é': "e", 'è': "e", 'ê': "e", 'ë': "e", 'í': "i", 'ì': "i", 'î': "i", 'ï': "i",
	'ñ': "n", 'ó': "o", 'ò': "o", 'ô': "o", 'ö': "o", 'õ': "o", 'ø': "o", 'ú': "u",
	'ù': "u", 'û': "u", 'ü': "u", 'ý': "y", 'ł': "l", 'ş': "s", 'š': "s", 'ř': "r",
	'ć': "c", 'ę': "e", 'ą': "a", 'ễ': "e", 'ọ': "o", 'ğ': "g",
}

// phone renders a fictional US number in the common Buildium format.
func (b *builder) phone() string {
	return fmt.Sprintf("(%s) 555-01%02d", pick(b, areaCodes), b.rng.IntN(100))
}

func (b *builder) phones() []buildium.PhoneNumber {
	n := b.weighted([]float64{0.05, 0.55, 0.30, 0.10})
	if n == 0 {
		return nil
	}
	var out []buildium.PhoneNumber
	seen := map[string]bool{}
	for len(out) < n {
		typ := PhoneTypes[b.weighted(phoneTypeWeights)]
		if seen[typ] {
			continue
		}
		seen[typ] = true
		out = append(out, buildium.PhoneNumber{Number: b.phone(), Type: typ})
	}
	return out
}

func (b *builder) emergencyContact() *buildium.EmergencyContact {
	first, last := pick(b, firstNames), pick(b, lastNames)
	ec := &buildium.EmergencyContact{
		Name:                    first + " " + last,
		RelationshipDescription: pick(b, relationships),
		Phone:                   b.phone(),
	}
	if b.chance(0.7) {
		ec.Email = b.email(first, last, 0)
	}
	return ec
}
