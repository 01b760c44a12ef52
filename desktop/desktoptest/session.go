// Package desktoptest runs the desktop program the way a user's desktop
// does, for tests and benchmarks: a private X display (Xvfb), a private
// D-Bus session bus, a tray host (a StatusNotifierWatcher and a panel that
// draws the icons and their menus), and helpers to drive the program's
// tray menu over D-Bus, read its API and measure its memory.
//
// It needs Debian's xvfb, xdotool, imagemagick, dbus (dbus-daemon),
// openbox and wmctrl (a window manager, so that a window is closed the way
// its close button closes it), haskell-status-notifier-item-utils (status-notifier-watcher) and
// haskell-gtk-sni-tray-utils (gtk-sni-tray-standalone); scripts/deps.sh
// installs them. A missing one fails the test with its name.
package desktoptest

import (
	"bufio"
	"fmt"
	"image/color"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/godbus/dbus/v5"

	"github.com/s-connect/s-connect/backend/testsvc"
)

// Session is a private desktop: display, session bus and tray host.
type Session struct {
	Display string   // ":N"
	Bus     string   // the session bus address
	Env     []string // DISPLAY and DBUS_SESSION_BUS_ADDRESS, for programs
	conn    *dbus.Conn
}

var tools = map[string]string{
	"Xvfb": "xvfb", "xdotool": "xdotool", "import": "imagemagick", "dbus-daemon": "dbus",
	"status-notifier-watcher": "haskell-status-notifier-item-utils", "gtk-sni-tray-standalone": "haskell-gtk-sni-tray-utils",
	"openbox": "openbox", "wmctrl": "wmctrl",
}

// StartSession starts the display, the bus and the tray host; they stop at
// the test's cleanup.
func StartSession(tb testsvc.TB) *Session {
	tb.Helper()
	for bin, pkg := range tools {
		if _, err := exec.LookPath(bin); err != nil {
			tb.Fatalf("%s not found: install Debian's %s (scripts/deps.sh test does)", bin, pkg)
		}
	}
	s := &Session{}
	// Xvfb picks a free display and writes its number to -displayfd.
	r, w, err := os.Pipe()
	if err != nil {
		tb.Fatal(err)
	}
	x := exec.Command("Xvfb", "-displayfd", "3", "-screen", "0", "1280x900x24", "-nolisten", "tcp")
	x.ExtraFiles = []*os.File{w}
	if err := x.Start(); err != nil {
		tb.Fatalf("Xvfb: %v", err)
	}
	w.Close()
	tb.Cleanup(func() { stop(x) })
	line, err := readLine(r, 20*time.Second)
	if err != nil {
		tb.Fatalf("Xvfb did not start: %v", err)
	}
	s.Display = ":" + line

	bus := StartBus(tb)
	s.Bus, s.conn = bus.Addr, bus.conn
	s.Env = []string{"DISPLAY=" + s.Display, "DBUS_SESSION_BUS_ADDRESS=" + s.Bus}

	s.Start(tb, "openbox", "--sm-disable")
	s.Start(tb, "status-notifier-watcher")
	s.waitName(tb, "org.kde.StatusNotifierWatcher")
	s.Start(tb, "gtk-sni-tray-standalone", "--bottom")
	deadline := time.Now().Add(20 * time.Second)
	for !s.hostRegistered() {
		if time.Now().After(deadline) {
			tb.Fatal("the tray host (gtk-sni-tray-standalone) did not register with the watcher")
		}
		time.Sleep(50 * time.Millisecond)
	}
	return s
}

func (s *Session) hostRegistered() bool {
	v, err := s.conn.Object(watcherName, "/StatusNotifierWatcher").GetProperty(watcherName + ".IsStatusNotifierHostRegistered")
	b, _ := v.Value().(bool)
	return err == nil && b
}

// Bus is a private D-Bus session bus.
type Bus struct {
	Addr string
	conn *dbus.Conn
}

// StartBus starts a session bus of the test's own (dbus-daemon).
func StartBus(tb testsvc.TB) *Bus {
	tb.Helper()
	if _, err := exec.LookPath("dbus-daemon"); err != nil {
		tb.Fatal("dbus-daemon not found: install Debian's dbus (scripts/deps.sh test does)")
	}
	d := exec.Command("dbus-daemon", "--session", "--nofork", "--print-address=1")
	out, _ := d.StdoutPipe()
	if err := d.Start(); err != nil {
		tb.Fatalf("dbus-daemon: %v", err)
	}
	tb.Cleanup(func() { stop(d) })
	b := &Bus{}
	var err error
	if b.Addr, err = readLine(out, 10*time.Second); err != nil {
		tb.Fatalf("dbus-daemon did not start: %v", err)
	}
	if b.conn, err = dbus.Connect(b.Addr); err != nil {
		tb.Fatalf("session bus: %v", err)
	}
	tb.Cleanup(func() { b.conn.Close() })
	return b
}

