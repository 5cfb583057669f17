package mapping

import (
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"strings"

	"b2h/clients/buildium"
)

func id(n int32) string { return strconv.FormatInt(int64(n), 10) }

// Tenant maps a Buildium tenant to a contact keyed by buildium_tenant_id.
// An invalid email is left off with a warning and the contact still lands;
// a tenant with neither a usable email nor a name comes back with Errors
// and must not be sent.
func (m *Mapping) Tenant(t buildium.Tenant) Record {
	return m.mapRecord(tenantCtx(&t), &input{tenant: &t})
}

func tenantCtx(t *buildium.Tenant) recordCtx {
	return recordCtx{entity: Tenants, sourceID: id(t.ID), name: singleLine(t.FirstName + " " + t.LastName),
		where: "Rentals › Tenants › {record}", at: "tenant " + id(t.ID)}
}

// Rental maps a rental property to a listing keyed by buildium_property_id.
// am is the property's amenities (GET /v1/rentals/{id}/amenities), nil when
// not fetched; minMarketRent is the lowest MarketRent of its units
// (MinMarketRent), nil when none has one.
func (m *Mapping) Rental(r buildium.Rental, am *buildium.Amenities, minMarketRent *float64) Record {
	return m.mapRecord(recordCtx{
		entity: Properties, sourceID: id(r.ID), name: strings.TrimSpace(r.Name), where: "Rentals › Properties › {record}",
		at: "property " + id(r.ID),
	}, &input{rental: &r, amenities: am, minRent: minMarketRent})
}

// Unit maps a rental unit, keyed by buildium_unit_id, to a `unit` record,
// or — when the mapping's UnitTarget is listings — to a listing with
// buildium_record_type = unit; either is named by UnitName. propertyName is
// the name of the unit's rental property ("" if unknown). UnitRecord also
// takes the property's street.
func (m *Mapping) Unit(u buildium.RentalUnit, propertyName string) Record {
	rec := m.unitFields(u, UnitProperty{Name: propertyName})
	rec.Hash = hashOrdered(rec.Target, rec.Properties, m.hashOrder(Units, false))
	return rec
}

// UnitWithLease is UnitRecord with only the property's name known.
func (m *Mapping) UnitWithLease(u buildium.RentalUnit, propertyName string, active *buildium.Lease) Record {
	return m.UnitRecord(u, UnitProperty{Name: propertyName}, active)
}

// UnitRecord is the unit record b2h writes: unit u of property p (see
// PropertyOf), named by UnitName, with the fields of the unit's current
// lease set over it (LeaseFields; nil clears them, so a lease that ended no
// longer shows), the same as Unit then SetProperties, hashed once.
func (m *Mapping) UnitRecord(u buildium.RentalUnit, p UnitProperty, active *buildium.Lease) Record {
	rec := m.unitFields(u, p)
	lr := m.leaseRecord(active)
	rec.setProperties(lr.Properties)
	// The lease's warnings are the unit record's: it carries the values.
	for _, ve := range lr.WarningDetails {
		ve.Entity, ve.SourceID, ve.Name = rec.Entity, rec.SourceID, rec.Name
		rec.warn(ve)
	}
	rec.Hash = hashOrdered(rec.Target, rec.Properties, m.hashOrder(Units, true))
	return rec
}

func (m *Mapping) unitFields(u buildium.RentalUnit, p UnitProperty) Record {
	return m.mapFields(recordCtx{
		entity: Units, sourceID: id(u.ID), name: UnitName(u, p), at: "unit " + id(u.ID),
		where: "Rentals › Properties › " + strings.ReplaceAll(singleLine(Sanitize(p.Name)), "{", "(") + " › Units › {record}",
	}, &input{unit: &u, property: p})
}

// EmergencyContact maps a tenant's emergency contact to a contact, or
// returns false when the tenant has none (no EmergencyContact, or one whose
// name, email and phone are all blank). The record's key comes from
// EmergencyContactKey, so the same person listed by several tenants is one
// record; the engine de-duplicates records by Key before sending and
// associates the contact with each tenant under LabelEmergencyContact.
//
// An emergency contact whose email is also a tenant's email is the same
// person as that tenant (DESIGN.md §2). Its record carries that email in
// Properties["email"]; the engine must detect the match (HubSpot would
// answer 409, reference/hubspot-api.md §3) and associate the tenant's own
// contact instead of sending this record.
func (m *Mapping) EmergencyContact(t buildium.Tenant) (Record, bool) {
	ec := t.EmergencyContact
	if ec == nil || strings.TrimSpace(ec.Name+ec.Email+ec.Phone) == "" {
		return Record{}, false
	}
	key := EmergencyContactKey(t.ID, ec)
	return m.mapRecord(recordCtx{
		entity: EmergencyContacts, sourceID: key, name: strings.Join(strings.Fields(ec.Name), " "),
		where: "Rentals › Tenants › tenant " + id(t.ID) + " › Emergency contact", at: "tenant " + id(t.ID) + " › Emergency contact",
	}, &input{tenant: &t, ec: ec, ecKey: key}), true
}

// EmergencyContactKey returns the value of buildium_emergency_contact_id,
// the unique key of an emergency contact. Buildium gives emergency contacts
// no id (reference/buildium-api.md §6), so b2h derives one:
//
//   - "email-" + the first 32 hex digits of SHA-256 of the normalised
//     email, when the contact has a valid email. Every tenant that lists
//     the same address (in any case or spacing) yields the same key, so
//     they share one contact. The address is hashed so that the key, which
//     appears in state, logs and reports, does not carry it.
//   - "tenant-" + the tenant id otherwise. Without an email there is no
//     safe way to tell two people apart (names and phones are shared and
//     mistyped), so each tenant's contact stays separate; the duplicate
//     check may still propose a merge to a person.
//
// The key changes when an email is added, changed or fixed: the engine
// should then move the existing contact to the new key (it knows the
// contact from its state under the tenant) rather than create another.
func EmergencyContactKey(tenantID int32, ec *buildium.EmergencyContact) string {
	if sum, ok := EmergencyContactSum(ec); ok {
		return EmailKey(sum)
	}
	return TenantKey(tenantID)
}

// EmergencyContactSum is the hash an "email-" key carries (see
// EmergencyContactKey), and false when the contact has no valid email: its
// key is then TenantKey of the naming tenant.
func EmergencyContactSum(ec *buildium.EmergencyContact) (sum [16]byte, ok bool) {
	if ec == nil {
		return sum, false
	}
	e := NormalizeEmail(ec.Email)
	if !ValidEmail(e) {
		return sum, false
	}
	full := sha256.Sum256([]byte(e))
	return [16]byte(full[:16]), true
}

// EmailKey is the key of an emergency contact whose email hashes to sum.
func EmailKey(sum [16]byte) string { return "email-" + hex.EncodeToString(sum[:]) }

// TenantKey is the key of tenant id's emergency contact when it has no
// valid email.
func TenantKey(tenantID int32) string { return "tenant-" + id(tenantID) }

// MinMarketRent returns the lowest positive MarketRent among units, the
// value of buildium_base_rent_amount, or nil when no unit has one. Zero is
// ignored: Buildium has been seen sending 0.0 for an unset rent
// (reference/buildium-api.md §9).
func MinMarketRent(units []buildium.RentalUnit) *float64 {
	var lowest *float64
	for i := range units {
		if r := units[i].MarketRent; r != nil && *r > 0 && (lowest == nil || *r < *lowest) {
			v := *r
			lowest = &v
		}
	}
	return lowest
}
