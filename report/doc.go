// Package report turns one job recorded in the state file into the
// documents a consultant hands to the client for sign-off (DESIGN.md §8):
// Markdown, a self-contained HTML page with inline SVG charts, a CSV of
// every record that needs attention, and JSON. It also computes the job's
// metrics, evaluates the alert rules and posts alerts to a webhook.
//
// BuildMigration covers the whole migration instead of one job (b2h report
// --migration): one line per Buildium record with its final status (in
// HubSpot, held for review, invalid, failed, skipped; see BuildMigration
// for the precedence), totals per entity and status reconciled with
// Buildium's counts when the caller has them, and every decision taken.
// Leases land as tenant–unit associations, so the state has no line per
// landed lease: they are counted from the newest job, not listed.
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
// clamped to [0, 1], and 1 when nothing was read. It is shown with two
// decimals rounded down, so any invalid or held record shows below 1.00.
// Records that failed to
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
// Status badge: "done with errors" only when a record failed; a job whose
// records are only invalid, held for review or skipped "needs attention".
//
// A job's records: the ledger keeps one entry per record, stamped with its
// latest failure's job, and the review queue one item per group, stamped
// with the job that last opened it. An older job's report therefore lists
// the entries whose latest failure is the job's or whose first failure fell
// within the job, and the entries and items open across the job, the
// latter no more than the job's own counters, so its lists never exceed
// (nor, while the records stay open, fall short of) its headline counts.
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
