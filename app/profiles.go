package app

import (
	"encoding/json"
	"errors"

	"github.com/s-connect/s-connect/backend/config"
	"github.com/s-connect/s-connect/desktop/autostart"
)

// Profiles manages the profiles (F12): one per shop–administration pair.
type Profiles struct{ s *Services }

// List returns every profile by name.
func (p *Profiles) List() ([]config.Profile, error) { return p.s.store.Profiles() }

// Create adds a profile with default settings.
func (p *Profiles) Create(name string) (config.Profile, error) {
	return p.changed(p.s.store.CreateProfile(name))
}

// Rename gives a profile another name.
func (p *Profiles) Rename(id uint, name string) (config.Profile, error) {
	return p.changed(p.s.store.RenameProfile(id, name))
}

// Copy makes a new profile with the settings of another; not its bridge:
// the copy's first connection test installs one of its own.
func (p *Profiles) Copy(id uint, name string) (config.Profile, error) {
	return p.changed(p.s.store.CopyProfile(id, name))
}

// DeleteResult lists bridges that stay on a server S-Connect could not
// reach, for the user to remove by hand.
type DeleteResult struct {
	LeftBehind []LeftBridge `json:"leftBehind"`
}

// Delete removes a profile with its settings and history, and first its
// bridge from the shop's server; not the last profile.
func (p *Profiles) Delete(id uint) (DeleteResult, error) {
	var res DeleteResult
	ps, err := p.s.store.Profiles()
	if err != nil {
		return res, err
	}
	if len(ps) <= 1 {
		return res, config.ErrLastProfile
	}
	v, err := p.s.store.Values(id)
	switch {
	case err == nil:
		left, err := p.s.Connections.removeBridgeAt(id, v)
		if err != nil {
			return res, err
		}
		if left != nil {
			res.LeftBehind = append(res.LeftBehind, *left)
		}
	case errors.Is(err, config.ErrSecretUnreadable):
		// The server's password cannot be read: S-Connect cannot log in to
		// remove the bridge, so the user is told where it stays.
		view, err := p.s.store.View(id)
		if err != nil {
			return res, err
		}
		if left := bridgeAt(view.Values); left != nil {
			res.LeftBehind = append(res.LeftBehind, *left)
		}
	default:
		return res, err
	}
	if err := p.s.store.DeleteProfile(id); err != nil {
		return res, err
	}
	p.s.events.Emit(EventProfilesChanged, nil)
	p.s.replan()
	p.s.changed()
	return res, nil
}

// Export returns a profile as a file to keep or take along (B10): JSON with
// a format version, without passwords, keys or the bridge.
func (p *Profiles) Export(id uint) (string, error) {
	exp, err := p.s.store.Export(id)
	if err != nil {
		return "", err
	}
	data, err := json.MarshalIndent(exp, "", "  ")
	return string(data) + "\n", err
}

// ImportPreview is what importing a file would bring: the name it has and
// how it differs from the profile it is compared with.
type ImportPreview struct {
	Name    string          `json:"name"`
	Changes []config.Change `json:"changes"`
}

// PreviewImport checks an exported profile and compares it with profile
// against, without changing anything.
func (p *Profiles) PreviewImport(text string, against uint) (ImportPreview, error) {
	exp, err := config.ParsePortable([]byte(text))
	if err != nil {
		return ImportPreview{}, err
	}
	changes, err := p.s.store.Diff(exp, against)
	if changes == nil {
		changes = []config.Change{}
	}
	return ImportPreview{Name: exp.Name, Changes: changes}, err
}

// Import makes a new profile from an exported one; its passwords and keys
// are entered again, its connections tested again.
func (p *Profiles) Import(text, name string) (config.Profile, error) {
	exp, err := config.ParsePortable([]byte(text))
	if err != nil {
		return config.Profile{}, err
	}
	return p.changed(p.s.store.ImportProfile(exp, name))
}

func (p *Profiles) changed(pr config.Profile, err error) (config.Profile, error) {
	if err == nil {
		p.s.events.Emit(EventProfilesChanged, pr)
		p.s.replan()
		p.s.changed()
	}
	return pr, err
}

// Program tells about the program itself and holds its language switch.
type Program struct{ s *Services }

// ProgramInfo is shown on the Instellingen tab.
type ProgramInfo struct {
	Version   string `json:"version"`
	Commit    string `json:"commit"`
	Mode      string `json:"mode"`
	ConfigDir string `json:"configDir"`
	Language  string `json:"language"`
	// Secrets says where passwords and keys are kept: "keyring" (the
	// system's credential store) or "file" (encrypted in the settings
	// folder).
	Secrets string `json:"secrets"`
	// Autostart is what starts the program at login (nil without the desktop).
	Autostart *autostart.Status `json:"autostart"`
	// Paused: the tray's *Pauzeren* is on (the desktop program only; serve
	// has no tray and runs its schedule).
	Paused bool `json:"paused"`
}

// Info returns the build, the run mode, the configuration folder and what
// is in place to start the program at login.
func (p *Program) Info() ProgramInfo {
	info := ProgramInfo{Version: p.s.build.Version, Commit: p.s.build.Commit, Mode: p.s.mode,
		ConfigDir: p.s.dir, Language: p.s.language(), Secrets: p.s.store.SecretStore(),
		Paused: p.s.watch != nil && p.s.SchedulePaused()}
	if p.s.autostart != nil {
		if st, err := p.s.autostart.Get(); err == nil {
			info.Autostart = &st
		} else {
			p.s.log.Warn("autostart", "err", err)
		}
	}
	return info
}

// OpenWindow brings the window forward on a view ("" for where it is):
// what a second start of the program asks of the first. Without a desktop
// (serve) the browser is the window, and nothing happens.
func (p *Program) OpenWindow(view string) error {
	if p.s.window == nil {
		return nil
	}
	return p.s.window.Open(view, 0)
}

// SetLanguage switches the UI language (nl or en) at once.
func (p *Program) SetLanguage(lang string) error {
	if err := p.s.store.SetProgram("ui.language", lang); err != nil {
		return err
	}
	p.s.events.Emit(EventLanguageChanged, lang)
	p.s.changed()
	return nil
}
