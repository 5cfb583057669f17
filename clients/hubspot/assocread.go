package hubspot

import (
	"context"
	"fmt"
	"net/http"
	"strings"
)

// AssociationReadError lists the from-ids whose associations could not be
// read (per-input errors of a 207 other than "no associations found"). The
// map BatchReadAssociations returns alongside it holds the other ids.
type AssociationReadError struct {
	Op     string
	Errors []StandardError
}

// Error summarises the failed inputs.
func (e *AssociationReadError) Error() string {
	msgs := make([]string, 0, min(3, len(e.Errors)))
	for i, se := range e.Errors {
		if i == 3 {
			break
		}
		msgs = append(msgs, se.Message)
	}
	return fmt.Sprintf("hubspot: %s: %d input(s) failed: %s", e.Op, len(e.Errors), strings.Join(msgs, "; "))
}

// BatchReadAssociations reads the associations of up to
// MaxAssociationReadInputs from-records to toType (POST …/batch/read, §4),
// following each record's paging until all are read. Every requested id
// with no associations maps to an empty slice. Per-input failures other
// than "no associations" are returned as an *AssociationReadError together
// with the map of the ids that were read.
func (c *Client) BatchReadAssociations(ctx context.Context, fromType, toType string, fromIDs []string) (map[string][]AssociatedObject, error) {
	op := "batch read associations " + fromType + "→" + toType
	if err := checkBatch(op, len(fromIDs), MaxAssociationReadInputs); err != nil {
		return nil, err
	}
	out := make(map[string][]AssociatedObject, len(fromIDs))
	type input struct {
		ID    string `json:"id"`
		After string `json:"after,omitempty"`
	}
	var pending []input
	for _, id := range fromIDs {
		if _, dup := out[id]; dup {
			continue
		}
		out[id] = []AssociatedObject{}
		pending = append(pending, input{ID: id})
	}
	var failed []StandardError
	for len(pending) > 0 {
		var res struct {
			Results []struct {
				From   idFlex             `json:"from"`
				To     []AssociatedObject `json:"to"`
				Paging *paging            `json:"paging"`
			} `json:"results"`
			Errors []StandardError `json:"errors"`
		}
		_, err := c.do(ctx, call{
			op: op, kind: "associations_batch_read", method: http.MethodPost,
			path: c.associationsPath(fromType, toType, "/batch/read"), body: struct {
				Inputs []input `json:"inputs"`
			}{pending}, out: &res, idempotent: true,
		})
		if err != nil {
			return nil, err
		}
		var next []input
		for _, r := range res.Results {
			id := string(r.From.ID)
			out[id] = append(out[id], r.To...)
			if after := r.Paging.nextAfter(); after != "" {
				next = append(next, input{ID: id, After: after})
			}
		}
		for _, e := range res.Errors {
			if noAssociations(e) {
				continue
			}
			for _, id := range fromIDsOf(e) {
				delete(out, id)
			}
			failed = append(failed, e)
		}
		pending = next
	}
	if len(failed) > 0 {
		return out, &AssociationReadError{Op: op, Errors: failed}
	}
	return out, nil
}

// idFlex is {"id": "…" | 123}.
type idFlex struct {
	ID flexString `json:"id"`
}

// noAssociations reports whether a per-input error of an association read
// only says the record has none.
func noAssociations(e StandardError) bool {
	return strings.Contains(e.SubCategory, "NO_ASSOCIATIONS_FOUND") ||
		(e.Category == CategoryObjectNotFound && strings.Contains(strings.ToLower(e.Message), "associated"))
}

// fromIDsOf returns the from-ids an association read error names.
func fromIDsOf(e StandardError) []string {
	for _, k := range []string{"fromObjectId", "ids", "id"} {
		if v := e.Context[k]; len(v) > 0 {
			return v
		}
	}
	return nil
}
