package doctor_test

import (
	"context"
	"errors"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/zalando/go-keyring"
	bolt "go.etcd.io/bbolt"

	"b2h/clients/buildium"
	"b2h/clients/hubspot"
	"b2h/clients/sim"
	"b2h/clients/sim/hubspotsim"
	"b2h/doctor"
	"b2h/state"
	"b2h/sync/mapping"
)

// deniedBuildium answers 403 for tenants, as Buildium does for a key
// without "Rentals > Tenants: View" (reference/buildium-api.md §1).
type deniedBuildium struct{ doctor.Buildium }

func (d deniedBuildium) Count(ctx context.Context, k buildium.Kind, o buildium.ListOptions) (int, error) {
	return 0, &buildium.APIError{StatusCode: 403, Method: "GET", Path: k.Path(), Host: "api.buildium.com"}
}

// budgetHubSpot reports a daily usage (or fails to).
type budgetHubSpot struct {
	doctor.HubSpot
	usage hubspot.DailyUsage
	err   error
}

func (b budgetHubSpot) DailyUsage(context.Context) (hubspot.DailyUsage, error) { return b.usage, b.err }

// twinLabels lists every association label twice, as an account where
// someone created a second label of the same name would.
type twinLabels struct{ doctor.HubSpot }

func (t twinLabels) ListAssociationLabels(ctx context.Context, from, to string) ([]hubspot.AssociationType, error) {
	ls, err := t.HubSpot.ListAssociationLabels(ctx, from, to)
	return append(ls, ls...), err
}

