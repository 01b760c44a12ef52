// Package schedule runs each profile's tasks on the interval set on the
// Planning tab (F8): one gocron job per profile and task, in singleton mode
// so a task never overlaps itself, with the next run written back to the
// profile's settings (planning.<task>.nextRun) so that it survives a
// restart and the user sees and can change it.
package schedule

import (
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/go-co-op/gocron/v2"
	"github.com/google/uuid"
	"github.com/jonboulle/clockwork"

	"github.com/s-connect/s-connect/backend/config"
	"github.com/s-connect/s-connect/backend/lock"
)

// Runner runs one task of one profile (the same run as *Nu uitvoeren*).
type Runner func(profileID uint, task string)

// Scheduler keeps the jobs in step with the settings.
type Scheduler struct {
	store *config.Store
	run   Runner
	clock clockwork.Clock
	log   *slog.Logger
	s     gocron.Scheduler

	mu   sync.Mutex
	jobs map[key]job

	// StartExclusive: the lock held, and the loop that takes it.
	held       *lock.Lock
	scheduling atomic.Bool
	stop, done chan struct{}
}

type key struct {
	profile uint
	task    string
}

type job struct {
	id        uuid.UUID
	signature string // interval, time of day and next run the job was made for
}

// Intervals of the Planning tab as durations ("daily" is a time of day).
var intervals = map[string]time.Duration{"5m": 5 * time.Minute, "10m": 10 * time.Minute, "15m": 15 * time.Minute,
	"30m": 30 * time.Minute, "1h": time.Hour, "2h": 2 * time.Hour, "4h": 4 * time.Hour, "12h": 12 * time.Hour}

// New makes a scheduler; clock is nil in the program (the real clock) and
// a fake one in tests.
func New(store *config.Store, run Runner, clock clockwork.Clock, log *slog.Logger) (*Scheduler, error) {
	if clock == nil {
		clock = clockwork.NewRealClock()
	}
	s, err := gocron.NewScheduler(gocron.WithClock(clock), gocron.WithLocation(time.Local))
	if err != nil {
		return nil, err
	}
	return &Scheduler{store: store, run: run, clock: clock, log: log, s: s, jobs: map[key]job{}}, nil
}

// Start starts the jobs after a first Sync.
func (sc *Scheduler) Start() error {
	if err := sc.Sync(); err != nil {
		return err
	}
	sc.s.Start()
	return nil
}

// StartExclusive starts the jobs once this process holds the lock at
// lockPath (backend/lock), so that of the processes on one settings folder
// — the window, serve — one schedules; when it ends, another takes over
// within a poll. While it schedules it syncs every poll, which picks up
// what another process saved. program names this process in the lock.
// It returns at once.
func (sc *Scheduler) StartExclusive(lockPath, program string, poll time.Duration) {
	sc.stop, sc.done = make(chan struct{}), make(chan struct{})
	go func() {
		defer close(sc.done)
		t := time.NewTicker(poll)
		defer t.Stop()
		for {
			if sc.held == nil {
				if l, err := lock.TryAcquire(lockPath, program); err == nil {
					sc.held = l
					if err := sc.Start(); err != nil && sc.log != nil {
						sc.log.Warn("schedule: start", "err", err)
					}
					sc.scheduling.Store(true)
				}
			} else if err := sc.Sync(); err != nil && sc.log != nil {
				sc.log.Warn("schedule: sync", "err", err)
			}
			select {
			case <-sc.stop:
				return
			case <-t.C:
			}
		}
	}()
}

// Scheduling reports whether this process runs the schedule (after
// StartExclusive took the lock).
func (sc *Scheduler) Scheduling() bool { return sc.scheduling.Load() }

// Shutdown stops the scheduler, waiting for running tasks, and gives the
// schedule up to another process.
func (sc *Scheduler) Shutdown() error {
	if sc.stop != nil {
		close(sc.stop)
		<-sc.done
		sc.stop = nil
	}
	err := sc.s.Shutdown()
	sc.scheduling.Store(false)
	sc.held.Release()
	sc.held = nil
	return err
}

// Sync makes the jobs match the settings of every profile: new, changed
// and removed intervals and next runs. Call it after settings are saved.
func (sc *Scheduler) Sync() error {
	sc.mu.Lock()
	defer sc.mu.Unlock()
	profiles, err := sc.store.Profiles()
	if err != nil {
		return err
	}
	wanted := map[key]bool{}
	for _, p := range profiles {
		view, err := sc.store.View(p.ID)
		if err != nil {
			return err
		}
		for _, task := range config.Tasks {
			k := key{p.ID, task}
			if err := sc.syncJob(k, view.Values); err != nil {
				return fmt.Errorf("schedule %s of profile %d: %w", task, p.ID, err)
			}
			if _, ok := sc.jobs[k]; ok {
				wanted[k] = true
			}
		}
	}
	for k, j := range sc.jobs {
		if !wanted[k] {
			_ = sc.s.RemoveJob(j.id)
			delete(sc.jobs, k)
		}
	}
	return nil
}

