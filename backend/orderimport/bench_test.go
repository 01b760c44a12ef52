package orderimport_test

import (
	"context"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/s-connect/s-connect/backend/opencart/fixture"
	"github.com/s-connect/s-connect/backend/opencart/fixture/fixturetest"
	"github.com/s-connect/s-connect/backend/opencart/mysql"
	"github.com/s-connect/s-connect/backend/orderimport"
	"github.com/s-connect/s-connect/backend/snelstart"
	"github.com/s-connect/s-connect/backend/snelstart/sim"
)

// benchRate is the client's limit of calls a second in the benchmarks: its
// default (0), unless SCONNECT_BENCH_RATE asks for another, to see what the
// import does where the limit does not bind. Figures for BENCHMARKS.md are
// taken at the default.
func benchRate() float64 {
	r, _ := strconv.ParseFloat(os.Getenv("SCONNECT_BENCH_RATE"), 64)
	return r
}

// The targets of BenchmarkImport1000 (issue 17).
const (
	import1000Seconds = 13.5
	import1000Calls   = 1.2
)

// BenchmarkImport1000: 1,000 new orders (3 lines on average) of 300
// customers, 10 % of them new to SnelStart, 200 articles that SnelStart
// has; 50 ms latency on every SnelStart call; the client's defaults. The
// import runs in a process of its own, as the other import benchmarks do:
// the simulator, which stands for a server elsewhere, does not share its
// processors' places (Go's P's) and garbage collector with S-Connect. The
// preview (no target) runs in this process.
func BenchmarkImport1000(b *testing.B) {
	b.Run("import", func(b *testing.B) {
		for b.Loop() {
			b.StopTimer()
			w, sdb := benchWorld(b)
			dir, prof := benchStore(b)
			calls, writes := w.sim.Calls(), w.sim.Writes()
			b.StartTimer()
			res := startChild(b, childJob{Transport: "mysql", DBPort: sdb.Port, Database: sdb.Database,
				SnelStart: strings.TrimSuffix(w.authURL, "/"), StoreDir: dir, Profile: prof})
			b.StopTimer()
			run := res.Runs[0]
			orders := len(w.shopOrders())
			if run.Counts["created"] != orders {
				b.Fatalf("%v for %d orders", run.Counts, orders)
			}
			if answered := w.sim.Calls() - calls; answered != run.Calls {
				b.Fatalf("the client counted %d calls, the simulator answered %d", run.Calls, answered)
			}
			perOrder := float64(run.Calls) / float64(orders)
			b.ReportMetric(perOrder, "calls/order")
			b.ReportMetric(run.Seconds, "s/run")
			b.ReportMetric(run.PeakHeapMiB, "MiB-peak-heap")
			b.ReportMetric(res.RSSMB, "MB-peak-RSS")
			b.ReportMetric(float64(orders), "orders")
			// The floors: the issue's, every order's create at 50 ms, 4 at
			// once; this run's, every write (the orders' and the new
			// customers' creates) at 50 ms, 4 at once, the look-ups going
			// beside them; and every call 4 at once, had the look-ups shared
			// the writes' places.
			made := w.sim.Writes() - writes
			b.Logf("import: %d orders, %.3f calls per order (target ≤ %.1f), %.2f s (target ≤ %.1f s); floors: %.2f s (the orders' creates ÷ 4 × 50 ms), %.2f s (all %d writes ÷ 4 × 50 ms), %.2f s (all %d calls ÷ 4 × 50 ms); %.1f s if the client were held to 60 calls a second, as after a 429; peak heap %.1f MiB, RSS %.0f MB",
				orders, perOrder, import1000Calls, run.Seconds, import1000Seconds,
				float64(orders)/4*0.050, float64(made)/4*0.050, made, float64(run.Calls)/4*0.050, run.Calls, float64(run.Calls)/60, run.PeakHeapMiB, res.RSSMB)
			if perOrder > import1000Calls || run.Seconds > import1000Seconds {
				b.Errorf("over the target: %.3f calls per order (≤ %.1f), %.2f s (≤ %.1f s)", perOrder, import1000Calls, run.Seconds, import1000Seconds)
			}
			b.StartTimer()
		}
	})
	b.Run("preview", func(b *testing.B) {
		for b.Loop() {
			b.StopTimer()
			w, _ := benchWorld(b)
			b.StartTimer()
			start := time.Now()
			rep, err := orderimport.Run(context.Background(), orderimport.Job{ProfileID: w.prof, Shop: w.shop, Client: w.client,
				Ledger: w.store, Settings: w.settings(), Preview: true})
			elapsed := time.Since(start)
			b.StopTimer()
			if err != nil {
				b.Fatal(err)
			}
			orders := len(w.shopOrders())
			if rep.Counts["planned"] != orders {
				b.Fatalf("%v for %d orders", rep.Counts, orders)
			}
			b.ReportMetric(float64(rep.Calls)/float64(orders), "calls/order")
			b.ReportMetric(elapsed.Seconds(), "s/run")
			b.ReportMetric(float64(orders), "orders")
			b.StartTimer()
		}
	})
}

func benchWorld(b *testing.B) (*world, *fixturetest.ShopDB) {
	// About 1,000 orders in a sale status (the fixture leaves some at 0,
	// some cancelled).
	sdb := fixturetest.NewShopDB(b, fixture.Config{Version: "3.0", Prefix: "oc_", Orders: 1310, Products: 200, Customers: 300, GuestPercent: -1, Seed: 21})
	tr, err := mysql.Open(context.Background(), mysql.Config{Host: "127.0.0.1", Port: sdb.Port, Database: sdb.Database, User: "root", Prefix: "oc_"})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { tr.Close() })
	m := newWorldOn(b, tr, sdb.DB, sdb.Shop)
	// SnelStart knows 90 % of the customers and every article.
	emails := map[string]bool{}
	for _, o := range m.fix.Orders {
		emails[strings.ToLower(o.Email)] = true
	}
	i := 0
	for e := range emails {
		if i%10 != 0 {
			m.sim.Insert("relaties", map[string]any{"relatiesoort": []string{"Klant"}, "relatiecode": 5000 + i, "naam": e, "email": e})
		}
		i++
	}
	groups := map[string]map[string]any{}
	for _, g := range m.sim.All("artikelomzetgroepen") {
		groups[g["verkoopNederlandBtwSoort"].(string)] = sim.Ref(g)
	}
	soorten := map[string]string{"21": "Hoog", "9": "Laag", "0": "Geen"}
	for _, p := range m.fix.Products {
		soort := soorten[m.fix.Rates[p.ID].String()]
		m.sim.Insert("artikelen", map[string]any{"artikelcode": p.Model, "omschrijving": p.Name, "artikelOmzetgroep": groups[soort],
			"verkoopprijs": p.Price.StringFixed(2), "voorraadControle": true, "vrijeVoorraad": 100, "technischeVoorraad": 100})
	}
	m.sim.SetFaults(sim.Faults{Latency: 50 * time.Millisecond})
	// The client with its defaults (limiter, concurrency), as a user has it.
	c, err := snelstart.NewClient(snelstart.Options{APIBaseURL: m.apiURL, AuthBaseURL: m.authURL, ClientKey: "k", SubscriptionKey: "s",
		RequestsPerSecond: benchRate()})
	if err != nil {
		b.Fatal(err)
	}
	m.client = c
	return m, sdb
}
