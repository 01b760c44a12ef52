// Package app holds the services the UI calls — bound to the desktop window
// through Wails and served to a browser by the HTTP adapter of `serve` —
// and the two ways of showing them. The services are thin: they check their
// arguments, call one backend function and let FormatError turn a failure
// into a message for the user.
package app

import (
	"log/slog"
	"time"

	"github.com/s-connect/s-connect/backend/config"
)

// BuildInfo says which build this is.
type BuildInfo struct {
	Version string `json:"version"`
	Commit  string `json:"commit"`
}

// Services is what the bound services share. Build it once in main.
type Services struct {
	store   *config.Store
	msgs    *Messages
	log     *slog.Logger
	events  Emitter
	build   BuildInfo
	mode    string
	dir     string
	planner Planner
	// Desktop only (nil in serve): runs reported to the tray, the window,
	// autostart.
	watch     runWatcher
	window    Window
	autostart Autostart

	Profiles    *Profiles
	Settings    *Settings
	Connections *Connections
	Tasks       *Tasks
	License     *License
	Program     *Program
}

// Options configure NewServices.
type Options struct {
	Store     *config.Store
	Messages  *Messages
	Log       *slog.Logger
	Build     BuildInfo
	Mode      string // "desktop" or "serve"
	ConfigDir string
}

// NewServices builds the services. Events go nowhere until SetEmitter.
func NewServices(o Options) *Services {
	s := &Services{store: o.Store, msgs: o.Messages, log: o.Log, events: nopEmitter{},
		build: o.Build, mode: o.Mode, dir: o.ConfigDir}
	s.Profiles = &Profiles{s}
	s.Settings = &Settings{s}
	s.Connections = &Connections{s: s}
	s.Tasks = &Tasks{s}
	s.License = &License{s: s}
	s.Program = &Program{s}
	return s
}

// Bound lists the services the UI may call, for Wails' Bind and the HTTP
// adapter alike.
func (s *Services) Bound() []any {
	return []any{s.Profiles, s.Settings, s.Connections, s.Tasks, s.License, s.Program}
}

// Planner keeps the scheduled tasks in step with the settings (the
// scheduler of backend/schedule).
type Planner interface {
	Sync() error
	NextRun(profileID uint, task string) time.Time
}

// SetPlanner connects the scheduler; RunScheduled is what it runs.
func (s *Services) SetPlanner(p Planner) { s.planner = p }

// SetAutostart connects autostart (the desktop program only).
func (s *Services) SetAutostart(a Autostart) { s.autostart = a }

// RunScheduled runs a task for the scheduler.
func (s *Services) RunScheduled(profileID uint, task string) {
	s.Tasks.runScheduled(profileID, task, "schedule")
}

// runWatcher hears of every run (the tray and notifications) and of every
// change of profiles, language or settings (the tray's menu and tooltip).
type runWatcher interface {
	runStarted(profileID uint, task string)
	runFinished(run config.Run, counts map[string]int, err error)
	changed()
}

// changed tells the tray that profiles, the language or settings changed.
func (s *Services) changed() {
	if s.watch != nil {
		s.watch.changed()
	}
}

func (s *Services) runStarted(profileID uint, task string) {
	if s.watch != nil {
		s.watch.runStarted(profileID, task)
	}
}

func (s *Services) runFinished(run config.Run, counts map[string]int, err error) {
	if s.watch != nil {
		s.watch.runFinished(run, counts, err)
	}
}

// replan tells the scheduler that settings or profiles changed.
func (s *Services) replan() {
	if s.planner != nil {
		if err := s.planner.Sync(); err != nil {
			s.log.Warn("schedule", "err", err)
		}
	}
}

// SetEmitter chooses where events go (the Wails runtime or the SSE broker).
func (s *Services) SetEmitter(e Emitter) { s.events = e }

// Events the UI listens to.
const (
	EventProfilesChanged = "profiles:changed"
	EventSettingsSaved   = "settings:saved"
	EventLanguageChanged = "language:changed"
	EventProgramChanged  = "program:changed" // Program.Info changed (Pauzeren in the tray)
	EventRunProgress     = "run:progress"
)

// EnsureProfile creates the demo profile when the store has none, so a new
// user sees a filled-in example instead of an empty window (B12).
func (s *Services) EnsureProfile() error {
	ps, err := s.store.Profiles()
	if err != nil || len(ps) > 0 {
		return err
	}
	p, err := s.store.CreateProfile(s.msgs.T(Languages[0], "demo.profileName", ""))
	if err != nil {
		return err
	}
	_, err = s.store.Save(p.ID, demoSettings, nil)
	return err
}

// demoSettings fill the demo profile with a believable example shop.
var demoSettings = map[string]string{
	"shop.ftp.host":              "ftp.voorbeeldwinkel.nl",
	"shop.ftp.user":              "webshop",
	"shop.ftp.root":              "/public_html/",
	"shop.url":                   "https://www.voorbeeldwinkel.nl/",
	"sales.template":             "Webshop",
	"sales.shippingArticle":      "VERZEND",
	"sales.discountArticle":      "KORTING",
	"sales.discountArticleByVat": "9=KORTING-LAAG\n0=KORTING-GEEN",
	"sales.voucherArticle":       "CADEAUBON",
	"sales.paymentFeeArticle":    "BETAALKOSTEN",
	"sales.differenceArticle":    "VERSCHIL",
	"articles.revenueGroup":      "Omzet hoog",
	"articles.revenueGroupByVat": "9=Omzet laag\n21=Omzet hoog\n0=Omzet vrijgesteld",
}

// Store is the settings store (for the scheduler, built in main).
func (s *Services) Store() *config.Store { return s.store }

// Log is the program's logger.
func (s *Services) Log() *slog.Logger { return s.log }
