package orderimport_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/s-connect/s-connect/backend/config"
	"github.com/s-connect/s-connect/backend/opencart"
	"github.com/s-connect/s-connect/backend/opencart/fixture"
	"github.com/s-connect/s-connect/backend/opencart/mysql"
	"github.com/s-connect/s-connect/backend/orderimport"
	"github.com/s-connect/s-connect/backend/snelstart"
	"github.com/s-connect/s-connect/backend/snelstart/sim"
	"github.com/s-connect/s-connect/backend/testsvc"
)

func TestMain(m *testing.M) { testsvc.Main(m) }

type world struct {
	db              *sql.DB
	shop            *opencart.Shop
	fix             *fixture.Shop
	sim             *sim.Server
	client          *snelstart.Client
	store           *config.Store
	prof            uint
	apiURL, authURL string
}

func newWorld(t testing.TB, version string, orders int, faults sim.Faults) *world {
	w := newWorldSized(t, fixture.Config{Version: version, Prefix: "oc_", Orders: orders, Products: 80, Customers: 60, Seed: 5})
	w.sim.SetFaults(faults)
	return w
}

func newWorldSized(t testing.TB, fc fixture.Config) *world {
	t.Helper()
	sdb := fixture.NewShopDB(t, fc)
	db, fix, name := sdb.DB, sdb.Shop, sdb.Database
	ctx := context.Background()
	tr, err := mysql.Open(ctx, mysql.Config{Host: "127.0.0.1", Port: sdb.Port, Database: name, User: "root", Prefix: "oc_"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { tr.Close() })
	shop, err := opencart.NewShop(ctx, tr, opencart.Options{})
	if err != nil {
		t.Fatal(err)
	}
	s := sim.New(sim.Options{ClientKeys: map[string][]string{"k": nil}, SubscriptionKeys: []string{"s"}, Strict: true, Seed: 3})
	s.SeedDefault()
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	client, err := snelstart.NewClient(snelstart.Options{APIBaseURL: srv.URL + "/v2/", AuthBaseURL: srv.URL + "/", ClientKey: "k",
		SubscriptionKey: "s", RequestsPerSecond: 1000, BackoffBase: 5 * time.Millisecond, BackoffCap: 50 * time.Millisecond, MaxRetries: 6})
	if err != nil {
		t.Fatal(err)
	}
	store, err := config.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	p, _ := store.CreateProfile("Test")
	return &world{db: db, shop: shop, fix: fix, sim: s, client: client, store: store, prof: p.ID, apiURL: srv.URL + "/v2/", authURL: srv.URL + "/"}
}

func (w *world) settings() orderimport.Settings {
	s := orderimport.SettingsFrom(config.Defaults(time.Now()))
	s.Template, s.ShippingArticle, s.DiscountArticle, s.PaymentFeeArticle = "Webshop", "VERZEND", "KORTING", "BETAALKOSTEN"
	s.DifferenceArticle, s.RevenueGroup = "VERSCHIL", "Omzet hoog"
	s.RevenueGroupByVat = map[string]string{"9": "Omzet laag"}
	s.DifferenceThreshold = s.DifferenceThreshold.Mul(s.DifferenceThreshold).Add(s.DifferenceThreshold.Shift(4)) // 500.05: book every difference here
	return s
}

func (w *world) run(t testing.TB, preview bool) *orderimport.Report {
	t.Helper()
	rep, err := orderimport.Run(context.Background(), orderimport.Job{ProfileID: w.prof, Shop: w.shop, Client: w.client,
		Ledger: w.store, Settings: w.settings(), Preview: preview, Concurrency: 4})
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

// shopOrders are the orders that must reach SnelStart (status 0 never).
func (w *world) shopOrders() map[string]opencart.Order {
	out := map[string]opencart.Order{}
	for _, o := range w.fix.Orders {
		if o.StatusID > 0 {
			out[jsonInt(o.ID)] = o
		}
	}
	return out
}

func jsonInt(n int) string { b, _ := json.Marshal(n); return string(b) }

// checkSnelStart: exactly one verkooporder per shop order, each with the
// shop's total to the cent.
func (w *world) checkSnelStart(t *testing.T) {
	t.Helper()
	want := w.shopOrders()
	seen := map[string]bool{}
	for _, vo := range w.sim.All("verkooporders") {
		ref, _ := vo["betalingskenmerk"].(string)
		if seen[ref] {
			t.Fatalf("order %s booked twice", ref)
		}
		seen[ref] = true
		o, ok := want[ref]
		if !ok {
			t.Fatalf("verkooporder for unknown or status-0 order %q", ref)
		}
		total, _ := vo["totaalInclusiefBtw"].(json.Number)
		if string(total) != o.Total.StringFixed(2) && string(total) != o.Total.Round(2).String() {
			t.Fatalf("order %s: SnelStart total %s, shop %s", ref, total, o.Total.StringFixed(2))
		}
	}
	if len(seen) != len(want) {
		t.Fatalf("%d verkooporders for %d orders", len(seen), len(want))
	}
}

func TestImportEveryOrderOnceToTheCent(t *testing.T) {
	for _, version := range fixture.Versions {
		t.Run(version, func(t *testing.T) {
			w := newWorld(t, version, 560, sim.Faults{}) // about 500 with a status
			preview := w.run(t, true)
			if w.sim.Count("verkooporders") != 0 || preview.Counts["planned"] == 0 {
				t.Fatalf("a preview wrote something or planned nothing: %v", preview.Counts)
			}
			rep := w.run(t, false)
			if rep.Counts["created"] != len(w.shopOrders()) || rep.Counts["failed"]+rep.Counts["held"] != 0 {
				t.Fatalf("first run: %v", rep.Counts)
			}
			w.checkSnelStart(t)
			// One create per order, per new customer and per new article, and a
			// few batched lookups: no call per order for lookups.
			creates := len(w.shopOrders()) + (w.sim.Count("relaties") - 3) + (w.sim.Count("artikelen") - 10)
			pages := (len(w.fix.Orders) + 99) / 100
			if rep.Calls > int64(creates+10+8*pages) {
				t.Fatalf("%d API calls for %d creates in %d pages", rep.Calls, creates, pages)
			}
			if len(w.shopOrders()) < 480 {
				t.Fatalf("only %d orders with a status", len(w.shopOrders()))
			}
			again := w.run(t, false)
			if again.Counts["created"] != 0 || again.Counts["skipped"] != len(w.shopOrders()) {
				t.Fatalf("second run: %v", again.Counts)
			}
			w.checkSnelStart(t)
			// An order changed in the shop after it was booked is reported, not booked again.
			if _, err := w.db.Exec("UPDATE oc_order SET date_modified = '2030-01-01 00:00:00' WHERE order_id = (SELECT MIN(order_id) FROM (SELECT order_id FROM oc_order WHERE order_status_id > 0) x)"); err != nil {
				t.Fatal(err)
			}
			changed := w.run(t, false)
			if changed.Counts["changed"] != 1 || changed.Counts["created"] != 0 {
				t.Fatalf("after a change in the shop: %v", changed.Counts)
			}
			w.checkSnelStart(t)
			// A fresh ledger (another PC): the orders are found in SnelStart, none booked again.
			fresh, _ := config.Open(t.TempDir())
			defer fresh.Close()
			p, _ := fresh.CreateProfile("Andere pc")
			w.store, w.prof = fresh, p.ID
			third := w.run(t, false)
			if third.Counts["exists"] != len(w.shopOrders()) || third.Counts["created"] != 0 {
				t.Fatalf("without the ledger: %v", third.Counts)
			}
			w.checkSnelStart(t)
		})
	}
}

func TestHeldOrdersGoOnceTheCauseIsFixed(t *testing.T) {
	w := newWorld(t, "3.0", 60, sim.Faults{})
	s := w.settings()
	s.ShippingArticle = "" // orders with shipping need it
	rep, err := orderimport.Run(context.Background(), orderimport.Job{ProfileID: w.prof, Shop: w.shop, Client: w.client, Ledger: w.store, Settings: s})
	if err != nil {
		t.Fatal(err)
	}
	held := rep.Counts["held"]
	if held == 0 || rep.Counts["created"] == 0 {
		t.Fatalf("first run: %v", rep.Counts)
	}
	for _, r := range rep.Results {
		if r.State == "held" && (r.Reason == nil || r.Reason.Code != "fee_article_missing" || r.Reason.Arg != "shipping") {
			t.Fatalf("reason %+v", r.Reason)
		}
	}
	fixed := w.run(t, false) // the shipping article is set again
	if fixed.Counts["created"] != held || fixed.Counts["held"] != 0 {
		t.Fatalf("after the fix: %v (held before %d)", fixed.Counts, held)
	}
	w.checkSnelStart(t)
}

func TestImportWithFaultsBooksNothingTwice(t *testing.T) {
	w := newWorld(t, "3.0", 545, sim.Faults{Share429: 0.10, Share500: 0.05, CommitThenFail: 0.05, RetryAfter: -1})
	for run := 0; run < 3; run++ {
		rep := w.run(t, false)
		t.Logf("run %d: %v", run+1, rep.Counts)
	}
	w.sim.SetFaults(sim.Faults{})
	w.checkSnelStart(t)
	ids := make([]int, 0)
	for _, o := range w.shopOrders() {
		ids = append(ids, o.ID)
	}
	entries, _ := w.store.Ledger(w.prof, ids)
	for id, e := range entries {
		if e.State != config.LedgerConfirmed || e.Nummer == 0 {
			t.Fatalf("order %d: ledger %s %q", id, e.State, e.Reason)
		}
	}
	if len(entries) != len(ids) {
		t.Fatalf("%d ledger entries for %d orders", len(entries), len(ids))
	}
}
