package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"sync"
	"syscall"
	"time"

	"github.com/s-connect/s-connect/app"
	"github.com/s-connect/s-connect/desktop/alert"
	"github.com/s-connect/s-connect/desktop/autostart"
	"github.com/s-connect/s-connect/desktop/instance"
	"github.com/s-connect/s-connect/desktop/notify"
	"github.com/s-connect/s-connect/desktop/tray"
	"github.com/s-connect/s-connect/frontend"
)

// runDesktop is the desktop program: a background process that owns the
// settings, the schedule, the tray and an API on loopback, and opens the
// window as a process of its own (`s-connect window`) — so that nothing of
// the WebView stays in memory while the program sits in the tray. A second
// start on the same settings folder hands over to the first: its window
// comes forward and the second exits.
func runDesktop(dir string, minimized bool, stdout, stderr io.Writer) int {
	if !app.HasWindow {
		fmt.Fprintln(stderr, "s-connect: this build has no window; use `s-connect serve` (or build with `make desktop`)")
		return 1
	}
	dir, err := configDir(dir)
	if err != nil {
		return startFailed(stderr, err)
	}
	lock, err := instance.Acquire(dir)
	if errors.Is(err, instance.ErrRunning) {
		if err := handOver(dir, stdout); err != nil {
			return startFailed(stderr, err)
		}
		return 0
	}
	if err != nil {
		return startFailed(stderr, err)
	}
	defer lock.Release()

	svc, closeAll, err := setup(dir, "desktop")
	if err != nil {
		return startFailed(stderr, err)
	}
	defer closeAll()
	// *Pauzeren* as the user left it: a paused program started at login stays paused.
	planner, err := startPlanner(svc, svc.SchedulePaused(), io.Discard)
	if err != nil {
		return startFailed(stderr, err)
	}
	defer planner.Shutdown()
	stopBackups := dailyBackups(svc)
	defer stopBackups()

	token := app.NewToken()
	srv, err := app.StartServer(svc, frontend.Dist(), "127.0.0.1:0", token)
	if err != nil {
		return startFailed(stderr, err)
	}
	defer srv.Close()
	if err := lock.Publish(instance.Info{Addr: srv.Addr, Token: token, PID: os.Getpid()}); err != nil {
		return startFailed(stderr, err)
	}

	exe, err := os.Executable()
	if err != nil {
		return startFailed(stderr, err)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	// Autostart starts this program in the tray, for this settings folder.
	args := []string{"--minimized"}
	if os.Getenv("SCONNECT_CONFIG_DIR") != "" || dir != defaultDir() {
		args = append(args, "--config-dir", dir)
	}
	svc.SetAutostart(app.SessionAutostart{Entry: autostart.Entry{Exe: exe, Args: args}})
	svc.SyncAutostart()

	trayShown := tray.Available()
	winArgs := []string{"window", "--config-dir", dir}
	win := app.NewWindowProcess(svc, exe, winArgs, "http://"+srv.Addr, token)
	if trayShown {
		win.Env = append(win.Env, "SCONNECT_WINDOW_TOTRAY=1")
	}
	// Without a tray to come back from, closing the window ends the program.
	win.OnExit = func() {
		if !tray.Available() {
			svc.Log().Info("no tray shown: closing the window ends the program")
			stop()
		}
	}

	var bg *app.Background
	var bgReady sync.WaitGroup
	bgReady.Add(1)
	icon := filepath.Join(dir, "s-connect.png")
	if err := os.WriteFile(icon, tray.IconPNG(tray.Idle), 0o644); err != nil {
		icon = ""
	}
	var notifier app.Notifier
	if n, err := notify.New("S-Connect", icon, func(m notify.Message) { bgReady.Wait(); bg.OpenView(m) }); err == nil {
		defer n.Close()
		notifier = n
	} else {
		svc.Log().Warn("notifications unavailable", "err", err)
	}

	trays := make(chan *tray.Tray, 1)
	trayDone := make(chan struct{})
	go func() {
		defer close(trayDone)
		tray.Run(func(t *tray.Tray) { trays <- t }, func(id string) { bgReady.Wait(); bg.Clicked(id) })
	}()
	t := <-trays
	bg = app.NewBackground(svc, app.BackgroundOptions{Tray: t, Notifier: notifier, Window: win, Quit: stop,
		Pause: planner.SetPaused, Paused: planner.Paused})
	bgReady.Done()
	bg.Refresh()
	bg.AnnouncePaused()
	go bg.Watch(10*time.Minute, ctx.Done())
	svc.Log().Info("in the tray", "api", srv.Addr, "tray", trayShown)
	fmt.Fprintf(stdout, "S-Connect: running (api %s)\n", srv.Addr)

	if !minimized {
		if err := win.Open("", 0); err != nil {
			svc.Log().Error("window", "err", err)
		}
	}
	<-ctx.Done()
	svc.Log().Info("quitting")
	srv.Close() // the window's event stream ends: it closes itself
	win.Close(3 * time.Second)
	t.Quit()
	select {
	case <-trayDone:
	case <-time.After(2 * time.Second):
	}
	return 0
}

// defaultDir is the user's settings folder ("" when there is none).
func defaultDir() string {
	d, _ := configDir("")
	return d
}

// handOver asks the program already running on dir to show its window.
func handOver(dir string, stdout io.Writer) error {
	var lastErr error
	for i := 0; i < 50; i++ { // the first may still be starting: up to 5 s
		if i > 0 {
			time.Sleep(100 * time.Millisecond)
		}
		info, err := instance.Read(dir)
		if err != nil {
			lastErr = err
			continue
		}
		body, _ := json.Marshal(map[string]any{"name": "app.Program.OpenWindow", "args": []string{""}})
		req, _ := http.NewRequest(http.MethodPost, "http://"+info.Addr+"/api/call", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-SConnect-Token", info.Token)
		resp, err := (&http.Client{Timeout: 5 * time.Second}).Do(req)
		if err != nil {
			lastErr = err
			continue
		}
		resp.Body.Close()
		if resp.StatusCode == http.StatusOK {
			fmt.Fprintf(stdout, "S-Connect draait al (proces %d): het venster is naar voren gehaald.\n"+
				"S-Connect already runs (process %d): its window was brought forward.\n", info.PID, info.PID)
			return nil
		}
		lastErr = errors.New(resp.Status)
	}
	return fmt.Errorf("S-Connect draait al voor deze instellingen, maar antwoordt niet / already runs for this settings folder, but does not answer: %w", lastErr)
}

// showError shows a failure at start to the user (desktop/alert).
var showError = alert.Error

// startFailed reports why the desktop program cannot start: on stderr, and
// in a message box, because the Windows build is a GUI program whose
// stderr nobody sees — without it, a damaged settings database meant a
// program that silently did not appear.
func startFailed(stderr io.Writer, err error) int {
	fmt.Fprintln(stderr, "s-connect:", err)
	if aerr := showError("S-Connect", err.Error()); aerr != nil && !errors.Is(aerr, alert.ErrNoWay) {
		fmt.Fprintln(stderr, "s-connect: the message box failed:", aerr)
	}
	return 1
}

// runWindow is the window process the desktop program starts.
func runWindow(dir string, stderr io.Writer) int {
	log := slog.New(slog.NewTextHandler(stderr, nil))
	api, token := os.Getenv(app.EnvWindowAPI), os.Getenv(app.EnvWindowToken)
	if api == "" { // started by hand: the running program's
		d, err := configDir(dir)
		if err == nil {
			var info instance.Info
			if info, err = instance.Read(d); err == nil {
				api, token = "http://"+info.Addr, info.Token
			}
		}
		if err != nil {
			fmt.Fprintln(stderr, "s-connect window: S-Connect is not running; start it with `s-connect`")
			return 1
		}
	}
	profile, _ := strconv.ParseUint(os.Getenv(app.EnvWindowProf), 10, 32)
	err := app.RunWindow(frontend.Dist(), app.WindowOptions{API: api, Token: token, View: os.Getenv(app.EnvWindowView),
		ProfileID: uint(profile), ToTray: os.Getenv("SCONNECT_WINDOW_TOTRAY") == "1", Log: log})
	if err != nil {
		fmt.Fprintln(stderr, "s-connect window:", err)
		return 1
	}
	return 0
}
