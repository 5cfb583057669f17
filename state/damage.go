package state

import (
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	bolt "go.etcd.io/bbolt"
)

// A Store never writes into a damaged file. Two rules make that hold without
// any caller having to remember a step:
//
//   - Before the first write transaction of a Store opened read-write, the
//     whole file gets the full check once: bbolt's tx.Check, a read of every
//     key and value, and a decode of every mapping, ledger and audit record
//     (checkTx). Read-only stores never pay for it.
//   - Once any damage is known (that check, a decode error deep in a bucket,
//     a fault while reading), the Store remembers it and every later write
//     returns the same *CorruptError without touching the file.

// writeCheck runs the full check before the first write of this Store and
// returns the damage it (or anything since) found, nil if the file may be written.
func (s *Store) writeCheck() error {
	if ce := s.damage.Load(); ce != nil {
		return ce
	}
	s.checkOnce.Do(func() {
		if err := s.guard(func() error { return s.db.View(checkTx) }); err != nil {
			s.noteDamage(s.asDamage(err, true))
		}
	})
	if ce := s.damage.Load(); ce != nil {
		return ce
	}
	return nil
}

// noteDamage records damage found in this Store's file; later writes refuse.
func (s *Store) noteDamage(ce *CorruptError) {
	if ce != nil && (ce.Path == s.path || ce.Path == "") {
		s.damage.CompareAndSwap(nil, ce)
	}
}

// damaged turns an error from a transaction into the error callers see: a
// decode error becomes a *CorruptError, and any *CorruptError about this
// file is remembered so that nothing more is written to it.
func (s *Store) damaged(err error) error {
	if err == nil {
		return nil
	}
	var ce *CorruptError
	if errors.As(err, &ce) {
		s.noteDamage(ce)
		return err
	}
	var re *recordError
	if !errors.As(err, &re) {
		return err
	}
	ce = s.asDamage(err, false)
	s.noteDamage(ce)
	return ce
}

// asDamage makes a *CorruptError for this file from err. check says err came
// from the full check (its text is already a description).
func (s *Store) asDamage(err error, check bool) *CorruptError {
	var ce *CorruptError
	if errors.As(err, &ce) {
		return ce
	}
	reason := printable(strings.TrimPrefix(err.Error(), "state: "), 200)
	var re *recordError
	if !check && errors.As(err, &re) {
		reason = recordReason(err, re)
	}
	return &CorruptError{Path: s.path, Reason: reason, LastBackup: LastBackup(s.path), Err: err}
}

// recordReason describes an undecodable record: where (bucket and key, as
// the wrapping messages name them, escaped and bounded) and why.
func recordReason(full error, re *recordError) string {
	cause := printable(strings.TrimPrefix(re.Error(), "state: "), 80)
	where := strings.TrimSuffix(full.Error(), ": "+re.Error())
	if where == full.Error() {
		return "a stored record cannot be read: " + cause
	}
	return fmt.Sprintf("record %s cannot be read: %s", printable(strings.TrimPrefix(where, "state: "), 80), cause)
}

// printable returns s with every byte that is not printable UTF-8 escaped
// (\xNN), cut to at most max bytes (with "…").
func printable(s string, max int) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		var piece string
		if r == utf8.RuneError && n <= 1 || !unicode.IsPrint(r) {
			piece = fmt.Sprintf(`\x%02x`, s[i])
			n = 1
		} else {
			piece = s[i : i+n]
		}
		if b.Len()+len(piece) > max {
			b.WriteString("…")
			break
		}
		b.WriteString(piece)
		i += n
	}
	return b.String()
}

// checkRecords decodes the framing of every record in the high-volume
// buckets (mappings, ledger and audit, one nested bucket per kind or job),
// without opening sealed values, so a record that no read could use is
// found before anything is written. Only the current schema's records are
// known here; an older file (about to be migrated) is left to its migration.
func checkRecords(tx *bolt.Tx) error {
	if v, ok := schemaVersionOf(tx); !ok || v != SchemaVersion {
		return nil
	}
	decoders := []struct {
		bucket []byte
		decode func(v []byte) error
	}{
		{bucketMappings, skimMapping},
		{bucketLedger, skimLedger},
		{bucketAudit, skimAudit},
	}
	for _, d := range decoders {
		top := tx.Bucket(d.bucket)
		if top == nil {
			continue
		}
		err := top.ForEachBucket(func(sub []byte) error {
			return top.Bucket(sub).ForEach(func(k, v []byte) error {
				if v == nil {
					return nil
				}
				if err := d.decode(v); err != nil {
					return fmt.Errorf("record %s/%s/%s cannot be read: %w", d.bucket,
						printable(string(sub), 40), printable(string(k), 40), err)
				}
				return nil
			})
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// The skim functions walk a record's fields as decodeMappingFields,
// decodeLedgerRaw and decodeAuditRaw read them, without copying or
// allocating: the full check reads every record of a large state. They
// must follow those decoders field for field (TestSkimMatchesTheDecoders).

func skimMapping(v []byte) error {
	d := decoder{b: v}
	d.version(mappingFormat)
	d.raw() // HubSpot type
	d.raw() // HubSpot id
	d.skimHexstr()
	d.uvarint() // last synced
	d.raw()     // job id
	if d.bool1() {
		d.raw() // created by job
	}
	d.raw() // sealed snapshot
	for n := d.count(); n > 0 && d.err == nil; n-- {
		d.raw()
		d.raw()
	}
	return d.err
}

func skimLedger(v []byte) error {
	d := decoder{b: v}
	d.version(ledgerFormat)
	d.raw()     // job id
	d.raw()     // error type
	d.uvarint() // retry count
	d.uvarint() // first seen
	d.uvarint() // last seen
	d.bool1()   // resolved
	d.uvarint() // resolved at
	d.raw()     // resolved by job
	d.raw()     // sealed text
	return d.err
}

func skimAudit(v []byte) error {
	d := decoder{b: v}
	d.version(auditFormat)
	d.uvarint() // time
	for i := 0; i < 6; i++ {
		d.raw() // action, kind, source id, HubSpot type, HubSpot id, sealed changes
	}
	return d.err
}

// skimHexstr skips what hexstr reads.
func (d *decoder) skimHexstr() {
	switch d.byte1() {
	case 0, 1:
		d.raw()
		return
	}
	d.fail(errors.New("bad string tag"))
}
