// Package desktop holds what the desktop program adds around the services
// when it lives in the tray: the tray icon and menu (tray), desktop
// notifications (notify), starting with the session (autostart) and the one
// instance per settings folder (instance). None of it imports the Wails
// runtime; app/ uses each piece through a small interface, and `serve`
// runs without them.
package desktop
