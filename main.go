// Command s-connect connects an OpenCart webshop to SnelStart.
//
//	s-connect                 the desktop program: in the tray, with its window
//	                          (--minimized: in the tray only, as at login)
//	s-connect serve           the same UI in a browser, on 127.0.0.1 with a token
//	s-connect version         the version and commit
//	s-connect run TASK        one task now: orders or ordersStock (--preview: show, write nothing;
//	                          --full: read every order of the selection, not only what changed)
//	s-connect check           Controle: --from YYYY-MM-DD --to YYYY-MM-DD [--csv FILE] (reads only)
//	s-connect snelstart-sim   a simulated SnelStart administration (demo, tests)
//	s-connect restore-settings [BACKUP]   put the newest (or that) backup of the settings back
//
// The configuration folder is the user's (see config.DefaultDir) unless
// --config-dir or SCONNECT_CONFIG_DIR says otherwise (tests, portable use).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/s-connect/s-connect/app"
	"github.com/s-connect/s-connect/backend/config"
	"github.com/s-connect/s-connect/backend/demo"
	"github.com/s-connect/s-connect/backend/lock"
	"github.com/s-connect/s-connect/backend/schedule"
	"github.com/s-connect/s-connect/frontend"
)

// Stamped at build time with -ldflags "-X main.version=… -X main.commit=…".
var (
	version = "dev"
	commit  = ""
)

func main() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr)) }

func run(args []string, stdout, stderr io.Writer) int {
	cmd := "desktop"
	if len(args) > 0 && args[0] != "" && args[0][0] != '-' {
		cmd, args = args[0], args[1:]
	}
	if cmd == "snelstart-sim" {
		return runSim(args, stdout, stderr)
	}
	fl := flag.NewFlagSet("s-connect "+cmd, flag.ContinueOnError)
	fl.SetOutput(stderr)
	dir := fl.String("config-dir", os.Getenv("SCONNECT_CONFIG_DIR"), "configuration folder (default: the user's)")
	preview := fl.Bool("preview", false, "run: show what would be done, write nothing")
	profile := fl.Uint("profile", 0, "run: the profile's id (default: the first)")
	full := fl.Bool("full", false, "run: a full pass (Volledige controle): every order of the selection, not only what is new or changed")
	wait := fl.Duration("wait", 15*time.Minute, "run: how long to wait while another process runs the profile")
	addr := fl.String("addr", envOr("SCONNECT_ADDR", "127.0.0.1:0"), "serve: loopback address to listen on")
	token := fl.String("token", os.Getenv("SCONNECT_TOKEN"), "serve: access token (default: random)")
	from := fl.String("from", "", "check: the period's first day (YYYY-MM-DD)")
	to := fl.String("to", "", "check: the period's last day (YYYY-MM-DD)")
	csvPath := fl.String("csv", "", "check: also write the findings and totals to this CSV file")
	minimized := fl.Bool("minimized", false, "desktop: start in the tray, without the window")
	if err := fl.Parse(args); err != nil {
		return 2
	}
	switch cmd {
	case "version":
		fmt.Fprintf(stdout, "S-Connect %s %s\n", version, commit)
		return 0
	case "restore-settings":
		return restoreSettings(*dir, fl.Arg(0), stdout, stderr)
	case "desktop":
		return runDesktop(*dir, *minimized, stdout, stderr)
	case "window":
		return runWindow(*dir, stderr)
	case "serve", "run", "check":
	default:
		// Before the settings are open the language is unknown: Dutch first, then English.
		fmt.Fprintf(stderr, "s-connect: onbekende opdracht %q (gebruik: serve, run, check, version, snelstart-sim, restore-settings, of niets voor het venster)\n"+
			"s-connect: unknown command %q (use: serve, run, check, version, snelstart-sim, restore-settings, or none for the window)\n", cmd, cmd)
		return 2
	}

	svc, closeAll, err := setup(*dir, cmd)
	if err != nil {
		fmt.Fprintln(stderr, "s-connect:", err)
		return 1
	}
	defer closeAll()

	if cmd == "check" {
		return checkTask(svc, uint(*profile), *from, *to, *csvPath, stdout, stderr)
	}
	if cmd == "run" {
		return runTask(svc, fl.Args(), uint(*profile), runFlags{preview: *preview, full: *full, wait: *wait}, stdout, stderr)
	}
	// serve runs the Planning tab's tasks in the background.
	planner, err := startPlanner(svc, false, stderr) // serve has no tray to resume a pause from
	if err != nil {
		return 1
	}
	defer planner.Shutdown()
	stopBackups := dailyBackups(svc)
	defer stopBackups()
	defer demoOrders(svc, planner)()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if *token == "" {
		*token = app.NewToken()
	}
	if err := app.Serve(ctx, svc, frontend.Dist(), *addr, *token, stdout); err != nil {
		fmt.Fprintln(stderr, "s-connect serve:", err)
		return 1
	}
	return 0
}

// startPlanner starts the scheduler of the Planning tab's tasks, paused
// (the tray's *Pauzeren*) before any run can start when paused is true.
func startPlanner(svc *app.Services, paused bool, stderr io.Writer) (*schedule.Scheduler, error) {
	planner, err := schedule.New(svc.Store(), svc.RunScheduled, nil, svc.Log())
	if err != nil {
		fmt.Fprintln(stderr, "s-connect:", err)
		return nil, err
	}
	planner.SetPaused(paused)
	svc.SetPlanner(planner)
	// One process of the settings folder (the desktop program or serve)
	// runs the schedule; another takes over when it ends.
	planner.StartExclusive(svc.SchedulerLockPath(), svc.ProcessName(), 30*time.Second)
	return planner, nil
}

