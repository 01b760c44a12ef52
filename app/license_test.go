package app

import (
	"crypto/ed25519"
	"crypto/rand"
	"database/sql"
	"encoding/base64"
	"strings"
	"testing"
	"time"

	"github.com/s-connect/s-connect/backend/license"
)

// testKey replaces the built-in public key for one test: tests make their
// own keys, the vendor's private key is nowhere in the repository.
func testKey(t *testing.T) ed25519.PrivateKey {
	pub, priv, _ := ed25519.GenerateKey(rand.Reader)
	old := license.PublicKey
	license.PublicKey = base64.StdEncoding.EncodeToString(pub)
	t.Cleanup(func() { license.PublicKey = old })
	return priv
}

func licenceText(t *testing.T, priv ed25519.PrivateKey, until time.Time, modules ...string) string {
	return licenceFor(t, priv, "https://www.voorbeeldwinkel.nl", until, modules...)
}

func licenceFor(t *testing.T, priv ed25519.PrivateKey, shop string, until time.Time, modules ...string) string {
	text, err := license.Issue(license.License{ID: "t1", Licensee: "Wijnhandel ’t Vaatje", Email: "a@b.nl",
		Shops: []string{shop}, Modules: modules, ValidFrom: time.Now().AddDate(0, -1, 0),
		ValidUntil: until, Issued: time.Now()}, priv)
	if err != nil {
		t.Fatal(err)
	}
	return text
}

func TestLicenceImportAndGating(t *testing.T) {
	s := newTestServices(t)
	priv := testKey(t)
	ps, _ := s.store.Profiles()
	id := ps[0].ID // the demo profile: https://www.voorbeeldwinkel.nl/

	_, err := s.Tasks.RunNow(id, "orders")
	if e := s.userError(err); e.Code != "license_missing" || !strings.Contains(e.Message, "orders") {
		t.Fatalf("without a licence: %+v", e)
	}
	if _, err := s.Tasks.Preview(id, "orders"); s.userError(err).Code != "import_not_set" {
		t.Fatalf("the preview needs no licence (only settings): %v", err)
	}

	good := licenceText(t, priv, time.Now().AddDate(1, 0, 0), license.ModuleOrders)
	info, err := s.License.Import(id, good)
	if err != nil || !info.Present || info.Licensee != "Wijnhandel ’t Vaatje" || info.ExpiresSoon || info.Problem != "" {
		t.Fatalf("import: %+v %v", info, err)
	}
	if _, err := s.Tasks.RunNow(id, "orders"); s.userError(err).Code != "import_not_set" {
		t.Fatalf("with orders the run passes the licence: %v", err)
	}
	_, err = s.Tasks.RunNow(id, "ordersStock")
	if e := s.userError(err); e.Code != "license_module" || !strings.Contains(e.Message, "voorraad") {
		t.Fatalf("stock without voorraad: %+v", e)
	}

	// Refused files leave the licence in place, each with its reason.
	_, otherPriv, _ := ed25519.GenerateKey(rand.Reader)
	tampered := strings.Replace(good, good[len("-----BEGIN S-CONNECT LICENSE-----\n")+5:len("-----BEGIN S-CONNECT LICENSE-----\n")+6], "Q", 1)
	for name, c := range map[string]struct{ text, want string }{
		"tampered":  {tampered, ""},
		"other key": {licenceText(t, otherPriv, time.Now().AddDate(1, 0, 0), license.ModuleOrders), "niet voor deze versie"},
		"expired":   {licenceText(t, priv, time.Now().AddDate(0, 0, -1), license.ModuleOrders), "verlopen"},
		"garbage":   {"dit is geen licentie", "geen licentiebestand"},
	} {
		_, err := s.License.Import(id, c.text)
		e := s.userError(err)
		if e.Code != "license_refused" || !strings.Contains(e.Message, c.want) {
			t.Errorf("%s: %+v", name, e)
		}
	}
	if info, _ := s.License.Current(id); info.Licensee != "Wijnhandel ’t Vaatje" || !info.Present {
		t.Fatalf("the old licence did not stay: %+v", info)
	}
	// Another shop.
	s.store.Save(id, map[string]string{"shop.url": "https://andere-winkel.nl/"}, nil)
	if info, _ := s.License.Current(id); !strings.Contains(info.Problem, "andere webshop") {
		t.Fatalf("wrong shop: %+v", info)
	}
	if _, err := s.Tasks.RunNow(id, "orders"); s.userError(err).Code != "license_shop" {
		t.Fatalf("run for another shop: %v", err)
	}
	// After expiry runs stop writing and say why.
	s.store.Save(id, map[string]string{"shop.url": "https://www.voorbeeldwinkel.nl/"}, nil)
	s.License.now = func() time.Time { return time.Now().AddDate(2, 0, 0) }
	if _, err := s.Tasks.RunNow(id, "orders"); s.userError(err).Code != "license_expired" {
		t.Fatalf("after expiry: %v", err)
	}
	s.License.now = func() time.Time { return time.Now().AddDate(1, 0, -10) }
	if info, _ := s.License.Current(id); !info.ExpiresSoon {
		t.Fatal("ten days left is not flagged")
	}
}

