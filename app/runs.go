package app

import (
	"context"
	"encoding/json"
	"errors"
	"sort"
	"time"

	"github.com/s-connect/s-connect/backend/config"
	"github.com/s-connect/s-connect/backend/connect"
	"github.com/s-connect/s-connect/backend/orderimport"
	"github.com/s-connect/s-connect/backend/snelstart"
	"github.com/s-connect/s-connect/backend/stockexport"
)

func isSnelStart(err error) bool {
	var ae *snelstart.APIError
	return errors.As(err, &ae) || errors.Is(err, snelstart.ErrNetwork) || errors.Is(err, snelstart.ErrTimeout)
}

// RunResult is what *Nu uitvoeren* reports.
type RunResult struct {
	Run      config.Run           `json:"run"`
	Counts   map[string]int       `json:"counts"`
	Orders   []orderimport.Result `json:"orders"`
	Warnings []string             `json:"warnings"` // in the user's language
}

// RunNow runs a task at once (*Nu uitvoeren*): the order import, for the
// combined task followed by the stock export. While another run of the
// profile goes on — in this program or another — it says so and does not start.
func (t *Tasks) RunNow(profileID uint, task string) (*RunResult, error) {
	if err := checkTask(task); err != nil {
		return nil, err
	}
	l, err := t.s.lockProfile(profileID, task, 0)
	if err != nil {
		return nil, err
	}
	defer l.Release()
	if err := t.s.License.require(profileID, task); err != nil {
		return nil, err
	}
	return t.run(profileID, task, "manual")
}

// RunCommand is `s-connect run TASK`: the same run, waiting up to wait for
// a run of the profile that another process is doing.
func (s *Services) RunCommand(profileID uint, task string, wait time.Duration) (*RunResult, error) {
	if err := checkTask(task); err != nil {
		return nil, err
	}
	l, err := s.lockProfile(profileID, task, wait)
	if err != nil {
		return nil, err
	}
	defer l.Release()
	if err := s.License.require(profileID, task); err != nil {
		return nil, err
	}
	return s.Tasks.run(profileID, task, "manual")
}

// runScheduled is the scheduler's run of a task. What stops it (a run of
// the profile still going on, no licence any more, a setting, SnelStart)
// is recorded in the run history, where the user sees why.
func (t *Tasks) runScheduled(profileID uint, task string) {
	l, err := t.s.lockProfile(profileID, task, 0)
	if errors.Is(err, errRunBusy) {
		t.recordEnded(profileID, task, "skipped", t.s.msgs.T(t.s.language(), "run.skipped", t.s.ownerText(err)))
		return
	}
	if err != nil {
		t.recordEnded(profileID, task, "failed", t.s.userError(err).Message)
		return
	}
	defer l.Release()
	if err := t.s.License.require(profileID, task); err != nil {
		t.recordEnded(profileID, task, "failed", t.s.userError(err).Message)
		return
	}
	if _, err := t.run(profileID, task, "schedule"); err != nil {
		t.s.log.Warn("scheduled run", "profile", profileID, "task", task, "err", err)
	}
}

// recordEnded writes a scheduled run that did not start into the history.
func (t *Tasks) recordEnded(profileID uint, task, state, summary string) {
	now := time.Now()
	run := &config.Run{ProfileID: profileID, Task: task, Trigger: "schedule", StartedAt: now, FinishedAt: &now,
		State: state, Summary: summary}
	if err := t.s.store.AddRun(run); err != nil {
		t.s.log.Error("record a scheduled run", "err", err)
	}
	t.s.events.Emit(EventSettingsSaved, profileID)
}

// run does a task under the profile's lock, which the caller holds.
func (t *Tasks) run(profileID uint, task, trigger string) (*RunResult, error) {
	run := &config.Run{ProfileID: profileID, Task: task, Trigger: trigger, StartedAt: time.Now(), State: "running"}
	if err := t.s.store.AddRun(run); err != nil {
		return nil, err
	}
	t.s.events.Emit(EventRunProgress, map[string]any{"profileId": profileID, "task": task, "done": 0})
	rep, err := t.importOrders(profileID, task, false)
	finished := time.Now()
	run.FinishedAt = &finished
	res := &RunResult{Run: *run}
	if rep != nil {
		res.Counts, res.Orders = rep.Counts, rep.Results
		for _, w := range rep.Warnings {
			res.Warnings = append(res.Warnings, t.s.msgs.T(t.s.language(), "warn."+w.Code, w.Arg))
		}
		if other := t.s.sharedAdministration(profileID, rep.Administration); other != "" {
			res.Warnings = append(res.Warnings, t.s.msgs.T(t.s.language(), "warn.shared_administration", other))
		}
	}
	summary, _ := json.Marshal(res.Counts)
	run.Summary, run.State = string(summary), "ok"
	if err != nil {
		run.Summary = t.s.userError(err).Message
	}
	if err != nil || res.Counts["failed"] > 0 {
		run.State = "failed"
	}
	if serr := t.s.store.SaveRun(run); serr != nil && err == nil {
		err = serr
	}
	res.Run = *run
	t.s.events.Emit(EventSettingsSaved, profileID) // the overview changed
	if err != nil {
		return nil, err
	}
	return res, nil
}

