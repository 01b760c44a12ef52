package app

import (
	"database/sql"
	"errors"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/s-connect/s-connect/backend/config"
	"github.com/s-connect/s-connect/backend/opencart/fixture/fixturetest"
	"github.com/s-connect/s-connect/backend/remotefs"
)

// bridgeProfile fills the first profile with a hosted shop reached over
// protocol; an FTPS server's certificate is not trusted yet.
func bridgeProfile(t *testing.T, s *Services, protocol string) (uint, *fixturetest.Hosted) {
	t.Helper()
	h := fixturetest.NewHosted(t, "4.0", 12)
	ps, _ := s.store.Profiles()
	saveShop(t, s, ps[0].ID, h, protocol)
	return ps[0].ID, h
}

func saveShop(t *testing.T, s *Services, id uint, h *fixturetest.Hosted, protocol string) {
	t.Helper()
	port := map[string]int{"ftp": h.FTP.Plain, "ftps-explicit": h.FTP.Explicit, "ftps-implicit": h.FTP.Implicit}[protocol]
	if _, err := s.Settings.Save(id, map[string]string{"shop.transport": "bridge", "shop.ftp.protocol": protocol,
		"shop.ftp.host": "127.0.0.1", "shop.ftp.port": strconv.Itoa(port), "shop.ftp.user": h.FTP.User,
		"shop.ftp.password": h.FTP.Password, "shop.ftp.root": h.Dir, "shop.url": h.URL, "shop.allowHTTP": "true",
		"shop.since": "2020-01-01T00:00"}, nil); err != nil {
		t.Fatal(err)
	}
}

// trustedProfile is bridgeProfile over explicit FTPS (the default) with the
// certificate trusted, as after the user's yes.
func trustedProfile(t *testing.T, s *Services) (uint, *fixturetest.Hosted) {
	t.Helper()
	id, h := bridgeProfile(t, s, "ftps-explicit")
	if err := s.Connections.Trust(id, TrustTLS, remotefs.CertFingerprint(h.FTP.Cert)); err != nil {
		t.Fatal(err)
	}
	return id, h
}

// bridgeDir is the profile's bridge folder on this machine ("" for none).
func bridgeDir(t *testing.T, s *Services, id uint, h *fixturetest.Hosted) string {
	t.Helper()
	v, err := s.store.View(id)
	if err != nil {
		t.Fatal(err)
	}
	dir, _, ok := strings.Cut(v.Values["shop.bridge.path"], "/")
	if !ok {
		return ""
	}
	return filepath.Join(h.Local, dir)
}

