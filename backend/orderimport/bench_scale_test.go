package orderimport_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"gorm.io/driver/sqlite"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"

	"github.com/s-connect/s-connect/backend/config"
	"github.com/s-connect/s-connect/backend/opencart"
	"github.com/s-connect/s-connect/backend/opencart/bridge"
	"github.com/s-connect/s-connect/backend/opencart/fixture"
	"github.com/s-connect/s-connect/backend/opencart/fixture/fixturetest"
	"github.com/s-connect/s-connect/backend/orderimport"
	"github.com/s-connect/s-connect/backend/remotefs"
	"github.com/s-connect/s-connect/backend/snelstart/sim"
)

// The targets (issue 17).
const (
	firstImportMargin = 1.10 // within 10 % of the floor: calls ÷ 4 in flight × 50 ms
	watermarkSeconds  = 1.0  // 50,000 imported + 5 new, at zero latency
	watermarkQueries  = 10   // shop reads of that run
	watermarkCalls    = 3    // SnelStart calls of that run besides the 5 creates
)

// benchSim is a fresh simulated administration (the tests' options).
func benchSim(b *testing.B) (*sim.Server, string) {
	s := sim.New(sim.Options{ClientKeys: map[string][]string{"k": nil}, SubscriptionKeys: []string{"s"}, Strict: true, Seed: 3})
	s.SeedDefault()
	srv := httptest.NewServer(s)
	b.Cleanup(srv.Close)
	return s, srv.URL
}

// benchStore is a settings folder with one profile.
func benchStore(b *testing.B) (string, uint) {
	dir := b.TempDir()
	st, err := config.Open(dir)
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	p, err := st.CreateProfile("Bench")
	if err != nil {
		b.Fatal(err)
	}
	return dir, p.ID
}

// BenchmarkFirstImport2000: the first import of an existing shop — 2,000
// orders of about 1,200 registered customers, none of them in SnelStart,
// 300 products, none in SnelStart; 50 ms latency on every call; the
// client's defaults. The import runs in a process of its own (its peak
// heap is S-Connect's); the simulator counts the calls.
func BenchmarkFirstImport2000(b *testing.B) {
	for b.Loop() {
		b.StopTimer()
		sdb := fixturetest.NewShopDB(b, fixture.Config{Version: "3.0", Prefix: "oc_", Orders: 2700, Products: 300, Customers: 1780,
			GuestPercent: -1, Seed: 31, Base: time.Now().Add(-96 * time.Hour)})
		sales := sdb.Shop.Sales()
		slices.SortFunc(sales, func(a, b opencart.Order) int { return a.ID - b.ID })
		if len(sales) < 2000 {
			b.Fatalf("%d orders in a sale status", len(sales))
		}
		// Exactly 2,000: the later ones stay unfinished checkouts.
		if _, err := sdb.DB.Exec("UPDATE oc_order SET order_status_id = 0 WHERE order_id > ?", sales[1999].ID); err != nil {
			b.Fatal(err)
		}
		customers, codes := map[int]bool{}, map[string]bool{}
		for _, o := range sales[:2000] {
			customers[o.CustomerID] = true
			for _, l := range o.Lines {
				codes[strings.ToLower(l.Model)] = true
			}
		}
		s, url := benchSim(b)
		s.SetFaults(sim.Faults{Latency: 50 * time.Millisecond})
		dir, prof := benchStore(b)
		b.StartTimer()
		res := startChild(b, childJob{Transport: "mysql", DBPort: sdb.Port, Database: sdb.Database, SnelStart: url, StoreDir: dir, Profile: prof})
		b.StopTimer()
		run := res.Runs[0]
		made := map[string]int{}
		for _, r := range []string{"verkooporders", "relaties", "artikelen"} {
			made[r] = s.Count(r)
		}
		calls, writes := s.Calls(), s.Writes()
		// The floor: every call at 50 ms, 4 at once. The look-ups
		// go beside the 4 writes (the client's places), so the floor of
		// the writes alone is the one a run can come near.
		floor := float64(calls) / 4 * 0.050
		b.Logf("first import: %d orders, %d customers, %d article codes; %d calls (simulator), %d of them writes; %.1f s, floor %.1f s (calls ÷ 4 × 50 ms), target %.1f s; writes' floor %.1f s (writes ÷ 4 × 50 ms); peak heap %.1f MiB, RSS %.0f MB; %v",
			2000, len(customers), len(codes), calls, writes, run.Seconds, floor, floor*firstImportMargin, float64(writes)/4*0.050, run.PeakHeapMiB, res.RSSMB, run.Counts)
		if run.Counts["created"] != 2000 {
			b.Fatalf("%v for 2,000 orders", run.Counts)
		}
		b.ReportMetric(run.Seconds, "s/run")
		b.ReportMetric(floor, "s-floor")
		b.ReportMetric(float64(calls)/2000, "calls/order")
		b.ReportMetric(run.PeakHeapMiB, "MiB-peak-heap")
		b.ReportMetric(res.RSSMB, "MB-peak-RSS")
		if run.Seconds > floor*firstImportMargin {
			b.Errorf("first import took %.1f s, over the target of %.1f s (floor %.1f s: %d calls ÷ 4 × 50 ms)", run.Seconds, floor*firstImportMargin, floor, calls)
		}
		b.StartTimer()
	}
}

