package server

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/datalid/datalid/api"
	"github.com/datalid/datalid/internal/imageio"
	"github.com/datalid/datalid/internal/onnx"
)

// Sentinel errors of the server's own checks; handlers return them (wrapped with %w) and
// errorStatus maps them, with every other error, to a status and a stable code.
var (
	ErrOverloaded   = errors.New("server busy: too many requests in flight and queued")
	ErrRateLimited  = errors.New("rate limit exceeded")
	ErrUnauthorized = errors.New("missing or invalid API key")
	ErrNotReady     = errors.New("models not ready")
	ErrBadRequest   = errors.New("bad request")
	ErrNotImage     = errors.New("request body is not an image")
	ErrTooManyFiles = errors.New("too many files")
	ErrNotFound     = errors.New("not found")
	ErrMethod       = errors.New("method not allowed")
)

// retryError carries how long a rejected client should wait (Retry-After).
type retryError struct {
	err   error
	after time.Duration
}

func (e *retryError) Error() string { return e.err.Error() }
func (e *retryError) Unwrap() error { return e.err }

// detailError attaches details for the envelope (a limit, a field name).
type detailError struct {
	err     error
	details map[string]any
}

func (e *detailError) Error() string { return e.err.Error() }
func (e *detailError) Unwrap() error { return e.err }

func withDetails(err error, kv map[string]any) error { return &detailError{err: err, details: kv} }

// datalidError marks an error answered on a Datalid-compatible route (/process and the batch
// routes), where Datalid's status codes hold: a file that is not a supported image is 400 there
// (Datalid's front end has text for 400, 413 and 500 only and shows anything else raw), 415
// elsewhere. The code in the body is the same on every route.
type datalidError struct{ err error }

func (e *datalidError) Error() string { return e.err.Error() }
func (e *datalidError) Unwrap() error { return e.err }

// datalidStatus marks err (nil stays nil) for Datalid's status codes.
func datalidStatus(err error) error {
	if err == nil {
		return nil
	}
	return &datalidError{err: err}
}

// errorStatus is the one place an error becomes an HTTP status and a stable code.
func errorStatus(err error) (int, string) {
	var de *datalidError
	if errors.As(err, &de) {
		status, code := errorStatus(de.err)
		if status == http.StatusUnsupportedMediaType {
			status = http.StatusBadRequest
		}
		return status, code
	}
	var maxBytes *http.MaxBytesError
	switch {
	case errors.Is(err, ErrOverloaded):
		return http.StatusServiceUnavailable, api.CodeOverloaded
	case errors.Is(err, errStopping):
		return http.StatusServiceUnavailable, api.CodeNotReady
	case errors.Is(err, ErrBodyTimeout):
		return http.StatusRequestTimeout, api.CodeTimeout
	case errors.Is(err, ErrNotReady):
		return http.StatusServiceUnavailable, api.CodeNotReady
	case errors.Is(err, ErrRateLimited):
		return http.StatusTooManyRequests, api.CodeRateLimited
	case errors.Is(err, ErrUnauthorized):
		return http.StatusUnauthorized, api.CodeUnauthorized
	case errors.Is(err, ErrTooManyFiles):
		return http.StatusBadRequest, api.CodeTooManyFiles
	case errors.Is(err, ErrNotFound):
		return http.StatusNotFound, api.CodeNotFound
	case errors.Is(err, ErrMethod):
		return http.StatusMethodNotAllowed, api.CodeMethod
	case errors.As(err, &maxBytes), errors.Is(err, imageio.ErrTooLarge):
		return http.StatusRequestEntityTooLarge, api.CodeTooLarge
	case errors.Is(err, ErrNotImage), errors.Is(err, imageio.ErrUnsupported):
		return http.StatusUnsupportedMediaType, api.CodeUnsupported
	case errors.Is(err, imageio.ErrCorrupt), errors.Is(err, imageio.ErrEmpty):
		return http.StatusBadRequest, api.CodeInvalidImage
	case errors.Is(err, ErrBadRequest):
		return http.StatusBadRequest, api.CodeValidation
	case errors.Is(err, context.DeadlineExceeded):
		return http.StatusGatewayTimeout, api.CodeTimeout
	case errors.Is(err, context.Canceled):
		return 499, api.CodeClientClosed // nginx's convention; the client is gone anyway
	case errors.Is(err, onnx.ErrLibrary), errors.Is(err, onnx.ErrModel):
		return http.StatusServiceUnavailable, api.CodeModelUnavailable
	}
	return http.StatusInternalServerError, api.CodeInternal
}

// writeError writes the JSON error envelope (DATALID.md §3.4) for err. Internal errors are
// logged in full and answered with a generic message, so no internals leak to clients.
func (s *Server) writeError(w http.ResponseWriter, r *http.Request, err error) {
	status, code := errorStatus(err)
	if errors.Is(err, ErrBodyTimeout) || errors.Is(err, errStopping) {
		w.Header().Set("Connection", "close") // the connection's read side is spent
	} else {
		exchangeOf(r.Context()).drain() // so the answer is read, not reset
	}
	if errors.Is(err, errStopping) {
		err = &retryError{err: err, after: notReadyRetry}
	}
	msg := err.Error()
	if status == http.StatusInternalServerError {
		s.log.Error("internal error", "request_id", requestID(r.Context()), "path", r.URL.Path, "err", err)
		msg = "internal server error"
	}
	var details map[string]any
	var de *detailError
	if errors.As(err, &de) {
		details = de.details
	}
	var re *retryError
	if errors.As(err, &re) {
		secs := max(1, int((re.after+time.Second-1)/time.Second))
		w.Header().Set("Retry-After", strconv.Itoa(secs))
		if details == nil {
			details = map[string]any{}
		}
		details["retry_after"] = secs
	}
	s.metrics.rejected(code)
	id := requestID(r.Context())
	body := api.ErrorResponse{
		Status:    "error",
		Error:     api.ErrorDetail{Code: code, Message: msg, Details: details},
		Timestamp: s.now().Format(time.RFC3339Nano),
		RequestID: &id,
	}
	writeJSON(w, status, body)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	// The status is sent: an encoding or write error (the client left) leaves nothing to do.
	_ = json.NewEncoder(w).Encode(v)
}
