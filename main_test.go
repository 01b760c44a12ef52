package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
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
	if code := run([]string{"frobnicate"}, &out, &errOut); code != 2 || !strings.Contains(errOut.String(), "unknown command") {
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
