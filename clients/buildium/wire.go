package buildium

import "encoding/json"

// The MarshalJSON methods below write blank nullable enums and dates as
// JSON null, the way the API does (reference/buildium-api.md §9: an unset
// UnitBedrooms comes back as null, not "NotSet"). The fields stay plain
// strings in Go, so "" means unset; without these methods an unset enum
// would be written as "", which the OpenAPI document rejects (it is not one
// of the enum values), and an unset date as "", which is not a `date`.
// Decoding needs no counterpart: JSON null leaves a string field "".

// nullIfEmpty returns nil for "" and &s otherwise.
func nullIfEmpty(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// MarshalJSON implements json.Marshaler: blank UnitBedrooms and
// UnitBathrooms are written as null.
func (u RentalUnit) MarshalJSON() ([]byte, error) {
	type wire RentalUnit
	return json.Marshal(struct {
		wire
		UnitBedrooms  *string `json:"UnitBedrooms"`
		UnitBathrooms *string `json:"UnitBathrooms"`
	}{wire(u), nullIfEmpty(u.UnitBedrooms), nullIfEmpty(u.UnitBathrooms)})
}

// MarshalJSON implements json.Marshaler: a blank DateOfBirth is written as
// null.
func (t Tenant) MarshalJSON() ([]byte, error) {
	type wire Tenant
	return json.Marshal(struct {
		wire
		DateOfBirth *string `json:"DateOfBirth"`
	}{wire(t), nullIfEmpty(t.DateOfBirth)})
}

// MarshalJSON implements json.Marshaler: blank LeaseFromDate and
// LeaseToDate (an at-will lease has no end) are written as null.
func (l Lease) MarshalJSON() ([]byte, error) {
	type wire Lease
	return json.Marshal(struct {
		wire
		LeaseFromDate *string `json:"LeaseFromDate"`
		LeaseToDate   *string `json:"LeaseToDate"`
	}{wire(l), nullIfEmpty(l.LeaseFromDate), nullIfEmpty(l.LeaseToDate)})
}
