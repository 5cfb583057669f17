package hubspotsim

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strings"
)

// Error categories (hubspot-api.md §10).
const (
	catValidation = "VALIDATION_ERROR"
	catConflict   = "CONFLICT"
	catScopes     = "MISSING_SCOPES"
	catNotFound   = "OBJECT_NOT_FOUND"
	catAuth       = "INVALID_AUTHENTICATION"
	catForbidden  = "FORBIDDEN"
	catLocked     = "LOCKED"
	catInternal   = "INTERNAL_ERROR"
)

// apiError is HubSpot's standard error body (hubspot-api.md §10) and, without
// a correlationId, one entry of a 207 body's errors array (§3). The 429 body
// of §9 uses errorType, policyName and requestId instead of category.
type apiError struct {
	Status        string              `json:"status"`
	Message       string              `json:"message"`
	CorrelationID string              `json:"correlationId,omitempty"`
	Category      string              `json:"category,omitempty"`
	SubCategory   string              `json:"subCategory,omitempty"`
	Context       map[string][]string `json:"context,omitempty"`
	Errors        []errorDetail       `json:"errors,omitempty"`
	Links         map[string]string   `json:"links,omitempty"`
	ErrorType     string              `json:"errorType,omitempty"`
	PolicyName    string              `json:"policyName,omitempty"`
	RequestID     string              `json:"requestId,omitempty"`
}

// errorDetail is one entry of an error body's errors array (§10 ErrorDetail).
type errorDetail struct {
	Message string              `json:"message"`
	Code    string              `json:"code,omitempty"`
	In      string              `json:"in,omitempty"`
	Context map[string][]string `json:"context,omitempty"`
}

// failure is an error answer: an HTTP status and its body. Handlers return
// it for a whole request; batch planning keeps one per failed input.
type failure struct {
	status int
	body   apiError
}

// newFailure builds a failure with a formatted message.
func newFailure(status int, category, format string, args ...any) *failure {
	msg := format
	if len(args) > 0 {
		msg = fmt.Sprintf(format, args...)
	}
	return &failure{status: status, body: apiError{Status: "error", Category: category, Message: msg}}
}

// badRequest is a 400 VALIDATION_ERROR.
func badRequest(format string, args ...any) *failure {
	return newFailure(400, catValidation, format, args...)
}

// withContext adds a context entry and returns f.
func (f *failure) withContext(k string, v ...string) *failure {
	if f.body.Context == nil {
		f.body.Context = map[string][]string{}
	}
	f.body.Context[k] = append(f.body.Context[k], v...)
	return f
}

// reply turns f into a response.
func (f *failure) reply() reply { return reply{status: f.status, body: &f.body} }

// propErr is one invalid property value in a write (§3, §5).
type propErr struct {
	name, code, msg string
}

// Property value error codes.
const (
	codeNoProperty   = "PROPERTY_DOESNT_EXIST" // §3
	codeReadOnly     = "READ_ONLY_VALUE"
	codeEmail        = "INVALID_EMAIL" // §3
	codeNumber       = "INVALID_DECIMAL"
	codeDate         = "INVALID_DATE" // §5: "… is at 22:18:55.865 UTC, not midnight!"
	codeDateTime     = "INVALID_DATETIME"
	codeOption       = "INVALID_OPTION" // "x was not one of the allowed options: [a, b]"
	codeBool         = "INVALID_BOOLEAN"
	codeTooLong      = "INVALID_LENGTH"
	codeRequired     = "REQUIRED_PROPERTY"
	codeRuleRejected = "PROPERTY_VALIDATION_RULE"
)

// propertiesInvalid is the 400 VALIDATION_ERROR for invalid property values,
// in the exact shape of hubspot-api.md §3: the message embeds a JSON array of
// {isValid,message,error,name,localizedErrorMessage,portalId}, and errors[]
// carries {message, code, context.propertyName}.
func propertiesInvalid(portal int, errs []propErr) *failure {
	type item struct {
		IsValid   bool   `json:"isValid"`
		Message   string `json:"message"`
		Error     string `json:"error"`
		Name      string `json:"name"`
		Localized string `json:"localizedErrorMessage"`
		PortalID  int    `json:"portalId"`
	}
	items := make([]item, len(errs))
	details := make([]errorDetail, len(errs))
	for i, e := range errs {
		items[i] = item{Message: e.msg, Error: e.code, Name: e.name, Localized: e.msg, PortalID: portal}
		details[i] = errorDetail{Message: e.msg, Code: e.code, Context: map[string][]string{"propertyName": {e.name}}}
	}
	f := badRequest("Property values were not valid: %s", compactJSON(items))
	f.body.Errors = details
	return f
}

// compactJSON encodes v without HTML escaping and without a trailing newline.
func compactJSON(v any) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
	return strings.TrimSuffix(b.String(), "\n")
}

// scopesMissing is the 403 MISSING_SCOPES body of hubspot-api.md §1: any one
// of the listed scopes would do.
func scopesMissing(scopes ...string) *failure {
	f := newFailure(403, catScopes, "This app hasn't been granted all required scopes to make this call. Read more about required scopes here: https://developers.hubspot.com/scopes.")
	f.body.Errors = []errorDetail{{
		Message: "One or more of the following scopes are required.",
		Context: map[string][]string{"requiredGranularScopes": append([]string(nil), scopes...)},
	}}
	f.body.Links = map[string]string{"scopes": "https://developers.hubspot.com/scopes"}
	return f
}

// newUUID returns a random version-4 UUID string, the shape of HubSpot's
// correlationId and requestId.
func newUUID() string {
	a, b := rand.Uint64(), rand.Uint64()
	return fmt.Sprintf("%08x-%04x-4%03x-%04x-%012x",
		a>>32, (a>>16)&0xffff, a&0xfff, (b>>48)&0x3fff|0x8000, b&0xffffffffffff)
}