// BenchmarkWatermark50k: a shop with 50,000 orders S-Connect imported
// before (the ledger has them confirmed) and 5 that get a sale status now;
// SnelStart knows their customers and articles and answers at once. The
// import's process makes a full pass (the peak heap of reading 50,000
// orders), then the shop sells the 5, then a run such as the schedule
// makes every 5 minutes: it must read only those — over the direct MySQL
// transport and over the bridge on loopback. OpenCart 3.0 (the status
// with a new date_modified), and 4.1 under "4.1/" (the status through the
// order history, date_modified as it was).
func BenchmarkWatermark50k(b *testing.B) {
	watermark50k(b, "3.0")
	b.Run("4.1", func(b *testing.B) { watermark50k(b, "4.1") })
}

func watermark50k(b *testing.B, version string) {
	const imported = 50000
	h := fixturetest.NewHostedShop(b, fixture.Config{Version: version, Prefix: "oc_", Orders: imported + 5, Products: 300, Customers: 3000,
		GuestPercent: -1, Seed: 41, Base: time.Now().Add(-96 * time.Hour)}, "")
	status := h.Shop.SaleStatuses[0]
	orders := slices.Clone(h.Shop.Orders)
	slices.SortFunc(orders, func(a, b opencart.Order) int { return a.ID - b.ID })
	last := orders[len(orders)-5:]
	var held []int
	for _, o := range last {
		held = append(held, o.ID)
	}
	// Every order a sale, but the last 5: those are unfinished checkouts yet.
	if _, err := h.DB.Exec("UPDATE oc_order SET order_status_id = ? WHERE order_id < ?", status, held[0]); err != nil {
		b.Fatal(err)
	}
	// The returns as OpenCart dates them (NOW() when added: none ahead of
	// now; these an hour after their order), none of the 5: their credits
	// would be made in the measured run.
	stamp := time.Now().In(h.Shop.Zone).Format("2006-01-02 15:04:05")
	if _, err := h.DB.Exec(`UPDATE oc_return r JOIN oc_order o ON o.order_id = r.order_id
		SET r.date_added = o.date_added + INTERVAL 1 HOUR, r.date_modified = o.date_added + INTERVAL 1 HOUR WHERE r.date_modified > ?`, stamp); err != nil {
		b.Fatal(err)
	}
	if _, err := h.DB.Exec("DELETE FROM oc_return WHERE order_id >= ?", held[0]); err != nil {
		b.Fatal(err)
	}
	inst := hostedBridge(b, h)
	// mysql-refunds: with refunds as credit orders on (the fixture's
	// returns, none of the 5).
	for _, transport := range []string{"mysql", "bridge", "mysql-refunds"} {
		b.Run(transport, func(b *testing.B) {
			for b.Loop() {
				b.StopTimer()
				if _, err := h.DB.Exec("UPDATE oc_order SET order_status_id = 0 WHERE order_id >= ?", held[0]); err != nil {
					b.Fatal(err)
				}
				s, url := benchSim(b)
				knowEverything(s, h.Shop, last)
				dir, prof := benchStore(b)
				importedBefore(b, dir, prof, orders[:imported])
				if strings.HasSuffix(transport, "-refunds") {
					creditedBefore(b, dir, prof, h.Shop.Returns, held[0])
				}
				job := childJob{Transport: strings.TrimSuffix(transport, "-refunds"), Refunds: strings.HasSuffix(transport, "-refunds"), DBPort: h.DBPort, Database: h.Database, SnelStart: url, StoreDir: dir, Profile: prof,
					Watermark: true, Release: held, Status: status, History: version == "4.1", BridgeURL: h.URL, Path: inst.Path(), Secret: inst.Secret}
				simCalls := s.Calls()
				b.StartTimer()
				res := startChild(b, job)
				b.StopTimer()
				full, next := res.Runs[0], res.Runs[1]
				besides := next.Calls - int64(next.Counts["created"])
				b.Logf("OpenCart %s %s: full pass of %d orders %.2f s (%d shop reads, %d calls), peak heap %.1f MiB, RSS %.0f MB; "+
					"watermark run %.3f s (target %.0f s), %d shop reads (target %d), %d SnelStart calls besides %d creates (target %d); %s %v",
					version, transport, full.Counts["skipped"]+full.Counts["changed"], full.Seconds, full.Queries, full.Calls, full.PeakHeapMiB, res.RSSMB,
					next.Seconds, watermarkSeconds, next.Queries, watermarkQueries, besides, next.Counts["created"], watermarkCalls, next.Mode, next.Counts)
				// "changed": booked, and changed in the shop since (reported, not booked again).
				if full.Mode != "full" || full.Counts["skipped"]+full.Counts["changed"] != imported {
					b.Fatalf("full pass: %s %v", full.Mode, full.Counts)
				}
				// The calls the child's client counted are the ones the simulator answered.
				if got := s.Calls() - simCalls; got != full.Calls+next.Calls {
					b.Fatalf("the simulator answered %d calls, the client counted %d", got, full.Calls+next.Calls)
				}
				if next.Mode != "incremental" || next.Counts["created"] != 5 || s.Count("verkooporders") != 5 {
					b.Fatalf("watermark run: %s %v, %d verkooporders", next.Mode, next.Counts, s.Count("verkooporders"))
				}
				b.ReportMetric(next.Seconds, "s-watermark-run")
				b.ReportMetric(float64(next.Queries), "shop-reads")
				b.ReportMetric(float64(besides), "calls-besides-creates")
				b.ReportMetric(full.Seconds, "s-full-pass")
				b.ReportMetric(full.PeakHeapMiB, "MiB-peak-heap-full")
				b.ReportMetric(res.RSSMB, "MB-peak-RSS")
				if next.Seconds > watermarkSeconds || next.Queries > watermarkQueries || besides > watermarkCalls {
					b.Errorf("watermark run over its targets: %.3f s (≤ %.0f), %d shop reads (≤ %d), %d calls besides the creates (≤ %d)",
						next.Seconds, watermarkSeconds, next.Queries, watermarkQueries, besides, watermarkCalls)
				}
				b.StartTimer()
			}
		})
	}
}

