package hubspot

import (
	"context"
	"testing"
)

// TestAssociationCreatesAcceptAny2xx: labelled and default creates, single
// and batch, succeed on 200, 201, 204 and 207 (HubSpot has moved these
// endpoints between statuses), with or without a body.
func TestAssociationCreatesAcceptAny2xx(t *testing.T) {
	ctx := context.Background()
	batchBody := `{"status":"COMPLETE","results":[{"fromObjectTypeId":"0-1","fromObjectId":1,"toObjectTypeId":"0-420","toObjectId":"2","labels":["Current tenant"]}]}`
	body207 := `{"status":"COMPLETE","results":[],"numErrors":1,"errors":[{"status":"error","category":"VALIDATION_ERROR","subCategory":{},"message":"One or more associations are invalid","context":{"INVALID_OBJECT_IDS":["CONTACT=9 is not valid"]}}]}`
	single := `{"fromObjectTypeId":"0-1","fromObjectId":1,"toObjectTypeId":"0-420","toObjectId":2,"labels":["Current tenant"]}`
	dflt := `{"status":"COMPLETE","results":[{"from":{"id":"1"},"to":{"id":"2"},"associationSpec":{"associationCategory":"HUBSPOT_DEFINED","associationTypeId":279}}]}`
	for _, tc := range []struct {
		status int
		body   string
	}{{200, batchBody}, {201, batchBody}, {207, body207}, {204, ""}, {201, ""}, {200, dflt}} {
		for name, call := range map[string]func(*Client) (int, error){
			"batch create": func(c *Client) (int, error) {
				r, err := c.BatchCreateAssociations(ctx, "contacts", "0-420", []AssociationInput{{From: "1", To: "2", Types: []AssociationTypeRef{{"USER_DEFINED", 9}}}})
				if err != nil {
					return 0, err
				}
				return r.NumErrors, nil
			},
			"batch default": func(c *Client) (int, error) {
				r, err := c.BatchCreateDefaultAssociations(ctx, "contacts", "0-420", []AssociationPair{{"1", "2"}})
				if err != nil {
					return 0, err
				}
				return r.NumErrors, nil
			},
			"single labelled": func(c *Client) (int, error) {
				_, err := c.CreateAssociation(ctx, "contacts", "1", "0-420", "2", []AssociationTypeRef{{"USER_DEFINED", 9}})
				return -1, err
			},
			"single default": func(c *Client) (int, error) {
				r, err := c.CreateDefaultAssociation(ctx, "contacts", "1", "0-420", "2")
				if err != nil {
					return 0, err
				}
				return r.NumErrors, nil
			},
		} {
			body := tc.body
			if name == "single labelled" && body == batchBody {
				body = single
			}
			srv := newCannedServer(t, reply(tc.status, body))
			c, _ := newTestClient(t, srv)
			n, err := call(c)
			if err != nil {
				t.Fatalf("%s answered %d %s: %v", name, tc.status, body, err)
			}
			if want := map[bool]int{true: 1, false: 0}[tc.status == 207]; n >= 0 && n != want {
				t.Fatalf("%s answered %d: %d errors", name, tc.status, n)
			}
			if st := c.Stats(); st.Retries != 0 {
				t.Fatalf("%s answered %d: retried", name, tc.status)
			}
		}
	}
}
