package app

import (
	"strconv"
	"strings"
	"testing"

	"github.com/s-connect/s-connect/backend/opencart/fixture"
	"github.com/s-connect/s-connect/backend/opencart/fixture/fixturetest"
	"github.com/s-connect/s-connect/backend/testsvc"
	"github.com/s-connect/s-connect/backend/tlspin"
)

func shopProfile(t *testing.T, s *Services) (uint, map[string]string) {
	t.Helper()
	sdb := fixturetest.NewShopDB(t, fixture.Config{Version: "3.0", Prefix: "oc_", Orders: 40, Products: 10, Customers: 5, Seed: 1})
	name, port := sdb.Database, sdb.Port
	ps, _ := s.store.Profiles()
	settings := map[string]string{"shop.transport": "mysql", "shop.db.host": "127.0.0.1", "shop.db.port": strconv.Itoa(port),
		"shop.db.name": name, "shop.db.user": "root", "shop.since": "2020-01-01T00:00"}
	if _, err := s.store.Save(ps[0].ID, settings, nil); err != nil {
		t.Fatal(err)
	}
	// Over TLS (the default) with the test server's certificate trusted, as
	// after the user's yes.
	if err := s.Connections.Trust(ps[0].ID, TrustDBTLS, tlspin.Fingerprint(testsvc.StartMariaDB(t).Cert)); err != nil {
		t.Fatal(err)
	}
	return ps[0].ID, settings
}

func TestOpenCartDirectConnectionTest(t *testing.T) {
	s := newTestServices(t)
	id, _ := shopProfile(t, s)
	// TLS is on by default: the database's certificate is trusted on first use.
	s.store.SetReadOnly(id, "shop.db.certFingerprint", "")
	rep, _ := s.Connections.TestOpenCart(id)
	cert := tlspin.Fingerprint(testsvc.StartMariaDB(t).Cert)
	if rep.OK || rep.Trust == nil || rep.Trust.Kind != TrustDBTLS || rep.Trust.Value != cert || steps(rep) != "✓connect ✗security" {
		t.Fatalf("first contact: %s %+v", steps(rep), rep.Trust)
	}
	if err := s.Connections.Trust(id, rep.Trust.Kind, rep.Trust.Value); err != nil {
		t.Fatal(err)
	}
	rep, err := s.Connections.TestOpenCart(id)
	if err != nil || !rep.OK {
		t.Fatalf("report: %+v %v", rep, err)
	}
	if rep.Summary != "Verbinding geslaagd met de webshop ‘Wijnhandel ’t Vaatje’." {
		t.Fatalf("summary %q", rep.Summary)
	}
	last := rep.Steps[len(rep.Steps)-1]
	if last.Step != "orders" || !strings.HasSuffix(last.Message, "orders sinds de ingestelde Vanaf datum/tijd.") || strings.HasPrefix(last.Message, "0 ") {
		t.Fatalf("orders step: %+v", last)
	}
	if !strings.Contains(rep.Steps[4].Message, "OpenCart 3.0, prefix ‘oc_’") || rep.Steps[1].Message != "Versleuteld; certificaat gecontroleerd." {
		t.Fatalf("steps: %+v", rep.Steps)
	}
	// The shop's own address, which the licence binds to.
	if v, _ := s.store.View(id); v.Values["shop.db.shopURL"] != "https://winkel.example.nl/" {
		t.Fatalf("shop address %q", v.Values["shop.db.shopURL"])
	}
	// Another certificate is refused.
	s.store.SetReadOnly(id, "shop.db.certFingerprint", strings.Repeat("AB:", 31)+"AB")
	if rep, _ := s.Connections.TestOpenCart(id); rep.OK || steps(rep) != "✓connect ✗security" || !strings.Contains(rep.Summary, "veranderd") {
		t.Fatalf("changed certificate: %s %s", steps(rep), rep.Summary)
	}
	s.store.SetReadOnly(id, "shop.db.certFingerprint", cert)
	for _, c := range []struct {
		change map[string]string
		step   string
		text   string
	}{
		{map[string]string{"shop.db.password": "fout"}, "login", "weigert de gebruikersnaam of het wachtwoord"},
		{map[string]string{"shop.db.password": "", "shop.db.name": "nergens"}, "database", "bestaat niet"},
		{map[string]string{"shop.db.name": "mysql"}, "tables", "Geen OpenCart-tabellen"},
		{map[string]string{"shop.db.port": "1"}, "connect", "niet bereikbaar"},
	} {
		var clear []string
		if v, ok := c.change["shop.db.password"]; ok && v == "" {
			clear = []string{"shop.db.password"}
			delete(c.change, "shop.db.password")
		}
		if _, err := s.store.Save(id, c.change, clear); err != nil {
			t.Fatal(err)
		}
		rep, _ := s.Connections.TestOpenCart(id)
		last := rep.Steps[len(rep.Steps)-1]
		if rep.OK || last.Step != c.step || !strings.Contains(last.Message, c.text) {
			t.Errorf("%v: %+v", c.change, rep)
		}
	}
}

func TestOpenCartThroughSSHTrustsOnFirstUse(t *testing.T) {
	s := newTestServices(t)
	id, _ := shopProfile(t, s)
	sshd := testsvc.StartSSHD(t)
	s.store.Save(id, map[string]string{"shop.db.viaSSH": "true", "shop.ftp.protocol": "sftp", "shop.ftp.host": "127.0.0.1",
		"shop.ftp.port": strconv.Itoa(sshd.Port), "shop.ftp.user": sshd.User, "shop.ftp.password": sshd.Password}, nil)
	rep, err := s.Connections.TestOpenCart(id)
	if err != nil || rep.OK || rep.Trust == nil || rep.Trust.Kind != "ssh" || rep.Trust.Value != sshd.HostKey || !strings.Contains(rep.Summary, rep.Trust.Fingerprint) {
		t.Fatalf("first contact: %+v %v", rep, err)
	}
	if err := s.Connections.Trust(id, rep.Trust.Kind, rep.Trust.Value); err != nil {
		t.Fatal(err)
	}
	rep, _ = s.Connections.TestOpenCart(id)
	if !rep.OK || rep.Steps[0].Step != "ssh" || !rep.Steps[0].OK {
		t.Fatalf("after trusting: %+v", rep)
	}
	if err := s.Connections.Trust(id, "ssh", "geen sleutel"); err == nil {
		t.Fatal("a malformed key was accepted")
	}
}
