package buildiumsim

import "b2h/clients/buildium"

// The wire types below mirror buildium.Tenant, Lease and RentalUnit with
// *string for the nullable enums and dates, so that blanks go out as null
// without the MarshalJSON methods of package buildium. Those methods make
// encoding/json re-scan every nested record (4-5× slower on a 1,000-tenant
// page); the simulator serves pages all day, so it renders through these.
// TestWireMatchesBuildiumJSON keeps them byte-for-byte equivalent.

type wireTenant struct {
	ID                int32                      `json:"Id"`
	FirstName         string                     `json:"FirstName"`
	LastName          string                     `json:"LastName"`
	Email             string                     `json:"Email"`
	AlternateEmail    string                     `json:"AlternateEmail"`
	PhoneNumbers      []buildium.PhoneNumber     `json:"PhoneNumbers"`
	CreatedDateTime   *buildium.DateTime         `json:"CreatedDateTime"`
	EmergencyContact  *buildium.EmergencyContact `json:"EmergencyContact"`
	DateOfBirth       *string                    `json:"DateOfBirth"`
	SMSOptInStatus    string                     `json:"SMSOptInStatus,omitempty"`
	Address           *buildium.Address          `json:"Address"`
	AlternateAddress  *buildium.Address          `json:"AlternateAddress"`
	MailingPreference string                     `json:"MailingPreference,omitempty"`
	Leases            []wireLease                `json:"Leases"`
	Comment           string                     `json:"Comment"`
	TaxID             string                     `json:"TaxId"`
}

type wireLease struct {
	ID                          int32                    `json:"Id"`
	PropertyID                  int32                    `json:"PropertyId"`
	UnitID                      int32                    `json:"UnitId"`
	UnitNumber                  string                   `json:"UnitNumber"`
	LeaseFromDate               *string                  `json:"LeaseFromDate"`
	LeaseToDate                 *string                  `json:"LeaseToDate"`
	LeaseType                   string                   `json:"LeaseType"`
	LeaseStatus                 string                   `json:"LeaseStatus"`
	IsEvictionPending           bool                     `json:"IsEvictionPending"`
	TermType                    string                   `json:"TermType"`
	CurrentTenants              []wireTenant             `json:"CurrentTenants"`
	CurrentNumberOfOccupants    int32                    `json:"CurrentNumberOfOccupants"`
	AccountDetails              *buildium.AccountDetails `json:"AccountDetails"`
	AutomaticallyMoveOutTenants bool                     `json:"AutomaticallyMoveOutTenants"`
	CreatedDateTime             *buildium.DateTime       `json:"CreatedDateTime"`
	LastUpdatedDateTime         *buildium.DateTime       `json:"LastUpdatedDateTime"`
	MoveOutData                 []buildium.MoveOut       `json:"MoveOutData"`
	PaymentDueDay               int32                    `json:"PaymentDueDay"`
	Tenants                     []buildium.LeaseTenant   `json:"Tenants"`
}

type wireUnit struct {
	ID             int32             `json:"Id"`
	PropertyID     int32             `json:"PropertyId"`
	BuildingName   string            `json:"BuildingName"`
	UnitNumber     string            `json:"UnitNumber"`
	Description    string            `json:"Description"`
	MarketRent     *float64          `json:"MarketRent"`
	Address        *buildium.Address `json:"Address"`
	UnitBedrooms   *string           `json:"UnitBedrooms"`
	UnitBathrooms  *string           `json:"UnitBathrooms"`
	UnitSize       *int32            `json:"UnitSize"`
	IsUnitListed   *bool             `json:"IsUnitListed"`
	IsUnitOccupied *bool             `json:"IsUnitOccupied"`
}

func null(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func toWireTenant(t buildium.Tenant) wireTenant {
	w := wireTenant{
		ID: t.ID, FirstName: t.FirstName, LastName: t.LastName, Email: t.Email,
		AlternateEmail: t.AlternateEmail, PhoneNumbers: t.PhoneNumbers, CreatedDateTime: t.CreatedDateTime,
		EmergencyContact: t.EmergencyContact, DateOfBirth: null(t.DateOfBirth), SMSOptInStatus: t.SMSOptInStatus,
		Address: t.Address, AlternateAddress: t.AlternateAddress, MailingPreference: t.MailingPreference,
		Comment: t.Comment, TaxID: t.TaxID,
	}
	if t.Leases != nil {
		w.Leases = make([]wireLease, len(t.Leases))
		for i, l := range t.Leases {
			w.Leases[i] = toWireLease(l)
		}
	}
	return w
}

func toWireLease(l buildium.Lease) wireLease {
	w := wireLease{
		ID: l.ID, PropertyID: l.PropertyID, UnitID: l.UnitID, UnitNumber: l.UnitNumber,
		LeaseFromDate: null(l.LeaseFromDate), LeaseToDate: null(l.LeaseToDate), LeaseType: l.LeaseType,
		LeaseStatus: l.LeaseStatus, IsEvictionPending: l.IsEvictionPending, TermType: l.TermType,
		CurrentNumberOfOccupants: l.CurrentNumberOfOccupants, AccountDetails: l.AccountDetails,
		AutomaticallyMoveOutTenants: l.AutomaticallyMoveOutTenants, CreatedDateTime: l.CreatedDateTime,
		LastUpdatedDateTime: l.LastUpdatedDateTime, MoveOutData: l.MoveOutData, PaymentDueDay: l.PaymentDueDay,
		Tenants: l.Tenants,
	}
	if l.CurrentTenants != nil {
		w.CurrentTenants = make([]wireTenant, len(l.CurrentTenants))
		for i, t := range l.CurrentTenants {
			w.CurrentTenants[i] = toWireTenant(t)
		}
	}
	return w
}

func toWireUnit(u buildium.RentalUnit) wireUnit {
	return wireUnit{
		ID: u.ID, PropertyID: u.PropertyID, BuildingName: u.BuildingName, UnitNumber: u.UnitNumber,
		Description: u.Description, MarketRent: u.MarketRent, Address: u.Address,
		UnitBedrooms: null(u.UnitBedrooms), UnitBathrooms: null(u.UnitBathrooms), UnitSize: u.UnitSize,
		IsUnitListed: u.IsUnitListed, IsUnitOccupied: u.IsUnitOccupied,
	}
}
