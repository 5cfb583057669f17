package hubspotsim

import (
	"fmt"
	"slices"
	"strings"
)

// Variant is one way a real HubSpot portal answers differently from the
// simulator's default reading of the docs. Each is switched on by name
// (Options.Variants, `b2h demo serve --hubspot-variant`), and several can be
// on at once.
type Variant string

// The variants the simulator plays.
const (
	// VariantBatch409: a contact write whose email another contact holds
	// fails its whole batch with 409 CONFLICT "Contact already exists.
	// Existing ID: N" (naming the first offender only), even with trace ids,
	// instead of a 207 entry.
	VariantBatch409 Variant = "batch-409"
	// VariantSpecErrors: error bodies take the shape of HubSpot's OpenAPI
	// documents: subCategory an object, context values arrays, errors[] with
	// code and in, links; 429s in the standard error shape with the policy
	// name where the spec puts it.
	VariantSpecErrors Variant = "spec-errors"
	// VariantNoEcho: batch results carry neither objectWriteTraceId nor the
	// input's idProperty value, and come in shuffled order.
	VariantNoEcho Variant = "no-echo"
	// VariantNoLegacy: the endpoints documented only for legacy private
	// apps are absent: token info answers 404, daily API usage 403.
	VariantNoLegacy Variant = "no-legacy"
	// VariantDatedOnly: only the date-based paths (/crm/objects/2026-03/…)
	// are served; /crm/v3 and /crm/v4 answer 404 as after their sunset.
	VariantDatedOnly Variant = "dated-only"
	// VariantEditedOptions: the portal's built-in dropdowns (hs_listing_type
	// and others) have edited options, so values outside them answer
	// INVALID_OPTION.
	VariantEditedOptions Variant = "edited-options"
)

// Variants lists every variant, in the order help texts show them.
var Variants = []Variant{VariantBatch409, VariantSpecErrors, VariantNoEcho, VariantNoLegacy, VariantDatedOnly, VariantEditedOptions}

// ParseVariants reads a comma-separated list of variant names ("" is none).
func ParseVariants(s string) ([]Variant, error) {
	var out []Variant
	for _, f := range strings.Split(s, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		v := Variant(strings.ToLower(f))
		if !slices.Contains(Variants, v) {
			names := make([]string, len(Variants))
			for i, x := range Variants {
				names[i] = string(x)
			}
			return nil, fmt.Errorf("unknown HubSpot variant %q (use %s)", f, strings.Join(names, ", "))
		}
		if !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	return out, nil
}

// Has reports whether the variant v is switched on.
func (s *Server) Has(v Variant) bool { return slices.Contains(s.variants, v) }
