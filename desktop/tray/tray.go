// Package tray shows S-Connect in the system tray: an icon whose dot tells
// the state, a tooltip, and a menu. It wraps fyne.io/systray, which speaks
// the StatusNotifierItem protocol over D-Bus on Linux (no GTK in this
// process) and the Win32 notification area on Windows.
package tray

import (
	"runtime"
	"sync"

	"fyne.io/systray"
)

// Item is one entry of the menu: ID is what the click handler receives; an
// item with Items is a submenu; Checkable items show Checked; an item with
// neither ID nor Title is a separator.
type Item struct {
	ID        string
	Title     string
	Checkable bool
	Checked   bool
	Disabled  bool
	Items     []Item
}

// Tray is the running tray icon.
type Tray struct {
	onClick func(id string)

	mu   sync.Mutex
	stop chan struct{} // ends the click listeners of the current menu
}

// Run puts the icon up and blocks until Quit. ready runs once the icon
// exists; onClick receives the ID of a chosen menu item, and "open" for a
// click on the icon itself. Run locks its goroutine to the OS thread, as
// the Windows message loop needs.
func Run(ready func(*Tray), onClick func(id string)) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	t := &Tray{onClick: onClick, stop: make(chan struct{})}
	systray.SetOnTapped(func() { onClick("open") })
	systray.Run(func() {
		systray.SetTitle("S-Connect")
		t.SetState(Idle, "S-Connect")
		ready(t)
	}, nil)
}

// Quit removes the icon; Run returns.
func (t *Tray) Quit() { systray.Quit() }

// SetState shows a state in the icon and the tooltip.
func (t *Tray) SetState(s State, tooltip string) {
	if runtime.GOOS == "windows" {
		systray.SetIcon(IconICO(s))
	} else {
		systray.SetIcon(IconPNG(s))
	}
	systray.SetTooltip(tooltip)
}

// SetMenu replaces the menu.
func (t *Tray) SetMenu(items []Item) {
	t.mu.Lock()
	defer t.mu.Unlock()
	close(t.stop)
	t.stop = make(chan struct{})
	systray.ResetMenu()
	for _, it := range items {
		t.add(nil, it)
	}
}

func (t *Tray) add(parent *systray.MenuItem, it Item) {
	if it.ID == "" && it.Title == "" {
		if parent == nil {
			systray.AddSeparator()
		} else {
			parent.AddSeparator()
		}
		return
	}
	var mi *systray.MenuItem
	switch {
	case parent == nil && it.Checkable:
		mi = systray.AddMenuItemCheckbox(it.Title, "", it.Checked)
	case parent == nil:
		mi = systray.AddMenuItem(it.Title, "")
	case it.Checkable:
		mi = parent.AddSubMenuItemCheckbox(it.Title, "", it.Checked)
	default:
		mi = parent.AddSubMenuItem(it.Title, "")
	}
	if it.Disabled {
		mi.Disable()
	}
	for _, sub := range it.Items {
		t.add(mi, sub)
	}
	if len(it.Items) == 0 && it.ID != "" {
		go t.listen(mi.ClickedCh, it.ID, t.stop)
	}
}

// listen passes the clicks of one menu item on until the menu is replaced.
// systray closes an item's channel when SetMenu removes it: a closed
// channel is no click (it used to be read as endless clicks — a rebuilt
// menu could toggle Pauzeren back or choose Afsluiten by itself).
func (t *Tray) listen(clicks <-chan struct{}, id string, stop <-chan struct{}) {
	for {
		select {
		case _, ok := <-clicks:
			if !ok {
				return
			}
			select {
			case <-stop: // the menu was replaced meanwhile
				return
			default:
			}
			t.onClick(id)
		case <-stop:
			return
		}
	}
}
