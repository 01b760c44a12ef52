package app

import (
	"database/sql"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/s-connect/s-connect/backend/license"
	"github.com/s-connect/s-connect/backend/stockexport"
	"github.com/s-connect/s-connect/backend/testsvc"
)

func stockRows(v *StockView) string {
	var out []string
	for _, r := range v.Rows {
		out = append(out, fmt.Sprintf("%d/%d %s:%d→%d %s %s", r.ProductID, r.OptionValueID, r.Code, r.Old, r.New, r.Skip, r.SnelStart))
	}
	return strings.Join(out, "; ")
}

// The combined task on a shop whose articles are new in SnelStart: the
// import creates them (SnelStart starts them at 0) and the export leaves
// their products alone and says so — the preview promised exactly that.
// Once SnelStart is given an article's stock, preview and run write it.
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
	db, err := sql.Open("mysql", testsvc.StartMariaDB(t).DSN(settings["shop.db.name"]))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	shopStock := func() string {
		var out []string
		rows, err := db.Query("SELECT model, quantity FROM oc_product ORDER BY product_id")
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		for rows.Next() {
			var m string
			var q int
			rows.Scan(&m, &q)
			out = append(out, fmt.Sprintf("%s=%d", m, q))
		}
		return strings.Join(out, " ")
	}
	before := shopStock()

	preview, err := s.Tasks.PreviewStock(id)
	if err != nil {
		t.Fatal(err)
	}
	res, err := s.Tasks.RunNow(id, "ordersStock")
	if err != nil {
		t.Fatal(err)
	}
	if res.Counts["created"] == 0 || res.Counts["held"]+res.Counts["failed"] != 0 || res.Stock == nil || res.Stock.Written != 0 || res.Counts["stock_not_set"] == 0 {
		t.Fatalf("counts %v stock %+v", res.Counts, res.Stock)
	}
	if after := shopStock(); after != before {
		t.Fatalf("the first run changed the shop's stock:\n%s\n%s", before, after)
	}
	for _, r := range res.Stock.Rows {
		if r.Skip != stockexport.SkipNotSet && r.Skip != stockexport.SkipUnknown {
			t.Fatalf("row %+v", r)
		}
	}
	if p, r := stockRows(preview), stockRows(res.Stock); p != r {
		t.Fatalf("preview and run differ:\n%s\n%s", p, r)
	}
	kept, err := s.Tasks.StockResult(id, res.Run.ID)
	if err != nil || kept == nil || stockRows(kept) != stockRows(res.Stock) || kept.RunID != res.Run.ID {
		t.Fatalf("history: %+v %v", kept, err)
	}
	again, err := s.Tasks.RunNow(id, "ordersStock")
	if err != nil || again.Counts["created"] != 0 || again.Stock.Written != 0 {
		t.Fatalf("second run: %v %v", again.Counts, err)
	}

	// SnelStart is given one article's stock: preview and run agree on it.
	var counted stockexport.Row
	for _, r := range res.Stock.Rows {
		if r.Skip == stockexport.SkipNotSet {
			counted = r
			break
		}
	}
	sm.SetStock(counted.Code, counted.Old+4, counted.Old+4, false)
	preview, err = s.Tasks.PreviewStock(id)
	if err != nil {
		t.Fatal(err)
	}
	third, err := s.Tasks.RunNow(id, "ordersStock")
	if err != nil || third.Stock.Written != 1 || stockRows(preview) != stockRows(third.Stock) {
		t.Fatalf("third run: %+v %v\npreview %s\n    run %s", third.Counts, err, stockRows(preview), stockRows(third.Stock))
	}
	if !strings.Contains(shopStock(), fmt.Sprintf("%s=%d", counted.Code, counted.Old+4)) {
		t.Fatalf("%s not written: %s", counted.Code, shopStock())
	}

	// All of them counted, then all back to 0 in SnelStart: the guard stops
	// that run (Mislukt, with why, and where to look); allowed once, it runs.
	var all []stockexport.Row
	for _, r := range res.Stock.Rows {
		if r.Skip == stockexport.SkipNotSet {
			all = append(all, r)
			sm.SetStock(r.Code, r.Old+4, r.Old+4, true)
		}
	}
	if counted, err := s.Tasks.RunNow(id, "ordersStock"); err != nil || counted.Stock.Written < len(all)-1 {
		t.Fatalf("counted: %+v %v", counted.Stock, err)
	}
	for _, r := range all {
		sm.SetStock(r.Code, 0, 0, true)
	}
	blocked, err := s.Tasks.RunNow(id, "ordersStock")
	if err != nil || !blocked.Stock.Blocked || blocked.Stock.Written != 0 || blocked.Run.State != "failed" ||
		!strings.Contains(blocked.Run.Message, "te veel producten op 0") || blocked.Run.Fix != "execution" {
		t.Fatalf("blocked run: %+v %+v %v", blocked.Run, blocked.Stock.Guard, err)
	}
	if err := s.Tasks.ConfirmStock(id); err != nil {
		t.Fatal(err)
	}
	allowed, err := s.Tasks.RunNow(id, "ordersStock")
	if err != nil || allowed.Stock.Blocked || !allowed.Stock.Guard.Confirmed || allowed.Stock.Written != len(all) || allowed.Run.State != "ok" {
		t.Fatalf("allowed run: %+v %+v %v", allowed.Run, allowed.Stock.Guard, err)
	}
}
