package stockexport_test

import (
	"context"
	"fmt"
	"strconv"
	"testing"
	"time"

	"github.com/s-connect/s-connect/backend/opencart"
	"github.com/s-connect/s-connect/backend/orderimport"
	"github.com/s-connect/s-connect/backend/stockexport"
)

// open are the statuses in which OpenCart took the stock (the fixture's
// config_processing_status and config_complete_status).
var open = map[int]bool{1: true, 2: true, 3: true, 5: true, 12: true}

// reservedBy adds up the open orders per product, as OpenCart took them.
func (w *world) reserved() map[int]int {
	out := map[int]int{}
	for _, o := range w.fix.Orders {
		if open[o.StatusID] {
			for _, l := range o.Lines {
				out[l.ProductID] += l.Quantity
				if l.MasterID > 0 {
					out[l.MasterID] += l.Quantity
				}
			}
		}
	}
	return out
}

// seedAll gives every product but every tenth an article; it returns the
// free stock per product id.
func (w *world) seedAll() map[int]int {
	stock := map[int]int{}
	for i, p := range w.fix.Products {
		if i%10 == 9 {
			continue // a product SnelStart does not have
		}
		stock[p.ID] = 5 + i*3
		w.article(p.Model, stock[p.ID], stock[p.ID]+2)
	}
	return stock
}

// SnelStart's stock reaches the shop, less what open orders not yet in
// SnelStart took (a 4.x master holds its variants' total); a second run
// writes nothing.
func TestStockReachesTheShop(t *testing.T) {
	everyShop(t, func(t *testing.T, w *world) {
		stock := w.seedAll()
		reserved := w.reserved()
		before := w.stock()
		if rep := w.export(true); rep.Counts["changed"] == 0 || rep.Written != 0 || diff(before, w.stock()) != "" {
			t.Fatalf("preview: %v, wrote %d", rep.Counts, rep.Written)
		}
		rep := w.export(false)
		if rep.Mode != "full" || rep.Counts["unknown"] == 0 || rep.Written != rep.Counts["changed"] || rep.Guard.Tripped != "" {
			t.Fatalf("mode %s counts %v written %d guard %+v", rep.Mode, rep.Counts, rep.Written, rep.Guard)
		}
		want := map[int]int{}
		masters := map[int][]int{}
		for _, p := range w.fix.Products {
			want[p.ID] = p.Quantity
			if s, ok := stock[p.ID]; ok {
				want[p.ID] = max(0, s-reserved[p.ID])
			}
			if p.MasterID > 0 {
				masters[p.MasterID] = append(masters[p.MasterID], p.ID)
			}
		}
		for m, vs := range masters {
			total, exported := 0, false
			for _, v := range vs {
				total += max(want[v], 0)
				_, ok := stock[v]
				exported = exported || ok
			}
			if exported {
				want[m] = total
			}
		}
		after := w.stock()
		for id, q := range want {
			if after[strconv.Itoa(id)] != q {
				t.Fatalf("product %d holds %d, want %d (SnelStart %d, reserved %d)", id, after[strconv.Itoa(id)], q, stock[id], reserved[id])
			}
		}
		if again := w.export(false); again.Counts["changed"] != 0 || again.Written != 0 || diff(after, w.stock()) != "" {
			t.Fatalf("second run: %v wrote %d", again.Counts, again.Written)
		}
	})
}

