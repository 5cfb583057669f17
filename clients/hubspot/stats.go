package hubspot

import (
	"maps"
	"net/http"
	"strconv"
	"time"
)

// Stats counts what the client did since it was created.
type Stats struct {
	Requests    int64            // HTTP requests sent, retries included
	Writes      int64            // of which requests that change HubSpot data
	RateLimited int64            // 429 responses received
	Retries     int64            // requests sent again after a failure
	ByKind      map[string]int64 // requests per kind ("batch_upsert", "search", "associations_batch_create", …)
	Waited      time.Duration    // time spent waiting, limiter plus retry backoff, summed over goroutines
	LimiterWait time.Duration    // of which waiting for the rate limiter (pacing, 429 pauses)
	RetryWait   time.Duration    // of which backing off before a retry
}

// Stats returns a copy of the counters.
func (c *Client) Stats() Stats {
	c.mu.Lock()
	defer c.mu.Unlock()
	s := c.stats
	s.ByKind = maps.Clone(c.stats.ByKind)
	return s
}

// LimitsSnapshot is the last X-HubSpot-RateLimit-* headers seen
// (hubspot-api.md §9). Search responses carry none and do not update it.
type LimitsSnapshot struct {
	Known          bool // a response with the ten-secondly headers was seen
	Max            int  // X-HubSpot-RateLimit-Max: requests per interval
	IntervalMs     int  // X-HubSpot-RateLimit-Interval-Milliseconds
	Remaining      int  // X-HubSpot-RateLimit-Remaining
	DailyKnown     bool // the daily headers were seen (not sent for OAuth)
	Daily          int  // X-HubSpot-RateLimit-Daily: the account's daily budget (infers the tier)
	DailyRemaining int  // X-HubSpot-RateLimit-Daily-Remaining
	At             time.Time
}

// Limits returns the last rate-limit headers seen.
func (c *Client) Limits() LimitsSnapshot {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.limits
}

func (c *Client) countRequest(kind string, write, retry bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.stats.Requests++
	c.stats.ByKind[kind]++
	if write {
		c.stats.Writes++
	}
	if retry {
		c.stats.Retries++
	}
}

func (c *Client) countRateLimited() {
	c.mu.Lock()
	c.stats.RateLimited++
	c.mu.Unlock()
}

func (c *Client) addWait(limiter, retry time.Duration) {
	if limiter == 0 && retry == 0 {
		return
	}
	c.mu.Lock()
	c.stats.LimiterWait += limiter
	c.stats.RetryWait += retry
	c.stats.Waited += limiter + retry
	c.mu.Unlock()
}

// headerInt reads an integer header; ok is false when absent or malformed.
func headerInt(h http.Header, name string) (int, bool) {
	v := h.Get(name)
	if v == "" {
		return 0, false
	}
	n, err := strconv.Atoi(v)
	return n, err == nil
}

// recordLimits stores the rate-limit headers of a response and sizes the
// window from them. It returns HubSpot's count of requests in its window
// when the headers allow computing it.
func (c *Client) recordLimits(h http.Header) (serverCount int, ok bool) {
	mx, okMax := headerInt(h, "X-HubSpot-RateLimit-Max")
	iv, okIv := headerInt(h, "X-HubSpot-RateLimit-Interval-Milliseconds")
	rem, okRem := headerInt(h, "X-HubSpot-RateLimit-Remaining")
	daily, okDaily := headerInt(h, "X-HubSpot-RateLimit-Daily")
	dailyRem, okDailyRem := headerInt(h, "X-HubSpot-RateLimit-Daily-Remaining")
	if !okMax && !okDaily {
		return 0, false
	}
	c.mu.Lock()
	c.limits.At = c.now()
	if okMax && okIv {
		c.limits.Known = true
		c.limits.Max, c.limits.IntervalMs = mx, iv
		if okRem {
			c.limits.Remaining = rem
		}
	}
	if okDaily {
		c.limits.DailyKnown = true
		c.limits.Daily = daily
		if okDailyRem {
			c.limits.DailyRemaining = dailyRem
		}
	}
	c.mu.Unlock()
	if okMax && okIv && mx > 0 && iv > 0 {
		c.win.resize(Rate{Max: mx, Interval: time.Duration(iv) * time.Millisecond})
		if okRem && rem >= 0 && rem <= mx {
			return mx - rem, true
		}
	}
	return 0, false
}
