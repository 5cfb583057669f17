package mapping

import (
	"reflect"
	"strings"
	"testing"

	"b2h/clients/buildium"
)

// portalListingTypes are hs_listing_type's options in a portal where
// someone edited them: multi-family renamed, condos removed, duplex added.
var portalListingTypes = []Option{
	{Label: "House", Value: "house"}, {Label: "Townhouse", Value: "townhouse"},
	{Label: "Multi-family", Value: "multifamily"}, {Label: "Duplex", Value: "Duplex"},
}

func TestFitOptions(t *testing.T) {
	m := Default(Options{})
	fits := m.FitOptions(TargetListings, map[string][]Option{
		"hs_listing_type":      portalListingTypes,
		"buildium_record_type": {{Label: "Other", Value: "other"}}, // b2h's own: not fitted
	})
	want := []OptionFit{{Target: TargetListings, Property: "hs_listing_type", Fallback: "buildium_listing_type", Missing: []string{"condos_co_ops"}}}
	if !reflect.DeepEqual(fits, want) {
		t.Fatalf("FitOptions = %+v, want %+v", fits, want)
	}
	if !hasDef(m.Properties(TargetListings), "buildium_listing_type") || hasDef(Default(Options{}).Properties(TargetListings), "buildium_listing_type") {
		t.Error("the fallback property is listed after FitOptions, and only then")
	}
	tests := []struct {
		subType            string
		wantType, wantKept string
		warn, wantTypeSent bool
	}{
		{subType: "SingleFamily", wantType: "house", wantTypeSent: true},
		{subType: "MultiFamily", wantType: "multifamily", wantTypeSent: true}, // multi_family ~ "Multi-family"
		{subType: "CondoTownhome", wantKept: "condos_co_ops", warn: true},
		{subType: "Industrial"}, // no option fits in b2h's own table: nothing sent, no warning
	}
	for _, tt := range tests {
		r := m.Rental(buildium.Rental{ID: 5, Name: "Oak", RentalSubType: tt.subType}, nil, nil)
		got, sent := r.Properties["hs_listing_type"]
		if sent != tt.wantTypeSent || got != tt.wantType {
			t.Errorf("%s: hs_listing_type = %q (sent %v), want %q", tt.subType, got, sent, tt.wantType)
		}
		if kept, ok := r.Properties["buildium_listing_type"]; !ok || kept != tt.wantKept {
			t.Errorf("%s: buildium_listing_type = %q (%v), want %q", tt.subType, kept, ok, tt.wantKept)
		}
		if !r.Valid() || (len(r.WarningDetails) == 1) != tt.warn {
			t.Errorf("%s: errors %v warnings %v", tt.subType, r.Errors, r.Warnings)
		}
		if tt.warn {
			w := r.WarningDetails[0]
			want := `property 5 (Oak): listing type "condos_co_ops" is not an option of hs_listing_type in this portal; it was kept in buildium_listing_type — add the option in HubSpot (Settings › Properties › hs_listing_type) to use it`
			if w.Reveal() != want || w.Rule != "option" || w.Severity != SeverityWarning {
				t.Errorf("warning:\n got %s\nwant %s", w.Reveal(), want)
			}
		}
		if r.Hash != Hash(r.Target, r.Properties) {
			t.Errorf("%s: hash", tt.subType)
		}
	}
	// Other targets are untouched, and a second call replaces the first.
	if r := m.Tenant(baseTenant()); len(r.Warnings) != 0 {
		t.Errorf("tenant warnings %v", r.Warnings)
	}
	all := append(portalListingTypes[:len(portalListingTypes):len(portalListingTypes)], Option{Label: "Condos", Value: "condos_co_ops"})
	if fits := m.FitOptions(TargetListings, map[string][]Option{"hs_listing_type": all}); len(fits) != 1 || fits[0].Fallback != "" || fits[0].Missing != nil {
		t.Errorf("every value fits: %+v", fits)
	}
	if hasDef(m.Properties(TargetListings), "buildium_listing_type") {
		t.Error("no fallback when every value fits")
	}
	if r := m.Rental(buildium.Rental{ID: 5, Name: "Oak", RentalSubType: "CondoTownhome"}, nil, nil); r.Properties["hs_listing_type"] != "condos_co_ops" || len(r.Warnings) != 0 {
		t.Errorf("fits now: %v %v", r.Properties, r.Warnings)
	}
}

func TestFitOptionsFreeText(t *testing.T) {
	src := "entities:\n  tenants:\n    fields:\n      - {source: MailingPreference, target: hs_lead_status}\n"
	m, err := Load(strings.NewReader(src), "m.yaml", nil)
	if err != nil {
		t.Fatal(err)
	}
	fits := m.FitOptions(TargetContacts, map[string][]Option{"hs_lead_status": {{Label: "New", Value: "NEW"}, {Label: "Open deal", Value: "OPEN_DEAL"}}})
	if len(fits) != 1 || fits[0].Fallback != "buildium_lead_status" || fits[0].Missing != nil {
		t.Fatalf("free text always has a fallback: %+v", fits)
	}
	tests := []struct{ in, sent, kept string }{
		{"NEW", "NEW", ""}, {"new", "NEW", ""}, {"Open deal", "OPEN_DEAL", ""}, {"open-deal", "OPEN_DEAL", ""},
		{"NEW;open deal", "NEW;OPEN_DEAL", ""}, {"Paper", "", "Paper"}, {"NEW;Paper", "", "NEW;Paper"}, {"", "", ""},
	}
	for _, tt := range tests {
		tn := baseTenant()
		tn.MailingPreference = tt.in
		r := m.Tenant(tn)
		if r.Properties["hs_lead_status"] != tt.sent || r.Properties["buildium_lead_status"] != tt.kept {
			t.Errorf("%q: sent %q kept %q, want %q and %q", tt.in, r.Properties["hs_lead_status"], r.Properties["buildium_lead_status"], tt.sent, tt.kept)
		}
		if (tt.kept != "") != (len(r.Warnings) == 1) {
			t.Errorf("%q: warnings %v", tt.in, r.Warnings)
		}
	}
	// The clone of a fitted mapping fits the same way.
	tn := baseTenant()
	tn.MailingPreference = "Paper"
	if r := m.Clone().Tenant(tn); r.Properties["buildium_lead_status"] != "Paper" {
		t.Error("Clone lost the fit")
	}
}
