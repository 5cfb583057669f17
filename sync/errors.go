package sync

import (
	"errors"
	"iter"
	"maps"

	"b2h/clients/hubspot"
)

// isDailyLimit reports whether err is HubSpot's daily limit: the job pauses
// with a checkpoint and says when it can resume.
func isDailyLimit(err error) bool {
	var dl *hubspot.DailyLimitError
	return errors.As(err, &dl)
}

// isConfig reports whether err is one a person fixes in configuration.
func isConfig(err error) bool { return errors.Is(err, ErrConfig) }

// mapsKeys returns a map's keys (for sorting).
func mapsKeys[K comparable, V any](m map[K]V) iter.Seq[K] { return maps.Keys(m) }
