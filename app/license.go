package app

import (
	"errors"
	"time"

	"github.com/s-connect/s-connect/backend/config"
	"github.com/s-connect/s-connect/backend/license"
)

// License reads and shows the licence (F2) and says what it allows.
type License struct {
	s   *Services
	now func() time.Time
}

// LicenseInfo is what the Instellingen tab shows of a licence.
type LicenseInfo struct {
	Present     bool      `json:"present"`
	Licensee    string    `json:"licensee"`
	Email       string    `json:"email"`
	Modules     []string  `json:"modules"`
	Shops       []string  `json:"shops"`
	ValidUntil  time.Time `json:"validUntil"`
	ExpiresSoon bool      `json:"expiresSoon"` // fewer than 30 days left
	Problem     string    `json:"problem"`     // why it does not work for this profile now, in words
}

// LicenseError says what a run needs that the licence does not give.
type LicenseError struct {
	Code   string // license_missing, license_expired, license_module, license_shop
	Module string
}

func (e *LicenseError) Error() string { return e.Code + " " + e.Module }

func (l *License) clock() time.Time {
	if l.now != nil {
		return l.now()
	}
	return time.Now()
}

// stored reads the licence in place, if any.
func (l *License) stored() (*license.License, error) {
	text, err := l.s.store.ProgramValue("license.text")
	if err != nil || text == "" {
		return nil, err
	}
	pub, err := license.BuiltInKey()
	if err != nil {
		return nil, err
	}
	return license.Parse([]byte(text), pub)
}

func (l *License) shopURL(profileID uint) string {
	v, err := l.s.store.View(profileID)
	if err != nil {
		return ""
	}
	return v.Values["shop.url"]
}

// Current shows the licence in place, with what it means for this profile.
func (l *License) Current(profileID uint) (LicenseInfo, error) {
	lic, err := l.stored()
	if err != nil || lic == nil {
		return LicenseInfo{}, err
	}
	info := LicenseInfo{Present: true, Licensee: lic.Licensee, Email: lic.Email, Modules: lic.Modules, Shops: lic.Shops,
		ValidUntil: lic.ValidUntil, ExpiresSoon: lic.ExpiresSoon(l.clock())}
	if err := lic.Check(l.clock(), l.shopURL(profileID)); err != nil {
		info.Problem = l.s.msgs.T(l.s.language(), licenseKey(err), "")
	}
	return info, nil
}

// Import checks a licence file's content and stores it (*Licentie
// inlezen*). A file that is refused leaves the licence in place as it was.
func (l *License) Import(profileID uint, content string) (LicenseInfo, error) {
	pub, err := license.BuiltInKey()
	if err != nil {
		return LicenseInfo{}, err
	}
	lic, err := license.Parse([]byte(content), pub)
	if err == nil {
		err = lic.Check(l.clock(), l.shopURL(profileID))
	}
	if err != nil {
		return LicenseInfo{}, &LicenseRefusedError{Err: err}
	}
	if err := l.s.store.SetReadOnly(0, "license.text", content); err != nil {
		return LicenseInfo{}, err
	}
	l.s.events.Emit(EventSettingsSaved, profileID)
	return l.Current(profileID)
}

// LicenseRefusedError is a licence file that was not accepted.
type LicenseRefusedError struct{ Err error }

func (e *LicenseRefusedError) Error() string { return e.Err.Error() }
func (e *LicenseRefusedError) Unwrap() error { return e.Err }

func licenseKey(err error) string {
	for key, e := range map[string]error{"empty": license.ErrEmpty, "tooLarge": license.ErrTooLarge,
		"malformed": license.ErrMalformed, "otherKey": license.ErrOtherKey, "tampered": license.ErrTampered,
		"expired": license.ErrExpired, "notYetValid": license.ErrNotYetValid, "wrongShop": license.ErrWrongShop} {
		if errors.Is(err, e) {
			return "license.err." + key
		}
	}
	return "license.err.malformed"
}

// require says whether the licence allows a task to write: importing
// orders needs "orders", the task with stock also "voorraad". The preview
// and the demo need no licence.
func (l *License) require(profileID uint, task string) error {
	modules := []string{license.ModuleOrders}
	if task == config.TaskOrdersStock {
		modules = append(modules, license.ModuleVoorraad)
	}
	lic, err := l.stored()
	if err != nil {
		return err
	}
	if lic == nil {
		return &LicenseError{Code: "license_missing", Module: modules[len(modules)-1]}
	}
	switch err := lic.Check(l.clock(), l.shopURL(profileID)); {
	case errors.Is(err, license.ErrExpired), errors.Is(err, license.ErrNotYetValid):
		return &LicenseError{Code: "license_expired"}
	case errors.Is(err, license.ErrWrongShop):
		return &LicenseError{Code: "license_shop"}
	case err != nil:
		return err
	}
	for _, m := range modules {
		if !lic.Has(m) {
			return &LicenseError{Code: "license_module", Module: m}
		}
	}
	return nil
}
