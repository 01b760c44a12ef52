package orderimport_test

import (
	"fmt"
	"sort"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/s-connect/s-connect/backend/config"
	"github.com/s-connect/s-connect/backend/orderimport"
)

// Every booked order refunded in full: each credit order is its original
// negated — line by line (products, options, shipping, fees, discounts per
// VAT rate, vouchers, the difference line), in its totals and in the VAT
// SnelStart books per rate, to the cent — so order and credit net to zero.
// An order a return of which was credited first is held, not credited in
// full (that would credit the returned products twice).
func TestFullRefundsNetTheOriginalExactly(t *testing.T) {
	w := knownWorld(t, 80)
	s := w.refundSettings()
	first := w.runWith(t, s, nil)
	if first.Counts["credit_created"] == 0 {
		t.Fatalf("first run credited no return: %v", first.Counts)
	}
	var ids []int
	for _, o := range w.statusOrders() {
		ids = append(ids, o.ID)
	}
	booked, err := w.store.Ledger(w.prof, ids)
	if err != nil {
		t.Fatal(err)
	}
	credited, err := w.store.Credits(w.prof, ids)
	if err != nil {
		t.Fatal(err)
	}
	partly := map[int]bool{}
	for _, c := range credited {
		if c.ReturnID > 0 && c.State == config.LedgerConfirmed {
			partly[c.OrderID] = true
		}
	}
	full := map[int]bool{}
	for id, e := range booked {
		if e.State != config.LedgerConfirmed {
			continue
		}
		w.setStatus(t, id, 11)
		if !partly[id] {
			full[id] = true
		}
	}
	if len(full) < 30 || len(partly) == 0 {
		t.Fatalf("%d orders to refund in full, %d with a credited return: the test needs both", len(full), len(partly))
	}
	rep := w.runWith(t, s, nil)
	if rep.Counts["credit_created"] != len(full) || rep.Counts["credit_held"] != len(partly) {
		t.Fatalf("refund run: %v; want %d created, %d held", rep.Counts, len(full), len(partly))
	}
	for _, r := range rep.Results {
		if r.Kind == "credit" && r.State == "held" && (!partly[r.OrderID] || r.Reason == nil || r.Reason.Code != "partly_credited") {
			t.Fatalf("held credit %+v", r)
		}
	}

	// The hold is final once the return's credit is in SnelStart: listed
	// under its order with the reason, said once, never sent later.
	again := w.runWith(t, s, nil)
	var all []int
	for _, o := range w.fix.Orders {
		all = append(all, o.ID)
	}
	entries, _ := w.store.Credits(w.prof, all)
	said := 0 // the whole orders', and the returns' of orders still read as sales
	for _, e := range entries {
		if e.ReturnID == 0 || (!full[e.OrderID] && !partly[e.OrderID]) {
			said++
		}
	}
	if again.Counts["credit_held"] != 0 || again.Counts["credit_created"] != 0 || again.Counts["credit_skipped"] != said {
		t.Fatalf("run after the refunds: %v, want %d skipped", again.Counts, said)
	}
	page, err := w.store.FindOrders(w.prof, config.OrderFilter{})
	if err != nil {
		t.Fatal(err)
	}
	listed := 0
	for _, o := range page.Orders {
		for _, c := range o.Credits {
			if c.Reference == orderimport.CreditReference(fmt.Sprint(o.OrderID), 0) && partly[o.OrderID] && c.Reason == "partly_credited()" {
				listed++
			}
		}
	}
	if listed != len(partly) {
		t.Fatalf("%d of %d held credits listed on Uitvoering", listed, len(partly))
	}

	vos, n := w.byReference()
	codes := map[string]string{} // artikel id → artikelcode
	for _, a := range w.sim.All("artikelen") {
		codes[a["id"].(string)] = a["artikelcode"].(string)
	}
	covered := map[string]int{}
	for id := range full {
		ref := fmt.Sprint(id)
		orig, credit := vos[ref], vos[orderimport.CreditReference(ref, 0)]
		if n[orderimport.CreditReference(ref, 0)] != 1 {
			t.Fatalf("order %d: %d credit orders", id, n[orderimport.CreditReference(ref, 0)])
		}
		for _, k := range []string{"totaalInclusiefBtw", "totaalExclusiefBtw"} {
			if !num(credit[k]).Equal(num(orig[k]).Neg()) {
				t.Fatalf("order %d: %s %v, the original %v", id, k, credit[k], orig[k])
			}
		}
		if credit["relatie"].(map[string]any)["id"] != orig["relatie"].(map[string]any)["id"] {
			t.Fatalf("order %d: credit for another customer", id)
		}
		a, b := regels(orig), regels(credit)
		if len(a) != len(b) {
			t.Fatalf("order %d: credit has %d lines, the original %d", id, len(b), len(a))
		}
		for i := range a {
			art := a[i]["artikel"].(map[string]any)["id"].(string)
			if b[i]["artikel"].(map[string]any)["id"] != art || !num(b[i]["stuksprijs"]).Equal(num(a[i]["stuksprijs"])) ||
				!num(b[i]["aantal"]).Equal(num(a[i]["aantal"]).Neg()) || !num(b[i]["totaal"]).Equal(num(a[i]["totaal"]).Neg()) ||
				!num(orZero(b[i]["kortingsPercentage"])).Equal(num(orZero(a[i]["kortingsPercentage"]))) {
				t.Fatalf("order %d line %d: %v credits %v", id, i, b[i], a[i])
			}
			covered[codes[art]]++
		}
		vo, vc := w.sim.VATPerRate(orig), w.sim.VATPerRate(credit)
		for _, rate := range rates(vo, vc) {
			if !vc[rate].Equal(vo[rate].Neg()) {
				t.Fatalf("order %d: VAT %s%%: credit %v, the original %v", id, rate, vc[rate], vo[rate])
			}
		}
	}
	// The refunded orders carry every kind of line the booking makes.
	for _, code := range []string{"VERZEND", "KORTING", "KORTING-LAAG", "BETAALKOSTEN", "CADEAUBON", "VERSCHIL", "KORTING-GEEN"} {
		if covered[code] == 0 {
			t.Errorf("no refunded order has a %s line (lines credited: %v)", code, covered)
		}
	}
}

