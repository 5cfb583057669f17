package schema

import (
	"context"
	"fmt"
	"strconv"

	"b2h/clients/hubspot"
)

// detailer reads GET /account-info/v3/details, which every token type may
// call; *hubspot.Client has it.
type detailer interface {
	AccountDetails(ctx context.Context) (hubspot.AccountDetails, error)
}

// Identify checks that HubSpot accepts the token and returns the portal it
// belongs to. Token info is documented for legacy private apps only, so a
// 404 or 403 there (a service key) falls back to the account details; only
// a rejected token or an unreachable HubSpot is an error.
func Identify(ctx context.Context, p interface {
	TokenInfo(ctx context.Context) (hubspot.TokenInfo, error)
}) (portalID string, err error) {
	ti, err := p.TokenInfo(ctx)
	if err == nil {
		return strconv.Itoa(ti.HubID), nil
	}
	if !hubspot.IsNotFound(err) && !hubspot.IsForbidden(err) {
		return "", err
	}
	d, ok := p.(detailer)
	if !ok {
		return "", nil
	}
	det, derr := d.AccountDetails(ctx)
	switch {
	case derr == nil:
		return strconv.Itoa(det.PortalID), nil
	case hubspot.IsUnauthorized(derr):
		return "", derr
	case hubspot.IsNotFound(derr) || hubspot.IsForbidden(derr):
		return "", nil // the token works; the portal id comes later
	}
	return "", fmt.Errorf("read the account details: %w", derr)
}
