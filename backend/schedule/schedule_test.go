package schedule

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"

	"github.com/s-connect/s-connect/backend/config"
)

type recorder struct {
	mu    sync.Mutex
	runs  []string
	block chan struct{} // when set, a run waits on it
}

func (r *recorder) run(profile uint, task string) {
	r.mu.Lock()
	r.runs = append(r.runs, task)
	b := r.block
	r.mu.Unlock()
	if b != nil {
		<-b
	}
}

func (r *recorder) count() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.runs)
}

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("waited in vain for %s", what)
		}
		time.Sleep(time.Millisecond)
	}
}

func setup(t *testing.T, settings map[string]string) (*config.Store, uint, *clockwork.FakeClock, *recorder, *Scheduler) {
	t.Helper()
	store, err := config.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	p, _ := store.CreateProfile("Winkel")
	if _, err := store.Save(p.ID, settings, nil); err != nil {
		t.Fatal(err)
	}
	clk := clockwork.NewFakeClockAt(time.Date(2026, 11, 28, 12, 0, 0, 0, time.Local))
	rec := &recorder{}
	sc, err := New(store, rec.run, clk, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sc.Shutdown() })
	return store, p.ID, clk, rec, sc
}

func nextRun(t *testing.T, store *config.Store, id uint, task string) string {
	v, _ := store.View(id)
	return v.Values["planning."+task+".nextRun"]
}

func TestIntervalRunsAndNextRunIsKept(t *testing.T) {
	store, id, clk, rec, sc := setup(t, map[string]string{"planning.orders.interval": "15m"})
	if err := sc.Start(); err != nil {
		t.Fatal(err)
	}
	clk.BlockUntilContext(context.Background(), 1)
	if got := sc.NextRun(id, "orders"); !got.Equal(time.Date(2026, 11, 28, 12, 15, 0, 0, time.Local)) {
		t.Fatalf("first run at %v, want 12:15", got)
	}
	clk.Advance(15 * time.Minute)
	waitFor(t, "the first run", func() bool { return rec.count() == 1 })
	waitFor(t, "the next run written back", func() bool { return nextRun(t, store, id, "orders") == "2026-11-28T12:30" })
	// Later intervals run it again. (Should gocron still see a run as busy
	// when the next is due, it skips that one: a singleton never overlaps.)
	for i := 0; i < 3; i++ {
		clk.BlockUntilContext(context.Background(), 1)
		clk.Advance(15 * time.Minute)
		time.Sleep(30 * time.Millisecond)
	}
	waitFor(t, "more runs", func() bool { return rec.count() >= 2 })
	if rec.runs[0] != "orders" {
		t.Fatalf("ran %v", rec.runs)
	}
}

func TestARunNeverOverlapsItself(t *testing.T) {
	_, _, clk, rec, sc := setup(t, map[string]string{"planning.orders.interval": "5m"})
	rec.block = make(chan struct{})
	if err := sc.Start(); err != nil {
		t.Fatal(err)
	}
	clk.BlockUntilContext(context.Background(), 1)
	clk.Advance(5 * time.Minute)
	waitFor(t, "the first run", func() bool { return rec.count() == 1 })
	for i := 0; i < 3; i++ { // three more intervals pass while it runs
		clk.Advance(5 * time.Minute)
		time.Sleep(20 * time.Millisecond)
	}
	if rec.count() != 1 {
		t.Fatalf("%d runs at once", rec.count())
	}
	close(rec.block)
}

