package app

import (
	"errors"

	"github.com/s-connect/s-connect/backend/config"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/s-connect/s-connect/desktop/autostart"
	"github.com/s-connect/s-connect/desktop/tray"
)

type fakeTray struct {
	mu      sync.Mutex
	state   tray.State
	tooltip string
	menu    []tray.Item
}

func (f *fakeTray) SetState(s tray.State, tip string) {
	f.mu.Lock()
	f.state, f.tooltip = s, tip
	f.mu.Unlock()
}
func (f *fakeTray) SetMenu(items []tray.Item) { f.mu.Lock(); f.menu = items; f.mu.Unlock() }
func (f *fakeTray) get() (tray.State, string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.state, f.tooltip
}

type fakeWindow struct {
	mu    sync.Mutex
	opens []string
}

func (f *fakeWindow) Open(view string, profileID uint) error {
	f.mu.Lock()
	f.opens = append(f.opens, view)
	f.mu.Unlock()
	return nil
}

func titles(items []tray.Item) []string {
	var out []string
	for _, it := range items {
		out = append(out, it.Title)
	}
	return out
}

// The tray menu: Openen, Nu uitvoeren per task (per profile once there are
// two), Pauzeren, Afsluiten; the choices do what they say.
func TestTheTrayMenu(t *testing.T) {
	s := newTestServices(t)
	tr, win := &fakeTray{}, &fakeWindow{}
	paused, quit := false, false
	bg := NewBackground(s, BackgroundOptions{Tray: tr, Window: win, Quit: func() { quit = true },
		Pause: func(p bool) { paused = p }, Paused: func() bool { return paused }})
	bg.Refresh()
	if got := strings.Join(titles(tr.menu), "|"); got != "Openen|Nu uitvoeren|Pauzeren||Afsluiten" {
		t.Fatalf("menu %q", got)
	}
	if got := strings.Join(titles(tr.menu[1].Items), "|"); got != "Importeren orders|Importeren orders + exporteren voorraad" {
		t.Fatalf("Nu uitvoeren with one profile: %q", got)
	}
	second, _ := s.Profiles.Create("Tweede winkel")
	bg.Refresh()
	runs := tr.menu[1].Items
	if len(runs) != 2 || runs[1].Title != "Tweede winkel" || len(runs[1].Items) != 2 {
		t.Fatalf("Nu uitvoeren with two profiles: %+v", runs)
	}

	bg.Clicked("open")
	if len(win.opens) != 1 {
		t.Fatal("Openen did not open the window")
	}
	bg.Clicked("pause")
	if !paused || !tr.menu[2].Checked {
		t.Fatal("Pauzeren did not pause, or the menu does not show it")
	}
	if st, tip := tr.get(); st != tray.Paused || !strings.Contains(tip, "gepauzeerd") {
		t.Fatalf("paused: %s %q", st, tip)
	}
	bg.Clicked("pause")
	if paused {
		t.Fatal("a second Pauzeren did not resume")
	}

	// Nu uitvoeren from the tray: recorded as a tray run (this one stops
	// for want of a licence, and says so).
	bg.Clicked(runs[1].Items[0].ID)
	deadline := time.Now().Add(5 * time.Second)
	for {
		hist, _ := s.Tasks.History(second.ID)
		if len(hist) == 1 {
			if hist[0].Trigger != "tray" || hist[0].State != "failed" || !strings.Contains(hist[0].Message, "licentie") {
				t.Fatalf("tray run %+v", hist[0])
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("no run from the tray")
		}
		time.Sleep(10 * time.Millisecond)
	}
	// The history has the run a moment before the tray hears of it.
	for st, tip := tr.get(); st != tray.Failed || !strings.Contains(tip, "mislukt: Tweede winkel: Importeren orders"); st, tip = tr.get() {
		if time.Now().After(deadline) {
			t.Fatalf("after a failed run: %s %q", st, tip)
		}
		time.Sleep(10 * time.Millisecond)
	}
	bg.Clicked("quit")
	if !quit {
		t.Fatal("Afsluiten did not quit")
	}
}

// The icon follows the runs: running, then held orders, then all well.
func TestTheTrayFollowsTheRuns(t *testing.T) {
	s := newTestServices(t)
	tr := &fakeTray{}
	bg := NewBackground(s, BackgroundOptions{Tray: tr, Window: &fakeWindow{}})
	ps, _ := s.store.Profiles()
	p := ps[0].ID
	bg.Refresh()
	if st, tip := tr.get(); st != tray.Idle || tip != "S-Connect — alles in orde" {
		t.Fatalf("at the start: %s %q", st, tip)
	}
	s.runStarted(p, "orders")
	if st, _ := tr.get(); st != tray.Running {
		t.Fatalf("during a run: %s", st)
	}
	s.runFinished(finished(p, "orders", config.RunHeld, 3), map[string]int{"held": 3}, nil)
	if st, tip := tr.get(); st != tray.Held || !strings.Contains(tip, "3 order(s) wachten op u") {
		t.Fatalf("held: %s %q", st, tip)
	}
	s.runFinished(finished(p, "orders", config.RunOK, 0), map[string]int{"created": 3}, nil)
	if st, _ := tr.get(); st != tray.Idle {
		t.Fatalf("after a clean run: %s", st)
	}
	// A restart takes the last runs' state.
	failedRun := finished(p, "ordersStock", config.RunFailed, 0)
	s.store.AddRun(&failedRun)
	bg2 := NewBackground(s, BackgroundOptions{Tray: tr, Window: &fakeWindow{}})
	bg2.Refresh()
	if st, _ := tr.get(); st != tray.Failed {
		t.Fatalf("after a restart with a failed last run: %s", st)
	}
}

type fakeAutostart struct {
	on      bool
	fail    bool
	changes int
}

func (f *fakeAutostart) Get() (autostart.Status, error) {
	return autostart.Status{Enabled: f.on, Where: "/home/an/.config/autostart/s-connect.desktop"}, nil
}
func (f *fakeAutostart) Enable() error {
	f.changes++
	if f.fail {
		return errors.New("read-only")
	}
	f.on = true
	return nil
}
func (f *fakeAutostart) Disable() error { f.changes++; f.on = false; return nil }

// Starten met Windows: saving the setting puts the entry in place or
// removes it, and Instellingen shows what is in place.
func TestAutostartFollowsTheSetting(t *testing.T) {
	s := newTestServices(t)
	a := &fakeAutostart{}
	s.SetAutostart(a)
	ps, _ := s.store.Profiles()
	if info := s.Program.Info(); info.Autostart == nil || info.Autostart.Enabled {
		t.Fatalf("before: %+v", info.Autostart)
	}
	if _, err := s.Settings.Save(ps[0].ID, map[string]string{"app.autostart": "true"}, nil); err != nil {
		t.Fatal(err)
	}
	if !a.on || !s.Program.Info().Autostart.Enabled {
		t.Fatal("not in place after switching it on")
	}
	if _, err := s.Settings.Save(ps[0].ID, map[string]string{"profile.name": "Andere naam"}, nil); err != nil || a.changes != 1 {
		t.Fatalf("another setting touched autostart: %d changes, %v", a.changes, err)
	}
	if _, err := s.Settings.Save(ps[0].ID, map[string]string{"app.autostart": "false"}, nil); err != nil || a.on {
		t.Fatalf("still in place after switching it off (%v)", err)
	}
	// When the entry cannot be written, the user hears so, in words.
	a.fail = true
	_, err := s.Settings.Save(ps[0].ID, map[string]string{"app.autostart": "true"}, nil)
	if e := s.userError(err); e.Code != "autostart" || !strings.Contains(e.Message, "automatisch starten") {
		t.Fatalf("failure: %+v", e)
	}
	// Without the desktop (serve) there is nothing to show.
	if info := newTestServices(t).Program.Info(); info.Autostart != nil {
		t.Fatal("serve shows autostart")
	}
}

// The first program brings its window forward when a second one starts.
func TestOpenWindowForASecondStart(t *testing.T) {
	s := newTestServices(t)
	if err := s.Program.OpenWindow(""); err != nil {
		t.Fatalf("serve: %v", err)
	}
	win := &fakeWindow{}
	NewBackground(s, BackgroundOptions{Tray: &fakeTray{}, Window: win})
	if err := s.Program.OpenWindow(""); err != nil || len(win.opens) != 1 {
		t.Fatalf("desktop: %v, %d opens", err, len(win.opens))
	}
}

// The window gets a language when the system has none (WebKit's page
// language comes from the locale; "C" is no language tag).
func TestWindowLocale(t *testing.T) {
	for env, want := range map[string]string{
		"":                             "nl_NL.UTF-8",
		"LANG=C":                       "nl_NL.UTF-8",
		"LANG=C.UTF-8":                 "nl_NL.UTF-8",
		"LANG=nl_NL.UTF-8|LC_ALL=C":    "nl_NL.UTF-8",
		"LANG=en_GB.UTF-8":             "",
		"LC_ALL=de_DE.UTF-8|LANG=C":    "",
		"LANG=POSIX|LC_MESSAGES=fr_FR": "",
	} {
		var in []string
		if env != "" {
			in = strings.Split(env, "|")
		}
		out := windowLocale(in)
		got := ""
		if len(out) > len(in) {
			got = strings.TrimPrefix(out[len(out)-1], "LC_ALL=")
		}
		if got != want {
			t.Errorf("%q: set %q, want %q", env, got, want)
		}
	}
}

// The tray menu follows the profiles and the language while the program
// runs: nobody calls Refresh here, the services do.
func TestTheTrayMenuFollowsProfilesAndLanguage(t *testing.T) {
	s := newTestServices(t)
	tr := &fakeTray{}
	paused := false
	bg := NewBackground(s, BackgroundOptions{Tray: tr, Window: &fakeWindow{},
		Pause: func(p bool) { paused = p }, Paused: func() bool { return paused }})
	bg.Refresh()
	runNow := func() []string {
		tr.mu.Lock()
		defer tr.mu.Unlock()
		return titles(tr.menu[1].Items)
	}
	if got := runNow(); len(got) != 2 || got[0] != "Importeren orders" {
		t.Fatalf("one profile: %q", got)
	}
	second, err := s.Profiles.Create("Tweede winkel")
	if err != nil {
		t.Fatal(err)
	}
	if got := runNow(); len(got) != 2 || got[1] != "Tweede winkel" {
		t.Fatalf("after adding a profile: %q", got)
	}
	if _, err := s.Profiles.Rename(second.ID, "Outlet"); err != nil {
		t.Fatal(err)
	}
	if got := runNow(); len(got) != 2 || got[1] != "Outlet" {
		t.Fatalf("after renaming a profile: %q", got)
	}
	// A failed run of the profile about to go: the icon must not stay red.
	bg.runFinished(config.Run{ProfileID: second.ID, Task: "orders", State: config.RunFailed}, nil, errors.New("x"))
	if _, err := s.Profiles.Delete(second.ID); err != nil {
		t.Fatal(err)
	}
	if got := runNow(); len(got) != 2 || got[0] != "Importeren orders" {
		t.Fatalf("after deleting a profile: %q", got)
	}
	if st, tip := tr.get(); st != tray.Idle {
		t.Fatalf("the deleted profile's failure still shows: %s %q", st, tip)
	}

	if err := s.Program.SetLanguage("en"); err != nil {
		t.Fatal(err)
	}
	tr.mu.Lock()
	got := strings.Join(titles(tr.menu), "|")
	tr.mu.Unlock()
	if got != "Open|Run now|Pause||Quit" {
		t.Fatalf("menu after switching to English: %q", got)
	}
	if _, tip := tr.get(); !strings.Contains(tip, "all is well") {
		t.Fatalf("tooltip after switching to English: %q", tip)
	}
	// The language saved on Instellingen (Settings.Save) too.
	ps, _ := s.Profiles.List()
	if _, err := s.Settings.Save(ps[0].ID, map[string]string{"ui.language": "nl"}, nil); err != nil {
		t.Fatal(err)
	}
	tr.mu.Lock()
	got = strings.Join(titles(tr.menu), "|")
	tr.mu.Unlock()
	if got != "Openen|Nu uitvoeren|Pauzeren||Afsluiten" {
		t.Fatalf("menu after saving Nederlands: %q", got)
	}
}

// Pauzeren survives a restart: the program started again (at login) keeps
// its schedules paused and says so — the menu's tick, the tooltip beside a
// failure, and one notification at start.
func TestPauseSurvivesARestart(t *testing.T) {
	s := newTestServices(t)
	var paused bool
	bg := NewBackground(s, BackgroundOptions{Tray: &fakeTray{}, Window: &fakeWindow{},
		Pause: func(p bool) { paused = p }, Paused: func() bool { return paused }})
	bg.Refresh()
	if s.SchedulePaused() {
		t.Fatal("paused before Pauzeren")
	}
	bg.Clicked("pause")
	if !paused {
		t.Fatal("Pauzeren did not pause")
	}

	// The restart: new services and tray on the same settings; the
	// scheduler starts with what SchedulePaused says (desktopcmd.go).
	restart := func() (*fakeTray, *fakeNotifier, *Background, *bool) {
		s2 := NewServices(Options{Store: s.store, Messages: s.msgs, Log: s.log, Mode: "desktop"})
		p2 := s2.SchedulePaused()
		tr, n := &fakeTray{}, &fakeNotifier{}
		bg2 := NewBackground(s2, BackgroundOptions{Tray: tr, Window: &fakeWindow{}, Notifier: n,
			Pause: func(p bool) { p2 = p }, Paused: func() bool { return p2 }})
		bg2.Refresh()
		bg2.AnnouncePaused()
		return tr, n, bg2, &p2
	}
	tr, n, bg2, p2 := restart()
	if !*p2 {
		t.Fatal("the restarted program's schedule is not paused")
	}
	if !bg2.s.Program.Info().Paused {
		t.Fatal("the window is not told that the schedule is paused")
	}
	if !tr.menu[2].Checked {
		t.Fatal("the restarted program's menu does not tick Pauzeren")
	}
	if st, tip := tr.get(); st != tray.Paused || !strings.Contains(tip, "gepauzeerd") {
		t.Fatalf("restarted paused: %s %q", st, tip)
	}
	if len(n.sent) != 1 || n.sent[0].View != "planning" || !strings.Contains(n.sent[0].Title, "gepauzeerd") {
		t.Fatalf("no word at start about the pause: %+v", n.sent)
	}
	ps, _ := bg2.s.store.Profiles()
	bg2.runFinished(config.Run{ProfileID: ps[0].ID, Task: "orders", State: config.RunFailed}, nil, errors.New("x"))
	if st, tip := tr.get(); st != tray.Failed || !strings.Contains(tip, "gepauzeerd") {
		t.Fatalf("a failure hides the pause: %s %q", st, tip)
	}

	// Resumed: the window hears of it; restarted again: not paused, nothing said.
	events := &recordEvents{}
	bg2.s.SetEmitter(events)
	bg2.Clicked("pause")
	if got := events.names(); !strings.Contains(got, EventProgramChanged) || bg2.s.Program.Info().Paused {
		t.Fatalf("after resuming: events %q, Info().Paused %v", got, bg2.s.Program.Info().Paused)
	}
	_, n, bg3, p2 := restart()
	if *p2 || len(n.sent) != 0 || bg3.s.Program.Info().Paused {
		t.Fatalf("after resuming and a restart: paused=%v, notifications %+v", *p2, n.sent)
	}
	// serve has no tray: it says nothing of a pause it does not keep.
	bg3.Clicked("pause")
	serve := NewServices(Options{Store: s.store, Messages: s.msgs, Log: s.log, Mode: "serve"})
	if !serve.SchedulePaused() || serve.Program.Info().Paused {
		t.Fatal("serve (no tray) reports a pause")
	}
}

type recordEvents struct {
	mu   sync.Mutex
	seen []string
}

func (r *recordEvents) Emit(name string, _ any) {
	r.mu.Lock()
	r.seen = append(r.seen, name)
	r.mu.Unlock()
}
func (r *recordEvents) names() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return strings.Join(r.seen, " ")
}
