package reconcile_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/s-connect/s-connect/backend/reconcile"
	"github.com/s-connect/s-connect/backend/reference"
	"github.com/s-connect/s-connect/backend/snelstart"
)

// differences counts a report's findings that are not explanations, by kind.
func differences(rep *reconcile.Report) map[string]int {
	out := map[string]int{}
	for _, f := range rep.Findings {
		if !f.Info {
			out[f.Kind]++
		}
	}
	return out
}

// The differences a bookkeeper makes by hand that leave the total alone or
// move an order: another article at another VAT rate on a line (same total,
// another split), an order whose status in the shop is no longer a sale, a
// verkooporder dated outside the period. Each is a difference, not an
// explanation.
func TestCheckSplitStatusAndDate(t *testing.T) {
	w := newWorld(t, "3.0")
	w.book(t, 0)
	if clean := w.check(t, w.store); len(clean.Findings) != 0 {
		t.Fatalf("a clean period has findings: %v", kinds(clean))
	}
	sales := w.fix.Sales()

	// Another article at another rate, the line's amount unchanged.
	var split int
	for _, o := range sales {
		vo := w.order(t, reference.Order("WS", o.ID))
		if vo["verkooporderBtwIngaveModel"] != snelstart.BtwInclusief {
			continue
		}
		was := w.sim.VATPerRate(vo)
		regels := vo["regels"].([]any)
		line := regels[0].(map[string]any)
		own := line["artikel"].(map[string]any)["id"]
		for _, a := range w.sim.All("artikelen") {
			line["artikel"] = map[string]any{"id": a["id"]}
			if now := w.sim.VATPerRate(vo); a["id"] != own && fmt.Sprint(now) != fmt.Sprint(was) {
				var vat decimal.Decimal
				for _, v := range now {
					vat = vat.Add(v)
				}
				incl := decimal.RequireFromString(fmt.Sprint(vo["totaalInclusiefBtw"]))
				w.sim.Patch("verkooporders", vo["id"].(string), map[string]any{"regels": regels, "totaalExclusiefBtw": incl.Sub(vat).String()})
				split = o.ID
				break
			}
		}
		if split != 0 {
			break
		}
	}
	if split == 0 {
		t.Fatal("no inclusive order with a line that another article books at another rate")
	}
	rep := w.check(t, w.store)
	if got := kinds(rep); len(got) != 1 || got[0] != "amount WS"+fmt.Sprint(split) || rep.Differences != 1 {
		t.Fatalf("with a line at another rate: %v (differences %d)", got, rep.Differences)
	}
	if f := rep.Findings[0]; f.Shop == nil || f.SnelStart == nil || !f.Shop.Total.Equal(f.SnelStart.Total) {
		t.Errorf("the totals agree, only the split per rate differs: %+v / %+v", f.Shop, f.SnelStart)
	}
	// SnelStart's side is SnelStart's VAT per rate, also for an article no
	// order of the shop has.
	if f := rep.Findings[0]; f.SnelStart != nil {
		for rate, vat := range w.sim.VATPerRate(w.order(t, reference.Order("WS", split))) {
			if got := f.SnelStart.Rate(decimal.RequireFromString(rate)).VAT; !got.Equal(vat) {
				t.Errorf("%s%%: SnelStart's VAT %s in the report, the simulator's %s", rate, got, vat)
			}
		}
	}

	// Canceled in the shop after it was booked.
	canceled := sales[4].ID
	if _, err := w.db.Exec("UPDATE oc_order SET order_status_id = 7, date_modified = NOW() WHERE order_id = ?", canceled); err != nil {
		t.Fatal(err)
	}
	// Dated in SnelStart a month before the period.
	moved := sales[6].ID
	from, _ := w.period()
	w.sim.Patch("verkooporders", w.order(t, reference.Order("WS", moved))["id"].(string),
		map[string]any{"datum": from.AddDate(0, -1, 0).Format("2006-01-02T15:04:05")})
	rep = w.check(t, w.store)
	want := map[string]int{reconcile.Amount: 1, reconcile.Status: 1, reconcile.OtherPeriod: 1}
	if got := differences(rep); fmt.Sprint(got) != fmt.Sprint(want) || rep.Differences != 3 {
		t.Fatalf("differences %v (%d), want %v: %v", got, rep.Differences, want, kinds(rep))
	}
	for _, f := range rep.Findings {
		switch f.Kind {
		case reconcile.Status:
			if f.OrderID != canceled || f.Detail != "Canceled" {
				t.Errorf("the status finding names the shop's status: %+v", f)
			}
		case reconcile.OtherPeriod:
			if f.OrderID != moved || f.Detail != from.AddDate(0, -1, 0).Format(reconcile.DateLayout) {
				t.Errorf("the other period names SnelStart's date: %+v", f)
			}
		}
	}
	// The moved verkooporder is not SnelStart's in this period; the canceled
	// order is no sale of the shop's.
	if rep.SnelStartOrders != len(sales)-1 || rep.Orders != len(sales)-1 {
		t.Errorf("verkooporders %d, shop orders %d, of %d", rep.SnelStartOrders, rep.Orders, len(sales))
	}

	// A product of a booked order no longer matches an article: the
	// shop's side cannot be computed, which is a difference, with the
	// reason.
	odd := sales[9].ID
	if _, err := w.db.Exec("UPDATE oc_order_product SET model = 'GEEN-ARTIKEL' WHERE order_id = ?", odd); err != nil {
		t.Fatal(err)
	}
	rep = w.check(t, w.store)
	want[reconcile.NotComputable] = 1
	if got := differences(rep); fmt.Sprint(got) != fmt.Sprint(want) || rep.Differences != 4 {
		t.Fatalf("differences %v (%d), want %v: %v", got, rep.Differences, want, kinds(rep))
	}
	for _, f := range rep.Findings {
		if f.Kind == reconcile.NotComputable && (f.OrderID != odd || !strings.Contains(f.Detail, "GEEN-ARTIKEL")) {
			t.Errorf("the finding names the order and the reason: %+v", f)
		}
	}
}

// Amounts differ when they are more than a cent apart, the tolerance the
// import checks SnelStart's VAT with: two cents on one line are reported, one
// cent is not.
func TestCheckCentTolerance(t *testing.T) {
	w := newWorld(t, "3.0")
	w.book(t, 0)
	id := w.fix.Sales()[3].ID
	vo := w.order(t, reference.Order("WS", id))
	regels := vo["regels"].([]any)
	line := regels[0].(map[string]any)
	total := decimal.RequireFromString(fmt.Sprint(line["totaal"]))
	incl := decimal.RequireFromString(fmt.Sprint(vo["totaalInclusiefBtw"]))
	for _, c := range []struct {
		cents int64
		want  string
	}{{2, "amount WS" + fmt.Sprint(id)}, {1, ""}} {
		d := decimal.New(c.cents, -2)
		line["totaal"] = total.Add(d).String()
		w.sim.Patch("verkooporders", vo["id"].(string), map[string]any{"regels": regels, "totaalInclusiefBtw": incl.Add(d).String()})
		rep := w.check(t, w.store)
		if got := strings.Join(kinds(rep), "|"); got != c.want {
			t.Errorf("a line %s off: findings %q, want %q", d, got, c.want)
		}
	}
}
