// Package hubspotsim is an in-process simulator of the HubSpot CRM REST API
// as b2h uses it: contacts, companies, Listings (0-420), custom objects,
// properties, schemas, search, associations v4 and labels, label limits,
// account information, rate limits and injected faults. `b2h --demo`, the
// end-to-end tests and the benchmarks run against it over loopback.
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
//     nothing); creating or patching a schema or creating a schema
//     association answers 403 with category "FORBIDDEN" and subCategory
//     "crm.schemas.CUSTOM_OBJECTS_NOT_AVAILABLE". A token without
//     crm.schemas.custom.read/.write gets 403 MISSING_SCOPES with
//     errors[].context.requiredGranularScopes instead, checked first.
//   - PATCH of a schema changes labels, description, requiredProperties,
//     primaryDisplayProperty, secondaryDisplayProperties and
//     searchableProperties; each property named must exist on the object
//     (400 otherwise, nothing changed); the primary display property is
//     made searchable. It answers 200 with the object type definition
//     (no properties or associations).
//   - Custom (USER_DEFINED) association labels need Professional or
//     Enterprise: on Free and Starter, POST and PUT of labels answer 403
//     with category "FORBIDDEN" and subCategory
//     "crm.associations.CUSTOM_LABELS_NOT_AVAILABLE" and create nothing.
//     HUBSPOT_DEFINED types (defaults, contact→company "Primary" 1/2) work
//     on every tier. Professional and Enterprise allow 50 custom labels per
//     direction of a pair (the 51st answers 400). After a downgrade
//     (SetTier) existing labels stay readable, usable in association
//     writes and deletable; GET /crm/v3/limits/associations/labels (also
//     /crm/limits/2026-03/…) reports limit 0 below Professional, usage
//     and allLabels per direction; fromObjectTypeId and toObjectTypeId
//     each filter, and with neither every associable direction is listed.
//   - Custom-object association types (§4) are category USER_DEFINED with a
//     null label, one portal-specific type id per direction.
//   - Creating an association label whose name (or label text, in that
//     direction) exists already answers 409 CONFLICT.
//   - A label on a same-object pair (contact↔contact) without inverseLabel
//     gets one symmetric type id; otherwise each direction has its own id.
//   - A labelled association always carries the pair's unlabelled default
//     type too, so removing the default type removes the whole association
//     (§4 "deleting the unlabeled type removes all").
//   - Association statuses as HubSpot documents them (§4): labelled
//     batch/create 201, labelled single PUT 201, batch/associate/default
//     and the default single PUT 200. (Live portals have answered 200 to
//     batch/create since Aug 2025; clients accept any 2xx.) Association
//     batch read answers 207 listing, as NO_ASSOCIATIONS_FOUND errors, the
//     ids that have no associations.
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
//   - Contacts, companies (0-2) and listings carry HubSpot's default
//     properties (data_*.go tables): analytics, email-engagement, roll-up
//     (num_*, notes_*) and record-source properties are read-only
//     (READ_ONLY_VALUE); createdate, hs_object_id and the last-modified
//     dates are derived. Companies have no unique default property
//     (domain is not one), so upserts need a hasUniqueValue property;
//     they are associated with contacts (279/280, "Primary" 1/2) and
//     listings (884/885), and need crm.objects.companies.* scopes. A
//     contact has at most one "Primary" company: giving another company
//     the Primary type (1, or 2 from the company side) removes it from
//     the previous one, which stays associated.
//   - Enumeration writes are checked against the option values (";"
//     separated for checkboxes): INVALID_OPTION "x was not one of the
//     allowed options: [a, b]". Properties with externalOptions (owner,
//     team, pipeline ids) take any value. VariantEditedOptions replaces
//     the options of hs_listing_type (single_family, apartment, condo,
//     townhouse), hs_lead_status, contacts' lifecyclestage and companies'
//     type with a portal's edited lists.
//   - Emails (email, hs_additional_emails) need a top-level domain that is
//     an ICANN public suffix: "jane@ymail.con" is INVALID_EMAIL.
//   - Sensitive data: a property with dataSensitivity sensitive or
//     highly_sensitive needs Enterprise (else 403 FORBIDDEN, subCategory
//     "crm.properties.SENSITIVE_DATA_NOT_AVAILABLE"), an object that can
//     hold it (contacts, companies, custom objects; else 400) and the
//     write scope of its level. Reading values of such a property (named
//     in properties or propertiesWithHistory of a read, list, batch read
//     or search) needs crm.objects.<object>.<level>.read.v2, writing them
//     .write.v2 (SensitiveScopes; the names without ".v2" also count):
//     403 MISSING_SCOPES for the whole request, even with trace ids.
//     Definitions are readable without them; GET properties lists only
//     the level ?dataSensitivity= names (non_sensitive by default).
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
