package app

import (
	"bytes"
	"encoding/json"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/s-connect/s-connect/backend/config"
	"github.com/s-connect/s-connect/backend/license"
	"github.com/s-connect/s-connect/backend/opencart/fixture/fixturetest"
	"github.com/s-connect/s-connect/backend/remotefs"
	"github.com/s-connect/s-connect/backend/snelstart/sim"
)

// After a full run — connection tests (one failing), the bridge installed,
// orders and stock through it, a backup, an export — none of the test's
// secrets is in the settings folder (database, its backups, the log), the
// run history, the ledger or the export.
func TestNoSecretLeavesItsPlace(t *testing.T) {
	dir := t.TempDir()
	log, logFile, err := OpenLog(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer logFile.Close()
	store, err := config.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	msgs, _ := LoadMessages()
	s := NewServices(Options{Store: store, Messages: msgs, Log: log, Mode: "serve", ConfigDir: dir})
	if err := s.EnsureProfile(); err != nil {
		t.Fatal(err)
	}
	leaveDemo(t, s)
	priv := testKey(t)

	const clientKey, subscriptionKey, dbPassword = "sk-klant-4b7f2e91c0", "abo-a93c17d2e8", "db-geheim-5e1a77"
	sm := sim.New(sim.Options{ClientKeys: map[string][]string{clientKey: nil}, SubscriptionKeys: []string{subscriptionKey}})
	sm.SeedDefault()
	srv := httptest.NewServer(sm)
	defer srv.Close()
	h := fixturetest.NewHosted(t, "4.0", 30)
	ps, _ := store.Profiles()
	id := ps[0].ID
	if _, err := s.Settings.Save(id, map[string]string{
		"snelstart.clientKey": clientKey, "snelstart.subscriptionKey": subscriptionKey,
		"snelstart.apiBaseURL": srv.URL + "/v2/", "snelstart.authBaseURL": srv.URL + "/",
		"shop.transport": "bridge", "shop.ftp.protocol": "ftps-explicit", "shop.ftp.host": "127.0.0.1",
		"shop.ftp.port": strconv.Itoa(h.FTP.Explicit), "shop.ftp.user": h.FTP.User, "shop.ftp.password": "fout-wachtwoord-31",
		"shop.ftp.root": h.Dir, "shop.url": h.URL, "shop.allowHTTP": "true", "shop.since": "2020-01-01T00:00",
		"shop.db.password": dbPassword,
		"sales.template":   "Webshop", "sales.shippingArticle": "VERZEND", "sales.discountArticle": "KORTING",
		"sales.paymentFeeArticle": "BETAALKOSTEN", "sales.differenceArticle": "VERSCHIL",
		"articles.revenueGroup": "Omzet hoog", "articles.revenueGroupByVat": "9=Omzet laag",
	}, nil); err != nil {
		t.Fatal(err)
	}
	if err := s.Connections.Trust(id, TrustTLS, remotefs.CertFingerprint(h.FTP.Cert)); err != nil {
		t.Fatal(err)
	}
	// A failing test first (a wrong password), then the right one.
	if rep, _ := s.Connections.TestOpenCart(id); rep.OK {
		t.Fatal("a wrong password passed")
	}
	// Then a webshop URL where nothing answers (logged with its cause).
	s.Settings.Save(id, map[string]string{"shop.ftp.password": h.FTP.Password, "shop.url": "http://127.0.0.1:1/"}, nil)
	if rep, _ := s.Connections.TestOpenCart(id); rep.OK {
		t.Fatal("a wrong URL passed")
	}
	s.Settings.Save(id, map[string]string{"shop.url": h.URL}, nil)
	if rep, _ := s.Connections.TestOpenCart(id); !rep.OK {
		t.Fatalf("shop: %s %s", steps(rep), rep.Summary)
	}
	if rep, _ := s.Connections.TestSnelStart(id); !rep.OK {
		t.Fatalf("snelstart: %s", rep.Summary)
	}
	text, err := license.Issue(license.License{ID: "leak", Licensee: "Test", Email: "a@b.nl", Shops: []string{h.URL},
		Modules: []string{license.ModuleOrders, license.ModuleVoorraad}, ValidFrom: time.Now().Add(-time.Hour),
		ValidUntil: time.Now().Add(time.Hour), Issued: time.Now()}, priv)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.License.Import(id, text); err != nil {
		t.Fatal(err)
	}
	res, err := s.Tasks.RunNow(id, config.TaskOrdersStock)
	if err != nil || res.Counts["created"] == 0 {
		t.Fatalf("run: %+v %v", res, err)
	}
	if _, err := store.Backup("daily"); err != nil {
		t.Fatal(err)
	}
	export, err := s.Profiles.Export(id)
	if err != nil {
		t.Fatal(err)
	}
	values, _ := store.Values(id)
	bridgeSecret := values["shop.bridge.secret"]
	if len(bridgeSecret) != 64 {
		t.Fatalf("no bridge secret: %q", bridgeSecret)
	}

	var haystack bytes.Buffer
	filepath.Walk(dir, func(p string, fi os.FileInfo, err error) error {
		if err == nil && !fi.IsDir() {
			b, _ := os.ReadFile(p)
			haystack.Write(b)
		}
		return nil
	})
	history, _ := s.Tasks.History(id)
	page, _ := store.FindOrders(id, config.OrderFilter{})
	if len(page.Orders) == 0 {
		t.Fatal("no orders in the ledger: the scan of it proves nothing")
	}
	for _, v := range []any{history, page, res} {
		b, _ := json.Marshal(v)
		haystack.Write(b)
	}
	for _, e := range page.Orders { // what the UI never gets: payload and answer, per attempt too
		haystack.WriteString(e.Payload + e.Answer)
		attempts, _ := store.Attempts(id, e.OrderID)
		b, _ := json.Marshal(attempts)
		haystack.Write(b)
	}
	view, _ := s.Settings.Get(id)
	b, _ := json.Marshal(view)
	haystack.Write(b)
	haystack.WriteString(export)
	if logged, _ := os.ReadFile(filepath.Join(dir, "s-connect.log")); len(logged) == 0 {
		t.Fatal("nothing was logged: the scan of the log proves nothing")
	}
	// The scan sees what is stored: the FTP user name (not secret) is there.
	if !bytes.Contains(haystack.Bytes(), []byte(h.FTP.User)) {
		t.Fatal("the FTP user name is nowhere: the scan reads nothing")
	}
	for name, secret := range map[string]string{"FTP password": h.FTP.Password, "wrong FTP password": "fout-wachtwoord-31",
		"koppelsleutel": clientKey, "abonnementssleutel": subscriptionKey, "database password": dbPassword, "bridge secret": bridgeSecret} {
		if bytes.Contains(haystack.Bytes(), []byte(secret)) {
			t.Errorf("the %s (%s) was found", name, secret)
		}
	}
}
