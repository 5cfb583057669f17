package hubspot

import (
	"context"
	"strings"
)

// ContactsByEmail finds which of emails already belong to a HubSpot
// contact, as primary or additional email: it batch-reads contacts by
// idProperty email (MaxBatchInputs a request, so len(emails)/100 requests
// rounded up) and returns lower-cased email → contact id for the emails
// found. A whole-batch 409 on a contact write names only its first
// offender; this tells the caller all of them. Emails HubSpot does not know
// are left out; an error stops the lookup and is returned with what was
// found so far.
func (c *Client) ContactsByEmail(ctx context.Context, emails []string) (map[string]string, error) {
	out := map[string]string{}
	var want []string
	seen := map[string]bool{}
	for _, e := range emails {
		k := strings.ToLower(strings.TrimSpace(e))
		if k != "" && !seen[k] {
			seen[k] = true
			want = append(want, k)
		}
	}
	for start := 0; start < len(want); start += MaxBatchInputs {
		chunk := want[start:min(start+MaxBatchInputs, len(want))]
		res, err := c.BatchRead(ctx, "contacts", ReadRequest{IDs: chunk, IDProperty: "email", Properties: []string{"email", "hs_additional_emails"}})
		if err != nil {
			return out, err
		}
		for _, o := range res.Results {
			for _, e := range contactEmails(o) {
				if seen[e] {
					out[e] = o.ID
				}
			}
		}
	}
	return out, nil
}

// contactEmails lists a contact's primary and additional emails, lower-cased.
func contactEmails(o Object) []string {
	var out []string
	if e := strings.ToLower(strings.TrimSpace(o.Prop("email"))); e != "" {
		out = append(out, e)
	}
	for _, e := range strings.Split(o.Prop("hs_additional_emails"), ";") {
		if e = strings.ToLower(strings.TrimSpace(e)); e != "" {
			out = append(out, e)
		}
	}
	return out
}