func orZero(v any) any {
	if v == nil {
		return 0
	}
	return v
}

func rates(ms ...map[string]decimal.Decimal) []string {
	seen := map[string]bool{}
	var out []string
	for _, m := range ms {
		for r := range m {
			if !seen[r] {
				seen[r] = true
				out = append(out, r)
			}
		}
	}
	sort.Strings(out)
	return out
}

// The credit of a whole order is the booked verkooporder negated, not the
// order planned again: an order edited in the shop after it was booked, or
// a setting changed since (here: Artikelcode verzendkosten), still gets the
// credit that nets what SnelStart has.
func TestCreditFollowsTheBookedOrder(t *testing.T) {
	w := knownWorld(t, 40)
	s := w.refundSettings()
	w.runWith(t, s, nil)
	returned := map[int]bool{}
	for _, r := range w.fix.Returns {
		returned[r.OrderID] = true
	}
	var edited, shipped int
	for _, o := range w.statusOrders() {
		if o.StatusID == 12 || returned[o.ID] {
			continue
		}
		hasShipping := false
		for _, tr := range o.Totals {
			hasShipping = hasShipping || tr.Code == "shipping" && tr.Value.IsPositive()
		}
		switch {
		case edited == 0:
			edited = o.ID
		case shipped == 0 && hasShipping:
			shipped = o.ID
		}
	}
	if edited == 0 || shipped == 0 {
		t.Fatal("the fixture has no two booked orders to refund")
	}
	// Edited in the shop after the booking: a line five euro dearer.
	for _, q := range []string{
		"UPDATE oc_order_product SET price = price + 5, total = total + 5 * quantity WHERE order_id = ? ORDER BY order_product_id LIMIT 1",
		"UPDATE oc_order SET total = total + 5 WHERE order_id = ?",
	} {
		if _, err := w.db.Exec(q, edited); err != nil {
			t.Fatal(err)
		}
	}
	w.setStatus(t, edited, 11)
	w.setStatus(t, shipped, 11)
	changed := s
	changed.ShippingArticle = "BETAALKOSTEN"
	if rep := w.runWith(t, changed, nil); rep.Counts["credit_created"] != 2 {
		t.Fatalf("refund run: %v", rep.Counts)
	}
	vos, _ := w.byReference()
	for _, id := range []int{edited, shipped} {
		orig, credit := vos[fmt.Sprint(id)], vos[orderimport.CreditReference(fmt.Sprint(id), 0)]
		a, b := regels(orig), regels(credit)
		if len(a) != len(b) || !num(credit["totaalInclusiefBtw"]).Equal(num(orig["totaalInclusiefBtw"]).Neg()) {
			t.Fatalf("order %d: credit %v (%d lines) for %v (%d lines)", id, credit["totaalInclusiefBtw"], len(b), orig["totaalInclusiefBtw"], len(a))
		}
		for i := range a {
			if b[i]["artikel"].(map[string]any)["id"] != a[i]["artikel"].(map[string]any)["id"] ||
				!num(b[i]["stuksprijs"]).Equal(num(a[i]["stuksprijs"])) || !num(b[i]["aantal"]).Equal(num(a[i]["aantal"]).Neg()) {
				t.Fatalf("order %d line %d: %v credits %v", id, i, b[i], a[i])
			}
		}
		vo, vc := w.sim.VATPerRate(orig), w.sim.VATPerRate(credit)
		for _, rate := range rates(vo, vc) {
			if !vc[rate].Equal(vo[rate].Neg()) {
				t.Fatalf("order %d: VAT %s%%: credit %v, the original %v", id, rate, vc[rate], vo[rate])
			}
		}
	}
}

