package lock

import (
	"bufio"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"
)

// The helper process: take the lock named by the environment, say so, and
// hold it until killed.
func TestMain(m *testing.M) {
	if path := os.Getenv("LOCK_TEST_HOLD"); path != "" {
		l, err := TryAcquire(path, "lock-test helper")
		if err != nil {
			os.Stdout.WriteString("error " + err.Error() + "\n")
			os.Exit(1)
		}
		os.Stdout.WriteString("locked\n")
		time.Sleep(time.Minute)
		l.Release()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

func TestOneHolderInAProcess(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sub", "p.lock")
	a, err := TryAcquire(path, "first")
	if err != nil {
		t.Fatal(err)
	}
	_, err = TryAcquire(path, "second")
	var held *HeldError
	if !errors.As(err, &held) || !errors.Is(err, ErrHeld) {
		t.Fatalf("second take: %v", err)
	}
	if held.Owner.PID != os.Getpid() || held.Owner.Program != "first" {
		t.Fatalf("owner %+v", held.Owner)
	}
	if err := a.Release(); err != nil {
		t.Fatal(err)
	}
	if err := a.Release(); err != nil { // twice is harmless
		t.Fatal(err)
	}
	b, err := TryAcquire(path, "second")
	if err != nil {
		t.Fatalf("after release: %v", err)
	}
	b.Release()
}

func TestAcquireWaitsForTheRelease(t *testing.T) {
	path := filepath.Join(t.TempDir(), "p.lock")
	a, _ := TryAcquire(path, "first")
	go func() {
		time.Sleep(50 * time.Millisecond)
		a.Release()
	}()
	b, err := Acquire(context.Background(), path, "second", 10*time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Release()
	if o, _ := ReadOwner(path); o.Program != "second" {
		t.Fatalf("owner %+v", o)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Millisecond)
	defer cancel()
	if _, err := Acquire(ctx, path, "third", 10*time.Millisecond); !errors.Is(err, ErrHeld) {
		t.Fatalf("a bounded wait: %v", err)
	}
}

// Another process holds the lock: it is named, and its death frees the lock.
func TestAnotherProcessHoldsTheLockUntilItDies(t *testing.T) {
	path := filepath.Join(t.TempDir(), "p.lock")
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "LOCK_TEST_HOLD="+path)
	out, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	line, _ := bufio.NewReader(out).ReadString('\n')
	if line != "locked\n" {
		t.Fatalf("helper: %q", line)
	}
	_, err := TryAcquire(path, "test")
	var held *HeldError
	if !errors.As(err, &held) || held.Owner.PID != cmd.Process.Pid || held.Owner.Program != "lock-test helper" {
		t.Fatalf("while the helper holds it: %v", err)
	}
	if held.Owner.String() != "lock-test helper, pid "+strconv.Itoa(cmd.Process.Pid) {
		t.Fatalf("owner %q", held.Owner)
	}
	cmd.Process.Kill() // no Release: the system frees the lock
	cmd.Wait()
	l, err := Acquire(context.Background(), path, "test", 10*time.Millisecond)
	if err != nil {
		t.Fatalf("after the helper died: %v", err)
	}
	l.Release()
}

// Shared holders (every process with the settings open) keep out an
// exclusive one (restore-settings), and the other way round; shared ones
// do not keep out each other. The exclusive holder's name is read; a
// shared holder has none.
func TestSharedAndExclusive(t *testing.T) {
	path := filepath.Join(t.TempDir(), "settings.lock")
	a, err := TryAcquireShared(path)
	if err != nil {
		t.Fatal(err)
	}
	b, err := TryAcquireShared(path)
	if err != nil {
		t.Fatalf("second shared holder: %v", err)
	}
	var held *HeldError
	if _, err := TryAcquire(path, "restore"); !errors.As(err, &held) || held.Owner.PID != 0 {
		t.Fatalf("exclusive while shared: %v", err)
	}
	a.Release()
	if _, err := TryAcquire(path, "restore"); !errors.Is(err, ErrHeld) {
		t.Fatalf("exclusive while one shared holder is left: %v", err)
	}
	b.Release()
	x, err := TryAcquire(path, "restore")
	if err != nil {
		t.Fatalf("exclusive after the shared holders: %v", err)
	}
	if _, err := TryAcquireShared(path); !errors.As(err, &held) || held.Owner.Program != "restore" {
		t.Fatalf("shared while exclusive: %v", err)
	}
	x.Release()
	c, err := TryAcquireShared(path)
	if err != nil {
		t.Fatalf("shared after the exclusive holder: %v", err)
	}
	c.Release()
}

// A shared holder clears the name an exclusive holder left when it was
// killed: it holds nothing any more.
func TestSharedClearsAStaleName(t *testing.T) {
	path := filepath.Join(t.TempDir(), "settings.lock")
	if err := os.WriteFile(path, []byte(`{"pid":4711,"program":"killed"}`+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	s, err := TryAcquireShared(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Release()
	var held *HeldError
	if _, err := TryAcquire(path, "restore"); !errors.As(err, &held) || held.Owner.PID != 0 {
		t.Fatalf("exclusive while shared: %v (owner %+v)", err, held)
	}
}
