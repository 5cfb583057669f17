package state

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
)

// keyExportFormat names the format of an exported key file.
const keyExportFormat = "b2h-state-key/1"

// keyExport is the file ExportKeys writes: the state's id and its keys.
type keyExport struct {
	Format  string     `json:"format"`
	StateID string     `json:"state_id"`
	Keys    keySetJSON `json:"keys"`
}

// ExportKeys returns the state's encryption keys in a form ImportKeys reads
// on another machine (a consultant handing a client the state file, or a
// move to a new laptop). Whoever holds it and the state file can read the
// PII the state keeps: move the two separately.
func (s *Store) ExportKeys() ([]byte, error) {
	ks, err := s.keys.LoadKeys(s.stateID)
	if err != nil {
		return nil, fmt.Errorf("state: export key: %w", err)
	}
	out, err := json.MarshalIndent(keyExport{Format: keyExportFormat, StateID: s.stateID, Keys: marshalKeySet(ks)}, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(out, '\n'), nil
}

// ImportKeys stores the keys of an exported key file (ExportKeys) in ks
// (nil: DefaultKeyStore for the state) for the state file at statePath,
// after checking that they are that state's: its id matches and its
// current key is among them. Keys already stored for the state are kept
// when they are the same; different ones are an error (nothing replaced).
func ImportKeys(statePath string, data []byte, ks KeyStore) (where string, err error) {
	var in keyExport
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&in); err != nil || in.Format != keyExportFormat {
		return "", errors.New("state: import key: not a key file written by `b2h state export-key`")
	}
	set, err := unmarshalKeySet(in.Keys)
	if err != nil {
		return "", fmt.Errorf("state: import key: the key file is damaged: %w", err)
	}
	fi, err := verifyFile(statePath, DefaultTimeout)
	if err != nil {
		return "", fmt.Errorf("state: import key: %s: %w", statePath, err)
	}
	if fi.stateID != in.StateID {
		return "", fmt.Errorf("state: import key: the key file is for state %s, but %s is state %s", in.StateID, statePath, fi.stateID)
	}
	if _, ok := set.Keys[fi.keyID]; fi.keyID != 0 && !ok {
		return "", fmt.Errorf("state: import key: the key file lacks key %08x that %s is encrypted with (exported before a rotate-key?)", fi.keyID, statePath)
	}
	if ks == nil {
		ks = DefaultKeyStore(statePath)
	}
	if have, err := ks.LoadKeys(fi.stateID); err == nil {
		if !sameKeySet(have, set) {
			return "", fmt.Errorf("state: import key: %s already holds different keys for state %s; nothing was replaced", ks, fi.stateID)
		}
		return ks.String(), nil
	} else if !errors.Is(err, ErrNoKey) {
		return "", fmt.Errorf("state: import key: %w", err)
	}
	if err := ks.SaveKeys(fi.stateID, set); err != nil {
		return "", fmt.Errorf("state: import key: %w", err)
	}
	return ks.String(), nil
}

// sameKeySet reports whether two key sets hold the same keys.
func sameKeySet(a, b KeySet) bool {
	if a.Current != b.Current || len(a.Keys) != len(b.Keys) {
		return false
	}
	for id, k := range a.Keys {
		if !bytes.Equal(k, b.Keys[id]) {
			return false
		}
	}
	return true
}
