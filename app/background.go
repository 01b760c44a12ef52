package app

import (
	"fmt"
	"reflect"
	goruntime "runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/s-connect/s-connect/backend/config"
	"github.com/s-connect/s-connect/desktop/autostart"
	"github.com/s-connect/s-connect/desktop/notify"
	"github.com/s-connect/s-connect/desktop/tray"
)

// The desktop program's background process owns the services, the
// scheduler and the tray; the window is a process of its own that it
// starts on *Openen*, so nothing of the WebView stays in memory while the
// program sits in the tray (see docs/desktop.md). These are its pieces;
// `serve` has none of them.

// Tray is the icon in the system tray (desktop/tray).
type Tray interface {
	SetState(s tray.State, tooltip string)
	SetMenu(items []tray.Item)
}

// Notifier shows desktop notifications (desktop/notify).
type Notifier interface {
	Notify(m notify.Message) error
}

// Window opens the program's window, or brings it forward when it is open.
type Window interface {
	Open(view string, profileID uint) error
}

// Autostart starts the program at login (desktop/autostart).
type Autostart interface {
	Get() (autostart.Status, error)
	Enable() error
	Disable() error
}

// EventWindowShow asks an open window to come forward and show a view.
const EventWindowShow = "window:show"

// Background is the desktop program in the tray: it keeps the tray's icon
// and menu in step with the runs, sends notifications, and opens the
// window.
type Background struct {
	s      *Services
	tray   Tray
	window Window
	quit   func()
	health *health

	mu       sync.Mutex
	tasks    map[taskKey]*taskState
	pausedF  func() bool
	pauseF   func(bool)
	menuMu   sync.Mutex
	lastMenu []tray.Item // what the tray shows, so an unchanged menu is not rebuilt
}

type taskKey struct {
	profile uint
	task    string
}

type taskState struct {
	running bool
	failed  bool
	held    int
}

// BackgroundOptions are the desktop pieces, built in main.
type BackgroundOptions struct {
	Tray     Tray
	Notifier Notifier
	Window   Window
	Quit     func() // ends the program (*Afsluiten*)
	// Pause and Paused switch the scheduler's pause (*Pauzeren*).
	Pause  func(bool)
	Paused func() bool
}

// NewBackground connects the desktop pieces to the services.
func NewBackground(s *Services, o BackgroundOptions) *Background {
	bg := &Background{s: s, tray: o.Tray, window: o.Window, quit: o.Quit, pauseF: o.Pause, pausedF: o.Paused,
		tasks: map[taskKey]*taskState{}, health: newHealth(s, o.Notifier)}
	s.watch = bg
	s.window = o.Window
	bg.load()
	return bg
}

// load takes each task's last run as its state.
func (bg *Background) load() {
	ps, err := bg.s.store.Profiles()
	if err != nil {
		bg.s.log.Warn("tray: profiles", "err", err)
		return
	}
	bg.mu.Lock()
	defer bg.mu.Unlock()
	for _, p := range ps {
		for _, task := range config.Tasks {
			st := &taskState{}
			if last, err := bg.s.store.LastRun(p.ID, task); err == nil && last != nil {
				st.failed, st.held = last.State == config.RunFailed, last.Held
			}
			bg.tasks[taskKey{p.ID, task}] = st
		}
	}
}

// Refresh redraws the tray: menu and state. It runs whenever profiles, the
// language or settings change (Services.changed), so a profile added,
// renamed or deleted, or a switch to English, shows in the menu at once.
// A menu that did not change is not rebuilt: rebuilding closes a menu the
// user may have open.
func (bg *Background) Refresh() {
	bg.forgetDeleted()
	items := bg.menu()
	bg.menuMu.Lock()
	if !reflect.DeepEqual(items, bg.lastMenu) {
		bg.tray.SetMenu(items)
		bg.lastMenu = items
	}
	bg.menuMu.Unlock()
	bg.showState()
}

// changed is how Services tells that profiles, the language or settings
// changed.
func (bg *Background) changed() { bg.Refresh() }

// forgetDeleted drops the state of the tasks of deleted profiles, so the
// icon does not stay red for a profile that is gone.
func (bg *Background) forgetDeleted() {
	ps, err := bg.s.store.Profiles()
	if err != nil {
		return
	}
	exists := map[uint]bool{}
	for _, p := range ps {
		exists[p.ID] = true
	}
	bg.mu.Lock()
	for k := range bg.tasks {
		if !exists[k.profile] {
			delete(bg.tasks, k)
		}
	}
	bg.mu.Unlock()
	bg.health.forgetProfiles(exists)
}

func (bg *Background) t(key, arg string) string { return bg.s.msgs.T(bg.s.language(), key, arg) }

// menu is the tray menu: Openen, Nu uitvoeren (per profile and task),
// Pauzeren, Afsluiten.
func (bg *Background) menu() []tray.Item {
	ps, _ := bg.s.store.Profiles()
	runs := tray.Item{Title: bg.t("tray.runNow", "")}
	for _, p := range ps {
		var items []tray.Item
		for _, task := range config.Tasks {
			items = append(items, tray.Item{ID: fmt.Sprintf("run:%d:%s", p.ID, task), Title: bg.t("task."+task, "")})
		}
		if len(ps) == 1 {
			runs.Items = items
		} else {
			runs.Items = append(runs.Items, tray.Item{Title: p.Name, Items: items})
		}
	}
	paused := bg.paused()
	return []tray.Item{
		{ID: "open", Title: bg.t("tray.open", "")},
		runs,
		{ID: "pause", Title: bg.t("tray.pause", ""), Checkable: true, Checked: paused},
		{},
		{ID: "quit", Title: bg.t("tray.quit", "")},
	}
}

