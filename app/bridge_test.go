package app

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/s-connect/s-connect/backend/opencart/fixture"
	"github.com/s-connect/s-connect/backend/remotefs"
)

func bridgeProfile(t *testing.T, s *Services, protocol string) (uint, *fixture.Hosted) {
	t.Helper()
	h := fixture.NewHosted(t, "4.0", 12)
	port := map[string]int{"ftp": h.FTP.Plain, "ftps-explicit": h.FTP.Explicit, "ftps-implicit": h.FTP.Implicit}[protocol]
	ps, _ := s.store.Profiles()
	if _, err := s.store.Save(ps[0].ID, map[string]string{"shop.transport": "bridge", "shop.ftp.protocol": protocol,
		"shop.ftp.host": "127.0.0.1", "shop.ftp.port": strconv.Itoa(port), "shop.ftp.user": h.FTP.User,
		"shop.ftp.password": h.FTP.Password, "shop.ftp.root": h.Dir, "shop.url": h.URL, "shop.allowHTTP": "true",
		"shop.since": "2020-01-01T00:00"}, nil); err != nil {
		t.Fatal(err)
	}
	return ps[0].ID, h
}

func steps(rep TestReport) string {
	var out []string
	for _, s := range rep.Steps {
		mark := "✗"
		if s.OK {
			mark = "✓"
		}
		out = append(out, mark+s.Step)
	}
	return strings.Join(out, " ")
}

func TestBridgeConnectionTestAllSteps(t *testing.T) {
	s := newTestServices(t)
	id, h := bridgeProfile(t, s, "ftp")
	rep, err := s.Connections.TestOpenCart(id)
	if err != nil || !rep.OK {
		t.Fatalf("report: %s %+v %v", steps(rep), rep, err)
	}
	if got := steps(rep); got != "✓connect ✓security ✓login ✓folder ✓shop ✓upload ✓url ✓auth ✓database ✓orders" {
		t.Fatalf("steps %s", got)
	}
	view, _ := s.store.View(id)
	path := view.Values["shop.bridge.path"]
	if !strings.HasPrefix(path, "sc-") || !view.Set["shop.bridge.secret"] {
		t.Fatalf("bridge not remembered: %q", path)
	}
	// Again: the same bridge answers, nothing new is uploaded.
	rep, _ = s.Connections.TestOpenCart(id)
	if !rep.OK || !strings.Contains(rep.Steps[5].Message, "aanwezig") {
		t.Fatalf("second test: %s %+v", steps(rep), rep.Steps[5])
	}
	if v, _ := s.store.View(id); v.Values["shop.bridge.path"] != path {
		t.Fatal("a working bridge was replaced")
	}
	// Verbinding verwijderen takes the files away.
	if removed, err := s.Connections.RemoveBridge(id); err != nil || !removed {
		t.Fatalf("remove: %v %v", removed, err)
	}
	dir, _, _ := strings.Cut(path, "/")
	if _, err := os.Stat(filepath.Join(h.Local, dir)); !os.IsNotExist(err) {
		t.Fatal("bridge files still on the server")
	}
	if removed, _ := s.Connections.RemoveBridge(id); removed {
		t.Fatal("removed twice")
	}
	// A test afterwards installs a new one with a new secret.
	rep, _ = s.Connections.TestOpenCart(id)
	if !rep.OK || !strings.Contains(rep.Steps[5].Message, "geplaatst") {
		t.Fatalf("after removal: %s", steps(rep))
	}
}

func TestBridgeConnectionTestFailures(t *testing.T) {
	s := newTestServices(t)
	id, h := bridgeProfile(t, s, "ftp")
	cases := []struct {
		change map[string]string
		steps  string
		text   string
	}{
		{map[string]string{"shop.ftp.password": "fout"}, "✓connect ✓security ✗login", "weigert de gebruikersnaam of het wachtwoord"},
		{map[string]string{"shop.ftp.password": h.FTP.Password, "shop.ftp.root": "/bestaat-niet"}, "✓connect ✓security ✓login ✗folder", "bestaat niet"},
		{map[string]string{"shop.ftp.root": "/"}, "✓connect ✓security ✓login ✓folder ✗shop", "Geen OpenCart gevonden in ‘/’"},
		{map[string]string{"shop.ftp.root": h.Dir, "shop.allowHTTP": "false", "shop.url": strings.Replace(h.URL, "http:", "https:", 1)}, "✗url", "niet bereikbaar"},
		{map[string]string{"shop.url": "http://127.0.0.1:1/", "shop.allowHTTP": "true"}, "✗url", "niet bereikbaar"},
		{map[string]string{"shop.ftp.port": "1", "shop.url": h.URL}, "✗connect", "niet bereikbaar"},
	}
	for _, c := range cases {
		if _, err := s.store.Save(id, c.change, nil); err != nil {
			t.Fatal(err)
		}
		rep, _ := s.Connections.TestOpenCart(id)
		got := steps(rep)
		if rep.OK || !strings.HasSuffix(got, c.steps) || !strings.Contains(rep.Summary, c.text) {
			t.Errorf("%v: %s — %s", c.change, got, rep.Summary)
		}
	}
}

func TestBridgeOverFTPSTrustsTheCertificate(t *testing.T) {
	s := newTestServices(t)
	id, h := bridgeProfile(t, s, "ftps-explicit")
	rep, _ := s.Connections.TestOpenCart(id)
	if rep.OK || rep.Trust == nil || rep.Trust.Kind != "tls" || rep.Trust.Value != remotefs.CertFingerprint(h.FTP.Cert) {
		t.Fatalf("first contact: %s %+v", steps(rep), rep.Trust)
	}
	if err := s.Connections.Trust(id, rep.Trust.Kind, rep.Trust.Value); err != nil {
		t.Fatal(err)
	}
	rep, _ = s.Connections.TestOpenCart(id)
	if !rep.OK {
		t.Fatalf("after trusting: %s %s", steps(rep), rep.Summary)
	}
	if err := s.Connections.Trust(id, "tls", "niet:een:vingerafdruk"); err == nil {
		t.Fatal("a malformed fingerprint was accepted")
	}
}
