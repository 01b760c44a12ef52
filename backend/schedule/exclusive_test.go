package schedule

import (
	"path/filepath"
	"testing"
	"time"
)

// Two processes on one settings folder (here: two schedulers on one lock
// file): one schedules; when it stops, the other takes over, and it picks
// up settings another process saved.
func TestOneSchedulerPerSettingsFolder(t *testing.T) {
	store, p, clk, rec, first := setup(t, map[string]string{"planning.orders.interval": "5m"})
	second, err := New(store, rec.run, clk, nil)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "scheduler.lock")
	first.StartExclusive(path, "eerste", 5*time.Millisecond)
	waitFor(t, "the first to schedule", first.Scheduling)
	second.StartExclusive(path, "tweede", 5*time.Millisecond)
	time.Sleep(50 * time.Millisecond) // ten polls
	if second.Scheduling() {
		t.Fatal("two schedulers on one settings folder")
	}
	if err := first.Shutdown(); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the second to take over", second.Scheduling)
	defer second.Shutdown()
	// A change saved elsewhere reaches the scheduler by its own sync.
	if _, err := store.Save(p, map[string]string{"planning.orders.interval": "off", "planning.ordersStock.interval": "1h"}, nil); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the change to be picked up", func() bool {
		return second.NextRun(p, "orders").IsZero() && !second.NextRun(p, "ordersStock").IsZero()
	})
}
