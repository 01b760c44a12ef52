//go:build windows

package lock

import (
	"errors"
	"os"

	"golang.org/x/sys/windows"
)

var errWouldBlock = errors.New("would block")

// Windows locks are mandatory for the bytes they cover: the lock is taken
// on one byte far past the end of the file, so others can still read the
// owner written at its start.
const lockOffsetHigh = 1 // the byte at 4 GiB

// tryLock takes the byte's lock without waiting; without
// LOCKFILE_EXCLUSIVE_LOCK it is a shared one.
func tryLock(f *os.File, shared bool) error {
	ol := &windows.Overlapped{OffsetHigh: lockOffsetHigh}
	flags := uint32(windows.LOCKFILE_FAIL_IMMEDIATELY)
	if !shared {
		flags |= windows.LOCKFILE_EXCLUSIVE_LOCK
	}
	err := windows.LockFileEx(windows.Handle(f.Fd()), flags, 0, 1, 0, ol)
	if errors.Is(err, windows.ERROR_LOCK_VIOLATION) || errors.Is(err, windows.ERROR_IO_PENDING) {
		return errWouldBlock
	}
	return err
}

func unlock(f *os.File) error {
	ol := &windows.Overlapped{OffsetHigh: lockOffsetHigh}
	return windows.UnlockFileEx(windows.Handle(f.Fd()), 0, 1, 0, ol)
}
