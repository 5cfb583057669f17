package gen

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestWriteDirLoadRoundTrip(t *testing.T) {
	p := Generate(Options{Scale: 120, Seed: 5})
	dir := t.TempDir()
	if err := p.WriteDir(dir); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{RentalsFile, UnitsFile, TenantsFile, LeasesFile, AmenitiesFile, UpdatedFile} {
		st, err := os.Stat(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		if st.Mode().Perm()&0o077 != 0 {
			t.Errorf("%s is readable by others: %v", name, st.Mode())
		}
	}
	q, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	q.AsOf = p.AsOf
	if !bytes.Equal(mustJSON(t, p), mustJSON(t, q)) {
		t.Fatal("portfolio changed on a WriteDir/Load round trip")
	}
}

func TestLoadFillsLinksAndTimes(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		RentalsFile: `[{"Id":1,"Name":"A","RentalType":"Residential","RentalSubType":"SingleFamily"}]`,
		UnitsFile:   `[{"Id":10,"PropertyId":1,"UnitNumber":"1"}]`,
		TenantsFile: `[{"Id":101,"FirstName":"B","CreatedDateTime":"2024-03-04T05:06:07Z","Leases":[{"Id":1000}]},
		               {"Id":100,"FirstName":"A"}]`,
		LeasesFile: `[{"Id":1000,"UnitId":10,"PropertyId":1,"LeaseStatus":"Active","LastUpdatedDateTime":"2025-01-02T03:04:05.1234567Z",
		               "CurrentTenants":[{"Id":100}]}]`,
	}
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	p, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if p.Tenants[0].ID != 100 {
		t.Errorf("tenants not sorted by Id: first is %d", p.Tenants[0].ID)
	}
	l := p.Leases[0]
	if len(l.Tenants) != 2 || l.Tenants[0].ID != 100 || l.Tenants[1].ID != 101 || l.Tenants[1].Status != TenantCurrent {
		t.Errorf("lease tenants = %+v", l.Tenants)
	}
	if len(l.CurrentTenants) != 2 || len(p.Tenants[0].Leases) != 1 {
		t.Errorf("links not rebuilt: %d current tenants, tenant 100 on %d leases", len(l.CurrentTenants), len(p.Tenants[0].Leases))
	}
	if got, want := p.UpdatedAt(KindLease, 1000), time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC); !got.Equal(want) {
		t.Errorf("lease updated %v, want %v", got, want)
	}
	if got, want := p.UpdatedAt(KindTenant, 101), time.Date(2024, 3, 4, 5, 6, 7, 0, time.UTC); !got.Equal(want) {
		t.Errorf("tenant updated %v, want %v", got, want)
	}
	if p.UpdatedAt(KindRental, 1).IsZero() || p.UpdatedAt(KindTenant, 100).IsZero() {
		t.Error("records without a time did not get the file's modification time")
	}
}

func TestLoadErrors(t *testing.T) {
	good := map[string]string{RentalsFile: `[]`, UnitsFile: `[]`, TenantsFile: `[]`, LeasesFile: `[]`}
	for _, tc := range []struct {
		name     string
		file     string
		body     string // "" removes the file
		wantLine int
		want     []string
	}{
		{"missing", LeasesFile, "", 0, []string{"leases.json", "file not found", "rentals.json"}},
		{"syntax", TenantsFile, "[\n{\"Id\": 1},\n{\"Id\": 2,,}\n]", 3, []string{"tenants.json", "line 3"}},
		{"type", UnitsFile, "[{\"Id\": \"ten\"}]", 1, []string{"units.json", "column"}},
		{"duplicate", RentalsFile, `[{"Id":1},{"Id":1}]`, 0, []string{"rentals.json", "Id 1 appears more than once"}},
		{"bad updated key", UpdatedFile, `{"tenant/x":"2024-01-01T00:00:00Z"}`, 0, []string{"updated.json", "tenant/x"}},
		{"bad amenities", AmenitiesFile, `{"1": {"Features": "Pool"}}`, 1, []string{"amenities.json"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			for name, body := range good {
				if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			path := filepath.Join(dir, tc.file)
			if tc.body == "" {
				os.Remove(path)
			} else if err := os.WriteFile(path, []byte(tc.body), 0o600); err != nil {
				t.Fatal(err)
			}
			_, err := Load(dir)
			var le *LoadError
			if !errors.As(err, &le) {
				t.Fatalf("error %v is not a *LoadError", err)
			}
			if le.File != path || (tc.wantLine > 0 && le.Line != tc.wantLine) {
				t.Errorf("file %s line %d, want %s line %d", le.File, le.Line, path, tc.wantLine)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %q", err, w)
				}
			}
		})
	}
}
