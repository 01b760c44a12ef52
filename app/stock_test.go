package app

import (
	"database/sql"
	"testing"
	"time"

	"github.com/s-connect/s-connect/backend/license"
	"github.com/s-connect/s-connect/backend/testsvc"
)

// The combined task: orders first, then SnelStart's stock to the shop.
func TestOrdersAndStockTask(t *testing.T) {
	s := newTestServices(t)
	priv := testKey(t)
	id, settings := shopProfile(t, s)
	simID, sm := simProfile(t, s, nil)
	if simID != id {
		t.Fatal("one profile expected")
	}
	if _, err := s.store.Save(id, map[string]string{"sales.template": "Webshop", "sales.shippingArticle": "VERZEND",
		"sales.discountArticle": "KORTING", "sales.discountArticleByVat": "9=KORTING-LAAG\n0=KORTING-GEEN",
		"sales.voucherArticle": "CADEAUBON", "sales.paymentFeeArticle": "BETAALKOSTEN", "sales.differenceArticle": "VERSCHIL",
		"articles.revenueGroup": "Omzet hoog", "articles.revenueGroupByVat": "9=Omzet laag\n0=Omzet vrijgesteld", "stock.buffer": "0",
		"shop.db.tls": "false"}, nil); err != nil {
		t.Fatal(err)
	}
	// The connection test finds the shop's own address, which the licence names.
	if rep, _ := s.Connections.TestOpenCart(id); !rep.OK {
		t.Fatalf("shop: %s", rep.Summary)
	}
	if _, err := s.License.Import(id, licenceFor(t, priv, "winkel.example.nl", time.Now().AddDate(1, 0, 0), license.ModuleOrders, license.ModuleVoorraad)); err != nil {
		t.Fatal(err)
	}
	res, err := s.Tasks.RunNow(id, "ordersStock")
	if err != nil {
		t.Fatal(err)
	}
	if res.Counts["created"] == 0 || res.Counts["held"]+res.Counts["failed"] != 0 || res.Counts["stock_changed"] == 0 {
		t.Fatalf("counts %v", res.Counts)
	}
	// The articles the import made start without stock in SnelStart and the
	// orders took more: those products now show 0 in the shop.
	inSnelStart := map[string]bool{}
	for _, a := range sm.All("artikelen") {
		inSnelStart[a["artikelcode"].(string)] = true
	}
	db, err := sql.Open("mysql", testsvc.StartMariaDB(t).DSN(settings["shop.db.name"]))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.Query("SELECT model, quantity FROM oc_product")
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	for rows.Next() {
		var model string
		var qty int
		rows.Scan(&model, &qty)
		if inSnelStart[model] {
			checked++
			if qty != 0 {
				t.Fatalf("product %s: stock %d, want 0 (SnelStart has none)", model, qty)
			}
		}
	}
	rows.Close()
	if checked == 0 {
		t.Fatal("no product was matched to SnelStart")
	}
	again, err := s.Tasks.RunNow(id, "ordersStock")
	if err != nil || again.Counts["created"] != 0 || again.Counts["stock_changed"] != 0 {
		t.Fatalf("second run: %v %v", again.Counts, err)
	}

	// Someone changed a stock in the shop: the preview shows it going back
	// to SnelStart's figure, and writes nothing.
	var model string
	for m := range inSnelStart {
		if db.QueryRow("SELECT model FROM oc_product WHERE model = ?", m).Scan(&model) == nil {
			break
		}
	}
	if _, err := db.Exec("UPDATE oc_product SET quantity = 7 WHERE model = ?", model); err != nil {
		t.Fatal(err)
	}
	preview, err := s.Tasks.PreviewStock(id)
	if err != nil {
		t.Fatal(err)
	}
	if preview.Counts["stock_changed"] != 1 || preview.Counts["stock_same"] == 0 {
		t.Fatalf("preview counts %v", preview.Counts)
	}
	first := preview.Rows[0]
	if first.Code != model || first.Old != 7 || first.New != 0 || first.Skip != "" {
		t.Fatalf("first preview row %+v, want %s 7 → 0", first, model)
	}
	for _, r := range preview.Rows[1:] {
		if r.Skip == "" {
			t.Fatalf("an unchanged or second changed row in the preview: %+v", r)
		}
	}
	var qty int
	if err := db.QueryRow("SELECT quantity FROM oc_product WHERE model = ?", model).Scan(&qty); err != nil || qty != 7 {
		t.Fatalf("the preview wrote stock: %d %v", qty, err)
	}
	third, err := s.Tasks.RunNow(id, "ordersStock")
	if err != nil || third.Counts["stock_changed"] != 1 {
		t.Fatalf("third run: %v %v", third.Counts, err)
	}
}