func TestTheUsersNextRunAndARestart(t *testing.T) {
	store, id, clk, rec, sc := setup(t, map[string]string{"planning.orders.interval": "1h", "planning.orders.nextRun": "2026-11-28T12:20"})
	if err := sc.Start(); err != nil {
		t.Fatal(err)
	}
	clk.BlockUntilContext(context.Background(), 1)
	if got := sc.NextRun(id, "orders"); got.Hour() != 12 || got.Minute() != 20 {
		t.Fatalf("first run %v, want the user's 12:20", got)
	}
	clk.Advance(20 * time.Minute)
	waitFor(t, "the run", func() bool { return rec.count() == 1 })
	waitFor(t, "13:20 written", func() bool { return nextRun(t, store, id, "orders") == "2026-11-28T13:20" })
	sc.Shutdown()

	// A restart: the new scheduler takes the stored next run.
	sc2, err := New(store, rec.run, clk, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer sc2.Shutdown()
	if err := sc2.Start(); err != nil {
		t.Fatal(err)
	}
	clk.BlockUntilContext(context.Background(), 1)
	if got := sc2.NextRun(id, "orders"); got.Hour() != 13 || got.Minute() != 20 {
		t.Fatalf("after a restart %v, want 13:20", got)
	}
}

func TestChangesAndSwitchingOff(t *testing.T) {
	store, id, clk, _, sc := setup(t, map[string]string{"planning.orders.interval": "30m", "planning.ordersStock.interval": "daily", "planning.ordersStock.dailyAt": "06:30"})
	if err := sc.Start(); err != nil {
		t.Fatal(err)
	}
	clk.BlockUntilContext(context.Background(), 2)
	if got := sc.NextRun(id, "ordersStock"); !got.Equal(time.Date(2026, 11, 29, 6, 30, 0, 0, time.Local)) {
		t.Fatalf("daily at 06:30: %v", got)
	}
	store.Save(id, map[string]string{"planning.orders.interval": "off"}, nil)
	if err := sc.Sync(); err != nil {
		t.Fatal(err)
	}
	if !sc.NextRun(id, "orders").IsZero() {
		t.Fatal("a task switched off is still planned")
	}
	store.Save(id, map[string]string{"planning.ordersStock.dailyAt": "22:00"}, nil)
	sc.Sync()
	clk.BlockUntilContext(context.Background(), 1)
	if got := sc.NextRun(id, "ordersStock"); got.Hour() != 22 || got.Day() != 28 {
		t.Fatalf("daily at 22:00: %v", got)
	}
	// A deleted profile's tasks go too.
	other, _ := store.CreateProfile("Tweede")
	store.Save(other.ID, map[string]string{"planning.orders.interval": "5m"}, nil)
	sc.Sync()
	if sc.NextRun(other.ID, "orders").IsZero() {
		t.Fatal("the new profile's task is not planned")
	}
	store.DeleteProfile(other.ID)
	sc.Sync()
	if !sc.NextRun(other.ID, "orders").IsZero() {
		t.Fatal("a deleted profile's task is still planned")
	}
}

// Volgende keer uitvoeren is stored (and so shown) as soon as an interval
// is chosen, not only after the first run; a daily task gets its time.
func TestNextRunIsStoredWhenTheIntervalIsChosen(t *testing.T) {
	store, id, _, rec, sc := setup(t, nil)
	if err := sc.Start(); err != nil {
		t.Fatal(err)
	}
	if got := nextRun(t, store, id, "orders"); got != "" {
		t.Fatalf("switched off, yet next run %q", got)
	}
	store.Save(id, map[string]string{"planning.orders.interval": "30m",
		"planning.ordersStock.interval": "daily", "planning.ordersStock.dailyAt": "06:15"}, nil)
	if err := sc.Sync(); err != nil {
		t.Fatal(err)
	}
	if got := nextRun(t, store, id, "orders"); got != "2026-11-28T12:30" {
		t.Fatalf("orders: next run %q right after saving, want 2026-11-28T12:30", got)
	}
	if got := nextRun(t, store, id, "ordersStock"); got != "2026-11-29T06:15" {
		t.Fatalf("daily: next run %q, want tomorrow 06:15", got)
	}
	if rec.count() != 0 {
		t.Fatalf("%d runs on choosing an interval", rec.count())
	}
}

// A run that fell due while the program was not running runs once at
// the start — not once per missed interval — and the schedule goes on
// from then.
func TestAMissedRunRunsOnceAtTheStart(t *testing.T) {
	store, id, clk, rec, sc := setup(t, map[string]string{"planning.orders.interval": "15m",
		"planning.orders.nextRun": "2026-11-28T09:00"}) // three hours ago: twelve intervals missed
	if err := sc.Start(); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the missed run", func() bool { return rec.count() == 1 })
	waitFor(t, "the next run after it", func() bool { return nextRun(t, store, id, "orders") == "2026-11-28T12:15" })
	time.Sleep(50 * time.Millisecond)
	if rec.count() != 1 {
		t.Fatalf("%d runs for the missed intervals, want one", rec.count())
	}
	clk.BlockUntilContext(context.Background(), 2) // the job and the wake watch
	clk.Advance(15 * time.Minute)
	waitFor(t, "the next scheduled run", func() bool { return rec.count() == 2 })
}

// After the computer slept past a run, Replan (what the wake watch calls)
// runs it once.
func TestAfterSleepTheMissedRunRunsOnce(t *testing.T) {
	store, id, _, rec, sc := setup(t, map[string]string{"planning.orders.interval": "1h"})
	if err := sc.Start(); err != nil {
		t.Fatal(err)
	}
	// What the stored next run looks like after sleeping past it.
	store.Save(id, map[string]string{"planning.orders.nextRun": "2026-11-28T11:30"}, nil)
	if err := sc.Replan(); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the run missed during the sleep", func() bool { return rec.count() == 1 })
	waitFor(t, "the next run", func() bool { return nextRun(t, store, id, "orders") == "2026-11-28T13:00" })
}

// Pauzeren (tray): due runs are skipped while paused, the next run still
// moves on; after resuming they run again.
func TestPausedSchedulesSkipTheirRuns(t *testing.T) {
	store, id, clk, rec, sc := setup(t, map[string]string{"planning.orders.interval": "5m"})
	if err := sc.Start(); err != nil {
		t.Fatal(err)
	}
	sc.SetPaused(true)
	clk.BlockUntilContext(context.Background(), 2)
	clk.Advance(5 * time.Minute)
	waitFor(t, "the next run written while paused", func() bool { return nextRun(t, store, id, "orders") == "2026-11-28T12:10" })
	if rec.count() != 0 {
		t.Fatal("a paused schedule ran")
	}
	sc.SetPaused(false)
	clk.BlockUntilContext(context.Background(), 2)
	clk.Advance(5 * time.Minute)
	waitFor(t, "the run after resuming", func() bool { return rec.count() == 1 })
}

// A next run in the past that the user types is kept as typed (not taken
// for a missed run): the task runs an interval from now.
func TestATypedPastNextRunIsKept(t *testing.T) {
	store, id, clk, rec, sc := setup(t, map[string]string{"planning.orders.interval": "15m"})
	if err := sc.Start(); err != nil {
		t.Fatal(err)
	}
	store.Save(id, map[string]string{"planning.orders.nextRun": "2026-03-04T05:06"}, nil)
	if err := sc.Sync(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(50 * time.Millisecond)
	if rec.count() != 0 || nextRun(t, store, id, "orders") != "2026-03-04T05:06" {
		t.Fatalf("%d runs, next run %q: want none, and the value as typed", rec.count(), nextRun(t, store, id, "orders"))
	}
	if got := sc.NextRun(id, "orders"); !got.Equal(clk.Now().Add(15 * time.Minute)) {
		t.Fatalf("planned %v, want an interval from now", got)
	}
}
