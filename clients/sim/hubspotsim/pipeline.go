package hubspotsim

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"b2h/clients/sim/fault"
)

// maxBody bounds a request body; HubSpot's largest legitimate bodies
// (2,000 association inputs) are far below it.
const maxBody = 16 << 20

// endpoint is one route: its Stats kind and how the pipeline treats it.
type endpoint struct {
	kind   string
	write  bool // counts in Stats.Writes
	search bool // search limits and no rate-limit headers (§8, §9)
	open   bool // token introspection: no bearer token, no limits, no faults
	fn     func(c *call) reply
}

// call is one request as a handler sees it.
type call struct {
	r    *http.Request
	body []byte
	ms   int64 // the request time, epoch ms
}

// path returns a path wildcard.
func (c *call) path(name string) string { return c.r.PathValue(name) }

// query returns a query parameter.
func (c *call) query(name string) string { return c.r.URL.Query().Get(name) }

// queryList returns a comma-separated (or repeated) query parameter.
func (c *call) queryList(name string) []string {
	var out []string
	for _, v := range c.r.URL.Query()[name] {
		for _, s := range strings.Split(v, ",") {
			if s = strings.TrimSpace(s); s != "" {
				out = append(out, s)
			}
		}
	}
	return out
}

// queryBool reads a boolean query parameter (default false).
func (c *call) queryBool(name string) bool {
	b, _ := strconv.ParseBool(c.query(name))
	return b
}

// reply is a handler's answer; body is JSON-encoded unless nil.
type reply struct {
	status     int
	body       any
	retryAfter string
}

// answer builds a successful reply.
func answer(status int, body any) reply { return reply{status: status, body: body} }

// route registers pattern with the full request pipeline.
func (s *Server) route(pattern string, ep endpoint) {
	s.mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) { s.serve(w, r, &ep) })
}

