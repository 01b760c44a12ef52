// Package schedule runs each profile's tasks on the interval set on the
// Planning tab (F8): one gocron job per profile and task, in singleton mode
// so a task never overlaps itself, with the next run written back to the
// profile's settings (planning.<task>.nextRun) as soon as the interval is
// chosen and after every run, so that it survives a restart and the user
// sees and can change it.
//
// A run that fell due while the program was not running, or while the
// computer slept, runs once when it starts or wakes — not once per missed
// interval. (Timers run on the monotonic clock, which stands still during
// sleep; a jump of the wall clock tells that the computer slept.)
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

	mu     sync.Mutex
	jobs   map[key]job
	paused bool
	busy   map[key]bool  // runs going on, across Replan's new jobs
	stop   chan struct{} // ends the wake watch

	// StartExclusive: the lock held, and the loop that takes it.
	held               *lock.Lock
	scheduling         atomic.Bool
	exclStop, exclDone chan struct{}
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
	return &Scheduler{store: store, run: run, clock: clock, log: log, s: s, jobs: map[key]job{}, busy: map[key]bool{}, stop: make(chan struct{})}, nil
}

// Start starts the jobs after a first Sync, and watches for the computer
// waking from sleep.
func (sc *Scheduler) Start() error {
	if err := sc.sync(true); err != nil {
		return err
	}
	sc.s.Start()
	go sc.watchWake(time.Minute)
	return nil
}

