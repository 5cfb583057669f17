package state

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"
	"sync"
)

// KeySize is the length in bytes of a state encryption key (AES-256).
const KeySize = 32

// Sealed values (snapshots, ledger messages and details, audit values, decision
// fields, review payloads) are stored as
//
//	0x01 | key id (4 bytes, big endian) | nonce (12 random bytes) | AES-256-GCM ciphertext+tag
//
// with a per-purpose label as additional data, so a value sealed as a snapshot
// cannot be passed off as, say, a ledger detail. The key id lets RotateKey and
// readers find the right key; several keys may be live during a rotation.
const (
	sealFormat   = 1
	sealOverhead = 1 + 4 + 12 + 16
)

// Purposes bound into the additional authenticated data of sealed values.
const (
	aadSnapshot = "b2h/mapping.snapshot"
	aadLedger   = "b2h/ledger.text"
	aadAudit    = "b2h/audit.changes"
	aadDecision = "b2h/decision.fields"
	aadReview   = "b2h/review.content"
)

// KeySet is the set of AES-256 keys of one state file: Current encrypts new
// values; the others still decrypt values written before a rotation finished.
type KeySet struct {
	Current uint32            // id of the key new values are sealed with
	Keys    map[uint32][]byte // id → 32-byte key
}

// NewKeySet returns a key set holding one fresh random key.
func NewKeySet() (KeySet, error) {
	ks := KeySet{Keys: map[uint32][]byte{}}
	id, err := ks.add()
	if err != nil {
		return KeySet{}, err
	}
	ks.Current = id
	return ks, nil
}

// add generates a fresh random key with an id not yet in the set.
func (ks *KeySet) add() (uint32, error) {
	key := make([]byte, KeySize)
	if _, err := rand.Read(key); err != nil {
		return 0, fmt.Errorf("state: generating key: %w", err)
	}
	var idb [4]byte
	for {
		if _, err := rand.Read(idb[:]); err != nil {
			return 0, fmt.Errorf("state: generating key id: %w", err)
		}
		id := binary.BigEndian.Uint32(idb[:])
		if _, taken := ks.Keys[id]; id != 0 && !taken {
			ks.Keys[id] = key
			return id, nil
		}
	}
}

// clone returns a deep copy.
func (ks KeySet) clone() KeySet {
	out := KeySet{Current: ks.Current, Keys: make(map[uint32][]byte, len(ks.Keys))}
	for id, k := range ks.Keys {
		out.Keys[id] = append([]byte(nil), k...)
	}
	return out
}

// validate checks the current key exists and every key is 32 bytes.
func (ks KeySet) validate() error {
	if _, ok := ks.Keys[ks.Current]; !ok || ks.Current == 0 {
		return errors.New("key set has no current key")
	}
	for id, k := range ks.Keys {
		if len(k) != KeySize {
			return fmt.Errorf("key %08x is %d bytes, want %d", id, len(k), KeySize)
		}
	}
	return nil
}

// sealer seals and opens values with a KeySet. It is safe for concurrent use;
// RotateKey swaps its keys.
type sealer struct {
	mu      sync.RWMutex
	current uint32
	aeads   map[uint32]cipher.AEAD
	missing error // when set, every seal/open fails with it (read-only store without its key)
}

func newSealer(ks KeySet) (*sealer, error) {
	s := &sealer{}
	if err := s.setKeys(ks); err != nil {
		return nil, err
	}
	return s, nil
}

// setKeys replaces the keys.
func (s *sealer) setKeys(ks KeySet) error {
	if err := ks.validate(); err != nil {
		return err
	}
	aeads := make(map[uint32]cipher.AEAD, len(ks.Keys))
	for id, k := range ks.Keys {
		block, err := aes.NewCipher(k)
		if err != nil {
			return err
		}
		aead, err := cipher.NewGCM(block)
		if err != nil {
			return err
		}
		aeads[id] = aead
	}
	s.mu.Lock()
	s.current, s.aeads, s.missing = ks.Current, aeads, nil
	s.mu.Unlock()
	return nil
}

// seal encrypts plaintext; an empty plaintext seals to nil (nothing stored).
func (s *sealer) seal(aad string, plaintext []byte) ([]byte, error) {
	if len(plaintext) == 0 {
		return nil, nil
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.missing != nil {
		return nil, s.missing
	}
	aead := s.aeads[s.current]
	out := make([]byte, 5+aead.NonceSize(), sealOverhead+len(plaintext))
	out[0] = sealFormat
	binary.BigEndian.PutUint32(out[1:5], s.current)
	if _, err := rand.Read(out[5:]); err != nil {
		return nil, fmt.Errorf("state: nonce: %w", err)
	}
	return aead.Seal(out, out[5:], plaintext, []byte(aad)), nil
}

// open decrypts a value sealed by seal; nil opens to nil.
func (s *sealer) open(aad string, blob []byte) ([]byte, error) {
	if len(blob) == 0 {
		return nil, nil
	}
	if len(blob) < sealOverhead || blob[0] != sealFormat {
		return nil, badRecord(errors.New("state: sealed value is malformed"))
	}
	id := binary.BigEndian.Uint32(blob[1:5])
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.missing != nil {
		return nil, s.missing
	}
	aead, ok := s.aeads[id]
	if !ok {
		return nil, fmt.Errorf("state: value sealed with key %08x, which is not in the key set", id)
	}
	pt, err := aead.Open(nil, blob[5:17], blob[17:], []byte(aad))
	if err != nil {
		return nil, badRecord(fmt.Errorf("state: sealed value fails authentication (key %08x): %w", id, err))
	}
	return pt, nil
}

// sealedKeyID returns the key id of a sealed value (0 for none).
func sealedKeyID(blob []byte) uint32 {
	if len(blob) < 5 {
		return 0
	}
	return binary.BigEndian.Uint32(blob[1:5])
}
