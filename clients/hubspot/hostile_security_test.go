package hubspot

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
)

// hugeBody streams a valid-looking JSON document larger than the client
// reads (maxResponseBytes), without holding it in memory on the server.
func hugeBody(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write([]byte(`{"results":[{"id":"1","properties":{"note":"`))
	chunk := []byte(strings.Repeat("x", 1<<20))
	for i := 0; i < maxResponseBytes>>20+2; i++ {
		if _, err := w.Write(chunk); err != nil {
			return
		}
	}
	_, _ = w.Write([]byte(`"}}]}`))
}

// TestHostileResponses: HubSpot answers that are truncated, wrongly typed
// or huge never panic the client, never pass for a success, and never
// quote the token. Every call the engine makes is tried against each.
func TestHostileResponses(t *testing.T) {
	ctx := context.Background()
	calls := map[string]func(c *Client) error{
		"batch upsert": func(c *Client) error { _, err := upsertOne(c); return err },
		"batch read": func(c *Client) error {
			_, err := c.BatchRead(ctx, "contacts", ReadRequest{IDProperty: "buildium_tenant_id", IDs: []string{"1"}, Properties: []string{"email"}})
			return err
		},
		"list properties": func(c *Client) error { _, err := c.ListProperties(ctx, "contacts"); return err },
		"list schemas":    func(c *Client) error { _, err := c.ListSchemas(ctx); return err },
		"association read": func(c *Client) error {
			_, err := c.BatchReadAssociations(ctx, "contacts", "0-420", []string{"1"})
			return err
		},
		"association label": func(c *Client) error { _, err := c.ListAssociationLabels(ctx, "contacts", "contacts"); return err },
		"account details":   func(c *Client) error { _, err := c.AccountDetails(ctx); return err },
		"token info":        func(c *Client) error { _, err := c.TokenInfo(ctx); return err },
		"list objects": func(c *Client) error {
			for _, err := range c.ListObjects(ctx, "contacts", []string{"email"}) {
				if err != nil {
					return err
				}
			}
			return nil
		},
	}
	bodies := []struct {
		name string
		h    http.HandlerFunc
	}{
		{"truncated", truncated(200, `{"status":"COMPLETE","results":[{"id":"1","properties":{"email":"a@b.co"}}],"paging":{"next":{"after":"2"}}}`)},
		{"cut mid-document", reply(200, `{"status":"COMPLETE","results":[{"id":"1","prop`)},
		{"results not a list", reply(200, `{"status":"COMPLETE","results":"none","portalId":"x","scopes":"all"}`)},
		{"ids as objects", reply(200, `{"status":"COMPLETE","results":[{"id":{"$gt":""},"properties":[1,2],"from":{"id":[]}}],"portalId":{}}`)},
		{"a list, not an object", reply(200, `[1,2,3]`)},
		{"a string", reply(200, `"COMPLETE"`)},
		{"empty", reply(200, ``)},
		{"huge", hugeBody},
	}
	for name, call := range calls {
		for _, b := range bodies {
			t.Run(name+"/"+b.name, func(t *testing.T) {
				srv := newCannedServer(t, b.h)
				c, _ := newTestClient(t, srv, func(o *Options) { o.MaxRetries = 1 })
				err := func() (err error) {
					defer func() {
						if r := recover(); r != nil {
							t.Fatalf("panic: %v", r)
						}
					}()
					return call(c)
				}()
				if err == nil {
					// Some shapes are legitimately empty answers (a list of
					// no schemas); a truncated or huge body never is.
					t.Logf("accepted as an empty or partial answer")
					if b.name == "truncated" || b.name == "huge" || b.name == "cut mid-document" {
						t.Fatalf("%s answer taken for a success", b.name)
					}
					return
				}
				if strings.Contains(err.Error(), testToken) {
					t.Fatalf("error quotes the token: %v", err)
				}
				var ae *APIError
				if errors.As(err, &ae) && ae.StatusCode == 200 {
					t.Fatalf("a 200 reported as an API error: %v", err)
				}
			})
		}
	}
}
