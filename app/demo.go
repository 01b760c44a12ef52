package app

import (
	"context"
	"fmt"
	"maps"
	"time"

	"github.com/s-connect/s-connect/backend/config"
	"github.com/s-connect/s-connect/backend/connect"
	"github.com/s-connect/s-connect/backend/demo"
)

// EnsureProfile creates the demo profile when the store has none, so that
// a new user sees the whole program working at once (B12).
func (s *Services) EnsureProfile() error {
	ps, err := s.store.Profiles()
	if err != nil || len(ps) > 0 {
		return err
	}
	_, err = s.createDemo()
	return err
}

// createDemo makes the demo's shop and administration when missing and a
// profile that uses them.
func (s *Services) createDemo() (config.Profile, error) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := demo.Ensure(ctx, demo.Folder(s.store.Dir())); err != nil {
		return config.Profile{}, err
	}
	name, err := s.freeName(s.msgs.T(Languages[0], "demo.profileName", ""))
	if err != nil {
		return config.Profile{}, err
	}
	p, err := s.store.CreateProfile(name)
	if err != nil {
		return p, err
	}
	_, err = s.store.Save(p.ID, demoSettings(time.Now()), nil)
	return p, err
}

// freeName is base, or base with the first number no profile is named by.
func (s *Services) freeName(base string) (string, error) {
	ps, err := s.store.Profiles()
	if err != nil {
		return "", err
	}
	taken := map[string]bool{}
	for _, p := range ps {
		taken[p.Name] = true
	}
	name := base
	for n := 2; taken[name]; n++ {
		name = fmt.Sprintf("%s %d", base, n)
	}
	return name, nil
}

// demoSettings are the demo profile's: the demo's shop and administration
// (nothing to fill in: their addresses and keys are the program's own), the
// Aansluiting as the demo administration has it, and the planning on, so
// that new demo orders are booked while the program runs.
func demoSettings(now time.Time) map[string]string {
	return map[string]string{
		"snelstart.type":                "demo",
		"shop.transport":                "demo",
		"shop.since":                    now.Add(-demo.Since).Format(config.DateTimeLayout),
		"sales.template":                "Webshop",
		"sales.shippingArticle":         "VERZEND",
		"sales.discountArticle":         "KORTING",
		"sales.discountArticleByVat":    "9=KORTING-LAAG\n0=KORTING-GEEN",
		"sales.voucherArticle":          "CADEAUBON",
		"sales.paymentFeeArticle":       "BETAALKOSTEN",
		"sales.differenceArticle":       "VERSCHIL",
		"articles.revenueGroup":         "Omzet hoog",
		"articles.revenueGroupByVat":    "9=Omzet laag\n21=Omzet hoog\n0=Omzet vrijgesteld",
		"planning.ordersStock.interval": "5m",
	}
}

// ResetDemo is *Demo opnieuw maken* (Instellingen): the demo's shop and
// administration as on a first start, and the demo profiles replaced by one
// new one (their history named orders of the old shop). It returns the new
// profile.
func (s *Services) ResetDemo() (config.Profile, error) {
	ps, err := s.store.Profiles()
	if err != nil {
		return config.Profile{}, err
	}
	var old []uint
	for _, p := range ps {
		if v, err := s.store.Values(p.ID); err == nil && connect.IsDemo(v) {
			old = append(old, p.ID)
		}
	}
	for _, id := range old {
		l, err := s.lockProfile(id, config.TaskOrders, 0)
		if err != nil {
			return config.Profile{}, err // a run of the demo is going on
		}
		defer l.Release()
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := demo.Reset(ctx, demo.Folder(s.store.Dir())); err != nil {
		return config.Profile{}, err
	}
	p, err := s.createDemo()
	if err != nil {
		return p, err
	}
	for _, id := range old {
		if err := s.store.DeleteProfile(id); err != nil {
			return p, err
		}
	}
	if name, err := s.freeName(s.msgs.T(Languages[0], "demo.profileName", "")); err == nil && name != p.Name && len(old) > 0 {
		if q, err := s.store.RenameProfile(p.ID, name); err == nil { // the old demo's name is free now
			p = q
		}
	}
	s.events.Emit(EventProfilesChanged, nil)
	s.replan()
	return p, nil
}

// leavingDemo: a save that moves a demo profile to a real shop or a real
// administration also switches off the planning the demo had on, unless the
// same save sets it, so that the planning never books into a real
// administration before the user chose it.
func leavingDemo(before, changes map[string]string) map[string]string {
	after := maps.Clone(before)
	maps.Copy(after, changes)
	if !connect.IsDemo(before) || connect.IsDemo(after) {
		return changes
	}
	out := maps.Clone(changes)
	for _, task := range config.Tasks {
		key := "planning." + task + ".interval"
		if _, set := changes[key]; !set && before[key] != "off" && before[key] != "" {
			out[key] = "off"
		}
	}
	return out
}

// DemoFolder is where the demo keeps its shop and administration.
func (s *Services) DemoFolder() string { return demo.Folder(s.store.Dir()) }
