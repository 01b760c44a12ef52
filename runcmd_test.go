package main

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"io"
	"log/slog"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/s-connect/s-connect/app"
	"github.com/s-connect/s-connect/backend/config"
	"github.com/s-connect/s-connect/backend/license"
	"github.com/s-connect/s-connect/backend/opencart/fixture"
	"github.com/s-connect/s-connect/backend/opencart/fixture/fixturetest"
	"github.com/s-connect/s-connect/backend/snelstart/sim"
	"github.com/s-connect/s-connect/backend/testsvc"
	"github.com/s-connect/s-connect/backend/tlspin"
)

// `s-connect run` words the outcome as the window does and exits 0 when
// every order went, 3 when orders are held, 1 when the run failed.
func TestRunCommandOutcomesAndExitCodes(t *testing.T) {
	pub, priv, _ := ed25519.GenerateKey(rand.Reader)
	old := license.PublicKey
	license.PublicKey = base64.StdEncoding.EncodeToString(pub)
	defer func() { license.PublicKey = old }()

	sdb := fixturetest.NewShopDB(t, fixture.Config{Version: "3.0", Prefix: "oc_", Orders: 30, Products: 10, Customers: 8, Seed: 4})
	sm := sim.New(sim.Options{ClientKeys: map[string][]string{"k": nil}, SubscriptionKeys: []string{"s"}})
	sm.SeedDefault()
	srv := httptest.NewServer(sm)
	defer srv.Close()

	store, err := config.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	msgs, err := app.LoadMessages()
	if err != nil {
		t.Fatal(err)
	}
	svc := app.NewServices(app.Options{Store: store, Messages: msgs, Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Mode: "run"})
	p, _ := store.CreateProfile("Winkel")
	if _, err := store.Save(p.ID, map[string]string{
		"snelstart.clientKey": "k", "snelstart.subscriptionKey": "s", "snelstart.apiBaseURL": srv.URL + "/v2/", "snelstart.authBaseURL": srv.URL + "/",
		"shop.transport": "mysql", "shop.db.host": "127.0.0.1", "shop.db.port": strconv.Itoa(sdb.Port), "shop.db.name": sdb.Database,
		"shop.db.user": "root", "shop.url": "https://winkel.example.nl/", "shop.since": "2020-01-01T00:00",
		"sales.template": "Webshop", "sales.discountArticle": "KORTING", "sales.discountArticleByVat": "9=KORTING-LAAG\n0=KORTING-GEEN",
		"sales.voucherArticle": "CADEAUBON", "sales.paymentFeeArticle": "BETAALKOSTEN", "sales.differenceArticle": "VERSCHIL",
		"articles.revenueGroup": "Omzet hoog", "articles.revenueGroupByVat": "9=Omzet laag\n0=Omzet vrijgesteld",
	}, nil); err != nil {
		t.Fatal(err)
	}
	// Over TLS, the test server's certificate trusted as after the user's yes.
	if err := store.SetReadOnly(p.ID, "shop.db.certFingerprint", tlspin.Fingerprint(testsvc.StartMariaDB(t).Cert)); err != nil {
		t.Fatal(err)
	}
	lic, _ := license.Issue(license.License{ID: "x", Licensee: "Test", Shops: []string{"winkel.example.nl"},
		Modules: []string{license.ModuleOrders}, ValidFrom: time.Now().Add(-time.Hour), ValidUntil: time.Now().Add(time.Hour)}, priv)
	if _, err := svc.License.Import(p.ID, lic); err != nil {
		t.Fatal(err)
	}
	run := func() (int, string, string) {
		var out, errOut bytes.Buffer
		code := runTask(svc, []string{"orders"}, p.ID, runFlags{}, &out, &errOut)
		return code, out.String(), errOut.String()
	}

	// No shipping article: orders with shipping are held.
	code, out, _ := run()
	if code != exitHeld || !strings.Contains(out, "Geslaagd, ") || !strings.Contains(out, " vastgehouden (") {
		t.Fatalf("held: exit %d, %q", code, out)
	}
	// The database refuses the password: the cause, as Verbinding testen says it.
	if _, err := store.Save(p.ID, map[string]string{"shop.db.password": "fout", "sales.shippingArticle": "VERZEND"}, nil); err != nil {
		t.Fatal(err)
	}
	code, _, errOut := run()
	if code != exitFailed || !strings.Contains(errOut, "Mislukt — De database weigert de gebruikersnaam of het wachtwoord") {
		t.Fatalf("failed: exit %d, %q", code, errOut)
	}
	// Fixed: everything goes.
	if _, err := store.Save(p.ID, nil, []string{"shop.db.password"}); err != nil {
		t.Fatal(err)
	}
	code, out, errOut = run()
	// The counts in Dutch, as the window says them.
	if code != exitOK || !strings.HasPrefix(out, "s-connect run orders: Geslaagd (") || !strings.Contains(out, " × aangemaakt") {
		t.Fatalf("ok: exit %d, %q %q", code, out, errOut)
	}
}
