package buildiumsim

import (
	"encoding/json"
	"net/http"

	gojson "github.com/goccy/go-json"
)

// response is what a handler produces; ServeHTTP writes it.
type response struct {
	status int
	body   []byte
	total  int // X-Total-Count, or -1 for none
	html   bool
}

func (r response) contentType() string {
	if r.html {
		return "text/html; charset=utf-8"
	}
	return "application/json; charset=utf-8"
}

// apiError is ApiErrorResponse (ref §4): additionalProperties false, every
// field nullable. ErrorCode values are not documented anywhere, so the
// simulator sends null rather than invent some.
type apiError struct {
	UserMessage string       `json:"UserMessage"`
	ErrorCode   *string      `json:"ErrorCode"`
	Errors      []apiErrItem `json:"Errors"`
}

// apiErrItem is ApiError {Key, Value}: for a validation error, the field
// and the message.
type apiErrItem struct {
	Key   string `json:"Key"`
	Value string `json:"Value"`
}

func errorResponse(status int, msg string, items ...apiErrItem) response {
	if items == nil {
		items = []apiErrItem{}
	}
	b, _ := json.Marshal(apiError{UserMessage: msg, Errors: items})
	return response{status: status, body: b, total: -1}
}

// badParam is a 400 naming the query parameter at fault.
func badParam(key, msg string) response {
	return errorResponse(http.StatusBadRequest, "The request is invalid.", apiErrItem{Key: key, Value: msg})
}

// serverError renders an injected 5xx: 503 is Buildium's maintenance
// answer (ref §3), 502 comes from a proxy as HTML, 500 is the API's own.
func serverError(status int) response {
	switch status {
	case http.StatusServiceUnavailable:
		return errorResponse(status, "Buildium is undergoing scheduled maintenance. Please resubmit the request later.")
	case http.StatusBadGateway:
		return response{status: status, total: -1, html: true,
			body: []byte("<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1></body></html>")}
	}
	return errorResponse(status, "An error has occurred.")
}

// okJSON encodes a 200's body with goccy/go-json, several times as fast
// as encoding/json on a page of 1,000 tenants (the simulators share the
// bench machine's cores with b2h); TestPagesEncodeAsEncodingJSON holds it
// to encoding/json's bytes.
func okJSON(v any, total int) response {
	b, err := gojson.Marshal(v)
	if err != nil {
		return errorResponse(http.StatusInternalServerError, "An error has occurred: "+err.Error())
	}
	return response{status: http.StatusOK, body: b, total: total}
}