// A direct database profile has no Webshop URL: the licence binds to the
// address the shop itself wrote on its orders, found by the connection test
// and checked again by every run.
func TestLicenceForADirectDatabaseProfile(t *testing.T) {
	s := newTestServices(t)
	priv := testKey(t)
	id, settings := shopProfile(t, s) // the shop's orders say https://winkel.example.nl/
	s.store.Save(id, map[string]string{"shop.db.tls": "false"}, nil)
	simProfile(t, s, nil)
	issue := func(shop string) string {
		text, err := license.Issue(license.License{ID: "t2", Licensee: "Winkel", Email: "a@b.nl", Shops: []string{shop},
			Modules: []string{license.ModuleOrders}, ValidFrom: time.Now().AddDate(0, -1, 0), ValidUntil: time.Now().AddDate(1, 0, 0),
			Issued: time.Now()}, priv)
		if err != nil {
			t.Fatal(err)
		}
		return text
	}
	if _, err := s.License.Import(id, issue("https://andere-winkel.nl")); err != nil {
		t.Fatal(err) // the shop is not known yet: only the dates are checked now
	}
	// Not tested yet: Instellingen says the shop is not known; a run reads
	// it from the shop it reaches and refuses.
	if info, _ := s.License.Current(id); !strings.Contains(info.Problem, "Nog niet gecontroleerd") {
		t.Fatalf("before the test: %+v", info)
	}
	if _, err := s.Tasks.RunNow(id, "orders"); s.userError(err).Code != "license_shop" {
		t.Fatalf("a run before the test: %v", err)
	}
	if rep, _ := s.Connections.TestOpenCart(id); !rep.OK {
		t.Fatalf("test: %s %s", steps(rep), rep.Summary)
	}
	if info, _ := s.License.Current(id); !strings.Contains(info.Problem, "andere webshop") {
		t.Fatalf("a licence for another shop: %+v", info)
	}
	if _, err := s.Tasks.RunNow(id, "orders"); s.userError(err).Code != "license_shop" {
		t.Fatalf("run with another shop's licence: %v", err)
	}
	// The stored address changed by hand does not help: the run reads the shop's own.
	s.store.SetReadOnly(id, "shop.db.shopURL", "https://andere-winkel.nl/")
	_, err := s.Tasks.RunNow(id, "orders")
	if s.userError(err).Code != "license_shop" {
		t.Fatalf("run after the address was changed by hand: %v", err)
	}
	if v, _ := s.store.View(id); v.Values["shop.db.shopURL"] != "https://winkel.example.nl/" {
		t.Fatalf("the run did not put the shop's own address back: %q", v.Values["shop.db.shopURL"])
	}
	// The right licence: the run gets past it.
	if _, err := s.License.Import(id, issue("winkel.example.nl")); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Tasks.RunNow(id, "orders"); err != nil && strings.HasPrefix(s.userError(err).Code, "license") {
		t.Fatalf("run with this shop's licence: %v", err)
	}
	// A shop without orders has no address to bind to: the run says so,
	// not that the licence is for another shop.
	db, err := sql.Open("mysql", "root@tcp(127.0.0.1:"+settings["shop.db.port"]+")/"+settings["shop.db.name"])
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec("DELETE FROM oc_order"); err != nil {
		t.Fatal(err)
	}
	_, err = s.Tasks.RunNow(id, "orders")
	if e := s.userError(err); e.Code != "license_shop_unknown" || !strings.Contains(e.Message, "nog geen order") {
		t.Fatalf("run on a shop without orders: %+v", e)
	}
}
