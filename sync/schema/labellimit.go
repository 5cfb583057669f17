package schema

import "context"

// probeLabelLimits asks the label-allowance endpoint whether the account
// may create custom association labels.
func probeLabelLimits(ctx context.Context, p Prober) (Capability, string, error) {
	return Unknown, "", nil
}