// Clicked handles a choice in the tray menu (or a click on the icon: "open").
func (bg *Background) Clicked(id string) {
	switch {
	case id == "open":
		bg.openWindow("", 0)
	case id == "pause":
		bg.SetPaused(!bg.paused())
	case id == "quit":
		if bg.quit != nil {
			bg.quit()
		}
	case strings.HasPrefix(id, "run:"):
		parts := strings.SplitN(id, ":", 3)
		p, err := strconv.ParseUint(parts[1], 10, 32)
		if err != nil || len(parts) != 3 || checkTask(parts[2]) != nil {
			return
		}
		go bg.s.Tasks.runScheduled(uint(p), parts[2], "tray")
	}
}

func (bg *Background) paused() bool { return bg.pausedF != nil && bg.pausedF() }

// SetPaused pauses or resumes every schedule (*Pauzeren*) and remembers
// it, so that a restart — at login through autostart — stays paused.
func (bg *Background) SetPaused(p bool) {
	if bg.pauseF != nil {
		bg.pauseF(p)
	}
	if err := bg.s.store.SetReadOnly(0, "app.paused", strconv.FormatBool(p)); err != nil {
		bg.s.log.Error("pause: not saved", "err", err)
	}
	bg.s.events.Emit(EventProgramChanged, nil) // the window's Planning tab says so
	bg.Refresh()
}

// SchedulePaused reports whether *Pauzeren* was on when the program last
// ran; the desktop program pauses its scheduler with it before the first
// run can start.
func (s *Services) SchedulePaused() bool {
	v, err := s.store.ProgramValue("app.paused")
	return err == nil && v == "true"
}

// AnnouncePaused says, once at start, that the schedules are paused: the
// program started at login would otherwise sit in the tray doing nothing
// without a word.
func (bg *Background) AnnouncePaused() {
	if bg.paused() {
		bg.health.announce(notify.Message{Cause: "paused", View: "planning",
			Title: bg.t("notify.paused.title", ""), Body: bg.t("notify.paused.body", "")})
	}
}

// OpenView opens the window on a view (a notification was clicked).
func (bg *Background) OpenView(m notify.Message) { bg.openWindow(m.View, m.ProfileID) }

func (bg *Background) openWindow(view string, profileID uint) {
	if bg.window == nil {
		return
	}
	if err := bg.window.Open(view, profileID); err != nil {
		bg.s.log.Error("window", "err", err)
	}
}

// runStarted and runFinished are called by every run (services.go).
func (bg *Background) runStarted(profileID uint, task string) {
	bg.mu.Lock()
	bg.state(profileID, task).running = true
	bg.mu.Unlock()
	bg.showState()
}

func (bg *Background) runFinished(run config.Run, counts map[string]int, err error) {
	bg.mu.Lock()
	st := bg.state(run.ProfileID, run.Task)
	st.running, st.failed, st.held = false, run.State == config.RunFailed, run.Held
	bg.mu.Unlock()
	bg.showState()
	bg.health.runFinished(run, err)
	// For support and the long-running benchmark: what the process holds.
	var ms goruntime.MemStats
	goruntime.ReadMemStats(&ms)
	bg.s.log.Info("run finished", "profile", run.ProfileID, "task", run.Task, "trigger", run.Trigger, "state", run.State,
		"goroutines", goruntime.NumGoroutine(), "heapInUseKiB", ms.HeapInuse>>10)
}

// state returns a task's state; the caller holds bg.mu.
func (bg *Background) state(profileID uint, task string) *taskState {
	k := taskKey{profileID, task}
	if bg.tasks[k] == nil {
		bg.tasks[k] = &taskState{}
	}
	return bg.tasks[k]
}

// showState puts the most urgent state in the icon and tooltip: running,
// then failed, then orders held, then paused; otherwise all is well.
func (bg *Background) showState() {
	state, tip := bg.summary()
	bg.tray.SetState(state, "S-Connect — "+tip)
}

func (bg *Background) summary() (tray.State, string) {
	bg.mu.Lock()
	keys := make([]taskKey, 0, len(bg.tasks))
	for k := range bg.tasks {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if keys[i].profile != keys[j].profile {
			return keys[i].profile < keys[j].profile
		}
		return keys[i].task < keys[j].task
	})
	var running, failed []taskKey
	held := 0
	for _, k := range keys {
		st := bg.tasks[k]
		if st.running {
			running = append(running, k)
		}
		if st.failed {
			failed = append(failed, k)
		}
		held += st.held
	}
	bg.mu.Unlock()
	name := func(k taskKey) string {
		p, err := bg.s.store.Profile(k.profile)
		if err != nil {
			return bg.t("task."+k.task, "")
		}
		return p.Name + ": " + bg.t("task."+k.task, "")
	}
	// A paused schedule is always in the tooltip, also beside a failure.
	pausedTip := ""
	if bg.paused() {
		pausedTip = " · " + bg.t("tray.state.paused", "")
	}
	switch {
	case len(running) > 0:
		return tray.Running, bg.t("tray.state.running", name(running[0])) + pausedTip
	case len(failed) > 0:
		return tray.Failed, bg.t("tray.state.failed", name(failed[0])) + pausedTip
	case held > 0:
		return tray.Held, bg.t("tray.state.held", strconv.Itoa(held)) + pausedTip
	case pausedTip != "":
		return tray.Paused, bg.t("tray.state.paused", "")
	}
	return tray.Idle, bg.t("tray.state.idle", "")
}

// Watch checks every interval for profiles without a successful run in
// too long, until stop closes.
func (bg *Background) Watch(every time.Duration, stop <-chan struct{}) {
	bg.health.checkStale(time.Now())
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-stop:
			return
		case now := <-t.C:
			bg.health.checkStale(now)
		}
	}
}
