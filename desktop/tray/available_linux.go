package tray

import "github.com/godbus/dbus/v5"

// Available reports whether the desktop shows tray icons: on Linux, whether
// a StatusNotifierWatcher (the tray host's registry) is on the session bus.
// Without one, a hidden window could not be brought back.
func Available() bool {
	conn, err := dbus.SessionBus()
	if err != nil {
		return false
	}
	var has bool
	err = conn.BusObject().Call("org.freedesktop.DBus.NameHasOwner", 0, "org.kde.StatusNotifierWatcher").Store(&has)
	return err == nil && has
}
