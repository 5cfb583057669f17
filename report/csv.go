package report

import (
	"encoding/csv"
	"fmt"
	"io"
	"strings"
	"time"
)

// CSVHeader is the CSV report's header row.
var CSVHeader = []string{"job_id", "entity", "buildium_id", "name", "hubspot_id", "outcome", "category", "reason", "fix",
	"status", "retries", "at", "resolved_by_job"}

// WriteCSV writes every invalid, failed, skipped and held record of the job
// with its reason and the fix, one per line (RFC 4180 quoting). Free-text
// cells that a spreadsheet would run as a formula get a leading apostrophe.
func (r *Report) WriteCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(CSVHeader); err != nil {
		return err
	}
	for _, is := range r.Issues {
		at := ""
		if !is.At.IsZero() {
			at = is.At.UTC().Format(time.RFC3339)
		}
		rec := []string{r.Job.ID, string(is.Entity), is.SourceID, is.Name, is.HubSpotID, is.Outcome, is.Category,
			is.Reason, is.Fix, is.Status, fmt.Sprint(is.Retries), at, is.ResolvedByJob}
		for i, v := range rec {
			rec[i] = csvCell(v)
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// csvCell defuses spreadsheet formula injection (OWASP "CSV injection"):
// a cell starting with = + - @ or a tab/CR is prefixed with an apostrophe.
// Ids and numbers never start with those, so only free text is affected.
func csvCell(s string) string {
	s = oneLine(s)
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
