package hubspot

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"
)

// Error categories HubSpot puts in the `category` field of an error body
// (hubspot-api.md §10).
const (
	CategoryValidation     = "VALIDATION_ERROR"
	CategoryConflict       = "CONFLICT"
	CategoryMissingScopes  = "MISSING_SCOPES"
	CategoryObjectNotFound = "OBJECT_NOT_FOUND"
	CategoryAuthentication = "INVALID_AUTHENTICATION"
	CategoryRateLimits     = "RATE_LIMITS"
)

// 429 policy names (hubspot-api.md §9).
const (
	PolicyTenSecondly = "TEN_SECONDLY_ROLLING"
	PolicyDaily       = "DAILY"
	PolicySecondly    = "SECONDLY"
)

// ErrBatchTooLarge is wrapped by the error a batch method returns, without
// sending anything, when it is given more inputs than HubSpot accepts in one
// request. The caller chunks; the client never splits a batch on its own.
var ErrBatchTooLarge = errors.New("hubspot: too many inputs for one batch request")

// ErrorDetail is one entry of an error body's `errors` array.
type ErrorDetail struct {
	Message     string              `json:"message"`
	Code        string              `json:"code,omitempty"`
	In          string              `json:"in,omitempty"`
	SubCategory string              `json:"subCategory,omitempty"`
	Context     map[string][]string `json:"context,omitempty"`
}

// StandardError is one failed input of a batch (an element of `errors` in a
// 207 body, hubspot-api.md §3) and also the shape of a whole error body.
type StandardError struct {
	Status      string              `json:"status"`
	Category    string              `json:"category"`
	SubCategory string              `json:"subCategory,omitempty"`
	Message     string              `json:"message"`
	Context     map[string][]string `json:"context,omitempty"`
	Errors      []ErrorDetail       `json:"errors,omitempty"`
	ID          string              `json:"id,omitempty"`
}

// TraceID returns the objectWriteTraceId the error belongs to, or "".
func (e StandardError) TraceID() string {
	if v := e.Context["objectWriteTraceId"]; len(v) > 0 {
		return v[0]
	}
	return ""
}

// ExistingID returns N from "… Existing ID: N" (a duplicate email or unique
// value) in the message, an error detail or a context value, or "".
func (e StandardError) ExistingID() string { return existingIDIn(e.Message, e.Context, e.Errors) }

// existingIDRe is the integration contract for 409 bodies: HubSpot does not
// document it, every integration parses it (hubspot-api.md §3).
var existingIDRe = regexp.MustCompile(`Existing ID:\s*(\d+)`)

func parseExistingID(msg string) string {
	if m := existingIDRe.FindStringSubmatch(msg); m != nil {
		return m[1]
	}
	return ""
}

// APIError is a response HubSpot answered with a non-2xx status that the
// client did not (or no longer) retry. Match it with errors.As.
type APIError struct {
	StatusCode    int
	Op            string // what was attempted, e.g. "batch upsert contacts" (never contains record values)
	Category      string
	SubCategory   string
	Message       string
	CorrelationID string
	PolicyName    string // 429 only: TEN_SECONDLY_ROLLING, DAILY, SECONDLY
	Context       map[string][]string
	Errors        []ErrorDetail
	// ExistingID is N parsed from "Existing ID: N" on a 409 (or any message
	// carrying it): the record that already holds the unique value.
	ExistingID string
	// RequiredScopes lists errors[].context.requiredGranularScopes on a 403
	// MISSING_SCOPES.
	RequiredScopes []string
	// Attempts is how many times the request was sent.
	Attempts int
}

// Error explains what happened and what a person can do about it. It never
// contains the access token.
func (e *APIError) Error() string {
	var b strings.Builder
	b.WriteString("hubspot: ")
	if e.Op != "" {
		b.WriteString(e.Op)
		b.WriteString(": ")
	}
	switch {
	case e.StatusCode == 401:
		b.WriteString("the access token was rejected (401")
		if e.Category != "" {
			b.WriteString(" " + e.Category)
		}
		b.WriteString("): check HUBSPOT_ACCESS_TOKEN; it must be a private-app access token or service key of this HubSpot account")
	case e.StatusCode == 403 && (e.Category == CategoryMissingScopes || len(e.RequiredScopes) > 0):
		b.WriteString("the private app / service key lacks a required scope (403 MISSING_SCOPES)")
		if len(e.RequiredScopes) > 0 {
			fmt.Fprintf(&b, ": add scope %s to the private app / service key in HubSpot, then retry", strings.Join(e.RequiredScopes, ", "))
		} else {
			b.WriteString(": add the scopes listed by `b2h doctor` to the private app / service key in HubSpot, then retry")
		}
	default:
		fmt.Fprintf(&b, "HTTP %d", e.StatusCode)
		if e.Category != "" {
			b.WriteString(" " + e.Category)
		}
		if e.PolicyName != "" {
			b.WriteString(" (" + e.PolicyName + ")")
		}
		if e.Message != "" {
			b.WriteString(": " + e.Message)
		}
		for i, d := range e.Errors {
			if i == 3 {
				fmt.Fprintf(&b, "; and %d more", len(e.Errors)-3)
				break
			}
			if d.Message != "" && d.Message != e.Message {
				b.WriteString("; " + d.Message)
			}
		}
	}
	if e.CorrelationID != "" {
		b.WriteString(" [correlation id " + e.CorrelationID + "]")
	}
	return b.String()
}

// DailyLimitError reports that the account's daily API budget is spent
// (429 with policyName DAILY). It is returned at once, without retries: the
// engine pauses the job until ResetAt.
type DailyLimitError struct {
	ResetAt time.Time // when the budget is expected back
	Op      string
	// CorrelationID of the 429, for HubSpot support.
	CorrelationID string
}

