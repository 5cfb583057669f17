package mapping

import (
	"bytes"

	"go.yaml.in/yaml/v3"
)

// FileUnitTarget returns the unit target a mapping file was written for:
// the target of its units entity, else of its leases entity, when it is
// TargetUnit or TargetListings; "" when it names none or is not YAML.
// Export writes both, so a command can check an exported file against the
// default it was exported from before the account check chooses.
func FileUnitTarget(data []byte) string {
	if len(data) > MaxFileSize {
		return ""
	}
	var doc struct {
		Entities map[string]struct {
			Target string `yaml:"target"`
		} `yaml:"entities"`
	}
	if err := yaml.NewDecoder(bytes.NewReader(data)).Decode(&doc); err != nil {
		return ""
	}
	for _, e := range []Entity{Units, Leases} {
		if t := doc.Entities[string(e)].Target; t == TargetUnit || t == TargetListings {
			return t
		}
	}
	return ""
}

// unitTargetHint says how to get a file for the account's unit target.
func unitTargetHint(accountTarget string) string {
	if accountTarget == TargetListings {
		return "; this account puts units on listings: start from `b2h mapping export --units listings`"
	}
	return "; this account puts units on the custom object: start from `b2h mapping export --units unit`, or keep this file and pass --units listings to sync and plan"
}
