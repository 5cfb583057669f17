package tui

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"b2h/clients/buildium"
	"b2h/state"
	"b2h/sync"
	"b2h/sync/mapping"
)

// testNow is the fixed clock of model and golden tests.
var testNow = time.Date(2026, 11, 2, 9, 30, 0, 0, time.UTC)

// kp builds a key press the way the terminal reports it.
func kp(s string) tea.KeyPressMsg {
	special := map[string]tea.Key{
		"enter": {Code: tea.KeyEnter}, "tab": {Code: tea.KeyTab}, "esc": {Code: tea.KeyEscape},
		"up": {Code: tea.KeyUp}, "down": {Code: tea.KeyDown}, "left": {Code: tea.KeyLeft}, "right": {Code: tea.KeyRight},
		"shift+tab": {Code: tea.KeyTab, Mod: tea.ModShift}, "space": {Code: tea.KeySpace, Text: " "},
		"ctrl+c": {Code: 'c', Mod: tea.ModCtrl}, "backspace": {Code: tea.KeyBackspace},
	}
	if k, ok := special[s]; ok {
		return tea.KeyPressMsg(k)
	}
	r := []rune(s)
	return tea.KeyPressMsg{Code: r[0], Text: s}
}

// openStore opens a throwaway state file.
func openStore(t testing.TB) *state.Store {
	t.Helper()
	st, err := state.Open(state.Options{Path: filepath.Join(t.TempDir(), "state.db"), NoSync: true, Keys: state.NewMemoryKeyStore()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	return st
}

// fixedPathStore reports a fixed path, so screens that show it are stable.
type fixedPathStore struct{ *state.Store }

func (fixedPathStore) Path() string { return "/home/consultant/.local/state/b2h/state.db" }

// testDeps are dependencies for model tests: a real state file, a fixed
// clock, and a Connect that must not be reached unless a test sets one.
func testDeps(t testing.TB) Deps {
	return Deps{
		Credentials: Credentials{BuildiumURL: "https://api.buildium.com", HubSpotURL: "https://api.hubapi.com"},
		Sources:     map[string]Source{},
		Connect: func(context.Context, Credentials) (*Accounts, error) {
			t.Error("Connect called unexpectedly")
			return nil, context.Canceled
		},
		Store:   fixedPathStore{openStore(t)},
		Now:     func() time.Time { return testNow },
		NoColor: true,
	}
}

// newTestModel returns a root model sized w×h.
func newTestModel(t testing.TB, d Deps, w, h int) Model {
	t.Helper()
	m := New(context.Background(), d)
	next, _ := m.Update(tea.WindowSizeMsg{Width: w, Height: h})
	return next.(Model)
}

// send applies msgs in order and returns the model and the last Cmd.
func send(m Model, msgs ...tea.Msg) (Model, tea.Cmd) {
	var cmd tea.Cmd
	for _, msg := range msgs {
		var next tea.Model
		next, cmd = m.Update(msg)
		m = next.(Model)
	}
	return m, cmd
}

// press sends key presses by name.
func press(m Model, keys ...string) (Model, tea.Cmd) {
	msgs := make([]tea.Msg, len(keys))
	for i, k := range keys {
		msgs[i] = kp(k)
	}
	return send(m, msgs...)
}

// exec runs a Cmd that must answer at once (navigation, results of fakes)
// and returns its message; batches are flattened, ticks are not run.
func exec(t testing.TB, cmd tea.Cmd) []tea.Msg {
	t.Helper()
	if cmd == nil {
		return nil
	}
	done := make(chan tea.Msg, 1)
	go func() { done <- cmd() }()
	select {
	case msg := <-done:
		if b, ok := msg.(tea.BatchMsg); ok {
			var out []tea.Msg
			for _, c := range b {
				out = append(out, exec(t, c)...)
			}
			return out
		}
		return []tea.Msg{msg}
	case <-time.After(150 * time.Millisecond):
		return nil // a tick or a wait: not an immediate answer
	}
}

// screenText is what the person sees: the full frame without styling.
func screenText(m Model) string { return ansi.Strip(m.render()) }

// connected puts the model past Connect and Check with a fixed account.
func connected(t testing.TB, m Model, mode string) Model {
	t.Helper()
	m.sess.connected(&Accounts{PortalID: "12345678", BuildiumHost: "api.buildium.com"})
	res := sync.AccountChecked{PortalID: "12345678", Tier: "professional", ListingsEnabled: true, UnitMode: mode,
		UnitReason:     "custom objects need HubSpot Enterprise (this account looks professional): units become listings with buildium_record_type = unit",
		DailyRemaining: 249_000, RatePer10s: 190, Scopes: []string{"a", "b", "c", "d", "e", "f", "g", "h", "i"}}
	if mode == sync.UnitCustomObject {
		res.Tier, res.CustomObjects, res.UnitReason = "enterprise", true, "Enterprise accounts have custom objects: b2h creates the \"unit\" object"
	}
	m.sess.check = &res
	var err error
	if m.sess.mapping, err = accountMapping(res, m.sess.deps.MappingOverride); err != nil {
		t.Fatal(err)
	}
	return m
}

// testSamples are a few hand-made Buildium records.
func testSamples() samples {
	rent, size := 1450.0, int32(720)
	year := int32(1987)
	occupied, listed := true, false
	return samples{
		rentals: []buildium.Rental{{ID: 1001, Name: "Maple Court", NumberUnits: 12, YearBuilt: &year, RentalSubType: "MultiFamily",
			Address: &buildium.Address{AddressLine1: "12 Maple St", City: "Portland", State: "OR", PostalCode: "97212", Country: "UnitedStates"}}},
		units: []buildium.RentalUnit{{ID: 2001, PropertyID: 1001, UnitNumber: "3B", MarketRent: &rent, UnitSize: &size,
			UnitBedrooms: "TwoBed", UnitBathrooms: "OneBath", IsUnitOccupied: &occupied, IsUnitListed: &listed}},
		tenants: []buildium.Tenant{
			{ID: 1000001, FirstName: "Jane", LastName: "Doe", Email: " Jane.Doe@Example.com ",
				PhoneNumbers:     []buildium.PhoneNumber{{Number: "(503) 555-0142", Type: "Cell"}},
				Address:          &buildium.Address{AddressLine1: "12 Maple St", AddressLine2: "Apt 3B", City: "Portland", State: "OR", PostalCode: "97212", Country: "UnitedStates"},
				EmergencyContact: &buildium.EmergencyContact{Name: "John Doe", RelationshipDescription: "Brother", Phone: "503-555-0199", Email: "john@example.com"}},
			{ID: 1000002, FirstName: "Bad", LastName: "Email", Email: "bad@"},
		},
		leases: []buildium.Lease{{ID: 5001, PropertyID: 1001, UnitID: 2001, LeaseFromDate: "2026-01-01", LeaseToDate: "2026-12-31",
			LeaseStatus: "Active", Tenants: []buildium.LeaseTenant{{ID: 1000001, Status: "Current"}},
			AccountDetails: &buildium.AccountDetails{Rent: &rent}}},
	}
}

// entities lists every entity (for building summaries).
var allEntities = mapping.Entities()

// tea_WindowSize is a resize to w×h.
func tea_WindowSize(w, h int) tea.Msg { return tea.WindowSizeMsg{Width: w, Height: h} }
