// Package report turns one job recorded in the state file into the
// documents a consultant hands to the client for sign-off (DESIGN.md §8):
// Markdown, a self-contained HTML page with inline SVG charts, a CSV of
// every record that needs attention, and JSON. It also computes the job's
// metrics, evaluates the alert rules and posts alerts to a webhook.
//
// The package reads state and nothing else: Build gathers a job, its
// ledger entries, audit trail, review items and decisions into a Report,
// and every format renders that one model, so the formats never disagree.
//
// # Definitions
//
// Records read: per entity, the job's Read counter, or the sum of its
// outcomes when that is larger (a live job stores outcomes per batch; every
// record read has exactly one outcome once the job finishes).
//
// Quality score: the share of records read that arrived clean, i.e. valid
// and needing no person's decision:
//
//	quality = (read − invalid − duplicates − conflicts) / read
//
// clamped to [0, 1], and 1 when nothing was read. Records that failed to
// reach HubSpot do not lower it (that is delivery, measured by the error
// rate), nor do records skipped by a rule.
//
// Error rate: the share of records read that did not land because of an
// error:
//
//	error rate = (invalid + failed) / read
//
// Validation errors are the invalid records (Buildium data that failed the
// mapping's rules, never sent). Mapping errors are records HubSpot rejected
// for a value (ledger type "hubspot_validation"): the value passed b2h's
// validation, so the mapping or a conversion needs attention.
//
// Throughput over time is read from the audit trail (every record written
// or associated has an entry with its commit time) and the ledger (every
// failure has its time), bucketed from the job's start: no engine change is
// needed, and a no-op run correctly shows nothing written.
//
// # Escaping and personal data
//
// Reports may name records by Buildium id and, where b2h wrote the record,
// by name. Every Buildium-derived string is passed through mapping.Sanitize
// (terminal escapes, control and bidi characters removed), folded to one
// line, and email addresses in free text are masked the way the ledger
// masks them ("j***@example.com"). Each format then escapes for itself:
// HTML escaping, Markdown escaping of table and emphasis characters, CSV
// quoting plus a leading apostrophe on cells a spreadsheet would run as a
// formula. Secrets never enter a report: the state holds none, and the
// webhook URL (which is a secret) is never echoed in errors.
package report