// The first combined run on a shop whose articles are new in SnelStart: the
// import creates them (SnelStart starts them at 0) and books the orders;
// the export writes nothing for them — "voorraad nog niet ingesteld" —
// until SnelStart is given their stock.
func TestFirstCombinedRunLeavesNewArticlesAlone(t *testing.T) {
	everyShop(t, func(t *testing.T, w *world) {
		before := w.stock()
		imp, err := orderimport.Run(context.Background(), w.importJob(false))
		if err != nil || imp.Counts["created"] == 0 {
			t.Fatalf("import: %v %v", imp.Counts, err)
		}
		created, _ := w.store.CreatedArticles(w.profile)
		if len(created) == 0 {
			t.Fatal("the import remembered no created article")
		}
		rep := w.export(false)
		if rep.Written != 0 || rep.Guard.Tripped != "" || diff(before, w.stock()) != "" {
			t.Fatalf("the export wrote: %s (counts %v)", diff(before, w.stock()), rep.Counts)
		}
		notSet := 0
		for _, r := range rep.Rows {
			if r.Skip == stockexport.SkipNotSet {
				notSet++
				if _, ok := created[lower(r.Code)]; !ok {
					t.Fatalf("row %+v: not created by S-Connect", r)
				}
			}
		}
		if notSet == 0 || notSet != rep.Counts["not_set"] {
			t.Fatalf("not_set %d, counts %v", notSet, rep.Counts)
		}
		// Someone counts one of them in SnelStart: from then on it is
		// exported. (One of a product of its own: a 4.x master holds its
		// variants' total.)
		masters := map[string]bool{}
		for _, p := range w.fix.Products {
			if p.MasterID > 0 {
				for _, m := range w.fix.Products {
					if m.ID == p.MasterID {
						masters[lower(m.Model)] = true
					}
				}
			}
		}
		var code string
		for _, r := range rep.Rows {
			if r.Skip == stockexport.SkipNotSet && r.OptionValueID == 0 && !masters[lower(r.Code)] {
				code = lower(r.Code)
				break
			}
		}
		if !w.sim.SetStock(code, 7, 7, false) {
			t.Fatalf("no article %s", code)
		}
		rep = w.export(false)
		if rep.Written == 0 {
			t.Fatalf("the counted article was not exported: %v", rep.Counts)
		}
		for _, r := range rep.Rows {
			if lower(r.Code) == code && r.OptionValueID == 0 && (r.Skip != "" || r.SnelStart != "7") {
				t.Fatalf("row %+v", r)
			}
		}
		if c, _ := w.store.CreatedArticles(w.profile); c[code].ReleasedAt == nil {
			t.Fatal("not remembered as given")
		}
	})
}

// The guard: a run that would set more than 20 % of the shop's products to
// 0 writes nothing and says why; at 20 % it passes; once the user allows
// it, the next run passes, and only that one.
func TestGuardTripsAndAConfirmedRunPasses(t *testing.T) {
	everyShop(t, func(t *testing.T, w *world) {
		w.settings.ReserveOpenOrders = false
		variants := map[int]bool{}
		for _, p := range w.fix.Products {
			if p.MasterID > 0 {
				variants[p.MasterID], variants[p.ID] = true, true
			}
		}
		var plain []opencart.Product // products of their own, in stock
		for _, p := range w.fix.Products {
			w.article(p.Model, p.Quantity, p.Quantity)
			if !variants[p.ID] && p.Quantity > 0 {
				plain = append(plain, p)
			}
		}
		w.export(false) // a 4.x master takes its variants' total
		first := w.export(false)
		if first.Written != 0 || first.Guard.Managed == 0 {
			t.Fatalf("nothing should change: %v %+v", first.Counts, first.Guard)
		}
		at := first.Guard.Managed * 20 / 100 // the most that may go to 0 at once
		set := func(ps []opencart.Product, zero bool) {
			for _, p := range ps {
				if zero {
					w.sim.SetStock(p.Model, 0, 0, true)
				} else {
					w.sim.SetStock(p.Model, p.Quantity, p.Quantity, true)
				}
			}
		}
		set(plain[:at], true)
		rep := w.export(false)
		if rep.Guard.Tripped != "" || rep.Blocked || rep.Written != at || rep.Guard.Zeroed != at {
			t.Fatalf("at the threshold (%d of %d): %+v written %d", at, rep.Guard.Managed, rep.Guard, rep.Written)
		}
		set(plain[:at], false)
		if rep = w.export(false); rep.Written != at {
			t.Fatalf("restoring: %+v written %d", rep.Guard, rep.Written)
		}
		set(plain[:at+1], true)
		before := w.stock()
		preview := w.export(true)
		rep = w.export(false)
		if rep.Guard.Tripped != "zero" || !rep.Blocked || rep.Written != 0 || diff(before, w.stock()) != "" {
			t.Fatalf("over the threshold: %+v blocked %v written %d", rep.Guard, rep.Blocked, rep.Written)
		}
		if !preview.Blocked || preview.Guard != rep.Guard || preview.Counts["blocked"] != at+1 || rep.Counts["blocked"] != at+1 {
			t.Fatalf("the preview says otherwise: %+v %v", preview.Guard, preview.Counts)
		}
		if err := w.store.ConfirmStock(w.profile); err != nil {
			t.Fatal(err)
		}
		rep = w.export(false)
		if !rep.Guard.Confirmed || rep.Blocked || rep.Written != at+1 || w.stock()[strconv.Itoa(plain[at].ID)] != 0 {
			t.Fatalf("confirmed run: %+v written %d", rep.Guard, rep.Written)
		}
		// Allowed once: the next run that would do the same is stopped again.
		set(plain[:at+1], false)
		w.export(false)
		set(plain[:at+1], true)
		if rep = w.export(false); !rep.Blocked {
			t.Fatalf("the confirmation was used twice: %+v", rep.Guard)
		}
	})
}