func (sc *Scheduler) syncJob(k key, v map[string]string) error {
	prefix := "planning." + k.task + "."
	interval, at, next := v[prefix+"interval"], v[prefix+"dailyAt"], v[prefix+"nextRun"]
	sig := strings.Join([]string{interval, at, next}, "|")
	old, exists := sc.jobs[k]
	if exists && old.signature == sig {
		return nil
	}
	if exists {
		_ = sc.s.RemoveJob(old.id)
		delete(sc.jobs, k)
	}
	if interval == "" || interval == "off" {
		return nil
	}
	var def gocron.JobDefinition
	opts := []gocron.JobOption{gocron.WithName(fmt.Sprintf("%d/%s", k.profile, k.task)),
		gocron.WithSingletonMode(gocron.LimitModeReschedule)}
	now := sc.clock.Now()
	if interval == "daily" {
		t, err := time.Parse("15:04", at)
		if err != nil {
			return fmt.Errorf("time of day %q: %w", at, err)
		}
		def = gocron.DailyJob(1, gocron.NewAtTimes(gocron.NewAtTime(uint(t.Hour()), uint(t.Minute()), 0)))
	} else {
		d, ok := intervals[interval]
		if !ok {
			return fmt.Errorf("interval %q", interval)
		}
		def = gocron.DurationJob(d)
		start := now.Add(d)
		if n, err := time.ParseInLocation(config.DateTimeLayout, next, time.Local); err == nil && n.After(now) {
			start = n // the next run the user set, or the one before a restart
		}
		opts = append(opts, gocron.WithStartAt(gocron.WithStartDateTime(start)))
	}
	j, err := sc.s.NewJob(def, gocron.NewTask(func() { sc.fire(k) }), opts...)
	if err != nil {
		return err
	}
	sc.jobs[k] = job{id: j.ID(), signature: sig}
	return nil
}

// fire runs the task and then writes the next run back: one interval
// after this run started, or tomorrow at the time of day (computed here,
// not read from gocron, whose own bookkeeping may lag behind).
func (sc *Scheduler) fire(k key) {
	started := sc.clock.Now()
	sc.run(k.profile, k.task)
	v, err := sc.store.View(k.profile)
	if err != nil {
		return
	}
	prefix := "planning." + k.task + "."
	var next time.Time
	if d, ok := intervals[v.Values[prefix+"interval"]]; ok {
		next = started.Add(d)
		for !next.After(sc.clock.Now()) { // a run longer than the interval skips the runs it covered
			next = next.Add(d)
		}
	} else if t, err := time.Parse("15:04", v.Values[prefix+"dailyAt"]); err == nil {
		now := sc.clock.Now().In(time.Local)
		next = time.Date(now.Year(), now.Month(), now.Day(), t.Hour(), t.Minute(), 0, 0, time.Local)
		if !next.After(now) {
			next = next.AddDate(0, 0, 1)
		}
	} else {
		return
	}
	sc.mu.Lock()
	defer sc.mu.Unlock()
	if err := sc.writeNext(k, next); err != nil && sc.log != nil {
		sc.log.Warn("schedule: next run", "err", err)
	}
}

// writeNext stores a task's next run in the settings, and in the job's
// signature so that Sync does not take it for a change by the user.
func (sc *Scheduler) writeNext(k key, next time.Time) error {
	if _, ok := sc.jobs[k]; !ok {
		return nil // switched off meanwhile
	}
	value := next.In(time.Local).Format(config.DateTimeLayout)
	if _, err := sc.store.Save(k.profile, map[string]string{"planning." + k.task + ".nextRun": value}, nil); err != nil {
		return err
	}
	v, err := sc.store.View(k.profile)
	if err != nil {
		return err
	}
	prefix := "planning." + k.task + "."
	cur := sc.jobs[k]
	cur.signature = strings.Join([]string{v.Values[prefix+"interval"], v.Values[prefix+"dailyAt"], v.Values[prefix+"nextRun"]}, "|")
	sc.jobs[k] = cur
	return nil
}

// NextRun reports when a task runs next (zero when it is not planned).
func (sc *Scheduler) NextRun(profileID uint, task string) time.Time {
	sc.mu.Lock()
	defer sc.mu.Unlock()
	j, ok := sc.jobs[key{profileID, task}]
	if !ok {
		return time.Time{}
	}
	for _, gj := range sc.s.Jobs() {
		if gj.ID() == j.id {
			t, _ := gj.NextRun()
			return t
		}
	}
	return time.Time{}
}
