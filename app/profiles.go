package app

import (
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

// Copy makes a new profile with the settings of another.
func (p *Profiles) Copy(id uint, name string) (config.Profile, error) {
	return p.changed(p.s.store.CopyProfile(id, name))
}

// Delete removes a profile with its settings and history; not the last one.
func (p *Profiles) Delete(id uint) error {
	if err := p.s.store.DeleteProfile(id); err != nil {
		return err
	}
	p.s.events.Emit(EventProfilesChanged, nil)
	p.s.replan()
	return nil
}

func (p *Profiles) changed(pr config.Profile, err error) (config.Profile, error) {
	if err == nil {
		p.s.events.Emit(EventProfilesChanged, pr)
		p.s.replan()
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
	// Autostart is what starts the program at login (nil without the desktop).
	Autostart *autostart.Status `json:"autostart"`
}

// Info returns the build, the run mode, the configuration folder and what
// is in place to start the program at login.
func (p *Program) Info() ProgramInfo {
	info := ProgramInfo{Version: p.s.build.Version, Commit: p.s.build.Commit, Mode: p.s.mode,
		ConfigDir: p.s.dir, Language: p.s.language()}
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
	return nil
}
