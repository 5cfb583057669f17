package hubspot

import (
	"context"
	"net/http"
	"time"
)

// tokenInfoPath has no dated form. The account and object-library
// endpoints follow the client's path style (accountInfoPath,
// objectLibraryPath).
const tokenInfoPath = "/oauth/v2/private-apps/get/access-token-info"

// ListingsEnabled reports whether the Listings object (0-420) is activated
// in the account (GET /crm/object-library/{version}/enablement/0-420, §7): records
// cannot be written before a Super Admin activates it.
func (c *Client) ListingsEnabled(ctx context.Context) (bool, error) {
	var out struct {
		Enablement bool `json:"enablement"`
	}
	_, err := c.do(ctx, call{
		op: "check listings activation", kind: "account_listings_enablement", method: http.MethodGet,
		path: c.objectLibraryPath("enablement", "0-420"), out: &out, idempotent: true,
	})
	return out.Enablement, err
}

// AccountDetails describes the HubSpot account (portal).
type AccountDetails struct {
	PortalID              int    `json:"portalId"`
	AccountType           string `json:"accountType"` // STANDARD, DEVELOPER_TEST, SANDBOX, …
	TimeZone              string `json:"timeZone"`
	CompanyCurrency       string `json:"companyCurrency"`
	UTCOffset             string `json:"utcOffset"`
	UTCOffsetMilliseconds int64  `json:"utcOffsetMilliseconds"`
	UIDomain              string `json:"uiDomain"`
	DataHostingLocation   string `json:"dataHostingLocation"`
}

// AccountDetails reads the account's details (GET /account-info/v3/details).
// The client remembers the account's time zone: the daily limit resets at
// midnight there (§9).
func (c *Client) AccountDetails(ctx context.Context) (AccountDetails, error) {
	var out AccountDetails
	_, err := c.do(ctx, call{
		op: "read account details", kind: "account_details", method: http.MethodGet,
		path: c.accountInfoPath("details"), out: &out, idempotent: true,
	})
	if err == nil {
		if loc := out.Location(); loc != nil {
			c.mu.Lock()
			c.accountTZ = loc
			c.mu.Unlock()
		}
	}
	return out, err
}

// Location returns the account's time zone: TimeZone if the tz database
// knows it, else the fixed UTC offset, else nil.
func (d AccountDetails) Location() *time.Location {
	if d.TimeZone != "" {
		if loc, err := time.LoadLocation(d.TimeZone); err == nil {
			return loc
		}
	}
	if d.UTCOffset != "" || d.UTCOffsetMilliseconds != 0 {
		return time.FixedZone(d.UTCOffset, int(d.UTCOffsetMilliseconds/1000))
	}
	return nil
}

// DailyUsage is the account's private-app API usage today.
type DailyUsage struct {
	Name         string
	UsageLimit   int
	CurrentUsage int
	CollectedAt  time.Time
	ResetsAt     time.Time // when the daily budget comes back
	FetchStatus  string
}

// Remaining is the budget left today (never negative).
func (u DailyUsage) Remaining() int { return max(0, u.UsageLimit-u.CurrentUsage) }

// dailyUsageBody is {"results":[{name, usageLimit, currentUsage, …}]}.
type dailyUsageBody struct {
	Results []struct {
		Name         string   `json:"name"`
		UsageLimit   int      `json:"usageLimit"`
		CurrentUsage int      `json:"currentUsage"`
		CollectedAt  flexTime `json:"collectedAt"`
		ResetsAt     flexTime `json:"resetsAt"`
		FetchStatus  string   `json:"fetchStatus"`
	} `json:"results"`
}

// pick returns the private-apps daily entry (the first when unnamed).
func (b dailyUsageBody) pick() (DailyUsage, bool) {
	if len(b.Results) == 0 {
		return DailyUsage{}, false
	}
	r := b.Results[0]
	for _, x := range b.Results {
		if x.Name == "private-apps-api-calls-daily" {
			r = x
			break
		}
	}
	return DailyUsage{
		Name: r.Name, UsageLimit: r.UsageLimit, CurrentUsage: r.CurrentUsage,
		CollectedAt: time.Time(r.CollectedAt), ResetsAt: time.Time(r.ResetsAt), FetchStatus: r.FetchStatus,
	}, true
}

// DailyUsage reads today's API usage of the account's private apps
// (GET /account-info/v3/api-usage/daily/private-apps).
func (c *Client) DailyUsage(ctx context.Context) (DailyUsage, error) {
	var out dailyUsageBody
	_, err := c.do(ctx, call{
		op: "read daily API usage", kind: "account_daily_usage", method: http.MethodGet,
		path: c.accountInfoPath("api-usage", "daily", "private-apps"), out: &out, idempotent: true,
	})
	if err != nil {
		return DailyUsage{}, err
	}
	u, _ := out.pick()
	if !u.ResetsAt.IsZero() {
		c.mu.Lock()
		c.dailyMemo = u.ResetsAt
		c.mu.Unlock()
	}
	return u, nil
}

// TokenInfo describes the access token: the account it belongs to and the
// scopes granted.
type TokenInfo struct {
	HubID  int      `json:"hubId"`
	UserID int      `json:"userId,omitempty"`
	AppID  int      `json:"appId,omitempty"`
	Scopes []string `json:"scopes"`
}

// HasScope reports whether the token grants scope.
func (t TokenInfo) HasScope(scope string) bool {
	for _, s := range t.Scopes {
		if s == scope {
			return true
		}
	}
	return false
}

// TokenInfo asks HubSpot which account and scopes the access token has
// (POST /oauth/v2/private-apps/get/access-token-info {"tokenKey": token}).
// The token travels in the request body here, never in errors or logs.
func (c *Client) TokenInfo(ctx context.Context) (TokenInfo, error) {
	var out TokenInfo
	_, err := c.do(ctx, call{
		op: "read access token info", kind: "account_token_info", method: http.MethodPost,
		path: tokenInfoPath, body: struct {
			TokenKey string `json:"tokenKey"`
		}{c.token}, out: &out, idempotent: true,
	})
	return out, err
}