func lower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 32
		}
	}
	return string(b)
}

// The preview of the combined task is the run: planned against SnelStart as
// it will be after the import (articles it creates, orders it books), its
// figures are those the run writes.
func TestPreviewIsTheRun(t *testing.T) {
	everyShop(t, func(t *testing.T, w *world) {
		// SnelStart has half the articles, with about the stock the shop
		// shows (open orders are in the shop's figure, not yet in SnelStart's);
		// the import creates the other half.
		reserved := w.reserved()
		for i, p := range w.fix.Products {
			if i%2 == 0 {
				s := p.Quantity + reserved[p.ID] + i%5 - 2
				w.article(p.Model, s, s)
			}
		}
		imp, err := orderimport.Run(context.Background(), w.importJob(true))
		if err != nil {
			t.Fatal(err)
		}
		j := w.job()
		j.Preview, j.Pending = true, stockexport.PendingFrom(imp.Results)
		preview, err := stockexport.Run(context.Background(), j)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := orderimport.Run(context.Background(), w.importJob(false)); err != nil {
			t.Fatal(err)
		}
		run := w.export(false)
		if preview.Counts["changed"] == 0 || preview.Counts["not_set"] == 0 {
			t.Fatalf("a preview that shows little: %v", preview.Counts)
		}
		p, r := rowsOf(preview), rowsOf(run)
		if p != r || preview.Guard != run.Guard {
			t.Fatalf("preview and run differ:\npreview %s\n    run %s\nguards %+v %+v", p, r, preview.Guard, run.Guard)
		}
		if run.Written != run.Counts["changed"] {
			t.Fatalf("run wrote %d of %v", run.Written, run.Counts)
		}
	})
}

func rowsOf(rep *stockexport.Report) string {
	out := ""
	for _, r := range rep.Rows {
		out += fmt.Sprintf("%d/%d:%d→%d %s %s %s %d|", r.ProductID, r.OptionValueID, r.Old, r.New, r.Skip, r.Follows, r.SnelStart, r.Reserved)
	}
	return out
}

// A customer buys between the export's read and its write: the sale is
// kept (the shop's row no longer holds what was read), and the product is
// read again with the new order and written as SnelStart less that order.
func TestConcurrentSaleIsNotOverwritten(t *testing.T) {
	everyShop(t, func(t *testing.T, w *world) {
		stock := w.seedAll()
		for _, p := range w.fix.Products {
			if p.MasterID > 0 {
				delete(stock, p.MasterID) // a master holds its variants' total
			}
		}
		// An order the shop had not counted yet (cancelled, or in a status
		// that does not take stock), for products SnelStart has, without
		// options; its customer pays during our run.
		var sale *opencart.Order
		for i, o := range w.fix.Orders {
			if o.StatusID == 0 || open[o.StatusID] || len(o.Lines) == 0 {
				continue
			}
			ok := true
			for _, l := range o.Lines {
				_, known := stock[l.ProductID]
				ok = ok && known && len(l.Options) == 0
			}
			if ok {
				sale = &w.fix.Orders[i]
				break
			}
		}
		if sale == nil {
			t.Fatal("the fixture has no order to revive")
		}
		plan := w.export(true)
		w.tr.before = func(string) {
			// What OpenCart does when the order reaches a processing status.
			if _, err := w.db.Exec("UPDATE oc_order SET order_status_id = 2 WHERE order_id = ?", sale.ID); err != nil {
				t.Error(err)
			}
			for _, l := range sale.Lines {
				for _, id := range []int{l.ProductID, l.MasterID} {
					if _, err := w.db.Exec("UPDATE oc_product SET quantity = (quantity - ?) WHERE product_id = ? AND subtract = '1'", l.Quantity, id); err != nil {
						t.Error(err)
					}
				}
			}
		}
		rep := w.export(false)
		if rep.Retried == 0 {
			t.Fatalf("no row was retried: %v", rep.Counts)
		}
		after := w.stock()
		sold := map[int]int{}
		for _, l := range sale.Lines {
			sold[l.ProductID] += l.Quantity
		}
		for _, r := range plan.Rows {
			if r.OptionValueID != 0 || sold[r.ProductID] == 0 || r.Skip != "" {
				continue
			}
			want := max(0, r.New-sold[r.ProductID])
			if got := after[strconv.Itoa(r.ProductID)]; got != want {
				t.Fatalf("product %d holds %d after the sale of %d; want %d (the plan before the sale said %d)", r.ProductID, got, sold[r.ProductID], want, r.New)
			}
		}
		if again := w.export(true); again.Counts["changed"] != 0 {
			t.Fatalf("the shop is not where the plan wants it: %v", again.Counts)
		}
	})
}