// hostedBridge installs the bridge into the hosted shop, over FTP.
func hostedBridge(b *testing.B, h *fixturetest.Hosted) bridge.Installation {
	ctx := context.Background()
	fsys, err := remotefs.Dial(ctx, remotefs.Config{Protocol: remotefs.FTPSExplicit, Host: "127.0.0.1", Port: h.FTP.Explicit,
		User: h.FTP.User, Password: h.FTP.Password, CertFingerprint: remotefs.CertFingerprint(h.FTP.Cert)})
	if err != nil {
		b.Fatal(err)
	}
	defer fsys.Close()
	inst, client, _, err := bridge.Setup(ctx, fsys, h.Dir, bridge.Config{ShopURL: h.URL, AllowHTTP: true})
	if err != nil {
		b.Fatal(err)
	}
	client.Close()
	return inst
}

// knowEverything gives SnelStart the customers of these orders and every
// product as an article.
func knowEverything(s *sim.Server, shop *fixture.Shop, orders []opencart.Order) {
	for i, o := range orders {
		s.Insert("relaties", map[string]any{"relatiesoort": []string{"Klant"}, "relatiecode": 5000 + i, "naam": o.FirstName, "email": o.Email})
	}
	groups := map[string]map[string]any{}
	for _, g := range s.All("artikelomzetgroepen") {
		groups[g["verkoopNederlandBtwSoort"].(string)] = sim.Ref(g)
	}
	soorten := map[string]string{"21": "Hoog", "9": "Laag", "0": "Geen"}
	for _, p := range shop.Products {
		s.Insert("artikelen", map[string]any{"artikelcode": p.Model, "omschrijving": p.Name, "artikelOmzetgroep": groups[soorten[shop.Rates[p.ID].String()]],
			"verkoopprijs": p.Price.StringFixed(2), "voorraadControle": true, "vrijeVoorraad": 100, "technischeVoorraad": 100})
	}
}

