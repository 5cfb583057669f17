// Package buildium is b2h's read-side client for the Buildium Open API v1.
//
// The types in this file mirror the response schemas of Buildium's OpenAPI
// document (../shared/specs/buildium/buildium-openapi.json, see
// reference/buildium-api.md §6). Nullable strings decode to "" (the API sends
// both null and "" for blank text); nullable numbers and booleans are
// pointers so that "unset" and "zero" stay distinct.
package buildium

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// Address is AddressMessage. Country is a CamelCase enum such as "UnitedStates".
type Address struct {
	AddressLine1 string `json:"AddressLine1"`
	AddressLine2 string `json:"AddressLine2"`
	AddressLine3 string `json:"AddressLine3"`
	City         string `json:"City"`
	State        string `json:"State"`
	PostalCode   string `json:"PostalCode"`
	Country      string `json:"Country"`
}

// PhoneNumber is PhoneNumberMessage. Type is one of NotSet, Home, Office,
// Cell, Personal, Fax, Other.
type PhoneNumber struct {
	Number string `json:"Number"`
	Type   string `json:"Type"`
}

// EmergencyContact is EmergencyContactMessage: one per tenant, no id.
type EmergencyContact struct {
	Name                    string `json:"Name"`
	RelationshipDescription string `json:"RelationshipDescription"`
	Phone                   string `json:"Phone"`
	Email                   string `json:"Email"`
}

// Rental is RentalMessage, a rental property (GET /v1/rentals).
type Rental struct {
	ID                     int32    `json:"Id"`
	Name                   string   `json:"Name"`
	StructureDescription   string   `json:"StructureDescription"`
	NumberUnits            int32    `json:"NumberUnits"`
	IsActive               bool     `json:"IsActive"`
	OperatingBankAccountID int32    `json:"OperatingBankAccountId"`
	Reserve                float64  `json:"Reserve"`
	Address                *Address `json:"Address"`
	YearBuilt              *int32   `json:"YearBuilt"`
	RentalType             string   `json:"RentalType"`
	RentalSubType          string   `json:"RentalSubType"`
}

// RentalUnit is RentalUnitMessage (GET /v1/rentals/units).
type RentalUnit struct {
	ID             int32    `json:"Id"`
	PropertyID     int32    `json:"PropertyId"`
	BuildingName   string   `json:"BuildingName"`
	UnitNumber     string   `json:"UnitNumber"`
	Description    string   `json:"Description"`
	MarketRent     *float64 `json:"MarketRent"`
	Address        *Address `json:"Address"`
	UnitBedrooms   string   `json:"UnitBedrooms"`
	UnitBathrooms  string   `json:"UnitBathrooms"`
	UnitSize       *int32   `json:"UnitSize"`
	IsUnitListed   *bool    `json:"IsUnitListed"`
	IsUnitOccupied *bool    `json:"IsUnitOccupied"`
}

// Tenant is TenantMessage, a rental tenant (GET /v1/leases/tenants).
type Tenant struct {
	ID                int32             `json:"Id"`
	FirstName         string            `json:"FirstName"`
	LastName          string            `json:"LastName"`
	Email             string            `json:"Email"`
	AlternateEmail    string            `json:"AlternateEmail"`
	PhoneNumbers      []PhoneNumber     `json:"PhoneNumbers"`
	CreatedDateTime   *DateTime         `json:"CreatedDateTime"`
	EmergencyContact  *EmergencyContact `json:"EmergencyContact"`
	DateOfBirth       string            `json:"DateOfBirth"`
	SMSOptInStatus    string            `json:"SMSOptInStatus,omitempty"`
	Address           *Address          `json:"Address"`
	AlternateAddress  *Address          `json:"AlternateAddress"`
	MailingPreference string            `json:"MailingPreference,omitempty"`
	Leases            []Lease           `json:"Leases"`
	Comment           string            `json:"Comment"`
	TaxID             string            `json:"TaxId"`
}

// TenantContact is the part of a TenantMessage that says who a tenant is
// and how to reach them (see Client.TenantContacts).
type TenantContact struct {
	ID             int32         `json:"Id"`
	FirstName      string        `json:"FirstName"`
	LastName       string        `json:"LastName"`
	Email          string        `json:"Email"`
	AlternateEmail string        `json:"AlternateEmail"`
	PhoneNumbers   []PhoneNumber `json:"PhoneNumbers"`
	// EmergencyContact tells who names whom (an emergency contact can be
	// another tenant).
	EmergencyContact *EmergencyContact `json:"EmergencyContact"`
}

// LeaseTenant is LeaseTenantMessage: every tenant ever on a lease, with status
// MovedOut, Current or Future.
type LeaseTenant struct {
	ID         int32  `json:"Id"`
	Status     string `json:"Status"`
	MoveInDate string `json:"MoveInDate,omitempty"`
}

// MoveOut is LeaseMoveOutDataMessage.
type MoveOut struct {
	TenantID        int32  `json:"TenantId"`
	MoveOutDate     string `json:"MoveOutDate"`
	NoticeGivenDate string `json:"NoticeGivenDate,omitempty"`
}

// AccountDetails is LeaseAccountDetailMessage.
type AccountDetails struct {
	SecurityDeposit *float64 `json:"SecurityDeposit"`
	Rent            *float64 `json:"Rent"`
}

