package sync

import (
	"context"
	"fmt"
	"strings"

	"b2h/clients/hubspot"
)

// resolveEmailConflict handles a contact batch HubSpot refused whole with
// 409 CONFLICT (an email another contact holds; HubSpot names only the
// first). Instead of splitting the batch down to the offenders, one batch
// read by email finds every contact already holding one of the batch's
// emails: those records are held for review as existing contacts, the rest
// are sent again. A lone record, or a batch whose emails the read does not
// place, is settled as the 207 answer would be, or split.
func (l *loader) resolveEmailConflict(ctx context.Context, items []item, existing string, apiErr *hubspot.APIError) error {
	if len(items) == 1 && existing != "" {
		return l.commit(ctx, items, conflictResult(items, map[int]string{0: existing}))
	}
	owners, err := l.emailOwners(ctx, items)
	if err != nil {
		return l.handleBatchError(ctx, items, err)
	}
	held := map[int]string{}
	var rest []item
	for i, it := range items {
		if id, ok := owners[strings.ToLower(it.rec.Properties["email"])]; ok && (it.prior == nil || it.prior.HubSpotID != id) {
			held[i] = id
			continue
		}
		rest = append(rest, it)
	}
	if len(held) == 0 {
		if len(items) == 1 {
			return l.commitFailures(items, apiErr.Category, hubspotMessage(apiErr))
		}
		mid := len(items) / 2
		if err := l.write(ctx, items[:mid]); err != nil {
			return err
		}
		return l.write(ctx, items[mid:])
	}
	collided := make([]item, 0, len(held))
	ids := map[int]string{}
	for i, it := range items {
		if id, ok := held[i]; ok {
			ids[len(collided)] = id
			collided = append(collided, it)
		}
	}
	if err := l.commit(ctx, collided, conflictResult(collided, ids)); err != nil {
		return err
	}
	if len(rest) == 0 {
		return nil
	}
	return l.write(ctx, rest)
}

// emailOwners reads, by email, the contacts holding the batch's emails
// (primary or additional) and returns, by lower-cased email, the id of the
// contact holding it, unless that contact is the record's own (its unique
// key is the record's: a run that crashed after HubSpot wrote it and
// before state recorded it leaves such a contact, which is not a
// collision). The key is why this reads more than ContactsByEmail.
func (l *loader) emailOwners(ctx context.Context, items []item) (map[string]string, error) {
	var emails []string
	keyOf := map[string]string{}
	for _, it := range items {
		if em := strings.ToLower(it.rec.Properties["email"]); em != "" {
			if _, dup := keyOf[em]; !dup {
				emails = append(emails, em)
			}
			keyOf[em] = it.rec.Key
		}
	}
	out := map[string]string{}
	if len(emails) == 0 {
		return out, nil
	}
	res, err := l.e.hs.BatchRead(ctx, objContacts, hubspot.ReadRequest{IDs: emails, IDProperty: "email",
		Properties: []string{"email", "hs_additional_emails", l.key}})
	if err != nil {
		return nil, err
	}
	for _, o := range res.Results {
		held := []string{strings.ToLower(o.Prop("email"))}
		for _, a := range strings.Split(o.Prop("hs_additional_emails"), ";") {
			held = append(held, strings.ToLower(strings.TrimSpace(a)))
		}
		for _, em := range held {
			if key, ok := keyOf[em]; ok && em != "" && o.Prop(l.key) != key {
				out[em] = o.ID
			}
		}
	}
	return out, nil
}

// conflictResult is the answer HubSpot gives in a 207 for records whose
// email another contact holds: one CONFLICT error per record, naming it by
// trace id.
func conflictResult(items []item, existing map[int]string) *hubspot.BatchResult {
	res := &hubspot.BatchResult{HTTPStatus: 409, Status: "COMPLETE"}
	for i, it := range items {
		res.Errors = append(res.Errors, hubspot.StandardError{Status: "error", Category: hubspot.CategoryConflict,
			Message: fmt.Sprintf("Contact already exists. Existing ID: %s", existing[i]),
			Context: map[string][]string{"objectWriteTraceId": {it.rec.Key}}})
	}
	return res
}