// StartExclusive starts the jobs once this process holds the lock at
// lockPath (backend/lock), so that of the processes on one settings folder
// — the desktop program, serve — one schedules; when it ends, another
// takes over within a poll. While it schedules it syncs every poll, which
// picks up what another process saved. program names this process in the
// lock. It returns at once.
func (sc *Scheduler) StartExclusive(lockPath, program string, poll time.Duration) {
	sc.exclStop, sc.exclDone = make(chan struct{}), make(chan struct{})
	go func() {
		defer close(sc.exclDone)
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
			case <-sc.exclStop:
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
// schedule up to another process (StartExclusive).
func (sc *Scheduler) Shutdown() error {
	if sc.exclStop != nil {
		close(sc.exclStop)
		<-sc.exclDone
		sc.exclStop = nil
	}
	sc.mu.Lock()
	select {
	case <-sc.stop:
	default:
		close(sc.stop)
	}
	sc.mu.Unlock()
	err := sc.s.Shutdown()
	sc.scheduling.Store(false)
	sc.held.Release()
	sc.held = nil
	return err
}

// SetPaused pauses every schedule (the tray's *Pauzeren*) or resumes them.
// While paused, due runs are skipped; the next run moves on as usual.
func (sc *Scheduler) SetPaused(p bool) {
	sc.mu.Lock()
	sc.paused = p
	sc.mu.Unlock()
}

// Paused reports whether the schedules are paused.
func (sc *Scheduler) Paused() bool {
	sc.mu.Lock()
	defer sc.mu.Unlock()
	return sc.paused
}

// watchWake notices that the computer slept — the wall clock moved on
// while the monotonic clock stood still — and plans the jobs anew, so a run
// that fell due during the sleep runs now, once.
func (sc *Scheduler) watchWake(every time.Duration) {
	t := sc.clock.NewTicker(every)
	defer t.Stop()
	last := sc.clock.Now()
	for {
		select {
		case <-sc.stop:
			return
		case <-t.Chan():
		}
		now := sc.clock.Now()
		// Round(0) drops the monotonic reading: the first difference is on
		// the wall clock, the second on the monotonic one where there is one.
		if slept := now.Round(0).Sub(last.Round(0)) - now.Sub(last); slept > every {
			if sc.log != nil {
				sc.log.Info("schedule: the computer woke up", "slept", slept.Round(time.Second).String())
			}
			if err := sc.Replan(); err != nil && sc.log != nil {
				sc.log.Warn("schedule: after waking", "err", err)
			}
		}
		last = now
	}
}

// Replan makes every job anew from the stored settings, as at a start:
// runs whose time has passed run once now.
func (sc *Scheduler) Replan() error {
	sc.mu.Lock()
	for k, j := range sc.jobs {
		_ = sc.s.RemoveJob(j.id)
		delete(sc.jobs, k)
	}
	sc.mu.Unlock()
	return sc.sync(true)
}

// Sync makes the jobs match the settings of every profile: new, changed
// and removed intervals and next runs. Call it after settings are saved.
func (sc *Scheduler) Sync() error { return sc.sync(false) }

// sync is Sync; catchUp (at the start and after sleep) runs once, now, a
// task whose stored next run has passed. A next run in the past that the
// user has just typed is not "missed": it is kept as typed and the task
// runs an interval from now.
func (sc *Scheduler) sync(catchUp bool) error {
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
			if err := sc.syncJob(k, view.Values, catchUp); err != nil {
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

func (sc *Scheduler) syncJob(k key, v map[string]string, catchUp bool) error {
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
	stored, storedErr := time.ParseInLocation(config.DateTimeLayout, next, time.Local)
	// At the start or waking, a stored next run that has passed fell due
	// while the program was not running (or the computer slept): it runs
	// now, once.
	missed := catchUp && storedErr == nil && !stored.After(now)
	first := nextAfter(interval, at, now, now)
	if first.IsZero() {
		return fmt.Errorf("interval %q at %q", interval, at)
	}
	if interval == "daily" {
		t, _ := time.Parse("15:04", at)
		def = gocron.DailyJob(1, gocron.NewAtTimes(gocron.NewAtTime(uint(t.Hour()), uint(t.Minute()), 0)))
	} else {
		def = gocron.DurationJob(intervals[interval])
		if storedErr == nil && stored.After(now) {
			first = stored // the next run the user set, or the one before a restart
		}
		if !missed {
			opts = append(opts, gocron.WithStartAt(gocron.WithStartDateTime(first)))
		}
	}
	if missed {
		opts = append(opts, gocron.WithStartAt(gocron.WithStartImmediately()))
		first = now
	}
	j, err := sc.s.NewJob(def, gocron.NewTask(func() { sc.fire(k) }), opts...)
	if err != nil {
		return err
	}
	sc.jobs[k] = job{id: j.ID(), signature: sig}
	// Shown on the Planning tab as soon as the interval is chosen; a value
	// the user typed stays until the run writes the next.
	if next == "" {
		return sc.writeNext(k, first)
	}
	return nil
}

// nextAfter is a task's next run after a run started at started: one
// interval later (skipping the intervals a long run covered), or the next
// day at the time of day. Zero for an unknown interval.
func nextAfter(interval, at string, started, now time.Time) time.Time {
	if d, ok := intervals[interval]; ok {
		next := started.Add(d)
		for !next.After(now) {
			next = next.Add(d)
		}
		return next
	}
	t, err := time.Parse("15:04", at)
	if interval != "daily" || err != nil {
		return time.Time{}
	}
	now = now.In(time.Local)
	next := time.Date(now.Year(), now.Month(), now.Day(), t.Hour(), t.Minute(), 0, 0, time.Local)
	if !next.After(now) {
		next = next.AddDate(0, 0, 1)
	}
	return next
}

// fire runs the task (unless paused) and then writes the next run back,
// computed here rather than read from gocron, whose own bookkeeping may lag
// behind.
func (sc *Scheduler) fire(k key) {
	started := sc.clock.Now()
	sc.mu.Lock()
	skip := sc.paused || sc.busy[k]
	if !sc.busy[k] {
		sc.busy[k] = true
		defer func() { sc.mu.Lock(); delete(sc.busy, k); sc.mu.Unlock() }()
	}
	sc.mu.Unlock()
	if !skip {
		sc.run(k.profile, k.task)
	}
	v, err := sc.store.View(k.profile)
	if err != nil {
		return
	}
	prefix := "planning." + k.task + "."
	next := nextAfter(v.Values[prefix+"interval"], v.Values[prefix+"dailyAt"], started, sc.clock.Now())
	if next.IsZero() {
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
