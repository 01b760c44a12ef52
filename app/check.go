package app

import (
	"context"
	"errors"
	"time"

	"github.com/s-connect/s-connect/backend/connect"
	"github.com/s-connect/s-connect/backend/orderimport"
	"github.com/s-connect/s-connect/backend/reconcile"
)

// EventCheckProgress tells the UI how far Controle is.
const EventCheckProgress = "check:progress"

// CheckProgress is one step of Controle's progress.
type CheckProgress struct {
	ProfileID uint `json:"profileId"`
	reconcile.Progress
}

// checkError is a period or setting Controle cannot work with, in the
// user's words.
type checkError struct {
	code, key, arg, fix string
}

func (e *checkError) Error() string { return "check: " + e.code + " " + e.arg }

// Check is Controle (B3): the profile's shop orders of a period (days
// YYYY-MM-DD, both included) against SnelStart. It reads only; it needs no
// ledger (another PC) and takes no lock.
func (t *Tasks) Check(profileID uint, from, to string) (*reconcile.Report, error) {
	start, end, err := reconcile.Period(from, to)
	if err != nil {
		return nil, periodError(err)
	}
	v, err := t.s.store.Values(profileID)
	if err != nil {
		return nil, err
	}
	settings := orderimport.SettingsFrom(v)
	if !settings.PaymentReference {
		return nil, &checkError{code: "check_no_reference", key: "check.err.noReference", fix: "sales.paymentReference"}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Hour)
	defer cancel()
	conn, err := connect.Open(ctx, v)
	if err != nil {
		return nil, importError(err, v)
	}
	defer conn.Close()
	rep, err := reconcile.Run(ctx, reconcile.Job{ProfileID: profileID, Shop: conn.Shop, Client: conn.SnelStart,
		Ledger: t.s.store, Settings: settings, Query: connect.Selection(v), From: start, To: end,
		Progress: func(p reconcile.Progress) {
			t.s.events.Emit(EventCheckProgress, CheckProgress{ProfileID: profileID, Progress: p})
		}})
	if err != nil {
		return nil, importError(err, v)
	}
	t.s.events.Emit(EventCheckProgress, CheckProgress{ProfileID: profileID, Progress: reconcile.Progress{Orders: rep.Orders, Percent: 100}})
	lang := t.s.language()
	rep.Explain(lang, func(key, arg string) string { return t.s.msgs.T(lang, key, arg) })
	return rep, nil
}

// CheckCSV is a check's report as a CSV file for a spreadsheet, in the
// user's language (Dutch: ; and a decimal comma, as Dutch Excel reads it).
func (t *Tasks) CheckCSV(rep reconcile.Report) (string, error) {
	lang := t.s.language()
	return reconcile.CSV(&rep, lang, func(key, arg string) string { return t.s.msgs.T(lang, key, arg) }), nil
}

func periodError(err error) error {
	var pe *reconcile.PeriodError
	if errors.As(err, &pe) {
		return &checkError{code: "check_period", key: "check.period." + pe.Code, arg: pe.Arg}
	}
	return err
}

// ErrorText is an error as the window would show it, for the command line.
func (s *Services) ErrorText(err error) string { return s.userError(err).Message }