// Start runs a program in the session until the test ends.
func (s *Session) Start(tb testsvc.TB, name string, args ...string) *exec.Cmd {
	tb.Helper()
	c := exec.Command(name, args...)
	c.Env = append(os.Environ(), s.Env...)
	if err := c.Start(); err != nil {
		tb.Fatalf("%s: %v", name, err)
	}
	tb.Cleanup(func() { stop(c) })
	return c
}

const watcherName = "org.kde.StatusNotifierWatcher"

// waitName waits until a bus name (or, ending in "-", a name with that
// prefix) has an owner.
func (s *Session) waitName(tb testsvc.TB, name string) {
	tb.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		var names []string
		if s.conn.BusObject().Call("org.freedesktop.DBus.ListNames", 0).Store(&names) == nil {
			for _, n := range names {
				if n == name || strings.HasSuffix(name, "-") && strings.HasPrefix(n, name) {
					return
				}
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	tb.Fatalf("%s did not appear on the session bus", name)
}

// Screenshot writes the whole screen to path (PNG).
func (s *Session) Screenshot(path string) error {
	c := exec.Command("import", "-window", "root", path)
	c.Env = append(os.Environ(), s.Env...)
	if out, err := c.CombinedOutput(); err != nil {
		return fmt.Errorf("import: %v: %s", err, out)
	}
	return nil
}

// Windows lists the ids of visible windows whose title is exactly name.
func (s *Session) Windows(name string) []string {
	c := exec.Command("xdotool", "search", "--onlyvisible", "--name", "^"+name+"$")
	c.Env = append(os.Environ(), s.Env...)
	out, _ := c.Output()
	return strings.Fields(string(out))
}

// CloseWindow closes the windows titled name as the close button does
// (the window manager asks the program to close it).
func (s *Session) CloseWindow(name string) error {
	c := exec.Command("wmctrl", "-F", "-c", name)
	c.Env = append(os.Environ(), s.Env...)
	if out, err := c.CombinedOutput(); err != nil {
		return fmt.Errorf("wmctrl -c %s: %v: %s", name, err, out)
	}
	return nil
}

// X runs xdotool with args in the session.
func (s *Session) X(args ...string) error {
	c := exec.Command("xdotool", args...)
	c.Env = append(os.Environ(), s.Env...)
	if out, err := c.CombinedOutput(); err != nil {
		return fmt.Errorf("xdotool %v: %v: %s", args, err, out)
	}
	return nil
}

func readLine(f interface{ Read([]byte) (int, error) }, limit time.Duration) (string, error) {
	ch := make(chan string, 1)
	errc := make(chan error, 1)
	go func() {
		line, err := bufio.NewReader(f).ReadString('\n')
		if err != nil {
			errc <- err
			return
		}
		ch <- strings.TrimSpace(line)
	}()
	select {
	case l := <-ch:
		return l, nil
	case err := <-errc:
		return "", err
	case <-time.After(limit):
		return "", fmt.Errorf("nothing after %v", limit)
	}
}

func stop(c *exec.Cmd) {
	if c.Process == nil {
		return
	}
	c.Process.Signal(os.Interrupt)
	done := make(chan struct{})
	go func() { c.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(3 * time.Second):
		c.Process.Kill()
		<-done
	}
}

// Painted reports whether the window titled name shows more than a blank
// page: a page that failed to load leaves one flat colour.
func (s *Session) Painted(name string) (bool, error) {
	ids := s.Windows(name)
	if len(ids) == 0 {
		return false, nil
	}
	shot := filepath.Join(os.TempDir(), fmt.Sprintf("desktoptest-%d.png", os.Getpid()))
	defer os.Remove(shot)
	c := exec.Command("import", "-window", ids[0], shot)
	c.Env = append(os.Environ(), s.Env...)
	if out, err := c.CombinedOutput(); err != nil {
		return false, fmt.Errorf("import: %v: %s", err, out)
	}
	f, err := os.Open(shot)
	if err != nil {
		return false, err
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		return false, err
	}
	colours := map[color.Color]bool{}
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y += 3 {
		for x := b.Min.X; x < b.Max.X; x += 3 {
			colours[img.At(x, y)] = true
			if len(colours) > 20 {
				return true, nil
			}
		}
	}
	return false, nil
}
