//go:build !windows

package alert

import (
	"os"
	"os/exec"
)

// dialogs are the desktop's dialog programs, tried in this order: the
// desktop program itself links no GUI toolkit of its own (the window is a
// process apart), so it asks one of these.
var dialogs = []struct {
	name string
	args func(title, text string) []string
}{
	{"zenity", func(title, text string) []string {
		return []string{"--error", "--no-markup", "--title", title, "--text", text}
	}},
	{"kdialog", func(title, text string) []string { return []string{"--title", title, "--error", text} }},
	{"xmessage", func(title, text string) []string { return []string{"-center", title + "\n\n" + text} }},
}

// Error shows an error dialog through the first dialog program found and
// waits until it is closed; ErrNoWay without a display or any of them.
func Error(title, text string) error {
	if os.Getenv("DISPLAY") == "" && os.Getenv("WAYLAND_DISPLAY") == "" {
		return ErrNoWay
	}
	for _, d := range dialogs {
		path, err := exec.LookPath(d.name)
		if err != nil {
			continue
		}
		return exec.Command(path, d.args(title, text)...).Run()
	}
	return ErrNoWay
}
