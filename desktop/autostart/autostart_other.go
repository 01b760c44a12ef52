//go:build !linux && !windows

package autostart

import "errors"

var errUnsupported = errors.New("autostart: not supported on this system")

// Enable is not supported here.
func Enable(Entry) error { return errUnsupported }

// Disable is not supported here.
func Disable() error { return errUnsupported }

// Get is not supported here.
func Get() (Status, error) { return Status{}, errUnsupported }