// demoOrders lets new orders come into the demo shop while this process
// runs the schedule (one process of the settings folder does); it returns
// what stops them.
func demoOrders(svc *app.Services, planner *schedule.Scheduler) func() {
	ctx, cancel := context.WithCancel(context.Background())
	go demo.Arrivals(ctx, svc.DemoFolder(), demo.Every(), planner.Scheduling, svc.Log())
	return cancel
}

// configDir is the settings folder: dir, or the user's.
func configDir(dir string) (string, error) {
	if dir != "" {
		return dir, nil
	}
	d, err := config.DefaultDir()
	if err != nil {
		return "", fmt.Errorf("no configuration folder: %w", err)
	}
	return d, nil
}

// settingsLock is held shared by every process that has the settings open
// (the desktop program, serve, run) and exclusively by restore-settings,
// which must not swap the database under a running program.
func settingsLock(dir string) string { return filepath.Join(dir, "locks", "settings.lock") }

// setup opens the log and the store and builds the services.
func setup(dir, mode string) (*app.Services, func(), error) {
	dir, err := configDir(dir)
	if err != nil {
		return nil, nil, err
	}
	inUse, err := lock.TryAcquireShared(settingsLock(dir))
	if errors.Is(err, lock.ErrHeld) {
		return nil, nil, errors.New("de instellingen worden teruggezet (s-connect restore-settings); probeer het zo opnieuw.\n" +
			"the settings are being restored (s-connect restore-settings); try again in a moment")
	}
	if err != nil {
		return nil, nil, err
	}
	log, logFile, err := app.OpenLog(dir)
	if err != nil {
		inUse.Release()
		return nil, nil, fmt.Errorf("log: %w", err)
	}
	store, err := config.Open(dir)
	if err != nil {
		inUse.Release()
		logFile.Close()
		var de *config.DatabaseError
		switch {
		case errors.Is(err, config.ErrNewerDatabase):
			return nil, nil, fmt.Errorf("%w: install the newest S-Connect", err)
		case errors.As(err, &de):
			log.Error("settings database", "problem", de.Problem, "err", err)
			return nil, nil, databaseAdvice(de)
		}
		return nil, nil, err
	}
	if err := store.BackupIfDue(); err != nil {
		log.Warn("daily backup", "err", err)
	}
	msgs, err := app.LoadMessages()
	if err != nil {
		store.Close()
		logFile.Close()
		inUse.Release()
		return nil, nil, err
	}
	svc := app.NewServices(app.Options{Store: store, Messages: msgs, Log: log,
		Build: app.BuildInfo{Version: version, Commit: commit}, Mode: mode, ConfigDir: dir})
	if err := svc.EnsureProfile(); err != nil {
		store.Close()
		logFile.Close()
		inUse.Release()
		return nil, nil, fmt.Errorf("first profile: %w", err)
	}
	log.Info("started", "mode", mode, "version", version)
	return svc, func() { store.Close(); logFile.Close(); inUse.Release() }, nil
}

func envOr(key, def string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return def
}

// databaseAdvice says, in Dutch and English, what is wrong with the
// settings database and how to go back to a backup.
func databaseAdvice(de *config.DatabaseError) error {
	if de.Problem == "locked" {
		return fmt.Errorf("de instellingen (%s) zijn in gebruik door een ander programma: sluit dat (of een tweede S-Connect) en start opnieuw.\n"+
			"the settings (%s) are in use by another program: close it (or a second S-Connect) and start again", de.Path, de.Path)
	}
	way := "er is nog geen reservekopie / there is no backup yet"
	if len(de.Backups) > 0 {
		way = "s-connect restore-settings   (" + de.Backups[0] + ")"
	}
	return fmt.Errorf("de instellingen (%s) zijn beschadigd. Zet de nieuwste reservekopie terug met:\n"+
		"the settings (%s) are damaged. Put the newest backup back with:\n  %s", de.Path, de.Path, way)
}

// restoreSettings puts a backup of the settings back (the damaged file is
// kept beside it). It refuses while any S-Connect process has the settings
// open: that process would go on with the old database, or write into the
// one put back.
func restoreSettings(dir, backup string, stdout, stderr io.Writer) int {
	if dir == "" {
		d, err := config.DefaultDir()
		if err != nil {
			fmt.Fprintln(stderr, "s-connect:", err)
			return 1
		}
		dir = d
	}
	excl, err := lock.TryAcquire(settingsLock(dir), "s-connect restore-settings")
	if errors.Is(err, lock.ErrHeld) {
		fmt.Fprintln(stderr, "s-connect restore-settings: S-Connect gebruikt deze instellingen nog (het programma, s-connect serve of s-connect run). "+
			"Sluit het eerst — ook in het systeemvak: Afsluiten — en probeer het opnieuw; er is niets veranderd.\n"+
			"S-Connect still uses these settings (the program, s-connect serve or s-connect run): quit it first — in the tray too — and try again; nothing was changed.")
		return 1
	}
	if err != nil {
		fmt.Fprintln(stderr, "s-connect restore-settings:", err)
		return 1
	}
	defer excl.Release()
	used, err := config.Restore(dir, backup)
	if err != nil {
		fmt.Fprintln(stderr, "s-connect restore-settings:", err)
		return 1
	}
	fmt.Fprintf(stdout, "Teruggezet / restored: %s\n", used)
	return 0
}

// dailyBackups backs the settings up once a day while the program runs.
func dailyBackups(svc *app.Services) (stop func()) {
	done := make(chan struct{})
	go func() {
		tick := time.NewTicker(time.Hour)
		defer tick.Stop()
		for {
			select {
			case <-tick.C:
				if err := svc.Store().BackupIfDue(); err != nil {
					svc.Log().Warn("daily backup", "err", err)
				}
			case <-done:
				return
			}
		}
	}()
	return func() { close(done) }
}
