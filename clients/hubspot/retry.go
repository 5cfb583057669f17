package hubspot

import (
	"log/slog"
	"math/rand/v2"
	"net/http"
	"strconv"
	"time"
)

// Backoff bounds for transient failures (5xx, resets, truncated bodies).
const (
	backoffBase = 250 * time.Millisecond
	backoffCap  = 30 * time.Second
	// retryAfterCap bounds a Retry-After the client will honour.
	retryAfterCap = 5 * time.Minute
)

// backoff returns an exponential backoff with full jitter for the given
// attempt (1-based): uniform in [0, min(cap, base·2^(attempt-1))), at least
// 10 ms.
func backoff(attempt int) time.Duration {
	ceil := backoffCap
	if attempt < 20 {
		ceil = min(backoffCap, backoffBase<<(attempt-1))
	}
	return max(10*time.Millisecond, rand.N(ceil))
}

// retryAfter returns the wait a Retry-After header asks for (seconds or an
// HTTP date), bounded by retryAfterCap, or def when there is none.
func retryAfter(h http.Header, now time.Time, def time.Duration) time.Duration {
	v := h.Get("Retry-After")
	if v == "" {
		return def
	}
	if n, err := strconv.Atoi(v); err == nil && n >= 0 {
		return min(time.Duration(n)*time.Second, retryAfterCap)
	}
	if t, err := http.ParseTime(v); err == nil {
		return min(max(t.Sub(now), 0), retryAfterCap)
	}
	return def
}

// levelFor logs the first retries at debug and persistent trouble at warn.
func levelFor(attempt int) slog.Level {
	if attempt >= 3 {
		return slog.LevelWarn
	}
	return slog.LevelDebug
}

// attrs are the fields of a retry log line; never bodies or the token.
func attrs(kind string, status, attempt int, wait time.Duration, reason string) []slog.Attr {
	return []slog.Attr{
		slog.String("kind", kind),
		slog.Int("status", status),
		slog.Int("attempt", attempt),
		slog.Duration("wait", wait),
		slog.String("reason", reason),
	}
}
