package app

import (
	"context"
	"encoding/json"
	"errors"
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
	Run      RunView              `json:"run"`
	Counts   map[string]int       `json:"counts"`
	Orders   []orderimport.Result `json:"orders"`
	Warnings []string             `json:"warnings"` // in the user's language
	Stock    *StockView           `json:"stock,omitempty"`
}

// RunNow runs a task at once (*Nu uitvoeren*): the order import, for the
// combined task followed by the stock export. While another run of the
// profile goes on — in this program or another — it says so and does not start.
func (t *Tasks) RunNow(profileID uint, task string) (*RunResult, error) {
	return t.runNow(profileID, task, false)
}

// RunFull is *Nu uitvoeren* with *Volledige controle*: the run reads every
// order of the selection, not only what is new or changed since the last
// run (backend/orderimport/watermark.go).
func (t *Tasks) RunFull(profileID uint, task string) (*RunResult, error) {
	return t.runNow(profileID, task, true)
}

func (t *Tasks) runNow(profileID uint, task string, full bool) (*RunResult, error) {
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
	return t.run(profileID, task, "manual", full)
}

// RunCommand is `s-connect run TASK`: the same run, waiting up to wait for
// a run of the profile that another process is doing.
func (s *Services) RunCommand(profileID uint, task string, wait time.Duration, full bool) (*RunResult, error) {
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
	return s.Tasks.run(profileID, task, "manual", full)
}

// runScheduled is a run nobody watches: the scheduler's, or one chosen in
// the tray (trigger "schedule" or "tray"). What stops it (a run of the
// profile still going on — in this program or another —, no licence any
// more, a setting, SnelStart) is recorded in the run history, where the
// user sees why.
func (t *Tasks) runScheduled(profileID uint, task, trigger string) {
	l, err := t.s.lockProfile(profileID, task, 0)
	if errors.Is(err, errRunBusy) {
		t.recordEnded(profileID, task, trigger, config.RunSkipped, "run.skipped", t.s.ownerText(err), "")
		return
	}
	if err == nil {
		defer l.Release()
		err = t.s.License.require(profileID, task)
	}
	if err != nil {
		cause, arg, fix := t.s.causeOf(err)
		run := t.recordEnded(profileID, task, trigger, config.RunFailed, cause, arg, fix)
		t.s.runFinished(*run, nil, err)
		return
	}
	if _, err := t.run(profileID, task, trigger, false); err != nil {
		t.s.log.Warn("scheduled run", "profile", profileID, "task", task, "err", err)
	}
}

// recordEnded writes a run that did not start into the history, with why
// (a message key and its argument) and where to fix it.
func (t *Tasks) recordEnded(profileID uint, task, trigger, state, cause, arg, fix string) *config.Run {
	now := time.Now()
	run := &config.Run{ProfileID: profileID, Task: task, Trigger: trigger, StartedAt: now, FinishedAt: &now,
		State: state, Summary: "{}", Cause: cause, CauseArg: arg, Fix: fix}
	if err := t.s.store.AddRun(run); err != nil {
		t.s.log.Error("record a scheduled run", "err", err)
	}
	t.s.events.Emit(EventSettingsSaved, profileID)
	return run
}

// run does a task under the profile's lock, which the caller holds.
func (t *Tasks) run(profileID uint, task, trigger string, full bool) (*RunResult, error) {
	run := &config.Run{ProfileID: profileID, Task: task, Trigger: trigger, StartedAt: time.Now(), State: "running"}
	if err := t.s.store.AddRun(run); err != nil {
		return nil, err
	}
	t.s.events.Emit(EventRunProgress, map[string]any{"profileId": profileID, "task": task, "done": 0})
	t.s.runStarted(profileID, task)
	rep, stock, err := t.importOrders(profileID, task, importMode{stock: task == config.TaskOrdersStock, full: full})
	finished := time.Now()
	run.FinishedAt = &finished
	res := &RunResult{}
	if rep != nil {
		t.s.logDetails(profileID, rep.Results)
		res.Counts, res.Orders = rep.Counts, rep.Results
		run.Mode = rep.Mode // Uitvoering says whether the run read every order
		for _, w := range rep.Warnings {
			res.Warnings = append(res.Warnings, t.s.msgs.T(t.s.language(), "warn."+w.Code, w.Arg))
		}
		if other := t.s.sharedAdministration(profileID, rep.Administration); other != "" {
			res.Warnings = append(res.Warnings, t.s.msgs.T(t.s.language(), "warn.shared_administration", other))
		}
	}
	if stock != nil {
		res.Stock = stockView(stock, false)
		for k, n := range res.Stock.Counts {
			res.Counts[k] = n
		}
		if stock.Blocked {
			res.Warnings = append(res.Warnings, t.s.msgs.T(t.s.language(), "warn.stock_guard_"+stock.Guard.Tripped, ""))
		}
	}
	summary, _ := json.Marshal(res.Counts)
	run.Summary, run.State = string(summary), config.RunOK
	// Three outcomes: Geslaagd; Geslaagd, N vastgehouden (orders wait for
	// the user or the next run); Mislukt, with the cause.
	if n := res.Counts["held"] + res.Counts["failed"] + res.Counts["credit_held"] + res.Counts["credit_failed"]; n > 0 {
		run.State, run.Held = config.RunHeld, n
	}
	if err != nil {
		run.State = config.RunFailed
		run.Cause, run.CauseArg, run.Fix = t.s.causeOf(err)
	} else if stock != nil && stock.Blocked {
		// The guard stopped the stock: nothing was written; the user looks at
		// the list (Uitvoering) and may allow the next run once.
		run.State, run.Cause, run.Fix = config.RunFailed, "warn.stock_guard_"+stock.Guard.Tripped, "execution"
	}
	if serr := t.s.store.SaveRun(run); serr != nil && err == nil {
		err = serr
	}
	res.Run = t.s.runView(*run, t.s.language())
	if res.Stock != nil {
		t.keepStock(profileID, run.ID, res.Stock)
	}
	t.s.runFinished(*run, res.Counts, err)
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
	rep, _, err := t.importOrders(profileID, task, importMode{preview: true})
	if err != nil {
		return nil, err
	}
	return rep.Results, nil
}

