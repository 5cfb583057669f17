package fault

import (
	"net/http"
)

// ResetConnection closes the client's connection without writing a
// response, the way a proxy or load balancer drops a request. The client
// sees a reset or an unexpected EOF.
func ResetConnection(w http.ResponseWriter) {
	if hj, ok := w.(http.Hijacker); ok {
		if conn, _, err := hj.Hijack(); err == nil {
			_ = conn.Close()
			return
		}
	}
	// Not hijackable (HTTP/2 or a recorder): abort the handler, which
	// net/http turns into a reset stream.
	panic(http.ErrAbortHandler)
}

// WriteTruncated writes status and the first half of body, then drops the
// connection, so the client reads a 2xx whose JSON ends early.
func WriteTruncated(w http.ResponseWriter, status int, body []byte) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(body[:len(body)/2])
	if f, ok := w.(http.Flusher); ok {
		f.Flush()
	}
	panic(http.ErrAbortHandler)
}
