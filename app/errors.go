package app

import (
	"errors"
	"strings"

	"github.com/s-connect/s-connect/backend/config"
)

// Error is the one error shape every bound method gives the UI: a stable
// code to act on, the step that failed (for connection tests), a message in
// the user's language, and per-field messages for a form.
type Error struct {
	Code    string       `json:"code"`
	Step    string       `json:"step,omitempty"`
	Message string       `json:"message"`
	Fields  []FieldError `json:"fields,omitempty"`
	Fix     string       `json:"fix,omitempty"` // where to fix it: a setting key or a tab id
}

// FieldError is a message about one setting.
type FieldError struct {
	Key     string `json:"key"`
	Code    string `json:"code"`
	Message string `json:"message"`
}

func (e *Error) Error() string { return e.Code + ": " + e.Message }

// NeedsError means an action needs settings that are still empty.
type NeedsError struct {
	Code string   // "snelstart_not_set"
	Keys []string // the empty settings
}

func (e *NeedsError) Error() string { return e.Code + ": " + strings.Join(e.Keys, ", ") }

// SnelStartError is a failed call to SnelStart outside a connection test.
type SnelStartError struct{ Err error }

func (e *SnelStartError) Error() string { return e.Err.Error() }
func (e *SnelStartError) Unwrap() error { return e.Err }

// ShopError is a failed action on the shop's server outside a connection test.
type ShopError struct{ Err error }

func (e *ShopError) Error() string { return e.Err.Error() }
func (e *ShopError) Unwrap() error { return e.Err }

// userError turns any error from a service into the Error the UI shows. It
// never shows err.Error() to a user: unknown errors get a general message and
// go to the log in full.
func (a *Services) userError(err error) *Error {
	lang := a.language()
	t := func(key, arg string) string { return a.msgs.T(lang, key, arg) }
	var ve *config.ValidationError
	var ne *NeedsError
	var se *SnelStartError
	var she *ShopError
	var ie *ImportError
	var le *LicenseError
	var lr *LicenseRefusedError
	var ready *Error
	var che *checkError
	switch {
	case errors.As(err, &che):
		return &Error{Code: che.code, Message: t(che.key, che.arg), Fix: che.fix}
	case errors.As(err, &ready):
		return ready
	case errors.Is(err, errRunBusy):
		return &Error{Code: "run_busy", Message: t("err.run_busy", a.ownerText(err))}
	case errors.As(err, &ie):
		if ie.Err != nil {
			a.log.Warn("order import", "err", ie.Err)
		}
		return &Error{Code: ie.Cause.Code, Message: a.causeText(lang, ie.Cause.Key, ie.Cause.Arg), Fix: ie.Cause.Fix}
	case errors.As(err, &lr):
		return &Error{Code: "license_refused", Message: t(licenseKey(lr.Err), "")}
	case errors.As(err, &le):
		return &Error{Code: le.Code, Message: t("err."+le.Code, t("module."+le.Module, "")), Fix: "program"}
	case errors.As(err, &she):
		a.log.Warn("shop server", "err", err)
		return &Error{Code: "shop", Message: t("err.shop", "")}
	case errors.As(err, &ne):
		names := make([]string, len(ne.Keys))
		for i, k := range ne.Keys {
			names[i] = t("setting."+k+".label", "")
		}
		return &Error{Code: ne.Code, Message: t("err."+ne.Code, strings.Join(names, ", "))}
	case errors.As(err, &se):
		a.log.Warn("snelstart call failed", "err", err)
		return &Error{Code: "snelstart", Message: snelstartMessage(t, se.Err, "")}
	case errors.As(err, &ve):
		out := &Error{Code: "invalid", Message: t("err.invalid", "")}
		for _, is := range ve.Issues {
			key := "err." + is.Code
			if !a.msgs.Has(key) {
				key = "err.invalid_value"
			}
			out.Fields = append(out.Fields, FieldError{Key: is.Key, Code: is.Code, Message: t(key, is.Arg)})
		}
		return out
	case errors.Is(err, config.ErrNotFound):
		return &Error{Code: "not_found", Message: t("err.not_found", "")}
	case errors.Is(err, errNotSelected):
		return &Error{Code: "not_selected", Message: t("err.not_selected", ""), Fix: "opencart"}
	case errors.Is(err, config.ErrNotOpen):
		return &Error{Code: "not_open", Message: t("err.not_open", "")}
	case errors.Is(err, config.ErrLastProfile):
		return &Error{Code: "last_profile", Message: t("err.last_profile", "")}
	case errors.Is(err, config.ErrNotAProfile):
		return &Error{Code: "not_a_profile", Message: t("err.not_a_profile", "")}
	case errors.Is(err, config.ErrKeyringUnavailable):
		return &Error{Code: "keyring_unavailable", Message: t("err.keyring_unavailable", "")}
	case errors.Is(err, config.ErrSecretUnreadable):
		return &Error{Code: "secret_unreadable", Message: t("err.secret_unreadable", "")}
	case errors.Is(err, errBadRequest):
		return &Error{Code: "bad_request", Message: t("err.bad_request", "")}
	}
	a.log.Error("unexpected error", "err", err)
	return &Error{Code: "internal", Message: t("err.internal", "")}
}

// errBadRequest marks arguments the UI should never send (an unknown task).
var errBadRequest = errors.New("bad request")

// FormatError is the ErrorFormatter for Wails and the HTTP adapter alike.
func (a *Services) FormatError(err error) any { return a.userError(err) }

// language is the UI language for messages.
func (a *Services) language() string {
	lang, err := a.store.ProgramValue("ui.language")
	if err != nil {
		a.log.Warn("read language", "err", err)
		return Languages[0]
	}
	return lang
}