// The whole order's credit follows SnelStart's copy of the original — a
// price the bookkeeper corrected there is credited as corrected — and,
// when SnelStart's copy is not found by its reference, the verkooporder
// S-Connect sent (kept in the ledger).
func TestCreditFollowsSnelStartsOriginal(t *testing.T) {
	w := knownWorld(t, 40)
	s := w.refundSettings()
	w.runWith(t, s, nil)
	returned := map[int]bool{}
	for _, r := range w.fix.Returns {
		returned[r.OrderID] = true
	}
	var ids []int
	for _, o := range w.statusOrders() {
		if o.StatusID != 12 && !returned[o.ID] && len(ids) < 2 {
			ids = append(ids, o.ID)
		}
	}
	vos, _ := w.byReference()
	corrected, renamed := vos[fmt.Sprint(ids[0])], vos[fmt.Sprint(ids[1])]
	sent := regels(renamed)
	lines := regels(corrected)
	lines[0]["stuksprijs"] = num(lines[0]["stuksprijs"]).Add(decimal.NewFromInt(1)).String()
	w.sim.Patch("verkooporders", corrected["id"].(string), map[string]any{"regels": lines})
	w.sim.Patch("verkooporders", renamed["id"].(string), map[string]any{"betalingskenmerk": "elders"})
	for _, id := range ids {
		w.setStatus(t, id, 11)
	}
	if rep := w.runWith(t, s, nil); rep.Counts["credit_created"] != 2 {
		t.Fatalf("refund run: %v", rep.Counts)
	}
	vos, _ = w.byReference()
	for id, want := range map[int][]map[string]any{ids[0]: lines, ids[1]: sent} {
		got := regels(vos[orderimport.CreditReference(fmt.Sprint(id), 0)])
		if len(got) != len(want) {
			t.Fatalf("order %d: %d credit lines for %d", id, len(got), len(want))
		}
		for i := range want {
			if !num(got[i]["stuksprijs"]).Equal(num(want[i]["stuksprijs"])) || !num(got[i]["aantal"]).Equal(num(want[i]["aantal"]).Neg()) {
				t.Fatalf("order %d line %d: %v credits %v", id, i, got[i], want[i])
			}
		}
	}
}
