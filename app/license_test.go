package app

import (
	"crypto/ed25519"
	"crypto/rand"
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
	text, err := license.Issue(license.License{ID: "t1", Licensee: "Wijnhandel ’t Vaatje", Email: "a@b.nl",
		Shops: []string{"https://www.voorbeeldwinkel.nl"}, Modules: modules, ValidFrom: time.Now().AddDate(0, -1, 0),
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
