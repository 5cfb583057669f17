package state

import (
	"errors"
	"sync"
)

// fieldNames is the dictionary of HubSpot property names that sealed field maps
// (snapshots, audit changes, decision fields) store as a one-byte index instead
// of the name: a tenant snapshot shrinks by about a third, and decoding them
// allocates no key strings.
//
// APPEND ONLY: stored records refer to names by position. Never reorder,
// remove or rename an entry; names missing here are stored literally.
var fieldNames = [...]string{
	// contacts (tenants, emergency contacts)
	"buildium_tenant_id", "firstname", "lastname", "email", "buildium_alternate_email", "phone",
	"mobilephone", "date_of_birth", "address", "city", "state", "zip", "country", "buildium_created_at",
	"buildium_comment", "buildium_emergency_contact_of", "buildium_relationship", "hs_marketable_status",
	// listings (properties, and units on accounts without custom objects)
	"buildium_property_id", "hs_name", "hs_address_1", "hs_address_2", "hs_city", "hs_state_province",
	"hs_zip", "buildium_total_units", "hs_year_built", "buildium_property_type", "hs_listing_type",
	"buildium_amenities", "buildium_base_rent_amount", "buildium_record_type",
	// units
	"buildium_unit_id", "unit_number", "bedrooms", "bathrooms", "square_feet", "market_rent",
	"unit_description", "occupancy_status", "listing_status", "current_lease_start", "current_lease_end",
	"current_rent",
	// leases and associations
	"buildium_lease_id", "lease_status", "association_label",
}

// fieldIndex maps a dictionary name to its position + 1.
var fieldIndex = func() map[string]uint64 {
	m := make(map[string]uint64, len(fieldNames))
	for i, n := range fieldNames {
		m[n] = uint64(i) + 1
	}
	return m
}()

// sealedFormat is the first byte of every sealed field map's plaintext.
const sealedFormat = 1

// fieldName writes a field name as its dictionary index + 1, or 0 and the literal.
func (e *encoder) fieldName(name string) {
	if i, ok := fieldIndex[name]; ok {
		e.uvarint(i)
		return
	}
	e.uvarint(0)
	e.str(name)
}

func (d *decoder) fieldName() string {
	i := d.uvarint()
	switch {
	case d.err != nil:
		return ""
	case i == 0:
		return d.str()
	case i > uint64(len(fieldNames)):
		d.fail(errors.New("unknown field name index"))
		return ""
	}
	return fieldNames[i-1]
}

// fieldMap encodes a field → value map (dictionary names) for sealing, in
// the map's own order: it is read back into a map, and the sealed bytes
// differ at every write anyway (a fresh nonce), so sorting the keys was
// work for nothing (a fifth of a full sync's state preparation).
func fieldMap(m map[string]string) []byte {
	return appendFieldMap(nil, m)
}

// appendFieldMap appends fieldMap(m) to b.
func appendFieldMap(b []byte, m map[string]string) []byte {
	e := encoder{b: b}
	e.byte1(sealedFormat)
	e.uvarint(uint64(len(m)))
	for k, v := range m {
		e.fieldName(k)
		e.str(v)
	}
	return e.b
}

// sealFieldMap seals fieldMap(m), encoding it in a pooled buffer: seal
// copies what it encrypts.
func (s *sealer) sealFieldMap(aad string, m map[string]string) ([]byte, error) {
	buf := fieldMapBufs.Get().(*[]byte)
	*buf = appendFieldMap((*buf)[:0], m)
	sealed, err := s.seal(aad, *buf)
	if cap(*buf) <= 1<<16 {
		fieldMapBufs.Put(buf)
	}
	return sealed, err
}

var fieldMapBufs = sync.Pool{New: func() any { b := make([]byte, 0, 1024); return &b }}

// decodeFieldMap decodes what fieldMap encoded.
func decodeFieldMap(b []byte) (map[string]string, error) {
	d := decoder{b: b}
	d.version(sealedFormat)
	n := d.count()
	if d.err != nil {
		return nil, d.err
	}
	m := make(map[string]string, n)
	for i := 0; i < n && d.err == nil; i++ {
		k := d.fieldName()
		m[k] = d.str()
	}
	return m, d.err
}
