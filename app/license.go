package app

import (
	"errors"
	"time"

	"github.com/s-connect/s-connect/backend/config"
	"github.com/s-connect/s-connect/backend/connect"
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
	Code   string // license_missing, license_expired, license_module, license_shop, license_shop_unknown
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

// errShopUnknown: a direct database profile whose shop was not seen yet.
var errShopUnknown = errors.New("license: the shop's address is not known yet")

// shopURL is the shop the licence must cover: the Webshop URL, or for a
// direct database connection the address the shop gives itself, found by
// the connection test and checked again at every run.
func (l *License) shopURL(profileID uint) (string, error) {
	v, err := l.s.store.View(profileID)
	if err != nil {
		return "", err
	}
	if v.Values["shop.transport"] != "mysql" {
		return v.Values["shop.url"], nil
	}
	if v.Values["shop.db.shopURL"] == "" {
		return "", errShopUnknown
	}
	return v.Values["shop.db.shopURL"], nil
}

// check checks the licence at now for a profile's shop: the dates first,
// then the shop (errShopUnknown for a direct database profile whose shop
// was not seen yet).
func (l *License) check(lic *license.License, profileID uint) error {
	if err := lic.Check(l.clock(), ""); err != nil {
		return err
	}
	url, err := l.shopURL(profileID)
	if err != nil {
		return err
	}
	return lic.Check(l.clock(), url)
}

// checkShop is the run's own check of a direct database profile: the shop
// it reached gave url as its address. The address is kept for the window.
func (l *License) checkShop(profileID uint, url string) error {
	if err := l.s.store.SetReadOnly(profileID, "shop.db.shopURL", url); err != nil {
		return err
	}
	lic, err := l.stored()
	if err != nil || lic == nil {
		return err
	}
	if url == "" {
		// No order carries the shop's address (an empty shop): not
		// another shop's licence, but nothing to bind it to yet.
		return &LicenseError{Code: "license_shop_unknown"}
	}
	if !lic.ForShop(url) {
		return &LicenseError{Code: "license_shop"}
	}
	return nil
}

// Current shows the licence in place, with what it means for this profile.
func (l *License) Current(profileID uint) (LicenseInfo, error) {
	lic, err := l.stored()
	if err != nil || lic == nil {
		return LicenseInfo{}, err
	}
	info := LicenseInfo{Present: true, Licensee: lic.Licensee, Email: lic.Email, Modules: lic.Modules, Shops: lic.Shops,
		ValidUntil: lic.ValidUntil, ExpiresSoon: lic.ExpiresSoon(l.clock())}
	if err := l.check(lic, profileID); err != nil {
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
		// A direct database profile not tested yet: the dates now, the
		// shop at the test and at every run.
		if err = l.check(lic, profileID); errors.Is(err, errShopUnknown) {
			err = lic.Check(l.clock(), "")
		}
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
		"expired": license.ErrExpired, "notYetValid": license.ErrNotYetValid, "wrongShop": license.ErrWrongShop,
		"shopUnknown": errShopUnknown} {
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
	v, err := l.s.store.Values(profileID)
	if err != nil {
		v = nil // no profile: the licence decides
	}
	return l.requireFor(profileID, task, v)
}

// requireFor is require for the profile's values v as a run will use them.
func (l *License) requireFor(profileID uint, task string, v map[string]string) error {
	if connect.IsDemo(v) {
		return nil // the demo writes only into its own shop and administration
	}
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
	switch err := l.check(lic, profileID); {
	case errors.Is(err, errShopUnknown):
		// A direct database profile: the run checks the shop it reaches.
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
