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
	"syscall"
	"testing"
	"time"

	"github.com/s-connect/s-connect/backend/config"
	"github.com/s-connect/s-connect/backend/license"
	"github.com/s-connect/s-connect/backend/opencart/fixture"
	"github.com/s-connect/s-connect/backend/snelstart/sim"
	"github.com/s-connect/s-connect/backend/testsvc"
)

func TestMain(m *testing.M) { testsvc.Main(m) }

// A real process kill in the middle of `s-connect run orders`, with the
// simulator's faults on: two more runs book every order exactly once.
func TestRunOrdersSurvivesAKill(t *testing.T) {
	// A binary that trusts this test's licence key.
	pub, priv, _ := ed25519.GenerateKey(rand.Reader)
	bin := filepath.Join(t.TempDir(), "s-connect")
	build := exec.Command("go", "build", "-o", bin, "-ldflags",
		"-X github.com/s-connect/s-connect/backend/license.PublicKey="+base64.StdEncoding.EncodeToString(pub), ".")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}

	// The shop in MariaDB.
	sdb := fixture.NewShopDB(t, fixture.Config{Version: "4.0", Prefix: "oc_", Orders: 700, Products: 60, Customers: 80, Seed: 11})
	fix, name := sdb.Shop, sdb.Database
	want := len(fix.Sales())
	if want < 480 {
		t.Fatalf("only %d orders in a sale status", want)
	}

	// SnelStart, with faults and some latency so the kill lands mid-way.
	s := sim.New(sim.Options{ClientKeys: map[string][]string{"k": nil}, SubscriptionKeys: []string{"s"}, Seed: 9,
		Faults: sim.Faults{Latency: 10 * time.Millisecond, Share429: 0.10, Share500: 0.05, CommitThenFail: 0.05, RetryAfter: -1}})
	s.SeedDefault()
	srv := httptest.NewServer(s)
	defer srv.Close()

	// The profile and a licence.
	dir := t.TempDir()
	store, err := config.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	p, _ := store.CreateProfile("Winkel")
	settings := map[string]string{
		"snelstart.clientKey": "k", "snelstart.subscriptionKey": "s", "snelstart.apiBaseURL": srv.URL + "/v2/", "snelstart.authBaseURL": srv.URL + "/",
		"shop.transport": "mysql", "shop.db.host": "127.0.0.1", "shop.db.port": strconv.Itoa(sdb.Port), "shop.db.name": name, "shop.db.user": "root",
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
		Modules: []string{license.ModuleOrders}, ValidFrom: time.Now().Add(-time.Hour), ValidUntil: time.Now().Add(time.Hour)}, priv)
	if err := store.SetReadOnly(0, "license.text", lic); err != nil {
		t.Fatal(err)
	}
	// The shop's own address, as the connection test finds it (every run
	// checks it again).
	if err := store.SetReadOnly(p.ID, "shop.db.shopURL", "https://winkel.example.nl/"); err != nil {
		t.Fatal(err)
	}
	store.Close()

	run := func() *exec.Cmd {
		cmd := exec.Command(bin, "run", "--config-dir", dir, "orders")
		cmd.Stdout, cmd.Stderr = &bytes.Buffer{}, &bytes.Buffer{}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		return cmd
	}
	// The first run is killed once a third of the orders are in.
	first := run()
	deadline := time.Now().Add(60 * time.Second)
	for s.Count("verkooporders") < want/3 {
		if time.Now().After(deadline) {
			first.Process.Kill()
			t.Fatalf("the run made only %d orders in a minute: %s", s.Count("verkooporders"), first.Stderr)
		}
		time.Sleep(5 * time.Millisecond)
	}
	first.Process.Signal(syscall.SIGKILL)
	first.Wait()
	killedAt := s.Count("verkooporders")
	if killedAt >= want {
		t.Fatalf("the run was done before the kill (%d of %d)", killedAt, want)
	}
	for i := 0; i < 2; i++ {
		cmd := run()
		cmd.Wait()
		t.Logf("run %d: %s%s", i+2, cmd.Stdout, cmd.Stderr)
	}

	refs := map[string]int{}
	for _, vo := range s.All("verkooporders") {
		ref, _ := vo["betalingskenmerk"].(string)
		refs[ref]++
		if refs[ref] > 1 {
			t.Fatalf("order %s booked twice", ref)
		}
	}
	if len(refs) != want {
		t.Fatalf("%d verkooporders for %d orders (killed at %d)", len(refs), want, killedAt)
	}
	store, _ = config.Open(dir)
	defer store.Close()
	ids := make([]int, 0, want)
	for _, o := range fix.Sales() {
		ids = append(ids, o.ID)
	}
	entries, _ := store.Ledger(p.ID, ids)
	for id, e := range entries {
		if e.State != config.LedgerConfirmed {
			b, _ := json.Marshal(e)
			t.Fatalf("order %d not confirmed: %s", id, b)
		}
	}
	if len(entries) != want {
		t.Fatalf("%d ledger entries for %d orders", len(entries), want)
	}
}
