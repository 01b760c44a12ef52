//go:build !linux && !windows

package notify

import "errors"

// Desktop is not available on this system.
type Desktop struct{}

// New fails: only Linux and Windows have notifications here.
func New(appName, icon string, onClick func(Message)) (*Desktop, error) {
	return nil, errors.New("notify: not supported on this system")
}

// Notify does nothing.
func (d *Desktop) Notify(Message) error { return nil }

// Close does nothing.
func (d *Desktop) Close() error { return nil }
