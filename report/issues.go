package report

import (
	"encoding/json"
	"regexp"
	"slices"
	"strings"

	"b2h/state"
	"b2h/sync/mapping"
)

// Ledger error types the engine writes (state.LedgerEntry.ErrorType).
const (
	typeValidation        = "validation"
	typeHubSpotValidation = "hubspot_validation"
	typeHubSpot           = "hubspot"
	typeTransport         = "transport"
	typeDuplicate         = "duplicate"
	typeConflict          = "conflict"
	typeSkipped           = "skipped"
	typeLinked            = "linked" // a skip audit entry: linked to another record instead of created
)

// categoryLabels names the error categories for people, in chart order.
var categoryLabels = []struct{ name, label string }{
	{typeValidation, "Invalid in Buildium"},
	{typeHubSpotValidation, "Value rejected by HubSpot"},
	{typeHubSpot, "HubSpot error"},
	{typeTransport, "Network or outage"},
	{typeDuplicate, "Duplicate (needs a decision)"},
	{typeConflict, "Conflict (needs a decision)"},
	{typeSkipped, "Skipped by a rule"},
}

// isErrorCategory reports whether a category belongs in the error chart
// (informational outcomes do not).
func isErrorCategory(c string) bool { return c != typeLinked }

// outcomeOf maps a ledger error type to the record's outcome.
func outcomeOf(errorType string) string {
	switch errorType {
	case typeValidation:
		return OutcomeInvalid
	case typeSkipped:
		return OutcomeSkipped
	case typeDuplicate:
		return OutcomeDuplicate
	case typeConflict:
		return OutcomeConflict
	}
	return OutcomeFailed
}

// reasonAndFix splits a ledger message into the reason and the fix a person
// can act on. Validation messages carry their fix after " — "; the other
// categories get the fix their cause calls for.
func reasonAndFix(kind state.Kind, errorType, msg string) (reason, fix string) {
	msg, props := readableHubSpot(dedupeParts(msg))
	reason = msg
	if r, f, ok := strings.Cut(msg, " — "); ok {
		reason, fix = r, upperFirst(f)+"; the next sync retries it."
	}
	if fix != "" {
		return reason, fix
	}
	switch errorType {
	case typeValidation:
		fix = "Correct the record in Buildium; the next sync retries it."
	case typeHubSpotValidation:
		what := "a value"
		if len(props) > 0 {
			what = "the value of " + strings.Join(props, ", ")
		}
		fix = "HubSpot refused " + what + ", which passed b2h's checks: correct it in Buildium or adjust the field's mapping (b2h mapping); the next sync retries it."
	case typeTransport:
		fix = "HubSpot could not be reached: run b2h sync again; the record is retried."
	case typeDuplicate:
		fix = "Decide with `b2h review`: adopt the existing contact, merge, keep separate or skip; the next sync applies the decision."
	case typeConflict:
		fix = "Decide with `b2h review` which side wins (Buildium, HubSpot or per field); the next sync applies it."
	case typeSkipped:
		fix = skipFix(kind, msg)
	default:
		fix = "Retried automatically by the next sync; if it fails again, the reason says what HubSpot objected to."
	}
	return reason, fix
}

// dedupeParts drops repeated "; "-separated parts of a message (a lease
// with two tenants on one missing unit reports the unit twice).
func dedupeParts(msg string) string {
	parts := strings.Split(msg, "; ")
	if len(parts) < 2 {
		return msg
	}
	seen := map[string]bool{}
	out := parts[:0]
	for _, p := range parts {
		if !seen[p] {
			seen[p] = true
			out = append(out, p)
		}
	}
	return strings.Join(out, "; ")
}

// propertyErrorsIntro starts HubSpot's message for invalid property values,
// which embeds a JSON array of per-property errors (hubspot-api.md §3):
// Property values were not valid: [{"isValid":false,"message":"…","error":"…","name":"x"}].
const propertyErrorsIntro = "Property values were not valid: "

// readableHubSpot rewrites the embedded JSON of HubSpot's invalid-property
// message as "name: message (ERROR)" parts and returns the property names;
// any other message is returned unchanged.
func readableHubSpot(msg string) (string, []string) {
	i := strings.Index(msg, propertyErrorsIntro+"[")
	if i < 0 {
		return msg, nil
	}
	rest := msg[i+len(propertyErrorsIntro):]
	dec := json.NewDecoder(strings.NewReader(rest))
	var errs []struct {
		Message string `json:"message"`
		Error   string `json:"error"`
		Name    string `json:"name"`
	}
	if err := dec.Decode(&errs); err != nil || len(errs) == 0 {
		return msg, nil
	}
	var parts, props []string
	for _, e := range errs {
		p := e.Message
		if e.Name != "" && !strings.Contains(p, e.Name) {
			p = e.Name + ": " + p
		}
		if e.Error != "" {
			p += " (" + e.Error + ")"
		}
		parts = append(parts, p)
		if e.Name != "" && !slices.Contains(props, e.Name) {
			props = append(props, e.Name)
		}
	}
	tail := strings.TrimSpace(rest[dec.InputOffset():])
	out := msg[:i] + strings.Join(parts, "; ")
	switch {
	case strings.HasPrefix(tail, ";"):
		out += tail
	case tail != "":
		out += " " + tail
	}
	return out, props
}

