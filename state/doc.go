// Package state is b2h's memory: one local bbolt file that makes every run
// safe to repeat. It replaces the plan's PostgreSQL tables with buckets:
//
//	meta                 schema version, state id, current key id, migration log
//	jobs                 one record per run (mode, status, timestamps, counters, metrics)
//	mappings/<kind>      Buildium id → HubSpot type/id, sync hash, snapshot (sealed)
//	mappings_by_hubspot  reverse index: "type\x00id\x00kind\x00source id"
//	ledger/<kind>        failed records to retry (message and details sealed)
//	audit/<job id>       what each job did, with field changes (sealed), by sequence
//	field_mappings       the mapping overrides in force
//	config               sync settings in force (strategies, rules), JSON per key
//	cursors              per-kind incremental watermark
//	decisions            a person's duplicate/conflict resolutions (fields sealed)
//	review               the open review queue (summary and payload sealed)
//	account              detected capabilities, schema, property and label ids
//
// The unit of durability is Commit(Batch): everything learnt from one
// acknowledged HubSpot batch (mappings, audit, ledger, resolutions, counters,
// cursors, review items, decisions) in one bbolt write transaction, so a crash
// leaves all of it or none.
//
// Records in the high-volume buckets use a compact versioned binary format
// (codec.go); the rest are versioned JSON. PII (snapshots, ledger text, audit
// values, decision fields, review content) is sealed with AES-256-GCM under a
// key kept outside the file (see KeyStore for where, and what that protects).
//
// A second process gets *LockedError within Options.Timeout; a damaged file
// gets *CorruptError naming the last backup; nothing here panics on a bad file.
// A Store opened read-write runs the full consistency check by itself before
// its first write, and writes nothing to a file found damaged (damage.go).
package state