// Lease is LeaseMessage (GET /v1/leases). LeaseStatus is Active, Past or Future.
type Lease struct {
	ID                          int32           `json:"Id"`
	PropertyID                  int32           `json:"PropertyId"`
	UnitID                      int32           `json:"UnitId"`
	UnitNumber                  string          `json:"UnitNumber"`
	LeaseFromDate               string          `json:"LeaseFromDate"`
	LeaseToDate                 string          `json:"LeaseToDate"`
	LeaseType                   string          `json:"LeaseType"`
	LeaseStatus                 string          `json:"LeaseStatus"`
	IsEvictionPending           bool            `json:"IsEvictionPending"`
	TermType                    string          `json:"TermType"`
	CurrentTenants              []Tenant        `json:"CurrentTenants"`
	CurrentNumberOfOccupants    int32           `json:"CurrentNumberOfOccupants"`
	AccountDetails              *AccountDetails `json:"AccountDetails"`
	AutomaticallyMoveOutTenants bool            `json:"AutomaticallyMoveOutTenants"`
	CreatedDateTime             *DateTime       `json:"CreatedDateTime"`
	LastUpdatedDateTime         *DateTime       `json:"LastUpdatedDateTime"`
	MoveOutData                 []MoveOut       `json:"MoveOutData"`
	PaymentDueDay               int32           `json:"PaymentDueDay"`
	Tenants                     []LeaseTenant   `json:"Tenants"`
}

// LeaseSummary is a LeaseMessage without the full records of its current
// tenants (their ids only) and its update times: who is on which unit,
// when, on what terms and at what rent. The nested tenants were most of
// what a page of leases cost to decode (see Client.LeaseSummaries).
type LeaseSummary struct {
	ID             int32           `json:"Id"`
	PropertyID     int32           `json:"PropertyId"`
	UnitID         int32           `json:"UnitId"`
	LeaseFromDate  string          `json:"LeaseFromDate"`
	LeaseToDate    string          `json:"LeaseToDate"`
	LeaseType      string          `json:"LeaseType"`
	LeaseStatus    string          `json:"LeaseStatus"`
	TermType       string          `json:"TermType"`
	AccountDetails *AccountDetails `json:"AccountDetails"`
	CurrentTenants []TenantRef     `json:"CurrentTenants"`
	MoveOutData    []MoveOut       `json:"MoveOutData"`
	Tenants        []LeaseTenant   `json:"Tenants"`
}

// TenantRef is a tenant known by its id only.
type TenantRef struct {
	ID int32 `json:"Id"`
}

// Lease returns the summary as a Lease without CurrentTenants.
func (s *LeaseSummary) Lease() Lease {
	return Lease{ID: s.ID, PropertyID: s.PropertyID, UnitID: s.UnitID, LeaseFromDate: s.LeaseFromDate, LeaseToDate: s.LeaseToDate,
		LeaseType: s.LeaseType, LeaseStatus: s.LeaseStatus, TermType: s.TermType, AccountDetails: s.AccountDetails,
		MoveOutData: s.MoveOutData, Tenants: s.Tenants}
}

// Amenities is RentalFeaturesMessage (GET /v1/rentals/{propertyId}/amenities).
type Amenities struct {
	Features       []string `json:"Features"`
	IncludedInRent []string `json:"IncludedInRent"`
}

// DateTime is a Buildium date-time. The wire format is undocumented
// (reference/buildium-api.md §9): it is parsed leniently (RFC 3339 with or
// without fraction digits, with or without a zone, which then means UTC) and
// written as RFC 3339 in UTC.
type DateTime struct{ time.Time }

var dateTimeLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05.9999999",
	"2006-01-02T15:04:05",
	"2006-01-02 15:04:05",
	"2006-01-02",
}

// ParseDateTime parses a Buildium date-time in any of the accepted layouts.
func ParseDateTime(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	for _, l := range dateTimeLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("buildium: unrecognised date-time %q", s)
}

// UnmarshalJSON implements json.Unmarshaler.
func (d *DateTime) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		return nil
	}
	var s string
	if plain := len(b) >= 2 && b[0] == '"' && b[len(b)-1] == '"' && plainASCII(b[1:len(b)-1]); plain {
		s = string(b[1 : len(b)-1]) // the common case: no escape to decode
	} else if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("buildium: date-time must be a string: %w", err)
	}
	if s == "" {
		return nil
	}
	t, err := ParseDateTime(s)
	if err != nil {
		return err
	}
	d.Time = t
	return nil
}

// plainASCII reports whether b is printable ASCII without a quote or a
// backslash: the inside of a JSON string that reads as it is written.
func plainASCII(b []byte) bool {
	for _, c := range b {
		if c < 0x20 || c >= 0x7f || c == '"' || c == '\\' {
			return false
		}
	}
	return true
}

// MarshalJSON implements json.Marshaler. It must be defined here: the
// embedded time.Time's own MarshalJSON would otherwise be promoted and
// keep the zone and fraction digits.
func (d DateTime) MarshalJSON() ([]byte, error) {
	b := make([]byte, 0, len(time.RFC3339)+2)
	b = append(b, '"')
	b = d.UTC().AppendFormat(b, time.RFC3339)
	return append(b, '"'), nil
}