// skipFix suggests what to do about a record skipped by a rule.
func skipFix(kind state.Kind, msg string) string {
	switch {
	case strings.Contains(msg, "is not in HubSpot"):
		return "Fix the record named in the reason (its own line in this report); the next sync links this " + singular(kind) + "."
	case strings.Contains(msg, "no tenants"):
		return "Add the tenants to the lease in Buildium if it is a real lease; otherwise no action is needed."
	}
	return "No action needed unless this " + singular(kind) + " should be synced; then correct it in Buildium."
}

func singular(k state.Kind) string {
	switch k {
	case state.KindProperties:
		return "property"
	case state.KindUnits:
		return "unit"
	case state.KindTenants:
		return "tenant"
	case state.KindEmergencyContacts:
		return "emergency contact"
	case state.KindLeases:
		return "lease"
	case state.KindAssociations:
		return "association"
	}
	return "record"
}

func upperFirst(s string) string {
	for i, r := range s {
		if r >= 'a' && r <= 'z' {
			return string(r-'a'+'A') + s[i+1:]
		}
		return s
	}
	return s
}

// ledgerIssue turns a ledger entry of the job into an issue.
func ledgerIssue(e state.LedgerEntry) Issue {
	reason, fix := reasonAndFix(e.Kind, e.ErrorType, clean(e.Message))
	if reason == "" {
		reason = "no message recorded"
	}
	is := Issue{Entity: e.Kind, SourceID: clean(e.SourceID), Outcome: outcomeOf(e.ErrorType), Category: e.ErrorType,
		Reason: reason, Fix: fix, Status: StatusOpen, Retries: e.RetryCount, At: e.LastSeen}
	if is.Category == "" {
		is.Category = typeHubSpot
	}
	if e.Resolved {
		is.Status, is.ResolvedByJob = StatusResolved, e.ResolvedByJob
	}
	return is
}

// reviewIssues lists each record of a review item as an issue.
func reviewIssues(r state.ReviewItem) []Issue {
	outcome, cat := OutcomeDuplicate, typeDuplicate
	if r.Type == state.ReviewConflict {
		outcome, cat = OutcomeConflict, typeConflict
	}
	summary := clean(r.Summary)
	if summary == "" {
		summary = "held for review (" + r.Type + ")"
	}
	_, fix := reasonAndFix(r.Kind, cat, "")
	status := r.Status
	if status == "" {
		status = StatusOpen
	}
	names := memberNames(r)
	out := make([]Issue, 0, len(r.SourceIDs))
	for _, id := range r.SourceIDs {
		out = append(out, Issue{Entity: r.Kind, SourceID: clean(id), Name: names[id], Outcome: outcome, Category: cat,
			Reason: summary + " (review " + r.ID + ")", Fix: fix, Status: status, At: r.OpenedAt})
	}
	return out
}

// memberNames reads the names of a duplicate item's records from its
// payload (sync.DuplicatePayload: members with source_id and name), by
// Buildium id; a payload it cannot read gives none.
func memberNames(r state.ReviewItem) map[string]string {
	var p struct {
		Members []struct {
			SourceID string `json:"source_id"`
			Name     string `json:"name"`
		} `json:"members"`
	}
	if len(r.Payload) == 0 || json.Unmarshal(r.Payload, &p) != nil {
		return nil
	}
	out := make(map[string]string, len(p.Members))
	for _, m := range p.Members {
		if n := clean(m.Name); n != "" {
			out[m.SourceID] = n
		}
	}
	return out
}

// auditSkipIssue turns a skip audit entry into an issue.
func auditSkipIssue(a state.AuditEntry) Issue {
	is := Issue{Entity: a.Kind, SourceID: clean(a.SourceID), HubSpotID: clean(a.HubSpotID), Outcome: OutcomeSkipped,
		Category: typeSkipped, Reason: "skipped by a rule", Status: StatusNoAction, At: a.Time}
	for _, c := range a.Changes {
		if c.Field == "linked_tenant" && c.New != "" {
			is.Category = typeLinked
			is.Reason = "the same person as tenant " + clean(c.New) + ": linked to that tenant's contact instead of creating a second contact"
			is.Fix = "None needed."
			is.linkedTenant = c.New
			return is
		}
	}
	is.Fix = skipFix(a.Kind, "")
	return is
}

// emailPattern finds email addresses in free text, to mask them.
var emailPattern = regexp.MustCompile(`[^\s@"'<>()\[\],;:]+@[^\s@"'<>()\[\],;:]+`)

// clean makes a Buildium-derived string safe for every format: sanitised
// (mapping.Sanitize), folded to one line, with email addresses masked.
func clean(s string) string {
	s = oneLine(s)
	if strings.IndexByte(s, '@') < 0 {
		return s
	}
	return emailPattern.ReplaceAllStringFunc(s, mapping.Mask)
}

// displayName picks a person-facing name from a mapping snapshot.
func displayName(snap map[string]string) string {
	if n := snap["hs_name"]; n != "" {
		return clean(n)
	}
	if n := strings.TrimSpace(snap["firstname"] + " " + snap["lastname"]); n != "" {
		return clean(n)
	}
	if n := snap["unit_name"]; n != "" {
		return clean(n)
	}
	if n := snap["unit_number"]; n != "" {
		return clean("Unit " + n)
	}
	return ""
}
