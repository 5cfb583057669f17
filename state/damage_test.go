package state

import (
	"math/rand/v2"
	"strings"
	"testing"
	"time"
)

// TestSkimMatchesTheDecoders: the full check's skim of a record accepts
// exactly what the decoders accept, for real records and every truncation
// and byte change of them.
func TestSkimMatchesTheDecoders(t *testing.T) {
	m := tenantMapping(7)
	mr := mappingRaw{HubSpotType: m.HubSpotType, HubSpotID: m.HubSpotID, SyncHash: m.SyncHash, LastSynced: time.Now(),
		JobID: "j1", CreatedByJob: "j0", Sealed: []byte("sealed"), Extra: map[string]string{"a": "b", "c": ""}}
	lr := ledgerRaw{JobID: "j1", ErrorType: "validation", RetryCount: 3, FirstSeen: time.Now(), LastSeen: time.Now(),
		Resolved: true, ResolvedAt: time.Now(), ResolvedByJob: "j2", Sealed: []byte("text")}
	kinds := []struct {
		name   string
		rec    []byte
		skim   func([]byte) error
		decode func([]byte) error
	}{
		{"mapping", encodeMappingRaw(mr), skimMapping, func(v []byte) error { _, err := decodeMappingFields(v, true); return err }},
		{"mapping, same job", encodeMappingRaw(mappingRaw{HubSpotType: "0-1", HubSpotID: "1", SyncHash: "not hex", JobID: "j"}), skimMapping,
			func(v []byte) error { _, err := decodeMappingFields(v, false); return err }},
		{"ledger", encodeLedgerRaw(lr), skimLedger, func(v []byte) error { _, err := decodeLedgerRaw(v); return err }},
		{"audit", encodeAudit(AuditEntry{Time: time.Now(), Action: ActionCreate, Kind: KindTenants, SourceID: "1", HubSpotType: "0-1", HubSpotID: "2"}, []byte("x")),
			skimAudit, func(v []byte) error { _, _, err := decodeAuditRaw(v); return err }},
	}
	rng := rand.New(rand.NewPCG(7, 8))
	for _, k := range kinds {
		if err := k.skim(k.rec); err != nil {
			t.Fatalf("%s: skim of a whole record: %v", k.name, err)
		}
		variants := [][]byte{}
		for n := 0; n < len(k.rec); n++ {
			variants = append(variants, k.rec[:n])
		}
		for i := 0; i < 2000; i++ {
			v := append([]byte(nil), k.rec...)
			v[rng.IntN(len(v))] = byte(rng.Uint32())
			variants = append(variants, v)
		}
		for _, v := range variants {
			if se, de := k.skim(v), k.decode(v); (se == nil) != (de == nil) {
				t.Errorf("%s %x: skim %v, decode %v", k.name, v, se, de)
			}
		}
	}
}

// TestDamagedFixNamesTheFile: the commands in the damaged-state message act
// on the damaged file: --state when it is not the default one, and quoted
// for the shell when the path needs it.
func TestDamagedFixNamesTheFile(t *testing.T) {
	t.Setenv("XDG_STATE_HOME", t.TempDir())
	def, err := DefaultPath()
	if err != nil {
		t.Fatal(err)
	}
	if fix := (&CorruptError{Path: def, Reason: "r", LastBackup: "/b/1.db"}).Fix(); strings.Contains(fix, "--state") {
		t.Errorf("the default state's fix names --state: %s", fix)
	}
	other := "/srv/b2h data/state.db"
	fix := (&CorruptError{Path: other, Reason: "r", LastBackup: "/b/1.db"}).Fix()
	for _, want := range []string{
		"`b2h state restore /b/1.db --state '/srv/b2h data/state.db'`",
		"`mv '/srv/b2h data/state.db' '/srv/b2h data/state.db.damaged'`",
		"`b2h sync --full --state '/srv/b2h data/state.db'`",
	} {
		if !strings.Contains(fix, want) {
			t.Errorf("fix %q lacks %q", fix, want)
		}
	}
}
