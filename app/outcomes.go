package app

import (
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/s-connect/s-connect/backend/config"
	"github.com/s-connect/s-connect/backend/orderimport"
)

// RunView is a run as the UI and `s-connect run` show it: with its outcome
// in the user's words — Geslaagd; Geslaagd, N vastgehouden; or Mislukt with
// the cause.
type RunView struct {
	config.Run
	Message string `json:"message"`
}

// RunProgress is the event of a run or preview that took an order in hand.
type RunProgress struct {
	ProfileID uint   `json:"profileId"`
	Task      string `json:"task"`
	Preview   bool   `json:"preview"`
	orderimport.OrderProgress
}

// runView words a run's outcome in lang.
func (a *Services) runView(r config.Run, lang string) RunView {
	t := func(key, arg string) string { return a.msgs.T(lang, key, arg) }
	v := RunView{Run: r}
	switch r.State {
	case config.RunOK:
		v.Message = t("run.outcome.ok", "")
	case config.RunHeld:
		v.Message = t("run.outcome.held", strconv.Itoa(r.Held))
	case config.RunFailed:
		cause := r.Summary // a run recorded before causes were kept
		if r.Cause != "" {
			cause = a.causeText(lang, r.Cause, r.CauseArg)
		}
		v.Message = t("run.outcome.failed", cause)
	case config.RunSkipped:
		v.Message = t(r.Cause, r.CauseArg)
	default:
		v.Message = t("state."+r.State, "")
	}
	return v
}

// causeOf is what a run records of why it failed: the message key, its
// argument and where to fix it.
func (a *Services) causeOf(err error) (key, arg, fix string) {
	var ie *ImportError
	var le *LicenseError
	switch {
	case errors.As(err, &ie): // logged where the run's error is handled
		return ie.Cause.Key, ie.Cause.Arg, ie.Cause.Fix
	case errors.As(err, &le):
		return "err." + le.Code, le.Module, "program"
	}
	e := a.userError(err)
	return "err." + e.Code, "", e.Fix
}

// causeText words a recorded cause in lang. Two kinds of argument are
// themselves words: the settings still to fill in and a licence module.
func (a *Services) causeText(lang, key, arg string) string {
	t := func(key, arg string) string { return a.msgs.T(lang, key, arg) }
	switch {
	case key == "err.import_not_set":
		var names []string
		for _, k := range strings.Split(arg, ",") {
			names = append(names, t("setting."+k+".label", ""))
		}
		return t(key, strings.Join(names, ", "))
	case strings.HasPrefix(key, "err.license_"):
		return t(key, t("module."+arg, ""))
	}
	return t(key, arg)
}

// FailedText words a run that could not start or stopped, as the window
// does: "Mislukt — " and the cause.
func (a *Services) FailedText(err error) string {
	return a.msgs.T(a.language(), "run.outcome.failed", a.userError(err).Message)
}

// CountsText says a run's counts in the user's language, as the window
// does ("138 × aangemaakt, 20 × mislukt"): for `s-connect run`.
func (a *Services) CountsText(counts map[string]int) string {
	lang := a.language()
	keys := make([]string, 0, len(counts))
	for k := range counts {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, 0, len(keys))
	for _, k := range keys {
		parts = append(parts, fmt.Sprintf("%d × %s", counts[k], lowerFirst(a.msgs.T(lang, "result."+k, ""))))
	}
	if len(parts) == 0 {
		return "0"
	}
	return strings.Join(parts, ", ")
}

// Text is a message in the user's language, {arg} filled in.
func (a *Services) Text(key, arg string) string { return a.msgs.T(a.language(), key, arg) }

// lowerFirst lowers only the first letter: names further on keep theirs.
func lowerFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToLower(r)) + s[n:]
}
