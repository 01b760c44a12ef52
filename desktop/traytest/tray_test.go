// Package traytest runs the desktop program as it lives on a user's desktop
// — a window, a tray icon with its menu, desktop notifications — under a
// private X display with a tray host, against a shop reached through an SSH
// tunnel and the SnelStart simulator.
package traytest

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/s-connect/s-connect/backend/config"
	"github.com/s-connect/s-connect/backend/testsvc"
	"github.com/s-connect/s-connect/desktop/desktoptest"
)

func TestMain(m *testing.M) { testsvc.Main(m) }

type run struct {
	ID      uint   `json:"id"`
	Trigger string `json:"trigger"`
	State   string `json:"state"`
	Summary string `json:"summary"`
}

func history(t *testing.T, p *desktoptest.Program, profile uint) []run {
	t.Helper()
	raw, err := p.Call("Tasks.History", profile)
	if err != nil {
		t.Fatal(err)
	}
	var runs []run
	if err := json.Unmarshal(raw, &runs); err != nil {
		t.Fatal(err)
	}
	return runs
}

// waitRun waits for a finished run started by trigger.
func waitRun(t *testing.T, p *desktoptest.Program, profile uint, trigger string, limit time.Duration) run {
	t.Helper()
	deadline := time.Now().Add(limit)
	for {
		for _, r := range history(t, p, profile) {
			if r.Trigger == trigger && r.State != "running" {
				return r
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("no finished %s run after %v: %+v\n%s", trigger, limit, history(t, p, profile), desktoptest.String(p.Out))
		}
		time.Sleep(500 * time.Millisecond)
	}
}

func waitFor(t *testing.T, what string, limit time.Duration, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(limit)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("waited %v in vain for %s", limit, what)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// windowProcess is the pid of the program's window process, or 0.
func windowProcess(p *desktoptest.Program) int {
	for pid, name := range desktoptest.Processes(p.Cmd.Process.Pid) {
		if pid != p.Cmd.Process.Pid && strings.HasPrefix(name, "s-connect") {
			return pid
		}
	}
	return 0
}

func TestTheProgramLivesInTheTray(t *testing.T) {
	work := t.TempDir()
	bin, key := desktoptest.Binary(t, work)
	sess := desktoptest.StartSession(t)
	notes := sess.StartNotifications(t)
	shop := desktoptest.StartShop(t, context.Background(), 0, 0)
	if err := shop.HoldAnOrder(); err != nil {
		t.Fatal(err)
	}
	xdg := t.TempDir() // the user's config folder, where autostart files go
	sess.Env = append(sess.Env, "XDG_CONFIG_HOME="+xdg)
	prog := sess.StartProgram(t, bin, t.TempDir())
	pid := prog.Cmd.Process.Pid
	t.Cleanup(func() {
		if t.Failed() {
			log, _ := os.ReadFile(prog.Dir + "/s-connect.log")
			t.Logf("the program's output:\n%s\nits log:\n%s", desktoptest.String(prog.Out), log)
		}
	})
	visible := func() bool { return len(sess.Windows("S-Connect")) > 0 }

	// The window opens — and shows the UI, not a blank page — and the icon
	// is in the tray, saying all is well.
	waitFor(t, "the window", time.Minute, visible)
	waitFor(t, "the window to show the UI", 30*time.Second, func() bool {
		ok, err := sess.Painted("S-Connect")
		if err != nil {
			t.Log(err)
		}
		return ok
	})
	item, err := sess.WaitTrayItem("S-Connect", 30*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if tip, _ := item.Tooltip(); tip != "S-Connect — alles in orde" {
		t.Fatalf("tooltip %q", tip)
	}

	// Closing the window: the program keeps running in the tray, and the
	// window's process (with WebKit's) is gone.
	if err := sess.CloseWindow("S-Connect"); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the window to close", 30*time.Second, func() bool { return !visible() })
	waitFor(t, "the window's processes to end", 30*time.Second, func() bool { return len(desktoptest.Processes(pid)) == 1 })
	if !prog.Running() {
		t.Fatalf("the program ended with its window:\n%s", desktoptest.String(prog.Out))
	}

	// A scheduled run happens in the tray: the next whole minute at least
	// 20 s from now (Volgende keer uitvoeren is to the minute).
	next := time.Now().Truncate(time.Minute).Add(time.Minute)
	if time.Until(next) < 20*time.Second {
		next = next.Add(time.Minute)
	}
	profile, err := shop.Configure(prog, key, map[string]string{"planning.orders.interval": "1h",
		"planning.orders.nextRun": next.Format(config.DateTimeLayout)})
	if err != nil {
		t.Fatal(err)
	}
	if len(history(t, prog, profile)) != 0 {
		t.Fatal("a run before its time")
	}

	// Starten met Windows, geminimaliseerd: on Linux an autostart file that
	// starts this program in the tray; Instellingen shows it; off removes it.
	autostartFile := filepath.Join(xdg, "autostart", "s-connect.desktop")
	if _, err := prog.Call("Settings.Save", profile, map[string]string{"app.autostart": "true"}, []string{}); err != nil {
		t.Fatal(err)
	}
	entry, err := os.ReadFile(autostartFile)
	if err != nil || !strings.Contains(string(entry), "\nExec="+bin+" --minimized --config-dir "+prog.Dir+"\n") {
		t.Fatalf("autostart file: %v\n%s", err, entry)
	}
	var info struct {
		Autostart struct {
			Enabled bool
			Where   string
		}
	}
	raw, _ := prog.Call("Program.Info")
	if json.Unmarshal(raw, &info); !info.Autostart.Enabled || info.Autostart.Where != autostartFile {
		t.Fatalf("Instellingen shows %+v", info.Autostart)
	}
	if _, err := prog.Call("Settings.Save", profile, map[string]string{"app.autostart": "false"}, []string{}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(autostartFile); !os.IsNotExist(err) {
		t.Fatalf("the autostart file is still there after switching it off: %v", err)
	}
	scheduled := waitRun(t, prog, profile, "schedule", time.Until(next)+2*time.Minute)
	var counts map[string]int
	if err := json.Unmarshal([]byte(scheduled.Summary), &counts); err != nil || counts["created"] < 10 {
		t.Fatalf("the scheduled run: %+v (%v)", scheduled, err)
	}
	if visible() || windowProcess(prog) != 0 {
		t.Fatal("the scheduled run opened the window")
	}
	// The order whose total does not add up waits for the user: the icon
	// and tooltip say so, and one notification does.
	if counts["held"] != 1 {
		t.Fatalf("the scheduled run held %d orders, want the one whose total does not add up (counts %v)", counts["held"], counts)
	}
	if tip, _ := item.Tooltip(); !strings.Contains(tip, "wachten op u") {
		t.Fatalf("tooltip after a run with held orders: %q", tip)
	}
	waitFor(t, "the notification", 10*time.Second, func() bool { return len(notes.Sent()) == 1 })
	held := notes.Sent()[0]
	if !strings.Contains(held.Summary, "wachten op u") || held.App != "S-Connect" || len(held.Actions) < 2 || held.Actions[0] != "default" {
		t.Fatalf("notification %+v", held)
	}

	// The tray's Nu uitvoeren runs the task now, recorded as from the tray;
	// the same cause (orders still held) is not notified again.
	if err := item.Click("Nu uitvoeren", "Importeren orders"); err != nil {
		t.Fatal(err)
	}
	waitRun(t, prog, profile, "tray", time.Minute)
	time.Sleep(time.Second)
	if n := len(notes.Sent()); n != 1 {
		t.Fatalf("%d notifications after a second run with the same held orders, want still 1: %+v", n, notes.Sent())
	}

	// Clicking the notification opens the window on Uitvoering.
	if err := notes.Click(held.ID); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the window after clicking the notification", time.Minute, visible)
	if w := windowProcess(prog); desktoptest.Environ(w, "SCONNECT_WINDOW_VIEW") != "execution" {
		t.Fatalf("the window opened on %q, want execution", desktoptest.Environ(w, "SCONNECT_WINDOW_VIEW"))
	}
	sess.CloseWindow("S-Connect")
	waitFor(t, "the window to close", 30*time.Second, func() bool { return !visible() })

	// The tray menu's Openen brings the window back.
	if err := item.Click("Openen"); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the window after Openen", time.Minute, visible)

	// A second start of the program does not start a second one: it asks
	// the first to show its window and exits.
	sess.CloseWindow("S-Connect")
	waitFor(t, "the window to close", 30*time.Second, func() bool { return !visible() })
	second := exec.Command(bin, "--config-dir", prog.Dir)
	second.Env = append(os.Environ(), sess.Env...)
	out, err := second.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "already runs") {
		t.Fatalf("second start: %v\n%s", err, out)
	}
	waitFor(t, "the first program's window after the second start", time.Minute, visible)
	if !prog.Running() {
		t.Fatal("the first program ended")
	}

	// Clicking the notification with the window open brings it to
	// Uitvoering (there is no second window). The window just opened: its
	// page is given a moment to load.
	time.Sleep(3 * time.Second)
	if err := notes.Click(held.ID); err != nil {
		t.Fatal(err)
	}
	time.Sleep(2 * time.Second)
	if n := len(sess.Windows("S-Connect")); n != 1 {
		t.Fatalf("%d windows after clicking a notification with the window open", n)
	}
	if shot := os.Getenv("SCONNECT_TRAY_SCREENSHOT"); shot != "" {
		// For the README: the window on Uitvoering and the tray icon's menu
		// (a right click on the icon, at the left of the panel at the bottom).
		if err := sess.X("mousemove", "14", "885", "click", "3"); err != nil {
			t.Error(err)
		}
		time.Sleep(time.Second)
		if err := sess.Screenshot(shot); err != nil {
			t.Error(err)
		}
		sess.X("key", "Escape")
		time.Sleep(time.Second)
	}

	// Pauzeren, then Afsluiten: the program and its window end.
	if err := item.Click("Pauzeren"); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the tooltip to say paused", 10*time.Second, func() bool {
		tip, _ := item.Tooltip()
		return strings.Contains(tip, "gepauzeerd")
	})
	if err := item.Click("Afsluiten"); err != nil {
		t.Fatal(err)
	}
	ended, err := prog.Wait(30 * time.Second)
	if !ended || err != nil {
		t.Fatalf("after Afsluiten: ended %v, %v\n%s", ended, err, desktoptest.String(prog.Out))
	}
	waitFor(t, "the window to go with it", 30*time.Second, func() bool { return !visible() })

	// Started again at login (--minimized, as autostart does): still
	// paused, and it says so — the tooltip and one notification. The
	// orders still held were notified before: not again.
	again := sess.StartProgram(t, bin, prog.Dir, "--minimized")
	item, err = sess.WaitTrayItem("S-Connect", 30*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the tooltip of the restarted program to say paused", 10*time.Second, func() bool {
		tip, _ := item.Tooltip()
		return strings.Contains(tip, "gepauzeerd")
	})
	waitFor(t, "the notification about the pause", 10*time.Second, func() bool { return len(notes.Sent()) == 2 })
	if paused := notes.Sent()[1]; !strings.Contains(paused.Summary, "gepauzeerd") {
		t.Fatalf("second notification %+v, want the pause", paused)
	}

	// The menu follows the profiles while the program runs: a second
	// profile appears under Nu uitvoeren at once. The first profile's
	// run, from the tray, holds the same order: no new notification.
	if _, err := again.Call("Profiles.Create", "Tweede winkel"); err != nil {
		t.Fatal(err)
	}
	var profiles []struct {
		ID   uint
		Name string
	}
	raw, _ = again.Call("Profiles.List")
	if err := json.Unmarshal(raw, &profiles); err != nil || len(profiles) != 2 {
		t.Fatalf("profiles %s: %v", raw, err)
	}
	// The menu is rebuilt when the profiles change: wait for the new one to
	// show (read in the middle of the rebuild, the submenu was empty).
	waitFor(t, "the second profile under Nu uitvoeren", 10*time.Second, func() bool {
		menu, err := item.Menu()
		if err != nil {
			return false
		}
		for _, m := range menu {
			if strings.ReplaceAll(m.Label, "_", "") == "Nu uitvoeren" {
				var names []string
				for _, c := range m.Children {
					names = append(names, strings.ReplaceAll(c.Label, "_", ""))
				}
				return slices.Contains(names, profiles[0].Name) && slices.Contains(names, profiles[1].Name)
			}
		}
		return false
	})
	before := len(history(t, again, profile))
	if err := item.Click("Nu uitvoeren", profiles[0].Name, "Importeren orders"); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the run from the tray after the restart", time.Minute, func() bool {
		h := history(t, again, profile)
		return len(h) > before && h[0].State != "running"
	})
	time.Sleep(time.Second)
	if n := len(notes.Sent()); n != 2 {
		t.Fatalf("%d notifications: the held order was notified again after the restart: %+v", n, notes.Sent())
	}

	// The menu follows the language: in English, Quit ends the program.
	if _, err := again.Call("Program.SetLanguage", "en"); err != nil {
		t.Fatal(err)
	}
	if err := item.Click("Quit"); err != nil {
		t.Fatal(err)
	}
	if ended, err := again.Wait(30 * time.Second); !ended || err != nil {
		t.Fatalf("after Quit: ended %v, %v\n%s", ended, err, desktoptest.String(again.Out))
	}
}
