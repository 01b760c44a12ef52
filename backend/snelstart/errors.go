package snelstart

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"
)

// Sentinels an *APIError (or a transport failure) matches with errors.Is, so
// callers can tell the user what to do without parsing messages.
var (
	ErrInvalidClientKey       = errors.New("snelstart: koppelsleutel refused")
	ErrInvalidSubscriptionKey = errors.New("snelstart: subscription key refused")
	ErrUnauthorized           = errors.New("snelstart: not authorised")
	ErrForbidden              = errors.New("snelstart: no rights (scope) for this call")
	ErrNotFound               = errors.New("snelstart: not found")
	ErrValidation             = errors.New("snelstart: refused by validation")
	ErrRateLimited            = errors.New("snelstart: rate limited")
	ErrServer                 = errors.New("snelstart: server error")
	ErrNetwork                = errors.New("snelstart: no connection")
	ErrTimeout                = errors.New("snelstart: timed out")
	// ErrMaybeWritten marks a failed write whose effect is unknown: the
	// request may have been stored before the answer was lost. Look it up
	// (by betalingskenmerk) before sending it again.
	ErrMaybeWritten = errors.New("snelstart: write may have happened")
)

// ErrorItem is one SnelStart validation error, e.g. REL-0007.
type ErrorItem struct {
	Code    string `json:"errorCode"`
	Message string `json:"message"`
}

// APIError is any non-2xx answer, decoded from whichever of SnelStart's
// body shapes it came in (reference §5).
type APIError struct {
	Method, Path string
	Status       int
	Items        []ErrorItem         // [{"errorCode","message"}]
	Message      string              // {"message"} / {"Message"} / APIM {"statusCode","message"}
	ModelState   map[string][]string // {"message","modelState"}
	RetryAfter   time.Duration       // from Retry-After on 429/503
	token        bool                // the token endpoint answered
}

func (e *APIError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "snelstart: %s %s: %d", e.Method, e.Path, e.Status)
	for _, it := range e.Items {
		fmt.Fprintf(&b, "; %s %s", it.Code, it.Message)
	}
	if e.Message != "" {
		b.WriteString("; " + e.Message)
	}
	for k, v := range e.ModelState {
		fmt.Fprintf(&b, "; %s: %s", k, strings.Join(v, " "))
	}
	return b.String()
}

// Has reports whether SnelStart gave the error code (e.g. "ART-0005").
func (e *APIError) Has(code string) bool {
	for _, it := range e.Items {
		if it.Code == code {
			return true
		}
	}
	return false
}

// Is maps the status (and APIM's message) to the sentinels.
func (e *APIError) Is(target error) bool {
	subKey := strings.Contains(strings.ToLower(e.Message), "subscription key")
	switch target {
	case ErrInvalidClientKey:
		return e.token && e.Status >= 400 && e.Status < 500
	case ErrInvalidSubscriptionKey:
		return !e.token && (e.Status == http.StatusUnauthorized || e.Status == http.StatusForbidden) && subKey
	case ErrUnauthorized:
		return !e.token && e.Status == http.StatusUnauthorized && !subKey
	case ErrForbidden:
		return !e.token && e.Status == http.StatusForbidden && !subKey
	case ErrNotFound:
		return e.Status == http.StatusNotFound
	case ErrValidation:
		return e.Status == http.StatusBadRequest && !e.token
	case ErrRateLimited:
		return e.Status == http.StatusTooManyRequests
	case ErrServer:
		return e.Status >= 500
	}
	return false
}

// WriteUncertainError wraps the failure of a create or update whose outcome
// is unknown (a 5xx, a dropped connection, a time-out after sending).
type WriteUncertainError struct{ Err error }

func (e *WriteUncertainError) Error() string {
	return "snelstart: write may have happened: " + e.Err.Error()
}
func (e *WriteUncertainError) Unwrap() error        { return e.Err }
func (e *WriteUncertainError) Is(target error) bool { return target == ErrMaybeWritten }

// decodeError reads an error body in any of the shapes SnelStart uses.
func decodeError(method, path string, status int, body []byte) *APIError {
	e := &APIError{Method: method, Path: path, Status: status}
	trimmed := strings.TrimSpace(string(body))
	switch {
	case strings.HasPrefix(trimmed, "["):
		_ = decodeJSON(body, &e.Items)
	case strings.HasPrefix(trimmed, "{"):
		var obj map[string]any
		if decodeJSON(body, &obj) == nil {
			for k, v := range obj {
				switch strings.ToLower(k) {
				case "message", "error_description", "description", "details":
					if s, ok := v.(string); ok && e.Message == "" {
						e.Message = s
					}
				case "error":
					if s, ok := v.(string); ok && e.Message == "" {
						e.Message = s
					}
				case "modelstate":
					e.ModelState = modelState(v)
				}
			}
		}
	default:
		if len(trimmed) > 200 {
			trimmed = trimmed[:200]
		}
		e.Message = trimmed
	}
	return e
}

func modelState(v any) map[string][]string {
	m, ok := v.(map[string]any)
	if !ok {
		return nil
	}
	out := map[string][]string{}
	for k, vv := range m {
		if list, ok := vv.([]any); ok {
			for _, x := range list {
				out[k] = append(out[k], fmt.Sprint(x))
			}
		}
	}
	return out
}