// Option values on SnelStart articles — by the mapping table, or by an
// option-SKU extension's column — get their stock, and the product their
// total; a 4.x master its variants' total.
func TestOptionValuesAndVariantsExported(t *testing.T) {
	everyShop(t, func(t *testing.T, w *world) {
		if _, err := w.db.Exec("ALTER TABLE oc_product_option_value ADD `sku` varchar(64) NOT NULL DEFAULT ''"); err != nil {
			t.Fatal(err)
		}
		w.reopen() // the shop's schema changed
		var withOptions []opencart.Product
		for _, p := range w.fix.Products {
			if len(p.Options) == 3 {
				withOptions = append(withOptions, p)
			}
		}
		if len(withOptions) < 2 {
			t.Fatalf("%d products with options", len(withOptions))
		}
		mapped, bySKU := withOptions[0], withOptions[1]
		w.settings.ReserveOpenOrders = false
		want := map[string]int{}
		for _, p := range w.fix.Products {
			if p.MasterID == 0 {
				w.article(p.Model, p.Quantity, p.Quantity) // SnelStart has what the shop has
				want[strconv.Itoa(p.ID)] = p.Quantity
			}
		}
		w.settings.OptionMap = map[int]string{mapped.Options[0].ID: "MAAT-S", mapped.Options[1].ID: "MAAT-M"}
		w.article("MAAT-S", 4, 4)
		w.article("MAAT-M", 6, 6)
		key := func(p opencart.Product, i int) string { return fmt.Sprintf("%d/%d", p.ID, p.Options[i].ID) }
		want[key(mapped, 0)], want[key(mapped, 1)], want[key(mapped, 2)] = 4, 6, mapped.Options[2].Quantity
		want[strconv.Itoa(mapped.ID)] = 4 + 6 + mapped.Options[2].Quantity
		total := 0
		for i, ov := range bySKU.Options {
			code := fmt.Sprintf("OPTIE-%d", ov.ID)
			if _, err := w.db.Exec("UPDATE oc_product_option_value SET sku = ? WHERE product_option_value_id = ?", code, ov.ID); err != nil {
				t.Fatal(err)
			}
			w.article(code, 2+i, 2+i)
			want[key(bySKU, i)] = 2 + i
			total += 2 + i
		}
		want[strconv.Itoa(bySKU.ID)] = total
		masters := 0
		for _, p := range w.fix.Products {
			if p.MasterID > 0 {
				if masters%2 == 0 {
					want[strconv.Itoa(p.MasterID)] = 0
				}
				w.article(p.Model, p.ID%7+1, p.ID%7+1)
				want[strconv.Itoa(p.ID)] = p.ID%7 + 1
				want[strconv.Itoa(p.MasterID)] += p.ID%7 + 1
				masters++
			}
		}
		if (w.version >= "4.0") != (masters > 0) {
			t.Fatalf("%d variants in a %s shop", masters, w.version)
		}
		rep := w.export(false)
		after := w.stock()
		for k, q := range want {
			if after[k] != q {
				t.Fatalf("%s holds %d, want %d", k, after[k], q)
			}
		}
		follows := 0
		for _, r := range rep.Rows {
			if r.Follows != "" {
				follows++
			}
			if r.OptionValueID == mapped.Options[0].ID && (r.Name != mapped.Name+" – Maat: S" || r.Code != "MAAT-S" || r.Outcome != "written") {
				t.Fatalf("option row %+v", r)
			}
		}
		if follows != 2+masters/2 {
			t.Fatalf("%d totals", follows)
		}
		if again := w.export(false); again.Written != 0 {
			t.Fatalf("second run wrote %d", again.Written)
		}
	})
}