// creditedBefore writes the credits of the refunded returns of orders
// below upTo as confirmed: credited by earlier runs.
func creditedBefore(b *testing.B, dir string, prof uint, returns []opencart.Return, upTo int) {
	db, err := gorm.Open(sqlite.Open("file:"+filepath.Join(dir, "settings.db")+"?_busy_timeout=5000&_journal_mode=WAL"),
		&gorm.Config{Logger: logger.Default.LogMode(logger.Silent)})
	if err != nil {
		b.Fatal(err)
	}
	sqlDB, _ := db.DB()
	defer sqlDB.Close()
	booked := time.Now().Add(-time.Hour)
	var entries []config.CreditEntry
	for _, r := range returns {
		if r.OrderID < upTo {
			entries = append(entries, config.CreditEntry{ProfileID: prof, Reference: orderimport.CreditReference(fmt.Sprint(r.OrderID), r.ID),
				OrderID: r.OrderID, ReturnID: r.ID, State: config.LedgerConfirmed, Attempts: 1, UpdatedAt: booked, BookedAt: &booked})
		}
	}
	if err := db.CreateInBatches(entries, 500).Error; err != nil {
		b.Fatal(err)
	}
}

// importedBefore writes the ledger of orders booked by earlier runs (as
// confirmed entries, in one transaction per 500: the setup, not measured).
func importedBefore(b *testing.B, dir string, prof uint, orders []opencart.Order) {
	db, err := gorm.Open(sqlite.Open("file:"+filepath.Join(dir, "settings.db")+"?_busy_timeout=5000&_journal_mode=WAL"),
		&gorm.Config{Logger: logger.Default.LogMode(logger.Silent)})
	if err != nil {
		b.Fatal(err)
	}
	sqlDB, _ := db.DB()
	defer sqlDB.Close()
	booked := time.Now().Add(-time.Hour)
	entries := make([]config.LedgerEntry, len(orders))
	for i, o := range orders {
		entries[i] = config.LedgerEntry{ProfileID: prof, OrderID: o.ID, State: config.LedgerConfirmed, Reference: fmt.Sprint(o.ID),
			Attempts: 1, Customer: o.FirstName, VerkooporderID: fmt.Sprintf("00000000-0000-0000-0000-%012d", o.ID), Nummer: o.ID,
			Total: o.Total.StringFixed(2), ShopModified: o.Modified, ShopAdded: o.Added, UpdatedAt: booked, BookedAt: &booked}
	}
	if err := db.CreateInBatches(entries, 500).Error; err != nil {
		b.Fatal(err)
	}
}
