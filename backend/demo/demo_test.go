package demo

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"testing"
	"time"

	"github.com/s-connect/s-connect/backend/opencart"
	"github.com/s-connect/s-connect/backend/opencart/sqlite"
	"github.com/s-connect/s-connect/backend/snelstart"
)

func client(t *testing.T, folder string) *snelstart.Client {
	t.Helper()
	url, err := SnelStartURL(folder)
	if err != nil {
		t.Fatal(err)
	}
	c, err := snelstart.NewClient(snelstart.Options{APIBaseURL: url + "v2/", AuthBaseURL: url, ClientKey: ClientKey, SubscriptionKey: SubscriptionKey})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func openShop(t *testing.T, folder string) *opencart.Shop {
	t.Helper()
	tr, err := sqlite.Open(context.Background(), ShopPath(folder), Prefix)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { tr.Close() })
	shop, err := opencart.NewShop(context.Background(), tr, opencart.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return shop
}

// The administration is a small Dutch one: the three VAT groups, a Webshop
// sjabloon, the fee articles, 50 relaties, 200 artikelen with stock whose
// codes are the shop's models, two recipes.
func TestSeededAdministration(t *testing.T) {
	folder := t.TempDir()
	if err := Ensure(context.Background(), folder); err != nil {
		t.Fatal(err)
	}
	a := &admin{path: AdminPath(folder)}
	if err := a.reload(); err != nil {
		t.Fatal(err)
	}
	s := a.srv
	groups := map[string]bool{}
	for _, g := range s.All("artikelomzetgroepen") {
		groups[fmt.Sprint(g["verkoopNederlandBtwSoort"])] = true
	}
	if len(groups) != 3 || !groups["Hoog"] || !groups["Laag"] || !groups["Geen"] {
		t.Fatalf("omzetgroepen: %v", groups)
	}
	webshop := false
	for _, j := range s.All("verkoopordersjablonen") {
		webshop = webshop || j["omschrijving"] == "Webshop"
	}
	if n := s.Count("relaties"); !webshop || n != Relaties {
		t.Fatalf("Webshop sjabloon %v, %d relaties", webshop, n)
	}
	codes, stocked, recipes := map[string]bool{}, 0, 0
	for _, x := range s.All("artikelen") {
		codes[fmt.Sprint(x["artikelcode"])] = true
		if x["voorraadControle"] == true {
			stocked++
		}
		if x["isHoofdartikel"] == true && len(x["subartikelen"].([]any)) > 0 {
			recipes++
		}
	}
	for _, fee := range []string{"VERZEND", "BETAALKOSTEN", "KORTING", "VERSCHIL"} {
		if !codes[fee] {
			t.Fatalf("no fee article %s", fee)
		}
	}
	if stocked != Articles || recipes != 2 {
		t.Fatalf("%d artikelen with stock, %d recipes", stocked, recipes)
	}
	products, _, err := openShop(t, folder).Products(context.Background(), 0, 1000)
	if err != nil {
		t.Fatal(err)
	}
	found := 0
	for _, p := range products {
		if codes[p.Model] {
			found++
		}
	}
	if found < Articles-10 {
		t.Fatalf("only %d of the shop's %d products are artikelen", found, len(products))
	}
}

// What the demo booked is still there after a restart (another process
// reads the saved file); a second Ensure keeps shop and administration.
func TestKeptBetweenStarts(t *testing.T) {
	folder := t.TempDir()
	ctx := context.Background()
	if err := Ensure(ctx, folder); err != nil {
		t.Fatal(err)
	}
	c := client(t, folder)
	var created snelstart.Relatie
	if err := c.Do(ctx, http.MethodPost, "relaties", nil, snelstart.Relatie{Naam: "Nieuwe Klant B.V.", Email: "nieuw@voorbeeld.nl",
		Relatiesoort: []string{"Klant"}}, &created); err != nil || created.ID == "" {
		t.Fatal(created, err)
	}
	order, err := AddOrder(ctx, folder, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	before, _ := os.Stat(ShopPath(folder))
	if err := Ensure(ctx, folder); err != nil {
		t.Fatal(err)
	}
	after, _ := os.Stat(ShopPath(folder))
	if !before.ModTime().Equal(after.ModTime()) {
		t.Fatal("a second Ensure made the shop anew")
	}
	// A new process: nothing in memory, the files as they are.
	fresh := &admin{path: AdminPath(folder)}
	if err := fresh.reload(); err != nil {
		t.Fatal(err)
	}
	if _, ok := findByID(fresh.srv.All("relaties"), created.ID); !ok {
		t.Fatal("the relatie made before the restart is gone")
	}
	page, _, err := openShop(t, folder).Orders(ctx, opencart.OrderQuery{AfterID: order.ID - 1, Limit: 10})
	if err != nil || len(page) != 1 || page[0].ID != order.ID {
		t.Fatalf("the new order after a restart: %v %v", page, err)
	}
	// Reset goes back to a shop without it and an administration without the relatie.
	if err := Reset(ctx, folder); err != nil {
		t.Fatal(err)
	}
	var got map[string]any
	if err := c.Do(ctx, http.MethodGet, "relaties/"+created.ID, nil, nil, &got); err == nil {
		t.Fatal("Reset kept the relatie")
	}
}

func findByID(list []map[string]any, id string) (map[string]any, bool) {
	for _, x := range list {
		if fmt.Sprint(x["id"]) == id {
			return x, true
		}
	}
	return nil, false
}

// A demo order comes in as OpenCart's checkout makes one: the next id, now,
// a sale status, and the stock of what was bought lowered.
func TestAddOrder(t *testing.T) {
	folder := t.TempDir()
	ctx := context.Background()
	if err := Ensure(ctx, folder); err != nil {
		t.Fatal(err)
	}
	shop := openShop(t, folder)
	before, _, _ := shop.Orders(ctx, opencart.OrderQuery{Statuses: []int{0, 1, 2, 3, 5, 7, 12, 15}, Limit: 1000})
	stock := map[int]int{}
	products, _, _ := shop.Products(ctx, 0, 1000)
	for _, p := range products {
		stock[p.ID] = p.Quantity
	}
	at := time.Now().Truncate(time.Second)
	o, err := AddOrder(ctx, folder, at)
	if err != nil {
		t.Fatal(err)
	}
	if o.ID != before[len(before)-1].ID+1 && o.ID <= len(before) {
		t.Fatalf("new order id %d after %d orders", o.ID, len(before))
	}
	page, _, err := shop.Orders(ctx, opencart.OrderQuery{AddedSince: at.Add(-time.Second), Limit: 10})
	if err != nil || len(page) != 1 || page[0].ID != o.ID || len(page[0].Lines) == 0 {
		t.Fatalf("orders since the new one: %+v %v", page, err)
	}
	products, _, _ = shop.Products(ctx, 0, 1000)
	sold := map[int]int{}
	for _, l := range o.Lines {
		sold[l.ProductID] += l.Quantity
	}
	for _, p := range products {
		if p.Quantity != stock[p.ID]-sold[p.ID] {
			t.Fatalf("product %d: stock %d, want %d - %d", p.ID, p.Quantity, stock[p.ID], sold[p.ID])
		}
	}
}
