package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// damagedSettings makes a settings folder whose database is damaged (with a
// backup to go back to, as the daily backup leaves).
func damagedSettings(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	var out, errOut bytes.Buffer
	run([]string{"run", "--config-dir", dir, "orders"}, &out, &errOut) // makes the settings and a backup
	os.Remove(filepath.Join(dir, "settings.db-wal"))
	os.Remove(filepath.Join(dir, "settings.db-shm"))
	if err := os.WriteFile(filepath.Join(dir, "settings.db"), bytes.Repeat([]byte("x"), 8192), 0o600); err != nil {
		t.Fatal(err)
	}
	return dir
}

// recordAlerts stands in for the message box.
func recordAlerts(t *testing.T) *[]string {
	shown := &[]string{}
	prev := showError
	showError = func(title, text string) error { *shown = append(*shown, title+": "+text); return nil }
	t.Cleanup(func() { showError = prev })
	return shown
}

// The desktop program cannot start on a damaged settings database: the
// user sees why and the way back in a message box (the Windows build has
// no console), not only on stderr.
func TestADamagedSettingsDatabaseIsShownInAMessageBox(t *testing.T) {
	dir := damagedSettings(t)
	shown := recordAlerts(t)
	_, _, err := setup(dir, "desktop")
	if err == nil {
		t.Fatal("the damaged settings opened")
	}
	var errOut bytes.Buffer
	if code := startFailed(&errOut, err); code != 1 {
		t.Fatalf("exit %d", code)
	}
	if len(*shown) != 1 || !strings.Contains((*shown)[0], "beschadigd") || !strings.Contains((*shown)[0], "s-connect restore-settings") {
		t.Fatalf("message box %q", *shown)
	}
	if !strings.Contains(errOut.String(), "beschadigd") {
		t.Fatalf("stderr %q", errOut.String())
	}
}
