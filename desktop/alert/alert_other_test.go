//go:build !windows

package alert

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// fakeDialog puts a dialog program on PATH that writes its arguments to a
// file, one a line.
func fakeDialog(t *testing.T, name string) (argsFile string) {
	t.Helper()
	dir := t.TempDir()
	argsFile = filepath.Join(dir, "args")
	script := "#!/bin/sh\nfor a in \"$@\"; do printf '%s\\n' \"$a\"; done > " + argsFile + "\n"
	if err := os.WriteFile(filepath.Join(dir, name), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", dir)
	return argsFile
}

func TestAnErrorIsShownInADialog(t *testing.T) {
	t.Setenv("DISPLAY", ":99")
	args := fakeDialog(t, "zenity")
	text := "de instellingen zijn beschadigd.\n  s-connect restore-settings"
	if err := Error("S-Connect", text); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(args)
	if err != nil {
		t.Fatal("no dialog was started:", err)
	}
	if s := string(got); !strings.HasPrefix(s, "--error\n") || !strings.Contains(s, "--title\nS-Connect\n") ||
		!strings.Contains(s, "--text\n"+text+"\n") {
		t.Fatalf("zenity was asked %q", s)
	}
}

func TestAnotherDialogProgramWhenThereIsNoZenity(t *testing.T) {
	t.Setenv("DISPLAY", ":99")
	args := fakeDialog(t, "xmessage")
	if err := Error("S-Connect", "kapot"); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(args); !strings.Contains(string(got), "S-Connect\n\nkapot") {
		t.Fatalf("xmessage was asked %q", got)
	}
}

func TestNoDisplayNoDialog(t *testing.T) {
	t.Setenv("DISPLAY", "")
	t.Setenv("WAYLAND_DISPLAY", "")
	args := fakeDialog(t, "zenity")
	if err := Error("S-Connect", "kapot"); !errors.Is(err, ErrNoWay) {
		t.Fatalf("without a display: %v, want ErrNoWay", err)
	}
	if _, err := os.Stat(args); err == nil {
		t.Fatal("a dialog was started without a display")
	}
}
