package app

import (
	"strings"
	"testing"
	"time"
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
