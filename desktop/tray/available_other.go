//go:build !linux

package tray

// Available reports whether the desktop shows tray icons (Windows always does).
func Available() bool { return true }
