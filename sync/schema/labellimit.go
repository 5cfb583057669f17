package schema

import (
	"context"
	"fmt"

	"b2h/clients/hubspot"
)

// labelLimiter is the label-allowance probe
// (GET /crm/v3/limits/associations/labels); *hubspot.Client has it.
type labelLimiter interface {
	LabelLimits(ctx context.Context, fromType, toType string) (hubspot.LabelLimit, error)
}

// probeLabelLimits asks the label-allowance endpoint whether the account
// may create custom association labels. A prober without it, or an
// endpoint that is not there, leaves the answer Unknown.
func probeLabelLimits(ctx context.Context, p Prober) (Capability, string, error) {
	ll, ok := p.(labelLimiter)
	if !ok {
		return Unknown, "", nil
	}
	lim, err := ll.LabelLimits(ctx, ObjContacts, ObjContacts)
	switch {
	case err != nil && (hubspot.IsNotFound(err) || hubspot.IsValidation(err)):
		return Unknown, "", nil
	case err != nil:
		return Unknown, "", err
	case lim.Limit > 0:
		return Available, fmt.Sprintf("the account allows %d custom labels per object pair (%d used)", lim.Limit, lim.Usage), nil
	}
	return Unavailable, "the account's custom association label allowance is 0 (HubSpot allows custom labels on Professional and Enterprise only)", nil
}