// TestFailingChecks triggers each way a check can fail or warn and asserts
// the status and the fix a person is given.
func TestFailingChecks(t *testing.T) {
	allScopesBut := func(drop string) []string {
		return slices.DeleteFunc(slices.Clone(hubspotsim.DefaultScopes), func(s string) bool { return s == drop })
	}
	cases := []struct {
		name   string
		sim    sim.Options
		synced bool // a full sync ran first
		setup  func(t *testing.T, f *fixture, o *doctor.Options)
		check  string
		status doctor.Status
		fix    string
	}{
		{name: "plain http host", check: doctor.CheckHosts, status: doctor.Fail, fix: "use https",
			setup: func(_ *testing.T, _ *fixture, o *doctor.Options) { o.BuildiumURL = "http://buildium.example.com" }},
		{name: "unknown host", check: doctor.CheckHosts, status: doctor.Warn, fix: "unset --hubspot-url and HUBSPOT_URL",
			setup: func(_ *testing.T, _ *fixture, o *doctor.Options) {
				o.Demo, o.BuildiumURL, o.HubSpotURL = false, buildium.ProductionURL, "https://crm-proxy.example.com"
			}},
		{name: "buildium secret wrong", check: doctor.CheckBuildium, status: doctor.Fail, fix: "BUILDIUM_CLIENT_SECRET",
			setup: func(t *testing.T, f *fixture, o *doctor.Options) {
				bd, err := buildium.New(buildium.Options{BaseURL: f.env.BuildiumURL, ClientID: f.env.BuildiumClientID, ClientSecret: "wrong"})
				if err != nil {
					t.Fatal(err)
				}
				o.Buildium = bd
			}},
		{name: "buildium keys missing", check: doctor.CheckBuildium, status: doctor.Fail, fix: "set BUILDIUM_CLIENT_ID and BUILDIUM_CLIENT_SECRET",
			setup: func(_ *testing.T, _ *fixture, o *doctor.Options) {
				o.Buildium, o.BuildiumErr = nil, &doctor.MissingCredentialsError{Vars: []string{"BUILDIUM_CLIENT_SECRET"}}
			}},
		{name: "buildium permission", check: doctor.CheckBuildium, status: doctor.Fail, fix: "Rentals > Tenants: View",
			setup: func(_ *testing.T, f *fixture, o *doctor.Options) { o.Buildium = deniedBuildium{f.bd} }},
		{name: "buildium unreachable", check: doctor.CheckBuildium, status: doctor.Fail, fix: "check the network",
			setup: func(t *testing.T, f *fixture, o *doctor.Options) {
				bd, err := buildium.New(buildium.Options{BaseURL: "http://127.0.0.1:1", ClientID: "x", ClientSecret: "y", MaxRetries: -1})
				if err != nil {
					t.Fatal(err)
				}
				o.Buildium = bd
			}},
		{name: "hubspot token wrong", check: doctor.CheckHubSpot, status: doctor.Fail, fix: "set HUBSPOT_ACCESS_TOKEN",
			setup: func(t *testing.T, f *fixture, o *doctor.Options) {
				hs, err := hubspot.New(hubspot.Options{BaseURL: f.env.HubSpotURL, Token: "pat-na1-revoked", MaxRetries: -1})
				if err != nil {
					t.Fatal(err)
				}
				o.HubSpot = hs
			}},
		{name: "hubspot token missing", check: doctor.CheckHubSpot, status: doctor.Fail, fix: "set HUBSPOT_ACCESS_TOKEN",
			setup: func(_ *testing.T, _ *fixture, o *doctor.Options) {
				o.HubSpot, o.HubSpotErr = nil, &doctor.MissingCredentialsError{Vars: []string{"HUBSPOT_ACCESS_TOKEN"}}
			}},
		{name: "checks after a bad token", check: doctor.CheckScopes, status: doctor.Warn, fix: "fix the HubSpot credentials first",
			setup: func(_ *testing.T, _ *fixture, o *doctor.Options) {
				o.HubSpot, o.HubSpotErr = nil, &doctor.MissingCredentialsError{Vars: []string{"HUBSPOT_ACCESS_TOKEN"}}
			}},
		{name: "scope missing", check: doctor.CheckScopes, status: doctor.Fail, fix: "add them to the private app",
			sim: sim.Options{HubSpot: &hubspotsim.Options{Scopes: allScopesBut("crm.schemas.listings.write")}}},
		{name: "unit mode changed", check: doctor.CheckTier, status: doctor.Warn, fix: "archive those afterwards", synced: true,
			setup: func(t *testing.T, f *fixture, _ *doctor.Options) {
				st, err := state.Open(state.Options{Path: f.path, NoSync: true, Keys: f.keys})
				if err != nil {
					t.Fatal(err)
				}
				defer st.Close()
				a, _ := st.Account()
				a.UnitMode = "custom_object"
				if err := st.PutAccount(a); err != nil {
					t.Fatal(err)
				}
			}},
		{name: "daily budget low", check: doctor.CheckTier, status: doctor.Warn, fix: "pauses at the daily limit",
			setup: func(_ *testing.T, f *fixture, o *doctor.Options) {
				o.HubSpot = budgetHubSpot{HubSpot: f.hs, usage: hubspot.DailyUsage{UsageLimit: 625_000, CurrentUsage: 600_000}}
			}},
		{name: "daily usage unreadable", check: doctor.CheckTier, status: doctor.Warn, fix: "private-app token",
			setup: func(_ *testing.T, f *fixture, o *doctor.Options) {
				o.HubSpot = budgetHubSpot{HubSpot: f.hs, err: errors.New("HTTP 500")}
			}},
		{name: "listings not activated", check: doctor.CheckListings, status: doctor.Fail, fix: "a Super Admin activates it",
			sim: sim.Options{NoListings: true}},
		{name: "key property not unique", check: doctor.CheckProperties, status: doctor.Fail, fix: "recreates it as unique",
			setup: func(t *testing.T, f *fixture, _ *doctor.Options) {
				if _, err := f.hs.CreateProperty(context.Background(), "contacts", hubspot.PropertyCreate{Name: mapping.KeyTenant,
					Label: "Tenant id", Type: "string", FieldType: "text", GroupName: "contactinformation"}); err != nil {
					t.Fatal(err)
				}
			}},
		{name: "read-only target", check: doctor.CheckProperties, status: doctor.Fail, fix: "mapping file", synced: true,
			setup: func(_ *testing.T, _ *fixture, o *doctor.Options) {
				o.MappingFor = func(target string) (*mapping.Mapping, error) {
					m := mapping.Default(mapping.Options{UnitTarget: target})
					em := m.Entities[mapping.Tenants]
					em.Fields = append(em.Fields, mapping.Field{Source: "CreatedDateTime", Target: "createdate"})
					return m, nil
				}
			}},
		{name: "property of the wrong type", check: doctor.CheckProperties, status: doctor.Warn, fix: "values of the wrong type",
			setup: func(t *testing.T, f *fixture, _ *doctor.Options) {
				groups, err := f.hs.ListPropertyGroups(context.Background(), "0-420")
				if err != nil || len(groups) == 0 {
					t.Fatalf("listing property groups: %v %v", groups, err)
				}
				if _, err := f.hs.CreateProperty(context.Background(), "0-420", hubspot.PropertyCreate{Name: "buildium_total_units",
					Label: "Units", Type: "string", FieldType: "text", GroupName: groups[0].Name}); err != nil {
					t.Fatal(err)
				}
				f.sync()
			}},
		{name: "unit object without associations", check: doctor.CheckUnitSchema, status: doctor.Warn, fix: "Associations",
			sim: sim.Options{Tier: "enterprise"},
			setup: func(t *testing.T, f *fixture, _ *doctor.Options) {
				if _, err := f.hs.CreateSchema(context.Background(), hubspot.SchemaCreate{Name: "unit",
					Labels: hubspot.SchemaLabels{Singular: "Unit", Plural: "Units"}, PrimaryDisplayProperty: "unit_number",
					Properties: []hubspot.PropertyCreate{{Name: "unit_number", Label: "Unit number", Type: "string", FieldType: "text"}}}); err != nil {
					t.Fatal(err)
				}
			}},
		{name: "labels named twice", check: doctor.CheckLabels, status: doctor.Warn, fix: "so each name is unique", synced: true,
			setup: func(_ *testing.T, f *fixture, o *doctor.Options) { o.HubSpot = twinLabels{f.hs} }},
		{name: "state locked", check: doctor.CheckState, status: doctor.Fail, fix: "wait for it to finish", synced: true,
			setup: func(t *testing.T, f *fixture, _ *doctor.Options) {
				st, err := state.Open(state.Options{Path: f.path, NoSync: true, Keys: f.keys})
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { _ = st.Close() })
			}},
		{name: "state damaged", check: doctor.CheckState, status: doctor.Fail, fix: "b2h sync --full",
			setup: func(t *testing.T, f *fixture, _ *doctor.Options) {
				if err := os.WriteFile(f.path, []byte(strings.Repeat("not a bbolt file ", 512)), 0o600); err != nil {
					t.Fatal(err)
				}
			}},
		{name: "state record undecodable", check: doctor.CheckState, status: doctor.Fail, fix: ".damaged`) and run a full sync", synced: true,
			setup: func(t *testing.T, f *fixture, _ *doctor.Options) { spoilFirstMapping(t, f.path) }},
		{name: "key file readable by others", check: doctor.CheckState, status: doctor.Fail, fix: "chmod 600 ", synced: true,
			setup: func(t *testing.T, f *fixture, o *doctor.Options) { o.StateKeys = sharedKeyFile(t, f) }},
		{name: "stale temporary copies", check: doctor.CheckState, status: doctor.Warn, fix: "rm ", synced: true,
			setup: func(t *testing.T, f *fixture, _ *doctor.Options) {
				p := f.path + ".compact-4242"
				if err := os.WriteFile(p, []byte("half a copy"), 0o600); err != nil {
					t.Fatal(err)
				}
				old := time.Now().Add(-time.Hour)
				if err := os.Chtimes(p, old, old); err != nil {
					t.Fatal(err)
				}
			}},
		{name: "state key missing", check: doctor.CheckState, status: doctor.Fail, fix: "where that key is reachable", synced: true,
			setup: func(_ *testing.T, _ *fixture, o *doctor.Options) { o.StateKeys = state.NewMemoryKeyStore() }},
		{name: "state readable by others", check: doctor.CheckState, status: doctor.Warn, fix: "chmod 600", synced: true,
			setup: func(t *testing.T, f *fixture, _ *doctor.Options) {
				if err := os.Chmod(f.path, 0o644); err != nil {
					t.Fatal(err)
				}
			}},
		{name: "last job failed", check: doctor.CheckState, status: doctor.Warn, fix: "b2h report --job", synced: true,
			setup: func(t *testing.T, f *fixture, _ *doctor.Options) {
				st, err := state.Open(state.Options{Path: f.path, NoSync: true, Keys: f.keys})
				if err != nil {
					t.Fatal(err)
				}
				defer st.Close()
				j, _ := st.LastJob("")
				if err := st.UpdateJob(j.ID, func(j *state.Job) error { j.Status = state.StatusFailed; return nil }); err != nil {
					t.Fatal(err)
				}
			}},
		{name: "no keyring", check: doctor.CheckKeyring, status: doctor.Warn, fix: "Secret Service",
			setup: func(_ *testing.T, _ *fixture, o *doctor.Options) {
				keyring.MockInitWithError(errors.New("dbus: no session bus"))
				o.Keyring = nil // the real probe, against the mocked keyring
			}},
		{name: "clock skew", check: doctor.CheckClock, status: doctor.Warn, fix: "timedatectl set-ntp true",
			setup: func(_ *testing.T, _ *fixture, o *doctor.Options) {
				o.Now = func() time.Time { return time.Now().Add(5 * time.Minute) }
			}},
		{name: "clock unreadable", check: doctor.CheckClock, status: doctor.Warn, fix: "check the network",
			setup: func(_ *testing.T, _ *fixture, o *doctor.Options) {
				o.ServerTime = doctor.ServerClock("http://127.0.0.1:1")
			}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			so := tc.sim
			so.Scale, so.Seed = 10, 3
			f := newFixture(t, so)
			if tc.synced {
				f.sync()
			}
			o := f.options()
			if tc.setup != nil {
				tc.setup(t, f, &o)
			}
			fd, ok := run(o).Find(tc.check)
			if !ok || fd.Status != tc.status || !strings.Contains(fd.Fix, tc.fix) || fd.Detail == "" {
				t.Errorf("%s: %s %q, fix %q; want %s with a fix mentioning %q", tc.check, fd.Status, fd.Detail, fd.Fix, tc.status, tc.fix)
			}
		})
	}
}