// serve runs one request: latency, injected faults, authentication, rate
// limits, the handler, and the response with rate-limit headers.
func (s *Server) serve(w http.ResponseWriter, r *http.Request, ep *endpoint) {
	s.stats.begin(ep.kind)
	if !ep.open {
		if d := s.faults.Latency(); d > 0 {
			select {
			case <-time.After(d):
			case <-r.Context().Done():
				return
			}
		}
	}
	now := s.now()
	truncate := false
	if !ep.open {
		if st := s.popForced(); st != 0 {
			s.send(w, s.injected(st, now), nil, false)
			return
		}
		switch s.faults.Request(true) {
		case fault.Reset:
			s.stats.reset1()
			fault.ResetConnection(w)
			return
		case fault.ServerError:
			s.send(w, s.injected(s.faults.ServerErrorStatus(), now), nil, false)
			return
		case fault.Locked:
			s.send(w, s.injected(423, now), nil, false)
			return
		case fault.RateLimited:
			s.send(w, s.injected(429, now), s.limits.headers(now, true), false)
			return
		case fault.Truncated:
			truncate = true
		}
		if !s.authorized(r) {
			s.send(w, s.unauthorized(r), nil, false)
			return
		}
	}
	var hdr [][2]string
	if !ep.open {
		policy, h := s.limits.admit(now, ep.search)
		hdr = h
		if policy != "" {
			s.send(w, rateLimited(policy).reply(), hdr, false)
			return
		}
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
	if err != nil {
		s.send(w, badRequest("Could not read the request body: %v", err).reply(), hdr, false)
		return
	}
	if ep.write {
		s.stats.write()
	}
	rep := ep.fn(&call{r: r, body: body, ms: now.UnixMilli()})
	s.send(w, rep, hdr, truncate)
}

// send writes rep with headers; a truncate fault cuts a 2xx body short.
func (s *Server) send(w http.ResponseWriter, rep reply, hdr [][2]string, truncate bool) {
	h := w.Header()
	for _, kv := range hdr {
		h.Set(kv[0], kv[1])
	}
	if rep.retryAfter != "" {
		h.Set("Retry-After", rep.retryAfter)
	}
	var buf []byte
	if ae, ok := rep.body.(*apiError); ok && ae.CorrelationID == "" && ae.PolicyName == "" {
		ae.CorrelationID = newUUID()
	}
	if ae, ok := rep.body.(*apiError); ok {
		h.Set("X-HubSpot-Correlation-Id", ae.CorrelationID)
	}
	if fast, ok := rep.body.(jsonAppender); ok {
		buf = append(fast.appendJSON(make([]byte, 0, 4096)), '\n')
	} else if rep.body != nil {
		var b bytes.Buffer
		enc := json.NewEncoder(&b)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(rep.body); err != nil {
			rep = newFailure(500, catInternal, "internal error encoding the response").reply()
			b.Reset()
			_ = json.NewEncoder(&b).Encode(rep.body)
		}
		buf = b.Bytes()
	}
	s.stats.end(rep.status)
	if truncate && rep.status < 300 && len(buf) > 1 {
		fault.WriteTruncated(w, rep.status, buf)
		return
	}
	if buf != nil {
		h.Set("Content-Type", "application/json;charset=utf-8")
		h.Set("Content-Length", strconv.Itoa(len(buf)))
	}
	w.WriteHeader(rep.status)
	if buf != nil {
		_, _ = w.Write(buf)
	}
}

// authorized checks "Authorization: Bearer <token>" (§1).
func (s *Server) authorized(r *http.Request) bool {
	tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	return ok && strings.TrimSpace(tok) == s.token
}

// unauthorized is the 401 INVALID_AUTHENTICATION body (§1, §10).
func (s *Server) unauthorized(r *http.Request) reply {
	msg := "Authentication credentials not found. This API supports OAuth 2.0 authentication and you can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview"
	if r.Header.Get("Authorization") != "" {
		msg = "The access token provided is invalid, expired or revoked. Check the private app access token or service key."
	}
	return newFailure(401, catAuth, "%s", msg).reply()
}

// rateLimited is the 429 body of §9 for a policy.
func rateLimited(policy string) *failure {
	msg := map[string]string{
		policyTenSecondly: "You have reached your ten_secondly_rolling limit.",
		policyDaily:       "You have reached your daily limit.",
		policySecondly:    "You have reached your secondly limit.",
	}[policy]
	return &failure{status: 429, body: apiError{
		Status: "error", Message: msg, ErrorType: "RATE_LIMIT",
		CorrelationID: newUUID(), PolicyName: policy, RequestID: newUUID(),
	}}
}

// injected answers an injected fault or a FailNext status.
func (s *Server) injected(status int, now time.Time) reply {
	switch {
	case status == 429:
		return rateLimited(policyTenSecondly).reply()
	case status == 423:
		// §3: 423 Locked on high-volume writes; wait ≥ 2 s.
		rep := newFailure(423, catLocked, "The requested records are locked by a concurrent high-volume update. Wait at least 2 seconds before retrying.").reply()
		rep.retryAfter = "2"
		return rep
	case status == 477:
		// §10: 477 migration in progress; honour Retry-After.
		rep := newFailure(477, "MIGRATION_IN_PROGRESS", "This portal is being migrated between data centers. Retry after the Retry-After delay.").reply()
		rep.retryAfter = "1"
		return rep
	case status >= 500:
		return newFailure(status, catInternal, "internal error").reply()
	}
	return newFailure(status, catValidation, "%s", http.StatusText(status)).reply()
}

// notFoundRoute answers paths the simulator does not serve.
func (s *Server) notFoundRoute(w http.ResponseWriter, r *http.Request) {
	s.stats.begin("unknown")
	s.send(w, newFailure(404, catNotFound, "No endpoint %s %s in this HubSpot simulator.", r.Method, r.URL.Path).reply(), nil, false)
}
