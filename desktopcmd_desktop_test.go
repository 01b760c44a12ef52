//go:build desktop

package main

import (
	"bytes"
	"strings"
	"testing"
)

// The desktop build itself (go test -tags desktop,production,webkit2_41 .):
// runDesktop shows the damaged settings in the message box.
func TestTheDesktopProgramShowsADamagedSettingsDatabase(t *testing.T) {
	dir := damagedSettings(t)
	shown := recordAlerts(t)
	var out, errOut bytes.Buffer
	if code := runDesktop(dir, true, &out, &errOut); code != 1 {
		t.Fatalf("exit %d", code)
	}
	if len(*shown) != 1 || !strings.Contains((*shown)[0], "beschadigd") {
		t.Fatalf("message box %q; stderr %q", *shown, errOut.String())
	}
}
