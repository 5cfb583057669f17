package buildium

import (
	"errors"
	"fmt"
	"strings"
)

// ErrorDetail is one entry of ApiErrorResponse.Errors: for a validation
// error, Key is the field and Value the message (ref §4).
type ErrorDetail struct {
	Key   string `json:"Key"`
	Value string `json:"Value"`
}

// APIError is a non-2xx answer from Buildium that retrying will not fix
// (or that kept failing until the retries ran out). Match it with
// errors.As; its Error text tells a person what to do.
type APIError struct {
	StatusCode  int
	UserMessage string // ApiErrorResponse.UserMessage, or a short excerpt of a non-JSON body
	ErrorCode   string // ApiErrorResponse.ErrorCode (values undocumented)
	Errors      []ErrorDetail
	Method      string // e.g. GET
	Path        string // e.g. /v1/leases/tenants (no query string)
	Host        string // e.g. api.buildium.com
}

// Error explains the failure and the next step.
func (e *APIError) Error() string {
	var sb strings.Builder
	switch e.StatusCode {
	case 401:
		fmt.Fprintf(&sb, "Buildium rejected the client id/secret (401) at %s: check BUILDIUM_CLIENT_ID/BUILDIUM_CLIENT_SECRET and that the keys belong to this environment (%s is %s; keys for production and the sandbox are not interchangeable)",
			e.Host, e.Host, environment(e.Host))
	case 403:
		fmt.Fprintf(&sb, "Buildium denied %s %s (403): the API key lacks the permission %q; grant it to the key in Buildium (Settings > Developer Tools > API keys) and retry",
			e.Method, e.Path, Permission(e.Path))
	case 404:
		fmt.Fprintf(&sb, "Buildium has no such record: %s %s (404)", e.Method, e.Path)
	case 422:
		fmt.Fprintf(&sb, "Buildium could not use the request %s %s (422)", e.Method, e.Path)
		if strings.Contains(e.UserMessage, "365") || strings.Contains(strings.ToLower(e.UserMessage), "time range") {
			sb.WriteString(": ask for a last-updated window of at most 365 days")
		}
	case 429:
		fmt.Fprintf(&sb, "Buildium kept answering 429 Too Many Requests to %s %s: another integration may be using the same API key; wait a minute and retry", e.Method, e.Path)
	case 503:
		fmt.Fprintf(&sb, "Buildium is unavailable (503, usually scheduled maintenance) for %s %s: retry later", e.Method, e.Path)
	default:
		if e.StatusCode >= 500 {
			fmt.Fprintf(&sb, "Buildium had a server error (%d) on %s %s: retry later; if it persists, contact Buildium support", e.StatusCode, e.Method, e.Path)
		} else {
			fmt.Fprintf(&sb, "Buildium rejected %s %s (%d)", e.Method, e.Path, e.StatusCode)
		}
	}
	if e.UserMessage != "" {
		fmt.Fprintf(&sb, "; Buildium says: %s", e.UserMessage)
	}
	for _, d := range e.Errors {
		fmt.Fprintf(&sb, " [%s: %s]", d.Key, d.Value)
	}
	return sb.String()
}

func environment(host string) string {
	switch host {
	case "api.buildium.com":
		return "production"
	case "apisandbox.buildium.com":
		return "the sandbox"
	}
	return "neither production nor the sandbox"
}

// Permission names the Buildium API-key permission a path needs (ref §1).
func Permission(path string) string {
	switch {
	case strings.HasPrefix(path, "/v1/leases/tenants"):
		return "Rentals > Tenants: View"
	case strings.HasPrefix(path, "/v1/leases"):
		return "Rentals > Leases: View"
	case strings.HasPrefix(path, "/v1/rentals"):
		return "Rentals > Rental properties and units: View"
	}
	return "the View permission for " + path
}

// DecodeError is a response Buildium sent with a 2xx status that could not
// be read: a body cut short, or not the expected JSON. A body that is not
// JSON (cut short, a proxy's page) is retried like a 5xx, and returned
// after the last retry; well-formed JSON of the wrong shape (an object
// where a list is expected) is returned at once, as retrying cannot
// change it. Records that do not fit are not DecodeErrors: see BadRecord.
type DecodeError struct {
	Method, Path string
	Err          error
	final        bool // deterministic: never retried
}

// Error says what could not be read.
func (e *DecodeError) Error() string {
	if e.final {
		return fmt.Sprintf("Buildium sent a response to %s %s that is not the shape its API documents (retrying cannot help): %v", e.Method, e.Path, e.Err)
	}
	return fmt.Sprintf("Buildium sent an unreadable response to %s %s (a dropped connection or a proxy error page?): %v", e.Method, e.Path, e.Err)
}

// Unwrap returns the decoding error.
func (e *DecodeError) Unwrap() error { return e.Err }

// ErrNoTotalCount is returned by Count when Buildium sends no
// X-Total-Count header.
var ErrNoTotalCount = errors.New("buildium: the response has no X-Total-Count header")
