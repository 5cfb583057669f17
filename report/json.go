package report

import (
	"encoding/json"
	"io"

	"b2h/internal/termsafe"
)

// WriteJSON writes the whole report as one indented JSON document (the
// Report struct; report_version tells layouts apart).
func (r *Report) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(termsafe.JSONWriter(w))
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}
