package app

import (
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/s-connect/s-connect/desktop/autostart"
)

// WindowProcess opens the window as a process of its own (`s-connect
// window`), which shows the same UI and calls this process's API. Closing
// the window ends that process and the WebView's with it; only the
// background process stays.
type WindowProcess struct {
	Exe    string
	Args   []string // the window command and its flags
	Env    []string // where the API is, and its token
	OnExit func()   // the window was closed
	s      *Services

	mu   sync.Mutex
	proc *os.Process
	// asked is a request to show the window made while its process ran.
	// A process that ends within moments of it was closing already (its
	// window gone, its process not yet): the window is opened anew rather
	// than the request lost.
	asked *windowRequest
}

type windowRequest struct {
	view    string
	profile uint
	at      time.Time
}

// Environment variables that tell the window process where the API is.
const (
	EnvWindowAPI   = "SCONNECT_WINDOW_API"   // http://127.0.0.1:port
	EnvWindowToken = "SCONNECT_WINDOW_TOKEN" // the API's token
	EnvWindowView  = "SCONNECT_WINDOW_VIEW"  // the tab to show first
	EnvWindowProf  = "SCONNECT_WINDOW_PROFILE"
)

// NewWindowProcess prepares the window's process.
func NewWindowProcess(s *Services, exe string, args []string, apiURL, token string) *WindowProcess {
	return &WindowProcess{s: s, Exe: exe, Args: args, Env: []string{EnvWindowAPI + "=" + apiURL, EnvWindowToken + "=" + token}}
}

var _ Window = (*WindowProcess)(nil)

// Open starts the window, or — when it is open — asks it to come forward
// and show view.
func (w *WindowProcess) Open(view string, profileID uint) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.proc != nil {
		w.asked = &windowRequest{view, profileID, time.Now()}
		w.s.events.Emit(EventWindowShow, map[string]any{"view": view, "profileId": profileID})
		return nil
	}
	return w.start(view, profileID)
}

// start starts the window's process; the caller holds w.mu.
func (w *WindowProcess) start(view string, profileID uint) error {
	cmd := exec.Command(w.Exe, w.Args...)
	cmd.Env = append(windowLocale(os.Environ()), w.Env...)
	cmd.Env = append(cmd.Env, EnvWindowView+"="+view, EnvWindowProf+"="+strconv.FormatUint(uint64(profileID), 10))
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	if err := cmd.Start(); err != nil {
		return err
	}
	w.proc = cmd.Process
	w.s.log.Info("window opened", "pid", cmd.Process.Pid)
	w.asked = nil
	go func() {
		err := cmd.Wait()
		w.s.log.Info("window closed", "err", err)
		w.mu.Lock()
		w.proc = nil
		if r := w.asked; r != nil && time.Since(r.at) < 3*time.Second {
			// Asked to show while it was closing: open it again.
			err := w.start(r.view, r.profile)
			w.mu.Unlock()
			if err != nil {
				w.s.log.Error("window", "err", err)
			}
			return
		}
		w.mu.Unlock()
		if w.OnExit != nil {
			w.OnExit()
		}
	}()
	return nil
}

// windowLocale gives the window a language when the environment has none.
// WebKit takes the page's language from the locale; "C" or "POSIX" (a bare
// system, a service, a test's display) is no language tag, and the UI's
// number and date formatting then throws before anything is shown.
func windowLocale(env []string) []string {
	get := func(name string) string {
		for i := len(env) - 1; i >= 0; i-- {
			if v, ok := strings.CutPrefix(env[i], name+"="); ok {
				return v
			}
		}
		return ""
	}
	locale := get("LC_ALL")
	if locale == "" {
		locale = get("LC_MESSAGES")
	}
	if locale == "" {
		locale = get("LANG")
	}
	if base, _, _ := strings.Cut(locale, "."); base != "" && base != "C" && base != "POSIX" {
		return env
	}
	return append(env, "LANG=nl_NL.UTF-8", "LC_ALL=nl_NL.UTF-8")
}

// IsOpen reports whether the window's process runs.
func (w *WindowProcess) IsOpen() bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.proc != nil
}

// Close ends the window's process: it leaves by itself once the API is
// gone; after a grace period it is killed.
func (w *WindowProcess) Close(grace time.Duration) {
	deadline := time.Now().Add(grace)
	for w.IsOpen() && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.proc != nil {
		w.proc.Kill()
	}
}

// SessionAutostart is Autostart through desktop/autostart, starting this
// program in the tray.
type SessionAutostart struct{ Entry autostart.Entry }

var _ Autostart = SessionAutostart{}

// Get reads what is in place.
func (a SessionAutostart) Get() (autostart.Status, error) { return autostart.Get() }

// Enable puts the entry in place.
func (a SessionAutostart) Enable() error { return autostart.Enable(a.Entry) }

// Disable removes it.
func (a SessionAutostart) Disable() error { return autostart.Disable() }

// applyAutostart puts the login entry in place or removes it, as
// app.autostart says.
func (s *Services) applyAutostart(on bool) error {
	if s.autostart == nil {
		return nil
	}
	var err error
	if on {
		err = s.autostart.Enable()
	} else {
		err = s.autostart.Disable()
	}
	if err != nil {
		s.log.Warn("autostart", "on", on, "err", err)
		return &Error{Code: "autostart", Message: s.msgs.T(s.language(), "err.autostart", "")}
	}
	return nil
}

// SyncAutostart keeps the login entry as app.autostart says, pointing at
// this program (it may have moved since the entry was made).
func (s *Services) SyncAutostart() {
	if s.autostart == nil {
		return
	}
	if v, err := s.store.ProgramValue("app.autostart"); err == nil && v == "true" {
		_ = s.applyAutostart(true) // rewritten: the same entry, or one for where the program is now
	}
}