// Error says when the job can resume.
func (e *DailyLimitError) Error() string {
	return fmt.Sprintf("hubspot: %s: the account's daily API limit is reached; requests can resume after %s",
		e.Op, e.ResetAt.UTC().Format(time.RFC3339))
}

// NetworkError reports a request that got no usable HTTP response after the
// client gave up (connection reset, EOF, timeout, truncated or unreadable
// body). MaybeProcessed is true when a non-idempotent write (batch create)
// reached HubSpot and may have been applied: the client does not retry those,
// because a retry could create the same records twice.
type NetworkError struct {
	Op             string
	Attempts       int
	MaybeProcessed bool
	Err            error
}

// Error describes the failure.
func (e *NetworkError) Error() string {
	s := fmt.Sprintf("hubspot: %s: no usable response after %d attempt(s): %v", e.Op, e.Attempts, e.Err)
	if e.MaybeProcessed {
		s += " (the request reached HubSpot and may have been applied; read the records back before writing them again)"
	}
	return s
}

// Unwrap returns the underlying transport or decoding error.
func (e *NetworkError) Unwrap() error { return e.Err }

// IsConflict reports whether err is a 409 and returns the existing record's
// id parsed from "Existing ID: N" (empty if HubSpot did not name one).
func IsConflict(err error) (existingID string, ok bool) {
	var ae *APIError
	if errors.As(err, &ae) && (ae.StatusCode == 409 || ae.Category == CategoryConflict) {
		return ae.ExistingID, true
	}
	return "", false
}

// IsMissingScopes reports whether err is a 403 MISSING_SCOPES and returns the
// scopes HubSpot asked for.
func IsMissingScopes(err error) (scopes []string, ok bool) {
	var ae *APIError
	if errors.As(err, &ae) && ae.StatusCode == 403 && (ae.Category == CategoryMissingScopes || len(ae.RequiredScopes) > 0) {
		return ae.RequiredScopes, true
	}
	return nil, false
}

// IsNotFound reports whether err is a 404.
func IsNotFound(err error) bool {
	var ae *APIError
	return errors.As(err, &ae) && ae.StatusCode == 404
}

// IsUnauthorized reports whether err is a 401 (bad or revoked token).
func IsUnauthorized(err error) bool {
	var ae *APIError
	return errors.As(err, &ae) && ae.StatusCode == 401
}

// IsForbidden reports whether err is any 403 (missing scope, or a feature
// the account's tier lacks, such as custom objects below Enterprise).
func IsForbidden(err error) bool {
	var ae *APIError
	return errors.As(err, &ae) && ae.StatusCode == 403
}

// IsValidation reports whether err is a 400 (VALIDATION_ERROR or similar):
// the request as a whole was rejected and retrying it unchanged will fail
// again. The engine splits the batch to isolate the bad input.
func IsValidation(err error) bool {
	var ae *APIError
	return errors.As(err, &ae) && ae.StatusCode == 400
}

// IsDailyLimit reports whether err is a *DailyLimitError and returns it.
func IsDailyLimit(err error) (*DailyLimitError, bool) {
	var de *DailyLimitError
	if errors.As(err, &de) {
		return de, true
	}
	return nil, false
}

// maxMessageBytes bounds a body quoted in an error (a gateway's HTML page,
// or JSON of a shape the client does not know).
const maxMessageBytes = 300

// parseAPIError builds an APIError from a non-2xx status and body. Every
// field is looked for wherever HubSpot may put it (see errdecode.go); a body
// that is not an error object keeps its (bounded) text as the message.
func parseAPIError(status int, body []byte, op string) *APIError {
	e := &APIError{StatusCode: status, Op: op}
	var w errorWire
	if d, ok := decodeErrorObject(body); ok {
		_ = json.Unmarshal(body, &w)
		e.Category = d.category
		if e.Category == "" {
			e.Category = d.inferCategory(status)
		}
		e.SubCategory = d.subCategory
		e.Message = d.message
		e.CorrelationID = d.correlationID
		e.Context = d.context
		e.Errors = d.details
		if status == 429 || e.Category == CategoryRateLimits || d.policyName != "" {
			e.PolicyName = d.findPolicy(w)
		}
		if e.Message == "" {
			for _, x := range d.details {
				if x.Message != "" {
					e.Message = x.Message
					break
				}
			}
		}
		if e.Message == "" {
			e.Message = boundedText(body)
		}
	} else if len(bytes.TrimSpace(body)) > 0 {
		e.Message = boundedText(body)
		if status == 429 {
			e.Category = CategoryRateLimits
			e.PolicyName = policyFromMessage(e.Message)
		}
	} else if status == 429 {
		e.Category = CategoryRateLimits
	}
	e.ExistingID = existingIDIn(e.Message, e.Context, e.Errors)
	e.RequiredScopes = requiredScopes(e.Context, e.Errors)
	return e
}

// requiredScopes collects requiredGranularScopes (and the older
// requiredScopes) from the body's context and from each error detail,
// de-duplicated in order (hubspot-api.md §1).
func requiredScopes(ctx map[string][]string, details []ErrorDetail) []string {
	var out []string
	seen := map[string]bool{}
	add := func(m map[string][]string) {
		for _, k := range []string{"requiredGranularScopes", "requiredScopes"} {
			for _, s := range m[k] {
				if s != "" && !seen[s] {
					seen[s] = true
					out = append(out, s)
				}
			}
		}
	}
	add(ctx)
	for _, d := range details {
		add(d.Context)
	}
	return out
}
