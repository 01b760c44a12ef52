// Package lock holds locks between processes on one computer: a file whose
// operating-system lock (flock on Linux, LockFileEx on Windows) belongs to
// the process that took it and is released by the system when that process
// ends, however it ends. The holder writes who it is into the file, so a
// process that finds the lock taken can say which program holds it.
//
// S-Connect uses it for the scheduler (one per settings folder), for runs
// (one per profile), for the single desktop window and — shared by every
// process that has the settings open, exclusive for restore-settings — for
// the settings themselves. Typical use:
//
//	l, err := lock.TryAcquire(filepath.Join(dir, "scheduler.lock"), "s-connect serve")
//	var held *lock.HeldError
//	if errors.As(err, &held) {
//		// someone else: held.Owner.PID, held.Owner.Program
//	}
//	defer l.Release()
//
// The file stays behind when the lock is released: removing it would let
// a process that already opened the old file hold a lock nobody else sees.
package lock

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

// ErrHeld is what errors.Is finds in a *HeldError.
var ErrHeld = errors.New("lock: held by another process")

// Owner is who holds a lock, as the holder wrote it into the lock file.
type Owner struct {
	PID     int       `json:"pid"`
	Program string    `json:"program"` // e.g. "s-connect run orders"
	Since   time.Time `json:"since"`
}

// String describes the owner for logs and messages: "s-connect serve, pid 4711".
func (o Owner) String() string {
	if o.PID == 0 {
		return "another process" // it took the lock a moment ago and has not written its name yet
	}
	if o.Program == "" {
		return fmt.Sprintf("pid %d", o.PID)
	}
	return fmt.Sprintf("%s, pid %d", o.Program, o.PID)
}

// HeldError says that a lock is taken, and by whom.
type HeldError struct {
	Path  string
	Owner Owner
}

func (e *HeldError) Error() string {
	return fmt.Sprintf("lock %s: held by %s", filepath.Base(e.Path), e.Owner)
}

// Is makes errors.Is(err, ErrHeld) true.
func (e *HeldError) Is(target error) bool { return target == ErrHeld }

// Lock is a lock this process holds. Release it once; a process that ends
// releases its locks anyway.
type Lock struct {
	mu     sync.Mutex
	f      *os.File
	path   string
	shared bool
}

// TryAcquire takes the lock at path at once, or returns a *HeldError
// naming its holder. program is written into the file for the others to
// read. The folder is created when missing.
func TryAcquire(path, program string) (*Lock, error) {
	l, err := take(path, false)
	if err != nil {
		return nil, err
	}
	if err := l.writeOwner(Owner{PID: os.Getpid(), Program: program, Since: time.Now()}); err != nil {
		l.Release()
		return nil, err
	}
	return l, nil
}

// TryAcquireShared takes the lock at path at once, shared with other
// shared holders; it is refused (a *HeldError) while an exclusive holder
// has it, and an exclusive TryAcquire is refused while any shared holder
// has it — whose Owner is then unknown (PID 0): shared holders write no
// name, as they are many.
func TryAcquireShared(path string) (*Lock, error) { return take(path, true) }

func take(path string, shared bool) (*Lock, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("lock: %w", err)
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("lock: %w", err)
	}
	switch err := tryLock(f, shared); {
	case errors.Is(err, errWouldBlock):
		f.Close()
		owner, _ := ReadOwner(path)
		return nil, &HeldError{Path: path, Owner: owner}
	case err != nil:
		f.Close()
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	if shared {
		// Whatever name is in the file is an exclusive holder's that ended
		// without releasing (killed): it holds nothing now.
		_ = f.Truncate(0)
	}
	return &Lock{f: f, path: path, shared: shared}, nil
}

// Acquire waits for the lock at path until ctx ends; then it returns the
// *HeldError of the last try. It looks again every poll (at least 10 ms).
func Acquire(ctx context.Context, path, program string, poll time.Duration) (*Lock, error) {
	poll = max(poll, 10*time.Millisecond)
	for {
		l, err := TryAcquire(path, program)
		if !errors.Is(err, ErrHeld) {
			return l, err
		}
		t := time.NewTimer(poll)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil, err
		case <-t.C:
		}
	}
}

// ReadOwner reads who holds (or last held) the lock at path.
func ReadOwner(path string) (Owner, error) {
	var o Owner
	raw, err := os.ReadFile(path)
	if err != nil {
		return o, err
	}
	if strings.TrimSpace(string(raw)) == "" {
		return o, nil
	}
	err = json.Unmarshal(raw, &o)
	return o, err
}

func (l *Lock) writeOwner(o Owner) error {
	raw, _ := json.Marshal(o)
	if err := l.f.Truncate(0); err != nil {
		return fmt.Errorf("lock: %w", err)
	}
	if _, err := l.f.WriteAt(append(raw, '\n'), 0); err != nil {
		return fmt.Errorf("lock: %w", err)
	}
	return nil
}

// Path is the lock's file.
func (l *Lock) Path() string { return l.path }

// Release gives the lock up. It is safe to call on a nil Lock and more
// than once.
func (l *Lock) Release() error {
	if l == nil {
		return nil
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.f == nil {
		return nil
	}
	if !l.shared {
		_ = l.f.Truncate(0) // the owner's name goes with the lock
	}
	err := unlock(l.f)
	if cerr := l.f.Close(); err == nil {
		err = cerr
	}
	l.f = nil
	return err
}
