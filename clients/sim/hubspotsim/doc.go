// Package hubspotsim is an in-process simulator of the HubSpot CRM REST API
// as b2h uses it: contacts, Listings (0-420), custom objects, properties,
// schemas, search, associations v4 and labels, account information, rate
// limits and injected faults. `b2h --demo`, the end-to-end tests and the
// benchmarks run against it over loopback (DESIGN.md §5).
//
// Every rule it enforces comes from /work/shared/reference/hubspot-api.md and
// cites the section (§n) next to the code. Where the reference leaves a
// behaviour open, the simulator makes one documented choice:
//
//   - Listings not activated (§7): any objects, properties, search or
//     association call that touches 0-420 answers 403 with category
//     "FORBIDDEN" and subCategory "crm.objects.OBJECT_TYPE_NOT_ACTIVATED";
//     the enablement endpoints report false.
//   - Custom objects below Enterprise (§6): GET schemas works (and lists
//     nothing); creating a schema or a schema association answers 403 with
//     category "FORBIDDEN" and subCategory "crm.schemas.CUSTOM_OBJECTS_NOT_AVAILABLE".
//   - Custom-object association types (§4) are category USER_DEFINED with a
//     null label, one portal-specific type id per direction.
//   - Creating an association label whose name (or label text, in that
//     direction) exists already answers 409 CONFLICT.
//   - A label on a same-object pair (contact↔contact) without inverseLabel
//     gets one symmetric type id; otherwise each direction has its own id.
//   - A labelled association always carries the pair's unlabelled default
//     type too, so removing the default type removes the whole association
//     (§4 "deleting the unlabeled type removes all").
//   - Association batch create answers 200 (the live behaviour since Aug
//     2025, §4); association batch read answers 207 listing, as
//     NO_ASSOCIATIONS_FOUND errors, the ids that have no associations.
//   - Listings cannot be associated with listings: the reference documents
//     no type id for that pair, so it is rejected as an unsupported pair.
//   - A unique value (email, additional email or hasUniqueValue property)
//     held by another record is a CONFLICT naming "Existing ID: N"; for
//     contacts' email the message is exactly §3's "Contact already exists.
//     Existing ID: N". Email matching is case-insensitive; other unique
//     values match exactly.
//   - 207 multi-status needs a non-empty objectWriteTraceId on every input
//     (§3); otherwise the first failing input fails the whole batch and
//     nothing in it is written. Upserts keyed by email are all-or-nothing
//     even with trace ids ("partial upserts are not supported", §3).
//   - Within one batch, a unique value released by one input (an update that
//     changes a contact's email) is not free for a later input of the same
//     batch: that input fails with a CONFLICT.
//   - updatedAt (lastmodifieddate) moves only when a write changes a value;
//     writing the values a record already has is not an edit.
//   - Number values are stored canonically ("1500.00" reads back "1500"),
//     dates as YYYY-MM-DD, datetimes as ISO 8601 with milliseconds and Z.
//   - Rate limits (§9): with Options.RateLimits the tier's ten-secondly
//     window is exact (requests in (now-10 s, now]), search has its own
//     5-per-second window and no X-HubSpot-RateLimit headers. Requests
//     answered 429, injected faults and 401s do not count toward any window
//     or the daily usage. Without RateLimits no window is enforced and the
//     interval headers are not sent (so a client does not throttle itself
//     to a limit that is not there); a daily limit given by the fault
//     profile (daily=N) is enforced either way.
//   - Injected faults (package fault) are decided before authentication, as
//     a proxy in front of HubSpot would fail; FailNext queues exact statuses
//     (e.g. 477 with Retry-After) for deterministic tests.
package hubspotsim
