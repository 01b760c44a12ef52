package main

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"net/http/httptest"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/s-connect/s-connect/backend/config"
	"github.com/s-connect/s-connect/backend/license"
	"github.com/s-connect/s-connect/backend/opencart/fixture"
	"github.com/s-connect/s-connect/backend/opencart/fixture/fixturetest"
	"github.com/s-connect/s-connect/backend/snelstart/sim"
)

// runEnv is what `s-connect run orders` works on in these tests: the
// program itself (built for the test, trusting its licence key), a shop in
// MariaDB, the SnelStart simulator and a settings folder with one profile.
type runEnv struct {
	bin     string
	dir     string
	profile uint
	sim     *sim.Server
	shop    *fixturetest.ShopDB
	want    []int // the orders that must reach SnelStart (in a sale status)
}

func newRunEnv(t testing.TB, fc fixture.Config, faults sim.Faults) *runEnv {
	t.Helper()
	pub, priv, _ := ed25519.GenerateKey(rand.Reader)
	e := &runEnv{bin: filepath.Join(t.TempDir(), "s-connect"), dir: t.TempDir()}
	build := exec.Command("go", "build", "-o", e.bin, "-ldflags",
		"-X github.com/s-connect/s-connect/backend/license.PublicKey="+base64.StdEncoding.EncodeToString(pub), ".")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	e.shop = fixturetest.NewShopDB(t, fc)
	for _, o := range e.shop.Shop.Sales() {
		e.want = append(e.want, o.ID)
	}
	e.sim = sim.New(sim.Options{ClientKeys: map[string][]string{"k": nil}, SubscriptionKeys: []string{"s"}, Seed: 9, Faults: faults})
	e.sim.SeedDefault()
	srv := httptest.NewServer(e.sim)
	t.Cleanup(srv.Close)

	store, err := config.Open(e.dir)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	p, _ := store.CreateProfile("Winkel")
	e.profile = p.ID
	settings := map[string]string{
		"snelstart.clientKey": "k", "snelstart.subscriptionKey": "s", "snelstart.apiBaseURL": srv.URL + "/v2/", "snelstart.authBaseURL": srv.URL + "/",
		"shop.transport": "mysql", "shop.db.host": "127.0.0.1", "shop.db.port": strconv.Itoa(e.shop.Port), "shop.db.name": e.shop.Database, "shop.db.user": "root",
		"shop.url": "https://winkel.example.nl/", "shop.since": "2020-01-01T00:00", "shop.db.tls": "false",
		"sales.template": "Webshop", "sales.shippingArticle": "VERZEND", "sales.discountArticle": "KORTING",
		"sales.discountArticleByVat": "9=KORTING-LAAG\n0=KORTING-GEEN", "sales.voucherArticle": "CADEAUBON",
		"sales.paymentFeeArticle": "BETAALKOSTEN", "sales.differenceArticle": "VERSCHIL",
		"articles.revenueGroup": "Omzet hoog", "articles.revenueGroupByVat": "9=Omzet laag\n0=Omzet vrijgesteld",
	}
	if _, err := store.Save(p.ID, settings, nil); err != nil {
		t.Fatal(err)
	}
	lic, _ := license.Issue(license.License{ID: "x", Licensee: "Test", Shops: []string{"winkel.example.nl"},
		Modules: []string{license.ModuleOrders}, ValidFrom: time.Now().Add(-time.Hour), ValidUntil: time.Now().Add(24 * time.Hour)}, priv)
	if err := store.SetReadOnly(0, "license.text", lic); err != nil {
		t.Fatal(err)
	}
	// The shop's own address, as the connection test finds it (every run
	// checks it again).
	if err := store.SetReadOnly(p.ID, "shop.db.shopURL", "https://winkel.example.nl/"); err != nil {
		t.Fatal(err)
	}
	return e
}

// start starts `s-connect run orders`; its output is in Stdout/Stderr.
func (e *runEnv) start(t testing.TB, flags ...string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(e.bin, append(append([]string{"run", "--config-dir", e.dir}, flags...), "orders")...)
	cmd.Stdout, cmd.Stderr = &bytes.Buffer{}, &bytes.Buffer{}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	return cmd
}

// check: exactly one verkooporder per order that must be booked (and none
// for another), and every ledger entry confirmed.
func (e *runEnv) check(t testing.TB) {
	t.Helper()
	want := map[string]bool{}
	for _, id := range e.want {
		want[strconv.Itoa(id)] = true
	}
	refs := map[string]int{}
	for _, vo := range e.sim.All("verkooporders") {
		ref, _ := vo["betalingskenmerk"].(string)
		refs[ref]++
		if refs[ref] > 1 {
			t.Fatalf("order %s booked twice", ref)
		}
		if !want[ref] {
			t.Fatalf("a verkooporder for %q, which is no order to book", ref)
		}
	}
	if len(refs) != len(e.want) {
		t.Fatalf("%d verkooporders for %d orders", len(refs), len(e.want))
	}
	store, err := config.Open(e.dir)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	entries, err := store.Ledger(e.profile, e.want)
	if err != nil {
		t.Fatal(err)
	}
	for id, le := range entries {
		if le.State != config.LedgerConfirmed {
			b, _ := json.Marshal(le)
			t.Fatalf("order %d not confirmed: %s", id, b)
		}
	}
	if len(entries) != len(e.want) {
		t.Fatalf("%d ledger entries for %d orders", len(entries), len(e.want))
	}
}
