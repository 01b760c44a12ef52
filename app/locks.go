package app

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/s-connect/s-connect/backend/lock"
)

// Locks between the processes on one settings folder (backend/lock): one
// run of a profile at a time, whether the window, serve or `s-connect run`
// starts it, and one scheduler.

// errRunBusy: a run of this profile is going on (a *busyError says where).
var errRunBusy = errors.New("a run of this profile is going on")

// busyError is a profile whose lock another run holds.
type busyError struct{ owner lock.Owner }

func (e *busyError) Error() string        { return fmt.Sprintf("%v: %s", errRunBusy, e.owner) }
func (e *busyError) Is(target error) bool { return target == errRunBusy }

var tempLocks = struct {
	sync.Once
	dir string
}{}

// lockPath is a lock file in the settings folder's "locks" folder.
func (s *Services) lockPath(name string) string {
	dir := s.dir
	if dir == "" { // services without a folder (tests): locks of this process only
		tempLocks.Do(func() { tempLocks.dir, _ = os.MkdirTemp("", "s-connect-locks-") })
		dir = tempLocks.dir
	}
	return filepath.Join(dir, "locks", name)
}

// program names this process in a lock file: "s-connect serve".
func (s *Services) program(what string) string {
	p := "s-connect " + s.mode
	if what != "" {
		p += " " + what
	}
	return p
}

// ProcessName is how this process names itself in a lock: "s-connect serve".
func (s *Services) ProcessName() string { return s.program("") }

// SchedulerLockPath is the lock that lets one process of the settings
// folder run the schedule (backend/schedule.StartExclusive).
func (s *Services) SchedulerLockPath() string { return s.lockPath("scheduler.lock") }

// lockProfile takes the run lock of a profile, waiting up to wait for the
// run that holds it; a *busyError names that run's program.
func (s *Services) lockProfile(profileID uint, task string, wait time.Duration) (*lock.Lock, error) {
	path := s.lockPath(fmt.Sprintf("profile-%d.lock", profileID))
	var l *lock.Lock
	var err error
	if wait <= 0 {
		l, err = lock.TryAcquire(path, s.program(task))
	} else {
		ctx, cancel := context.WithTimeout(context.Background(), wait)
		defer cancel()
		l, err = lock.Acquire(ctx, path, s.program(task), 250*time.Millisecond)
	}
	var held *lock.HeldError
	if errors.As(err, &held) {
		return nil, &busyError{held.Owner}
	}
	return l, err
}

// lockRuns takes the profile's run lock for the actions on one order
// (*Opnieuw proberen*, *Handmatig afgehandeld*, *Negeren*): they keep out of
// a run that may be about to send that order, in any process.
func (s *Services) lockRuns(profileID uint) (unlock func(), err error) {
	l, err := s.lockProfile(profileID, "", 0)
	if err != nil {
		return nil, err
	}
	return func() { l.Release() }, nil
}

// ownerText says which program holds a lock, in the user's language.
func (s *Services) ownerText(err error) string {
	var be *busyError
	if !errors.As(err, &be) || be.owner.PID == 0 {
		return s.msgs.T(s.language(), "lock.otherProcess", "")
	}
	return be.owner.String()
}