// Between full passes only the articles SnelStart changed are read; a stock
// change that did not move modifiedOn waits for the next full pass (at
// least daily).
func TestIncrementalAndDailyFullPass(t *testing.T) {
	everyShop(t, func(t *testing.T, w *world) {
		w.settings.ReserveOpenOrders = false
		// 4.x: one master whose variants SnelStart lacks (it is its own), one
		// whose variants it has (it holds their total).
		variants := map[int][]opencart.Product{}
		for _, p := range w.fix.Products {
			if p.MasterID > 0 {
				variants[p.MasterID] = append(variants[p.MasterID], p)
			}
		}
		var alone, family int
		for m := range variants {
			if alone == 0 || m < alone {
				alone = m
			}
		}
		for m := range variants {
			if m != alone && (family == 0 || m < family) {
				family = m
			}
		}
		var own []opencart.Product
		for _, p := range w.fix.Products {
			if p.MasterID == alone && alone != 0 {
				continue
			}
			w.article(p.Model, p.Quantity, p.Quantity)
			if p.MasterID == 0 && len(p.Options) == 0 && len(variants[p.ID]) == 0 {
				own = append(own, p)
			}
		}
		if rep := w.export(false); rep.Mode != "full" {
			t.Fatalf("first pass: %s", rep.Mode)
		}
		want := 3
		for _, p := range own[:3] {
			w.sim.SetStock(p.Model, p.Quantity+5, p.Quantity+5, true)
		}
		quiet := own[3]
		w.sim.SetStock(quiet.Model, quiet.Quantity+9, quiet.Quantity+9, false) // modifiedOn stays
		master := map[int]opencart.Product{}
		for _, p := range w.fix.Products {
			master[p.ID] = p
		}
		if alone != 0 {
			// The lone master's own article changes: it is written. The family
			// master's own article changes too: it still holds its variants'
			// total (their articles did not change, and are read for it).
			w.sim.SetStock(master[alone].Model, 77, 77, true)
			w.sim.SetStock(master[family].Model, 55, 55, true)
			want++
		}
		w.now = w.now.Add(time.Hour)
		rep := w.export(false)
		if rep.Mode != "incremental" || rep.Written != want || len(rep.Rows) > want+6 {
			t.Fatalf("incremental: %s wrote %d of %d rows %v", rep.Mode, rep.Written, len(rep.Rows), rep.Counts)
		}
		after := w.stock()
		for _, p := range own[:3] {
			if after[strconv.Itoa(p.ID)] != p.Quantity+5 {
				t.Fatalf("product %d: %d", p.ID, after[strconv.Itoa(p.ID)])
			}
		}
		if after[strconv.Itoa(quiet.ID)] != quiet.Quantity {
			t.Fatal("an article that did not change was read")
		}
		if alone != 0 {
			total := 0
			for _, v := range variants[family] {
				total += after[strconv.Itoa(v.ID)]
			}
			if after[strconv.Itoa(alone)] != 77 || after[strconv.Itoa(family)] != total {
				t.Fatalf("masters: lone %d (want 77), family %d (want %d)", after[strconv.Itoa(alone)], after[strconv.Itoa(family)], total)
			}
		}
		w.now = w.now.Add(23 * time.Hour)
		if rep = w.export(false); rep.Mode != "full" || rep.Written != 1 || w.stock()[strconv.Itoa(quiet.ID)] != quiet.Quantity+9 {
			t.Fatalf("daily full pass: %s wrote %d", rep.Mode, rep.Written)
		}
		// Another code field: every product must be read again.
		w.now = w.now.Add(time.Minute)
		w.settings.CodeField = "sku"
		if rep = w.export(true); rep.Mode != "full" {
			t.Fatalf("after a settings change: %s", rep.Mode)
		}
	})
}
