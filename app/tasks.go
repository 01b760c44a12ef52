package app

import (
	"time"

	"github.com/s-connect/s-connect/backend/config"
)

// Tasks shows the scheduled tasks and runs them on demand (F8, F9).
type Tasks struct{ s *Services }

// TaskStatus is one row of the Uitvoering overview.
type TaskStatus struct {
	Task     string      `json:"task"`
	Interval string      `json:"interval"`
	NextRun  string      `json:"nextRun"`
	LastRun  *config.Run `json:"lastRun"`
}

// List returns each task of a profile with its schedule and last run.
func (t *Tasks) List(profileID uint) ([]TaskStatus, error) {
	view, err := t.s.store.View(profileID)
	if err != nil {
		return nil, err
	}
	out := make([]TaskStatus, 0, len(config.Tasks))
	for _, task := range config.Tasks {
		last, err := t.s.store.LastRun(profileID, task)
		if err != nil {
			return nil, err
		}
		ts := TaskStatus{Task: task, LastRun: last,
			Interval: view.Values["planning."+task+".interval"], NextRun: view.Values["planning."+task+".nextRun"]}
		if t.s.planner != nil {
			if next := t.s.planner.NextRun(profileID, task); !next.IsZero() {
				ts.NextRun = next.In(time.Local).Format(config.DateTimeLayout)
			}
		}
		out = append(out, ts)
	}
	return out, nil
}

// History returns a profile's newest runs.
func (t *Tasks) History(profileID uint) ([]config.Run, error) { return t.s.store.Runs(profileID, 50) }

func checkTask(task string) error {
	for _, k := range config.Tasks {
		if k == task {
			return nil
		}
	}
	return errBadRequest
}
