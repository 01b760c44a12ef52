// Package notify shows desktop notifications: over D-Bus
// (org.freedesktop.Notifications) on Linux, as toasts on Windows. A click
// on one is reported with the message it belongs to, so the program can
// open the window where the message points.
package notify

// Message is one notification.
type Message struct {
	Cause     string // what it is about; the program shows one per cause until it clears
	Title     string
	Body      string
	View      string // the window's tab to open on a click (e.g. "execution")
	ProfileID uint   // the profile it is about, 0 for none
}
