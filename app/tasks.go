package app

import (
	"time"

	"github.com/s-connect/s-connect/backend/config"
)

// Tasks shows the scheduled tasks and runs them on demand (F8, F9).
type Tasks struct{ s *Services }

// TaskStatus is one row of the Uitvoering overview.
type TaskStatus struct {
	Task     string   `json:"task"`
	Interval string   `json:"interval"`
	NextRun  string   `json:"nextRun"`
	LastRun  *RunView `json:"lastRun"`
	LastOK   *RunView `json:"lastOk"` // the last run that did not fail
}

// List returns each task of a profile with its schedule and last run.
func (t *Tasks) List(profileID uint) ([]TaskStatus, error) {
	settings, err := t.s.store.View(profileID)
	if err != nil {
		return nil, err
	}
	lang := t.s.language()
	view := func(r *config.Run, err error) (*RunView, error) {
		if r == nil || err != nil {
			return nil, err
		}
		v := t.s.runView(*r, lang)
		return &v, nil
	}
	out := make([]TaskStatus, 0, len(config.Tasks))
	for _, task := range config.Tasks {
		last, err := view(t.s.store.LastRun(profileID, task))
		if err != nil {
			return nil, err
		}
		lastOK, err := view(t.s.store.LastRunIn(profileID, task, config.RunOK, config.RunHeld))
		if err != nil {
			return nil, err
		}
		ts := TaskStatus{Task: task, LastRun: last, LastOK: lastOK,
			Interval: settings.Values["planning."+task+".interval"], NextRun: settings.Values["planning."+task+".nextRun"]}
		if t.s.planner != nil {
			if next := t.s.planner.NextRun(profileID, task); !next.IsZero() {
				ts.NextRun = next.In(time.Local).Format(config.DateTimeLayout)
			}
		}
		out = append(out, ts)
	}
	return out, nil
}

// History returns a profile's newest runs with their outcome.
func (t *Tasks) History(profileID uint) ([]RunView, error) {
	runs, err := t.s.store.Runs(profileID, 50)
	if err != nil {
		return nil, err
	}
	lang := t.s.language()
	out := make([]RunView, len(runs))
	for i, r := range runs {
		out[i] = t.s.runView(r, lang)
	}
	return out, nil
}

func checkTask(task string) error {
	for _, k := range config.Tasks {
		if k == task {
			return nil
		}
	}
	return errBadRequest
}
