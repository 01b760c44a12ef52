package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/s-connect/s-connect/backend/config"
	"github.com/s-connect/s-connect/backend/lock"
)

func TestVersionCommand(t *testing.T) {
	var out, errOut bytes.Buffer
	version, commit = "1.2.3", "abc1234"
	if code := run([]string{"version"}, &out, &errOut); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	if got := out.String(); got != "S-Connect 1.2.3 abc1234\n" {
		t.Fatalf("version printed %q", got)
	}
}

func TestUnknownCommandAndFlags(t *testing.T) {
	var out, errOut bytes.Buffer
	if code := run([]string{"frobnicate"}, &out, &errOut); code != 2 || !strings.HasPrefix(errOut.String(), "s-connect: onbekende opdracht \"frobnicate\"") || !strings.Contains(errOut.String(), "unknown command") {
		t.Fatalf("unknown command: exit %d, %q", code, errOut.String())
	}
	errOut.Reset()
	if code := run([]string{"serve", "--nope"}, &out, &errOut); code != 2 {
		t.Fatalf("unknown flag: exit %d", code)
	}
}

func TestServeRefusesAPublicAddress(t *testing.T) {
	var out, errOut bytes.Buffer
	code := run([]string{"serve", "--config-dir", t.TempDir(), "--addr", "0.0.0.0:0"}, &out, &errOut)
	if code != 1 || !strings.Contains(errOut.String(), "loopback") {
		t.Fatalf("serve on 0.0.0.0: exit %d, %q", code, errOut.String())
	}
}

// A damaged settings database: the program says so and how to go back,
// and restore-settings puts the newest backup back.
func TestDamagedSettingsAndTheWayBack(t *testing.T) {
	dir := t.TempDir()
	var out, errOut bytes.Buffer
	// The first start makes the settings, the first backup and the demo,
	// which works at once.
	if code := run([]string{"run", "--config-dir", dir, "orders"}, &out, &errOut); code != 0 {
		t.Fatalf("the first run on the demo: exit %d, %q", code, errOut.String())
	}
	os.Remove(filepath.Join(dir, "settings.db-wal"))
	os.Remove(filepath.Join(dir, "settings.db-shm"))
	os.WriteFile(filepath.Join(dir, "settings.db"), bytes.Repeat([]byte("x"), 8192), 0o600)
	errOut.Reset()
	code := run([]string{"run", "--config-dir", dir, "orders"}, &out, &errOut)
	if code != 1 || !strings.Contains(errOut.String(), "beschadigd") || !strings.Contains(errOut.String(), "s-connect restore-settings") {
		t.Fatalf("damaged: exit %d, %q", code, errOut.String())
	}
	out.Reset()
	if code := run([]string{"restore-settings", "--config-dir", dir}, &out, &errOut); code != 0 || !strings.Contains(out.String(), "backups") {
		t.Fatalf("restore: exit %d, %q %q", code, out.String(), errOut.String())
	}
	errOut.Reset()
	if code := run([]string{"run", "--config-dir", dir, "orders"}, &out, &errOut); strings.Contains(errOut.String(), "beschadigd") {
		t.Fatalf("after restore: exit %d, %q", code, errOut.String())
	}
}

// restore-settings refuses while a program has the settings open (and
// changes nothing); once it has quit, the backup goes back.
func TestRestoreSettingsWaitsForTheProgramToQuit(t *testing.T) {
	dir := t.TempDir()
	_, closeAll, err := setup(dir, "serve") // a program running on dir (it made the first backup)
	if err != nil {
		t.Fatal(err)
	}
	if b, _ := config.Backups(dir); len(b) == 0 {
		t.Fatal("no backup to put back")
	}
	before, _ := os.ReadFile(filepath.Join(dir, "settings.db"))
	var out, errOut bytes.Buffer
	code := run([]string{"restore-settings", "--config-dir", dir}, &out, &errOut)
	if code != 1 || !strings.Contains(errOut.String(), "gebruikt deze instellingen nog") {
		t.Fatalf("while the program runs: exit %d, %q %q", code, out.String(), errOut.String())
	}
	after, _ := os.ReadFile(filepath.Join(dir, "settings.db"))
	if broken, _ := filepath.Glob(filepath.Join(dir, "settings.db*.broken-*")); len(broken) > 0 || !bytes.Equal(before, after) {
		t.Fatalf("the refused restore changed the settings: %v", broken)
	}
	closeAll()
	errOut.Reset()
	if code := run([]string{"restore-settings", "--config-dir", dir}, &out, &errOut); code != 0 {
		t.Fatalf("after the program quit: exit %d, %q", code, errOut.String())
	}
	// And a program does not start while the settings are being restored.
	l, err := lock.TryAcquire(settingsLock(dir), "s-connect restore-settings")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Release()
	if _, _, err := setup(dir, "serve"); err == nil || !strings.Contains(err.Error(), "worden teruggezet") {
		t.Fatalf("start during a restore: %v", err)
	}
}
