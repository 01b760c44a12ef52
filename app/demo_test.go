package app

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/s-connect/s-connect/backend/config"
	"github.com/s-connect/s-connect/backend/demo"
	"github.com/s-connect/s-connect/backend/opencart"
	"github.com/s-connect/s-connect/backend/opencart/sqlite"
)

// start is a start of the program on the settings folder dir: the store,
// the services and the first-start profile.
func start(t *testing.T, dir string) *Services {
	t.Helper()
	store, err := config.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	msgs, err := LoadMessages()
	if err != nil {
		t.Fatal(err)
	}
	s := NewServices(Options{Store: store, Messages: msgs, Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Mode: "serve", ConfigDir: dir})
	if err := s.EnsureProfile(); err != nil {
		t.Fatal(err)
	}
	return s
}

func onlyProfile(t *testing.T, s *Services) config.Profile {
	t.Helper()
	ps, err := s.store.Profiles()
	if err != nil || len(ps) != 1 {
		t.Fatalf("profiles: %v %v", ps, err)
	}
	return ps[0]
}

// The first start makes the demo profile, with nothing to fill in, and it
// works without a licence: Verbinding testen on both tabs, Voorbeeld, Nu
// uitvoeren with the stock. A second start keeps it and does not add one.
func TestFirstStartMakesAWorkingDemo(t *testing.T) {
	dir := t.TempDir()
	s := start(t, dir)
	p := onlyProfile(t, s)
	view, err := s.store.View(p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if p.Name != "Demo" || len(view.Missing) != 0 {
		t.Fatalf("first profile %q, still to fill in: %+v", p.Name, view.Missing)
	}
	if rep, err := s.Connections.TestSnelStart(p.ID); err != nil || !rep.OK {
		t.Fatalf("Verbinding testen (SnelStart): %+v %v", rep, err)
	}
	if rep, err := s.Connections.TestOpenCart(p.ID); err != nil || !rep.OK {
		t.Fatalf("Verbinding testen (OpenCart): %+v %v", rep, err)
	}
	preview, err := s.Tasks.Preview(p.ID, config.TaskOrders)
	if err != nil || len(preview) == 0 {
		t.Fatalf("Voorbeeld: %d orders, %v", len(preview), err)
	}
	res, err := s.Tasks.RunNow(p.ID, config.TaskOrdersStock) // no licence was read in
	if err != nil {
		t.Fatal(err)
	}
	if res.Counts["created"] != len(preview) || res.Stock == nil || res.Counts["stock_changed"] == 0 {
		t.Fatalf("Nu uitvoeren: %v (preview %d)", res.Counts, len(preview))
	}
	for _, o := range res.Orders {
		if o.State != "created" || o.Nummer == 0 || o.Relatiecode == 0 {
			t.Fatalf("order %+v without verkoopordernummer or klantnummer", o)
		}
	}
	if !res.Run.Demo {
		t.Fatal("the run is not marked as the demo's")
	}

	// A second start on the same folder: the same one demo profile, and
	// what it booked is still booked (the ledger and the administration).
	again := start(t, dir)
	if q := onlyProfile(t, again); q.ID != p.ID {
		t.Fatalf("second start: profile %d, was %d", q.ID, p.ID)
	}
	res, err = again.Tasks.RunNow(p.ID, config.TaskOrders)
	if err != nil || res.Counts["created"] != 0 {
		t.Fatalf("run after the restart: %v %v", res.Counts, err)
	}

	// A demo order comes in; the scheduled run books it.
	o, err := demo.AddOrder(context.Background(), again.DemoFolder(), time.Now())
	if err != nil {
		t.Fatal(err)
	}
	again.Tasks.runScheduled(p.ID, config.TaskOrdersStock, "schedule")
	e, err := again.store.LedgerEntryOf(p.ID, o.ID)
	if err != nil || e.State != config.LedgerConfirmed || e.Nummer == 0 {
		t.Fatalf("the new demo order after the scheduled run: %+v %v", e, err)
	}
}

// The stock export brings SnelStart's figures to the demo shop.
func TestDemoStockFollowsSnelStart(t *testing.T) {
	s := start(t, t.TempDir())
	p := onlyProfile(t, s)
	client, _, err := s.Connections.snelstartClient(p.ID)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	tr, err := sqlite.Open(ctx, demo.ShopPath(s.DemoFolder()), demo.Prefix)
	if err != nil {
		t.Fatal(err)
	}
	defer tr.Close()
	shop, err := opencart.NewShop(ctx, tr, opencart.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var arts []struct {
		Artikelcode   string `json:"artikelcode"`
		VrijeVoorraad int    `json:"vrijeVoorraad"`
	}
	if err := client.Do(ctx, "GET", "artikelen", map[string][]string{"$top": {"500"}}, nil, &arts); err != nil {
		t.Fatal(err)
	}
	stock := map[string]int{}
	for _, a := range arts {
		stock[a.Artikelcode] = a.VrijeVoorraad
	}
	// Products holding SnelStart's free stock (the orders of this run are
	// in SnelStart by then: they reserve nothing any more).
	same := func() int {
		products, _, err := shop.Products(ctx, 0, 1000)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, p := range products {
			if want, ok := stock[p.Model]; ok && len(p.Options) == 0 && p.Quantity == want {
				n++
			}
		}
		return n
	}
	before := same()
	res, err := s.Tasks.RunNow(p.ID, config.TaskOrdersStock)
	if err != nil {
		t.Fatal(err)
	}
	if after := same(); before > 30 || after < 120 || res.Counts["stock_changed"] < 100 {
		t.Fatalf("products with SnelStart's stock: %d before the run, %d after (%v)", before, after, res.Counts)
	}
}

// Moving the demo profile to a real shop keeps no demo value and switches
// off the demo's planning, unless the same save sets it; Demo opnieuw maken
// gives a new demo profile in place of the old.
func TestLeavingAndResettingTheDemo(t *testing.T) {
	s := start(t, t.TempDir())
	p := onlyProfile(t, s)
	if _, err := s.Settings.Save(p.ID, map[string]string{"shop.transport": "bridge"}, nil); err != nil {
		t.Fatal(err)
	}
	v, _ := s.store.Values(p.ID)
	if v["planning.ordersStock.interval"] != "off" || v["shop.url"] != "" {
		t.Fatalf("after leaving the demo: planning %q, Webshop URL %q", v["planning.ordersStock.interval"], v["shop.url"])
	}
	if err := s.License.require(p.ID, config.TaskOrders); err == nil {
		t.Fatal("a profile that left the demo runs without a licence")
	}
	fresh, err := s.ResetDemo()
	if err != nil {
		t.Fatal(err)
	}
	ps, _ := s.store.Profiles()
	if len(ps) != 2 || fresh.Name != "Demo 2" { // the profile that left the demo keeps its name
		t.Fatalf("after Demo opnieuw maken: %+v (the left profile is no demo any more and stays)", ps)
	}
	again, err := s.ResetDemo()
	if err != nil {
		t.Fatal(err)
	}
	if ps, _ = s.store.Profiles(); len(ps) != 2 || again.ID == fresh.ID || again.Name != "Demo 2" {
		t.Fatalf("a second Demo opnieuw maken: %+v", ps)
	}
	if _, err := s.store.Profile(fresh.ID); err == nil {
		t.Fatal("the old demo profile stayed")
	}
	if _, err := s.Settings.Save(again.ID, map[string]string{"snelstart.type": "online", "planning.ordersStock.interval": "15m"}, nil); err != nil {
		t.Fatal(err)
	}
	if v, _ := s.store.Values(again.ID); v["planning.ordersStock.interval"] != "15m" {
		t.Fatalf("the planning chosen in the same save: %q", v["planning.ordersStock.interval"])
	}
}

// The licence is checked on the values a run uses: a demo profile saved as
// a real one between the check before the run (passed: the demo needs no
// licence) and the run itself does not run without a licence.
func TestRunOfADemoSavedAsRealNeedsTheLicence(t *testing.T) {
	s := start(t, t.TempDir())
	p := onlyProfile(t, s)
	if err := s.License.require(p.ID, config.TaskOrders); err != nil {
		t.Fatalf("the demo needs a licence: %v", err)
	}
	if _, err := s.Settings.Save(p.ID, map[string]string{"shop.transport": "mysql", "shop.db.host": "127.0.0.1",
		"shop.db.name": "shop", "shop.db.user": "u", "snelstart.type": "online", "snelstart.clientKey": "k"}, nil); err != nil {
		t.Fatal(err)
	}
	_, _, err := s.Tasks.importOrders(p.ID, config.TaskOrders, importMode{})
	var le *LicenseError
	if !errors.As(err, &le) {
		t.Fatalf("a run of the profile now real: %v, want the licence refused", err)
	}
	if _, _, err := s.Tasks.importOrders(p.ID, config.TaskOrders, importMode{preview: true}); errors.As(err, &le) {
		t.Fatal("a preview needs no licence")
	}
}
