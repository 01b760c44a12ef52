package app

import (
	"strings"
	"testing"
	"time"

	"github.com/s-connect/s-connect/backend/config"
	"github.com/s-connect/s-connect/backend/schedule"
)

type fakePlanner struct {
	syncs int
	next  time.Time
}

func (f *fakePlanner) Sync() error                    { f.syncs++; return nil }
func (f *fakePlanner) NextRun(uint, string) time.Time { return f.next }

func TestScheduledRunWithoutLicenceSaysWhy(t *testing.T) {
	s := newTestServices(t)
	ps, _ := s.store.Profiles()
	s.RunScheduled(ps[0].ID, "orders")
	runs, _ := s.Tasks.History(ps[0].ID)
	if len(runs) != 1 || runs[0].State != "failed" || runs[0].Trigger != "schedule" || runs[0].Fix != "program" ||
		!strings.HasPrefix(runs[0].Message, "Mislukt — ") || !strings.Contains(runs[0].Message, "licentie") {
		t.Fatalf("runs %+v", runs)
	}
}

func TestPlannerFollowsTheSettings(t *testing.T) {
	s := newTestServices(t)
	fp := &fakePlanner{next: time.Date(2026, 12, 1, 7, 0, 0, 0, time.Local)}
	s.SetPlanner(fp)
	ps, _ := s.store.Profiles()
	if _, err := s.Settings.Save(ps[0].ID, map[string]string{"planning.orders.interval": "1h"}, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Profiles.Create("Tweede"); err != nil {
		t.Fatal(err)
	}
	if fp.syncs != 2 {
		t.Fatalf("%d syncs, want one per change", fp.syncs)
	}
	list, _ := s.Tasks.List(ps[0].ID)
	if list[0].NextRun != "2026-12-01T07:00" || list[0].Interval != "1h" {
		t.Fatalf("tasks %+v", list)
	}
}

// Choosing an interval on Planning shows Volgende keer uitvoeren at once:
// the save stores it before the form reloads.
func TestNextRunIsThereRightAfterSaving(t *testing.T) {
	s := newTestServices(t)
	planner, err := schedule.New(s.store, s.RunScheduled, nil, s.log)
	if err != nil {
		t.Fatal(err)
	}
	s.SetPlanner(planner)
	if err := planner.Start(); err != nil {
		t.Fatal(err)
	}
	defer planner.Shutdown()
	ps, _ := s.store.Profiles()
	before := time.Now()
	if _, err := s.Settings.Save(ps[0].ID, map[string]string{"planning.orders.interval": "15m"}, nil); err != nil {
		t.Fatal(err)
	}
	view, _ := s.Settings.Get(ps[0].ID)
	next, err := time.ParseInLocation(config.DateTimeLayout, view.Values["planning.orders.nextRun"], time.Local)
	if err != nil {
		t.Fatalf("no next run right after saving: %q", view.Values["planning.orders.nextRun"])
	}
	if d := next.Sub(before); d < 14*time.Minute || d > 16*time.Minute {
		t.Fatalf("next run %v, want about 15 minutes after saving", next)
	}
}
