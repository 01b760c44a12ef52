// Package instance keeps one S-Connect per settings folder: the first
// program takes an OS file lock in the folder and writes where its API
// listens; a second start finds the lock taken and asks the first to show
// its window instead of starting a second scheduler beside it.
//
// The lock is backend/lock's (flock on Linux, LockFileEx on Windows): it is
// released when the process ends, however it ends, so a crash never leaves a
// stale lock behind.
package instance

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/s-connect/s-connect/backend/lock"
)

// ErrRunning means another process holds the folder's lock.
var ErrRunning = errors.New("instance: S-Connect already runs for this settings folder")

const (
	lockName = "s-connect.lock"
	infoName = "instance.json"
)

// Lock is the held lock of a settings folder.
type Lock struct {
	l   *lock.Lock
	dir string
}

// Acquire takes the folder's lock, or fails with ErrRunning.
func Acquire(dir string) (*Lock, error) {
	l, err := lock.TryAcquire(filepath.Join(dir, lockName), "s-connect desktop")
	if errors.Is(err, lock.ErrHeld) {
		return nil, ErrRunning
	}
	if err != nil {
		return nil, fmt.Errorf("instance: %w", err)
	}
	return &Lock{l: l, dir: dir}, nil
}

// Release gives the lock up and removes the instance information.
func (l *Lock) Release() error {
	os.Remove(filepath.Join(l.dir, infoName))
	return l.l.Release()
}

// Info tells a second start how to reach the first: its API's address and
// token. The file is readable by the user only, like the settings beside it.
type Info struct {
	Addr  string `json:"addr"` // 127.0.0.1:port
	Token string `json:"token"`
	PID   int    `json:"pid"`
}

// Publish writes the instance information for a second start.
func (l *Lock) Publish(info Info) error {
	data, err := json.Marshal(info)
	if err != nil {
		return err
	}
	tmp := filepath.Join(l.dir, infoName+".tmp")
	if err := os.WriteFile(tmp, data, 0o600); err != nil {
		return err
	}
	return os.Rename(tmp, filepath.Join(l.dir, infoName))
}

// Read returns what the running instance published.
func Read(dir string) (Info, error) {
	var info Info
	data, err := os.ReadFile(filepath.Join(dir, infoName))
	if err != nil {
		return info, err
	}
	err = json.Unmarshal(data, &info)
	return info, err
}
