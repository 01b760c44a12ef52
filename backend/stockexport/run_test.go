package stockexport_test

import (
	"context"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/s-connect/s-connect/backend/config"
	"github.com/s-connect/s-connect/backend/opencart"
	"github.com/s-connect/s-connect/backend/opencart/fixture"
	"github.com/s-connect/s-connect/backend/opencart/mysql"
	"github.com/s-connect/s-connect/backend/snelstart"
	"github.com/s-connect/s-connect/backend/snelstart/sim"
	"github.com/s-connect/s-connect/backend/stockexport"
	"github.com/s-connect/s-connect/backend/testsvc"
)

func TestMain(m *testing.M) { testsvc.Main(m) }

// SnelStart's stock reaches the shop, less what open orders not yet in
// SnelStart took; a second run writes nothing.
func TestStockReachesTheShop(t *testing.T) {
	for _, version := range []string{"3.0", "4.1"} {
		t.Run(version, func(t *testing.T) {
			sdb := fixture.NewShopDB(t, fixture.Config{Version: version, Prefix: "oc_", Orders: 40, Products: 30, Customers: 10, Seed: 4})
			ctx := context.Background()
			tr, err := mysql.Open(ctx, mysql.Config{Host: "127.0.0.1", Port: sdb.Port, Database: sdb.Database, User: "root", Prefix: "oc_"})
			if err != nil {
				t.Fatal(err)
			}
			defer tr.Close()
			shop, err := opencart.NewShop(ctx, tr, opencart.Options{})
			if err != nil {
				t.Fatal(err)
			}
			s := sim.New(sim.Options{ClientKeys: map[string][]string{"k": nil}, SubscriptionKeys: []string{"s"}})
			s.SeedDefault()
			group := sim.Ref(s.All("artikelomzetgroepen")[0])
			stock := map[string]int{}
			for i, p := range sdb.Shop.Products {
				if i%10 == 9 {
					continue // a product SnelStart does not have
				}
				stock[p.Model] = 5 + i*3
				s.Insert("artikelen", map[string]any{"artikelcode": p.Model, "omschrijving": p.Name, "artikelOmzetgroep": group,
					"isNonActief": false, "voorraadControle": true, "vrijeVoorraad": stock[p.Model], "technischeVoorraad": stock[p.Model] + 2})
			}
			srv := httptest.NewServer(s)
			defer srv.Close()
			client, _ := snelstart.NewClient(snelstart.Options{APIBaseURL: srv.URL + "/v2/", AuthBaseURL: srv.URL + "/", ClientKey: "k", SubscriptionKey: "s"})
			store, _ := config.Open(t.TempDir())
			defer store.Close()
			p, _ := store.CreateProfile("Winkel")

			// Every open order is unknown to SnelStart (the ledger is empty): they reserve.
			reserved := map[int]int{}
			open := map[int]bool{}
			for _, st := range append(shop.Processing, shop.Complete...) {
				open[st] = true
			}
			for _, o := range sdb.Shop.Orders {
				if open[o.StatusID] {
					for _, l := range o.Lines {
						reserved[l.ProductID] += l.Quantity
						if l.MasterID > 0 {
							reserved[l.MasterID] += l.Quantity
						}
					}
				}
			}
			job := stockexport.Job{ProfileID: p.ID, Shop: shop, Client: client, Ledger: store,
				Settings: stockexport.Settings{CodeField: "model", Buffer: 1, ReserveOpenOrders: true}, Since: time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)}
			preview := job
			preview.Preview = true
			if rep, err := stockexport.Run(ctx, preview); err != nil || rep.Counts["changed"] == 0 || rep.Written.Changed != 0 {
				t.Fatalf("preview: %+v %v", rep.Counts, err)
			}
			rep, err := stockexport.Run(ctx, job)
			if err != nil {
				t.Fatal(err)
			}
			if rep.Counts["unknown"] == 0 || rep.Written.Changed != rep.Counts["changed"] {
				t.Fatalf("counts %v written %+v", rep.Counts, rep.Written)
			}
			products, _, _ := shop.Products(ctx, 0, 1000)
			for _, pr := range products {
				want, known := stock[pr.Model]
				orig := pr.Quantity
				for _, fp := range sdb.Shop.Products {
					if fp.ID == pr.ID {
						orig = fp.Quantity
					}
				}
				switch {
				case !known && pr.Quantity != orig:
					t.Fatalf("product %s unknown to SnelStart was changed: %d → %d", pr.Model, orig, pr.Quantity)
				case known:
					want = max(0, want-1-reserved[pr.ID])
					if pr.Quantity != want {
						t.Fatalf("product %s: %d, want %d (SnelStart %d, reserved %d)", pr.Model, pr.Quantity, want, stock[pr.Model], reserved[pr.ID])
					}
				}
			}
			again, err := stockexport.Run(ctx, job)
			if err != nil || again.Counts["changed"] != 0 || again.Written.Changed != 0 {
				t.Fatalf("second run: %v %+v %v", again.Counts, again.Written, err)
			}
		})
	}
}
