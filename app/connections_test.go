package app

import (
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/s-connect/s-connect/backend/snelstart/sim"
)

func simProfile(t *testing.T, s *Services, scopes []string) (uint, *sim.Server) {
	t.Helper()
	sm := sim.New(sim.Options{ClientKeys: map[string][]string{"goede-sleutel": scopes}, SubscriptionKeys: []string{"abo"}})
	sm.SeedDefault()
	sm.SetCompany(map[string]any{"administratieNaam": "Wijnhandel De Druif"})
	srv := httptest.NewServer(sm)
	t.Cleanup(srv.Close)
	ps, _ := s.store.Profiles()
	id := ps[0].ID
	if _, err := s.store.Save(id, map[string]string{"snelstart.clientKey": "goede-sleutel", "snelstart.subscriptionKey": "abo",
		"snelstart.apiBaseURL": srv.URL + "/v2/", "snelstart.authBaseURL": srv.URL + "/"}, nil); err != nil {
		t.Fatal(err)
	}
	return id, sm
}

func TestSnelStartConnectionTest(t *testing.T) {
	s := newTestServices(t)
	id, _ := simProfile(t, s, nil)
	rep, err := s.Connections.TestSnelStart(id)
	if err != nil || !rep.OK || len(rep.Steps) != 4 {
		t.Fatalf("report: %+v %v", rep, err)
	}
	if rep.Summary != "Verbinding geslaagd met administratie ‘Wijnhandel De Druif’." {
		t.Fatalf("summary %q", rep.Summary)
	}
	view, _ := s.store.View(id)
	if view.Values["snelstart.administration"] != "Wijnhandel De Druif" {
		t.Fatalf("administration not kept: %q", view.Values["snelstart.administration"])
	}

	// A wrong koppelsleutel stops at the first step with the Dutch message.
	s.store.Save(id, map[string]string{"snelstart.clientKey": "fout"}, nil)
	rep, _ = s.Connections.TestSnelStart(id)
	if rep.OK || len(rep.Steps) != 1 || rep.Steps[0].Step != "token" || !strings.HasPrefix(rep.Steps[0].Message, "De koppelsleutel is ongeldig") {
		t.Fatalf("wrong key: %+v", rep)
	}
	// A wrong subscription key.
	s.store.Save(id, map[string]string{"snelstart.clientKey": "goede-sleutel", "snelstart.subscriptionKey": "fout"}, nil)
	rep, _ = s.Connections.TestSnelStart(id)
	if rep.OK || rep.Steps[len(rep.Steps)-1].Step != "company" || !strings.Contains(rep.Summary, "abonnementssleutel") {
		t.Fatalf("wrong subscription key: %+v", rep)
	}
	// No network.
	s.store.Save(id, map[string]string{"snelstart.subscriptionKey": "abo", "snelstart.authBaseURL": "http://127.0.0.1:1/", "snelstart.apiBaseURL": "http://127.0.0.1:1/v2/"}, nil)
	rep, _ = s.Connections.TestSnelStart(id)
	if rep.OK || !strings.HasPrefix(rep.Summary, "Geen verbinding met SnelStart") {
		t.Fatalf("no network: %+v", rep)
	}
}

func TestSnelStartMissingRights(t *testing.T) {
	s := newTestServices(t)
	id, _ := simProfile(t, s, []string{"settings:read", "orders:read", "artikelen:read", "relaties:read", "relaties:write"})
	rep, err := s.Connections.TestSnelStart(id)
	if err != nil || rep.OK {
		t.Fatalf("report: %+v %v", rep, err)
	}
	last := rep.Steps[len(rep.Steps)-1]
	if last.Step != "write" || last.OK || !strings.Contains(last.Message, "artikelen:write, orders:write") {
		t.Fatalf("write step: %+v", last)
	}
	if !rep.Steps[2].OK {
		t.Fatalf("read step should pass: %+v", rep.Steps[2])
	}
}

func TestPickOptionsFromSnelStart(t *testing.T) {
	s := newTestServices(t)
	id, _ := simProfile(t, s, nil)
	opts, err := s.Connections.PickOptions(id, "verkoopordersjablonen", "")
	if err != nil || len(opts) != 2 || opts[1].Value != "Webshop" {
		t.Fatalf("sjablonen: %+v %v", opts, err)
	}
	opts, _ = s.Connections.PickOptions(id, "artikelomzetgroepen", "laag")
	if len(opts) != 1 || opts[0].Value != "Omzet laag" || !strings.Contains(opts[0].Label, "Laag") {
		t.Fatalf("omzetgroepen: %+v", opts)
	}
	opts, _ = s.Connections.PickOptions(id, "kostenplaatsen", "")
	if len(opts) != 2 || opts[0].Label != "1 – Webshop" {
		t.Fatalf("kostenplaatsen: %+v", opts)
	}
	opts, _ = s.Connections.PickOptions(id, "artikelen", "wijn")
	if len(opts) != 4 || opts[0].Value != "GESCHENK" || opts[3].Value != "WIJN-WIT" { // by code
		t.Fatalf("artikelen by code: %+v", opts)
	}
	opts, _ = s.Connections.PickOptions(id, "artikelen", "kaas")
	if len(opts) != 1 || opts[0].Value != "KAAS-OUD" {
		t.Fatalf("artikelen by description: %+v", opts)
	}
	if _, err := s.Connections.PickOptions(id, "grootboeken", ""); s.userError(err).Code != "bad_request" {
		t.Fatalf("unknown list: %v", err)
	}
	s.store.Save(id, nil, []string{"snelstart.clientKey"})
	_, err = s.Connections.PickOptions(id, "artikelen", "")
	if e := s.userError(err); e.Code != "snelstart_not_set" || !strings.Contains(e.Message, "Koppelsleutel") {
		t.Fatalf("not set: %+v", e)
	}
}