// importMode is how importOrders runs: a preview (nothing written), only
// some orders, with the stock export after it, or a full pass.
type importMode struct {
	preview, stock, full bool
	only                 []int
}

// importOrders runs the order import and, with stock, the stock export
// after it on the same connection (in a preview: planned against what the
// import would do); only, when set, limits it to those orders.
func (t *Tasks) importOrders(profileID uint, task string, m importMode) (*orderimport.Report, *stockexport.Report, error) {
	preview, only, stock := m.preview, m.only, m.stock
	v, err := t.s.connValues(profileID)
	if err != nil {
		return nil, nil, err
	}
	if !preview && !connect.IsDemo(v) {
		// The caller checked the licence on the values it read; a save in
		// between may have moved a demo to a real shop or administration.
		if err := t.s.License.requireFor(profileID, task, v); err != nil {
			return nil, nil, err
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Hour)
	defer cancel()
	conn, err := connect.Open(ctx, v)
	if err != nil {
		return nil, nil, importError(err, v)
	}
	defer conn.Close()
	if v["shop.transport"] == "mysql" && !preview {
		// The licence binds to the shop this run reached.
		own, err := conn.Shop.OwnURL(ctx)
		if err != nil {
			return nil, nil, importError(err, v)
		}
		if err := t.s.License.checkShop(profileID, own); err != nil {
			return nil, nil, err
		}
	}
	job := t.importJob(profileID, conn, v, preview)
	job.Full = m.full
	if only != nil {
		job.Query.IDs = only // and only when the selection still has them
	}
	job.OnOrder = func(p orderimport.OrderProgress) {
		t.s.events.Emit(EventRunProgress, RunProgress{ProfileID: profileID, Task: task, Preview: preview, OrderProgress: p})
	}
	rep, err := orderimport.Run(ctx, job)
	if err != nil {
		return rep, nil, importError(err, v)
	}
	if !stock {
		return rep, nil, nil
	}
	// Orders first, then stock: what the shop sold is in SnelStart before
	// SnelStart's stock goes back to the shop (the manual's reason for
	// this task).
	var pending *stockexport.Pending
	if preview {
		pending = stockexport.PendingFrom(rep.Results)
	}
	exported, err := t.exportStock(ctx, profileID, conn, v, pending, preview)
	if err != nil {
		return rep, exported, importError(err, v)
	}
	return rep, exported, nil
}

// importJob is the order import of a profile over an open connection.
func (t *Tasks) importJob(profileID uint, conn *connect.Conn, v map[string]string, preview bool) orderimport.Job {
	return orderimport.Job{ProfileID: profileID, Shop: conn.Shop, Client: conn.SnelStart, Ledger: t.s.store, Articles: t.s.store,
		State: t.s.store, Settings: orderimport.SettingsFrom(v), Query: connect.Selection(v), Preview: preview}
}

// ImportError is a run (or a preview) that could not start or stopped,
// with its cause in the user's words.
type ImportError struct {
	Cause Cause
	Err   error
}

func (e *ImportError) Error() string {
	return e.Cause.Code + " " + e.Cause.Arg + ": " + errString(e.Err)
}
func (e *ImportError) Unwrap() error { return e.Err }

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// importError gives a run's error its cause; v are the profile's settings.
func importError(err error, v map[string]string) error {
	return &ImportError{Cause: runCause(err, v), Err: err}
}

// logDetails writes to the log what the user's message about an order
// leaves out: the technical text of an unexpected SnelStart answer or of
// a failed write to the settings database ("De details staan in het
// logbestand").
func (s *Services) logDetails(profileID uint, results []orderimport.Result) {
	for _, r := range results {
		if r.Reason != nil && (r.Reason.Code == "snelstart_error" || r.Reason.Code == "ledger") {
			s.log.Warn("order not sent", "profile", profileID, "order", r.OrderID, "reason", r.Reason.Code, "detail", r.Reason.Arg)
		}
	}
}