// Preview shows what a run would create, without writing anything (B1).
func (t *Tasks) Preview(profileID uint, task string) ([]orderimport.Result, error) {
	if err := checkTask(task); err != nil {
		return nil, err
	}
	rep, err := t.importOrders(profileID, task, true)
	if err != nil {
		return nil, err
	}
	return rep.Results, nil
}

// StockPreview is what the stock export would write to the shop now.
type StockPreview struct {
	Counts map[string]int    `json:"counts"` // stock_changed, stock_same, stock_<skip reason>
	Rows   []stockexport.Row `json:"rows"`   // changed and skipped products; unchanged ones are only counted
}

// PreviewStock shows what *Importeren orders + exporteren voorraad* would
// write to the shop's stock, without writing anything (B1 for stock). Orders
// that are not in SnelStart yet are reserved, as the run reserves them, so
// the figures are those the shop would get now.
func (t *Tasks) PreviewStock(profileID uint) (*StockPreview, error) {
	v, err := t.s.store.Values(profileID)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Hour)
	defer cancel()
	conn, err := connect.Open(ctx, v)
	if err != nil {
		return nil, importError(err)
	}
	defer conn.Close()
	rep, err := stockexport.Run(ctx, stockexport.Job{ProfileID: profileID, Shop: conn.Shop, Client: conn.SnelStart,
		Ledger: t.s.store, Settings: stockexport.SettingsFrom(v), Since: connect.Selection(v).AddedSince, Preview: true})
	if err != nil {
		return nil, importError(err)
	}
	out := &StockPreview{Counts: map[string]int{}, Rows: []stockexport.Row{}}
	for k, n := range rep.Counts {
		out.Counts["stock_"+k] = n
	}
	for _, r := range rep.Rows {
		if r.Skip != "" || r.New != r.Old {
			out.Rows = append(out.Rows, r)
		}
	}
	// What changes first, then what cannot be matched; by article code.
	sort.SliceStable(out.Rows, func(i, j int) bool {
		a, b := out.Rows[i], out.Rows[j]
		if (a.Skip == "") != (b.Skip == "") {
			return a.Skip == ""
		}
		return a.Code < b.Code
	})
	return out, nil
}

// Orders lists the orders of recent runs: created ones with their customer
// and relatiecode (to find them in SnelStart's Verkopen window), failed and
// held ones with the reason.
func (t *Tasks) Orders(profileID uint) ([]config.LedgerEntry, error) {
	return t.s.store.RecentLedger(profileID, 200)
}

func (t *Tasks) importOrders(profileID uint, task string, preview bool) (*orderimport.Report, error) {
	v, err := t.s.store.Values(profileID)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Hour)
	defer cancel()
	conn, err := connect.Open(ctx, v)
	if err != nil {
		return nil, importError(err)
	}
	defer conn.Close()
	job := orderimport.Job{ProfileID: profileID, Shop: conn.Shop, Client: conn.SnelStart, Ledger: t.s.store,
		Settings: orderimport.SettingsFrom(v), Query: connect.Selection(v), Preview: preview}
	job.Progress = func(done int) {
		t.s.events.Emit(EventRunProgress, map[string]any{"profileId": profileID, "task": task, "done": done})
	}
	rep, err := orderimport.Run(ctx, job)
	if err != nil {
		return rep, importError(err)
	}
	if task == config.TaskOrdersStock && !preview {
		// Orders first, then stock: what the shop sold is in SnelStart before
		// SnelStart's stock goes back to the shop (the manual's reason for
		// this task).
		stock, err := stockexport.Run(ctx, stockexport.Job{ProfileID: profileID, Shop: conn.Shop, Client: conn.SnelStart,
			Ledger: t.s.store, Settings: stockexport.SettingsFrom(v), Since: job.Query.AddedSince})
		if err != nil {
			return rep, importError(err)
		}
		for k, n := range stock.Counts {
			rep.Counts["stock_"+k] += n
		}
	}
	return rep, nil
}

// ImportError is a run that could not start or stopped, with its cause.
type ImportError struct {
	Code, Arg string
	Err       error
}

func (e *ImportError) Error() string { return e.Code + " " + e.Arg + ": " + errString(e.Err) }
func (e *ImportError) Unwrap() error { return e.Err }

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

func importError(err error) error {
	var ce *orderimport.ConfigError
	var ne *connect.NeedsSettingsError
	switch {
	case errors.As(err, &ce):
		return &ImportError{Code: "import_config_" + ce.Code, Arg: ce.Arg}
	case errors.As(err, &ne):
		return &NeedsError{Code: "import_not_set", Keys: ne.Keys}
	case errors.Is(err, connect.ErrNotConnected):
		return &ImportError{Code: "import_not_connected"}
	case isSnelStart(err):
		return &SnelStartError{Err: err}
	}
	return &ImportError{Code: "import_failed", Err: err}
}
