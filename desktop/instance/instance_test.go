package instance

import (
	"errors"
	"os"
	"os/exec"
	"testing"
	"time"
)

// TestMain lets the test run itself as the other process.
func TestMain(m *testing.M) {
	if dir := os.Getenv("INSTANCE_TEST_HOLD"); dir != "" {
		if _, err := Acquire(dir); err != nil {
			os.Exit(3)
		}
		os.Stdout.WriteString("held\n")
		time.Sleep(time.Minute)
		os.Exit(0)
	}
	os.Exit(m.Run())
}

func TestOneInstancePerFolder(t *testing.T) {
	dir := t.TempDir()
	first, err := Acquire(dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Acquire(dir); !errors.Is(err, ErrRunning) {
		t.Fatalf("second lock on the same folder: %v, want ErrRunning", err)
	}
	if _, err := Acquire(t.TempDir()); err != nil {
		t.Fatalf("another folder: %v", err)
	}
	want := Info{Addr: "127.0.0.1:4242", Token: "geheim", PID: os.Getpid()}
	if err := first.Publish(want); err != nil {
		t.Fatal(err)
	}
	if got, err := Read(dir); err != nil || got != want {
		t.Fatalf("read %+v %v", got, err)
	}
	if fi, _ := os.Stat(dir + "/instance.json"); fi.Mode().Perm() != 0o600 {
		t.Fatalf("instance.json is %v, want readable by the user only", fi.Mode().Perm())
	}
	first.Release()
	if _, err := Read(dir); err == nil {
		t.Fatal("instance information left after Release")
	}
	again, err := Acquire(dir)
	if err != nil {
		t.Fatalf("after release: %v", err)
	}
	again.Release()
}

// A process that dies without releasing leaves no stale lock.
func TestAKilledHolderFreesTheFolder(t *testing.T) {
	dir := t.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "INSTANCE_TEST_HOLD="+dir)
	out, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 5)
	if _, err := out.Read(buf); err != nil || string(buf) != "held\n" {
		t.Fatalf("helper: %q %v", buf, err)
	}
	if _, err := Acquire(dir); !errors.Is(err, ErrRunning) {
		t.Fatalf("while the other process holds it: %v", err)
	}
	cmd.Process.Kill()
	cmd.Wait()
	l, err := Acquire(dir)
	if err != nil {
		t.Fatalf("after the holder was killed: %v", err)
	}
	l.Release()
}
