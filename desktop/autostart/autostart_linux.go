package autostart

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
)

// file is the autostart file: $XDG_CONFIG_HOME/autostart/s-connect.desktop.
func file() (string, error) {
	dir := os.Getenv("XDG_CONFIG_HOME")
	if dir == "" {
		home, err := os.UserHomeDir()
		if err != nil {
			return "", err
		}
		dir = filepath.Join(home, ".config")
	}
	return filepath.Join(dir, "autostart", strings.ToLower(Name)+".desktop"), nil
}

// Enable writes the autostart file.
func Enable(e Entry) error {
	path, err := file()
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, []byte(DesktopFile(e)), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

// Disable removes the autostart file; no file is no error.
func Disable() error {
	path, err := file()
	if err != nil {
		return err
	}
	if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return nil
}

var (
	execLine   = regexp.MustCompile(`(?m)^Exec=(.*)$`)
	hiddenLine = regexp.MustCompile(`(?m)^(Hidden=true|X-GNOME-Autostart-enabled=false)\s*$`)
)

// Get reads what is in place. A file marked Hidden (how desktops switch an
// entry off) counts as not enabled.
func Get() (Status, error) {
	path, err := file()
	if err != nil {
		return Status{}, err
	}
	st := Status{Where: path}
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return st, nil
	}
	if err != nil {
		return st, err
	}
	if m := execLine.FindSubmatch(data); m != nil {
		st.Command = string(m[1])
	}
	st.Enabled = st.Command != "" && !hiddenLine.Match(data)
	return st, nil
}