// TestKeyringProbe: the real probe passes when a keyring answers, even
// without the entry it asks for.
func TestKeyringProbe(t *testing.T) {
	keyring.MockInit()
	f := newFixture(t, sim.Options{Scale: 1, Seed: 1})
	o := f.options()
	o.Keyring, o.Demo = nil, false
	if fd, _ := run(o).Find(doctor.CheckKeyring); fd.Status != doctor.Pass || !strings.Contains(fd.Detail, "OS keyring answers") {
		t.Errorf("keyring: %+v", fd)
	}
}

// spoilFirstMapping overwrites the first mapping doctor reads with bytes
// that are no record, leaving the B+tree itself whole.
func spoilFirstMapping(t *testing.T, path string) {
	t.Helper()
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	err = db.Update(func(tx *bolt.Tx) error {
		for _, k := range state.Kinds {
			if b := tx.Bucket([]byte("mappings")).Bucket([]byte(k)); b != nil {
				if key, _ := b.Cursor().First(); key != nil {
					return b.Put(append([]byte(nil), key...), []byte{0xee, 0xff})
				}
			}
		}
		return errors.New("no mapping to spoil")
	})
	if err != nil {
		t.Fatal(err)
	}
}

// sharedKeyFile moves the fixture state's key into a key file with mode 0644.
func sharedKeyFile(t *testing.T, f *fixture) state.KeyStore {
	t.Helper()
	st, err := state.Open(state.Options{Path: f.path, ReadOnly: true, Keys: f.keys})
	if err != nil {
		t.Fatal(err)
	}
	id := st.StateID()
	st.Close()
	ks, err := f.keys.LoadKeys(id)
	if err != nil {
		t.Fatal(err)
	}
	fk := state.NewFileKeyStore(f.path + ".key")
	if err := fk.SaveKeys(id, ks); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(fk.Path(), 0o644); err != nil {
		t.Fatal(err)
	}
	return fk
}
