package config

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"time"
)

// Portable is a profile's settings as a file to take to another computer
// or to keep (B10): no secrets, nothing the program found (fingerprints,
// the bridge), no program-wide settings.
type Portable struct {
	Format   string            `json:"format"`  // PortableFormat
	Version  int               `json:"version"` // PortableVersion
	Name     string            `json:"name"`
	Exported time.Time         `json:"exported"`
	Settings map[string]string `json:"settings"`
}

// The format of an exported profile, and the version this build writes and
// reads.
const (
	PortableFormat  = "s-connect-profile"
	PortableVersion = 1
)

// ErrNotAProfile means a file is not an exported profile (or of a newer
// version this build does not know).
var ErrNotAProfile = errors.New("not an exported S-Connect profile")

// portable reports whether a setting travels in an export.
func portable(s *Setting) bool {
	return s.Scope == ScopeProfile && !s.IsSecret() && !s.ReadOnly && !s.Local && !s.Hidden && s.Key != "profile.name"
}

// Export returns a profile's settings without its secrets.
func (s *Store) Export(id uint) (Portable, error) {
	view, err := s.View(id)
	if err != nil {
		return Portable{}, err
	}
	out := Portable{Format: PortableFormat, Version: PortableVersion, Name: view.Values["profile.name"],
		Exported: s.now().UTC().Truncate(time.Second), Settings: map[string]string{}}
	for i := range Settings {
		if st := &Settings[i]; portable(st) {
			out.Settings[st.Key] = view.Values[st.Key]
		}
	}
	return out, nil
}

// ParsePortable reads an exported profile. Unknown fields, unknown or
// secret settings and other formats are refused: an export never carries
// a secret, so a file that does was not made by S-Connect.
func ParsePortable(data []byte) (Portable, error) {
	var p Portable
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&p); err != nil || p.Format != PortableFormat {
		return p, ErrNotAProfile
	}
	if p.Version < 1 || p.Version > PortableVersion {
		return p, fmt.Errorf("%w: version %d", ErrNotAProfile, p.Version)
	}
	var issues []Issue
	for k := range p.Settings {
		if st := Lookup(k); st == nil || !portable(st) {
			issues = append(issues, Issue{Key: k, Code: "not_portable"})
		}
	}
	if len(issues) > 0 {
		sort.Slice(issues, func(i, j int) bool { return issues[i].Key < issues[j].Key })
		return p, &ValidationError{issues}
	}
	return p, nil
}

// ImportProfile makes a new profile named name from an export, checked as
// a save is; on any invalid setting no profile is made.
func (s *Store) ImportProfile(p Portable, name string) (Profile, error) {
	created, err := s.CreateProfile(name)
	if err != nil {
		return created, err
	}
	if _, err := s.Save(created.ID, p.Settings, nil); err != nil {
		s.db.Where("profile_id = ?", created.ID).Delete(&setting{})
		s.db.Delete(&Profile{}, created.ID)
		return Profile{}, err
	}
	return s.Profile(created.ID)
}

// Change is one setting that an import would give another value.
type Change struct {
	Key      string `json:"key"`
	Current  string `json:"current"`
	Imported string `json:"imported"`
}

// Diff lists the settings in which an export differs from a profile.
func (s *Store) Diff(p Portable, id uint) ([]Change, error) {
	view, err := s.View(id)
	if err != nil {
		return nil, err
	}
	var out []Change
	for i := range Settings {
		st := &Settings[i]
		v, ok := p.Settings[st.Key]
		if !portable(st) || !ok || v == view.Values[st.Key] {
			continue
		}
		out = append(out, Change{Key: st.Key, Current: view.Values[st.Key], Imported: v})
	}
	return out, nil
}