// bridgeFolders lists the bridge folders in the shop.
func bridgeFolders(t *testing.T, h *fixturetest.Hosted) []string {
	t.Helper()
	found, _ := filepath.Glob(filepath.Join(h.Local, "sc-*"))
	return found
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
	id, h := trustedProfile(t, s)
	rep, err := s.Connections.TestOpenCart(id)
	if err != nil || !rep.OK {
		t.Fatalf("report: %s %+v %v", steps(rep), rep, err)
	}
	if got := steps(rep); got != "✓connect ✓security ✓login ✓folder ✓shop ✓upload ✓rights ✓url ✓auth ✓database ✓orders" {
		t.Fatalf("steps %s", got)
	}
	if rep.Steps[1].Warn || rep.Steps[6].Message != "Alleen leesbaar voor uw eigen account (map 0700, bestanden 0600)." {
		t.Fatalf("security %+v, rights %+v", rep.Steps[1], rep.Steps[6])
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
	if v, _ := s.store.View(id); v.Set["shop.bridge.secret"] || v.Values["shop.bridge.path"] != "" {
		t.Fatal("the removed bridge's secret or place is still stored")
	}
	// A test afterwards installs a new one with a new secret.
	rep, _ = s.Connections.TestOpenCart(id)
	if !rep.OK || !strings.Contains(rep.Steps[5].Message, "geplaatst") {
		t.Fatalf("after removal: %s", steps(rep))
	}
}

// Plain FTP only after the explicit choice: until then nothing is sent
// (no login, no bridge); after it, the step says so in orange.
func TestPlainFTPOnlyWhenChosen(t *testing.T) {
	s := newTestServices(t)
	id, h := bridgeProfile(t, s, "ftp")
	rep, _ := s.Connections.TestOpenCart(id)
	if rep.OK || steps(rep) != "✗security" || !strings.HasPrefix(rep.Summary, "Niet versleuteld: wachtwoord en sleutel gaan leesbaar over het netwerk.") {
		t.Fatalf("plain FTP not chosen: %s %s", steps(rep), rep.Summary)
	}
	if len(bridgeFolders(t, h)) != 0 {
		t.Fatal("a bridge was installed over plain FTP")
	}
	if _, err := s.Settings.Save(id, map[string]string{"shop.ftp.plainOK": "true"}, nil); err != nil {
		t.Fatal(err)
	}
	rep, _ = s.Connections.TestOpenCart(id)
	if !rep.OK || !rep.Steps[1].Warn || rep.Steps[1].Message != "Niet versleuteld: wachtwoord en sleutel gaan leesbaar over het netwerk." {
		t.Fatalf("plain FTP chosen: %s %+v", steps(rep), rep.Steps[1])
	}
}

// A bridge belongs to one profile: a copy installs its own, deleting a
// profile or moving it to another folder removes its bridge, and a server
// that cannot be reached leaves the bridge listed for the user.
func TestBridgeBelongsToOneProfile(t *testing.T) {
	s := newTestServices(t)
	id, h := trustedProfile(t, s)
	if rep, _ := s.Connections.TestOpenCart(id); !rep.OK {
		t.Fatalf("first: %s %s", steps(rep), rep.Summary)
	}
	first := bridgeDir(t, s, id, h)
	cp, err := s.Profiles.Copy(id, "Kopie")
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := s.store.View(cp.ID); v.Values["shop.bridge.path"] != "" || v.Set["shop.bridge.secret"] {
		t.Fatal("the copy shares the original's bridge")
	}
	if rep, _ := s.Connections.TestOpenCart(cp.ID); !rep.OK || !strings.Contains(rep.Steps[5].Message, "geplaatst") {
		t.Fatalf("copy: %s %s", steps(rep), rep.Summary)
	}
	second := bridgeDir(t, s, cp.ID, h)
	if second == first || len(bridgeFolders(t, h)) != 2 {
		t.Fatalf("bridges %v", bridgeFolders(t, h))
	}
	// Deleting the copy removes its bridge; the original's still answers.
	if res, err := s.Profiles.Delete(cp.ID); err != nil || len(res.LeftBehind) != 0 {
		t.Fatalf("delete: %+v %v", res, err)
	}
	if got := bridgeFolders(t, h); len(got) != 1 || got[0] != first {
		t.Fatalf("after deleting the copy: %v", got)
	}
	if rep, _ := s.Connections.TestOpenCart(id); !rep.OK || !strings.Contains(rep.Steps[5].Message, "aanwezig") {
		t.Fatalf("original after the copy went: %s %s", steps(rep), rep.Summary)
	}
	// Another folder (a second shop on the account): the old bridge goes.
	other := fixturetest.NewHosted(t, "3.0", 3)
	if res, err := s.Settings.Save(id, map[string]string{"shop.ftp.root": other.Dir, "shop.url": other.URL}, nil); err != nil || len(res.LeftBehind) != 0 {
		t.Fatalf("move: %+v %v", res, err)
	}
	if len(bridgeFolders(t, h)) != 0 {
		t.Fatalf("the old folder still has %v", bridgeFolders(t, h))
	}
	if v, _ := s.store.View(id); v.Values["shop.bridge.path"] != "" || v.Set["shop.bridge.secret"] {
		t.Fatal("the old bridge's place or secret is still stored")
	}
	if rep, _ := s.Connections.TestOpenCart(id); !rep.OK || len(bridgeFolders(t, other)) != 1 {
		t.Fatalf("new folder: %s %s", steps(rep), rep.Summary)
	}
	// A server that cannot be reached: the bridge is listed, not forgotten silently.
	keep := bridgeFolders(t, other)[0]
	s.store.Save(id, map[string]string{"shop.ftp.port": "1"}, nil)
	res, err := s.Settings.Save(id, map[string]string{"shop.ftp.host": "localhost"}, nil)
	if err != nil || len(res.LeftBehind) != 1 || res.LeftBehind[0].Server != "127.0.0.1" ||
		res.LeftBehind[0].Folder != other.Dir+"/"+filepath.Base(keep) {
		t.Fatalf("unreachable: %+v %v", res, err)
	}
	if _, err := os.Stat(keep); err != nil {
		t.Fatal("the test removed the bridge by hand")
	}
}

func TestBridgeConnectionTestFailures(t *testing.T) {
	s := newTestServices(t)
	id, h := trustedProfile(t, s)
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
		{map[string]string{"shop.ftp.port": strconv.Itoa(h.FTP.Plain)}, "✗security", "versleutelde verbinding lukt niet"},
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
	// A shop folder the FTP account may not write in: the upload step
	// fails and nothing is left on the server.
	if _, err := s.store.Save(id, map[string]string{"shop.ftp.port": strconv.Itoa(h.FTP.Explicit)}, nil); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(h.Local, 0o555); err != nil {
		t.Fatal(err)
	}
	defer os.Chmod(h.Local, 0o755)
	rep, _ := s.Connections.TestOpenCart(id)
	if got := steps(rep); rep.OK || !strings.HasSuffix(got, "✓shop ✗upload") || !strings.Contains(rep.Summary, "kon niet worden geplaatst") {
		t.Errorf("read-only shop folder: %s — %s", got, rep.Summary)
	}
	if left := bridgeFolders(t, h); len(left) != 0 {
		t.Errorf("left on the server: %v", left)
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

// Profiles copied before a bridge belonged to one profile share one: deleting
// one of them leaves the bridge for the other.
func TestDeletingAnOldCopyKeepsTheSharedBridge(t *testing.T) {
	s := newTestServices(t)
	id, h := trustedProfile(t, s)
	if rep, _ := s.Connections.TestOpenCart(id); !rep.OK {
		t.Fatalf("first: %s %s", steps(rep), rep.Summary)
	}
	values, _ := s.store.Values(id)
	old, err := s.store.CreateProfile("Kopie van vroeger")
	if err != nil {
		t.Fatal(err)
	}
	saveShop(t, s, old.ID, h, "ftps-explicit")
	s.Connections.Trust(old.ID, TrustTLS, remotefs.CertFingerprint(h.FTP.Cert))
	s.store.SetSecret(old.ID, "shop.bridge.secret", values["shop.bridge.secret"])
	s.store.SetReadOnly(old.ID, "shop.bridge.path", values["shop.bridge.path"])
	shared := bridgeDir(t, s, id, h)
	if res, err := s.Profiles.Delete(old.ID); err != nil || len(res.LeftBehind) != 0 {
		t.Fatalf("delete: %+v %v", res, err)
	}
	if _, err := os.Stat(shared); err != nil {
		t.Fatalf("the bridge the other profile uses was removed: %v", err)
	}
	if rep, _ := s.Connections.TestOpenCart(id); !rep.OK || !strings.Contains(rep.Steps[5].Message, "aanwezig") {
		t.Fatalf("the remaining profile: %s %s", steps(rep), rep.Summary)
	}
}

// A profile whose server password can no longer be decrypted (secret.key
// lost): deleting it cannot log in to remove its bridge, so it says where
// the bridge stays instead of leaving it unmentioned.
func TestDeleteWithAnUnreadablePasswordListsTheBridge(t *testing.T) {
	dir := t.TempDir()
	store, err := config.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	msgs, _ := LoadMessages()
	s := NewServices(Options{Store: store, Messages: msgs, Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Mode: "serve"})
	if err := s.EnsureProfile(); err != nil {
		t.Fatal(err)
	}
	leaveDemo(t, s)
	p, err := store.CreateProfile("Tweede winkel")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := store.Save(p.ID, map[string]string{"shop.ftp.host": "ftp.winkel.nl", "shop.ftp.user": "winkel",
		"shop.ftp.password": "ftp-geheim", "shop.ftp.root": "/public_html"}, nil); err != nil {
		t.Fatal(err)
	}
	store.SetSecret(p.ID, "shop.bridge.secret", strings.Repeat("ab", 32))
	store.SetReadOnly(p.ID, "shop.bridge.path", "sc-0123456789abcdef/fedcba9876543210.php")
	// A second connection (config registers the sqlite3 driver) damages the row.
	db, err := sql.Open("sqlite3", filepath.Join(dir, "settings.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if res, err := db.Exec("UPDATE settings SET value = 'v1:AAAA' WHERE profile_id = ? AND key = 'shop.ftp.password'", p.ID); err != nil {
		t.Fatal(err)
	} else if n, _ := res.RowsAffected(); n != 1 {
		t.Fatalf("%d password rows changed", n)
	}
	if _, err := store.Values(p.ID); !errors.Is(err, config.ErrSecretUnreadable) {
		t.Fatalf("the password is still readable: %v", err)
	}
	res, err := s.Profiles.Delete(p.ID)
	want := []LeftBridge{{Server: "ftp.winkel.nl", Folder: "/public_html/sc-0123456789abcdef"}}
	if err != nil || !slices.Equal(res.LeftBehind, want) {
		t.Fatalf("delete: %+v %v, want %+v", res, err, want)
	}
	if _, err := store.Profile(p.ID); err == nil {
		t.Fatal("the profile is still there")
	}
}
