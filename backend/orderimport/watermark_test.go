package orderimport_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/s-connect/s-connect/backend/config"
	"github.com/s-connect/s-connect/backend/opencart"
	"github.com/s-connect/s-connect/backend/opencart/fixture"
	"github.com/s-connect/s-connect/backend/orderimport"
)

// recentWorld is a shop whose orders were all placed and changed in the
// days before now, as a live shop's are (the fixture's default base lies
// in the future of some test machines).
func recentWorld(t *testing.T) *world {
	return newWorldSized(t, fixture.Config{Version: "3.0", Prefix: "oc_", Orders: 80, Products: 80, Customers: 60, Seed: 5,
		Base: time.Now().Add(-96 * time.Hour)})
}

// runState is a run that keeps the watermark, in pages of 10.
func (w *world) runState(t *testing.T, q opencart.OrderQuery, full bool, progress func(int)) *orderimport.Report {
	t.Helper()
	rep, err := orderimport.Run(context.Background(), orderimport.Job{ProfileID: w.prof, Shop: w.shop, Client: w.client,
		Ledger: w.store, State: w.store, Settings: w.settings(), Query: q, Full: full, PageSize: 10, Progress: progress})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rep.Results {
		if r.State == "failed" || r.State == "held" {
			t.Fatalf("order %d: %s %+v", r.OrderID, r.State, r.Reason)
		}
	}
	return rep
}

// notSold are orders the selection leaves out (unfinished checkouts,
// cancelled), lowest id first.
func (w *world) notSold() []opencart.Order {
	var out []opencart.Order
	for _, o := range w.fix.Orders {
		if !slices.Contains(w.fix.SaleStatuses, o.StatusID) {
			out = append(out, o)
		}
	}
	slices.SortFunc(out, func(a, b opencart.Order) int { return a.ID - b.ID })
	return out
}

// sell gives an order a sale status, changed at the shop's moment at.
func (w *world) sell(t *testing.T, id int, at time.Time, added bool) {
	t.Helper()
	stamp := at.In(w.shop.Location).Format("2006-01-02 15:04:05")
	q := "UPDATE oc_order SET order_status_id = ?, date_modified = ? WHERE order_id = ?"
	args := []any{w.fix.SaleStatuses[0], stamp, id}
	if added {
		q = "UPDATE oc_order SET order_status_id = ?, date_modified = ?, date_added = ? WHERE order_id = ?"
		args = []any{w.fix.SaleStatuses[0], stamp, stamp, id}
	}
	if _, err := w.db.Exec(q, args...); err != nil {
		t.Fatal(err)
	}
}

// bookedOnce: each order is confirmed in the ledger and is one verkooporder.
func (w *world) bookedOnce(t *testing.T, ids ...int) {
	t.Helper()
	entries, err := w.store.Ledger(w.prof, ids)
	if err != nil {
		t.Fatal(err)
	}
	refs := map[string]int{}
	for _, vo := range w.sim.All("verkooporders") {
		refs[vo["betalingskenmerk"].(string)]++
	}
	for _, id := range ids {
		if e := entries[id]; e.State != config.LedgerConfirmed || refs[fmt.Sprint(id)] != 1 {
			t.Fatalf("order %d: ledger %q, %d verkooporders", id, e.State, refs[fmt.Sprint(id)])
		}
	}
}

// A run after a full pass reads only what changed; Volledige controle
// reads everything again.
func TestWatermarkRunReadsOnlyWhatChanged(t *testing.T) {
	w := recentWorld(t)
	sales := len(w.statusOrders())
	first := w.runState(t, opencart.OrderQuery{}, false, nil)
	if first.Mode != orderimport.ModeFull || first.Counts["created"] != sales {
		t.Fatalf("first run: %s %v for %d orders", first.Mode, first.Counts, sales)
	}
	w.checkSnelStart(t)
	second := w.runState(t, opencart.OrderQuery{}, false, nil)
	if second.Mode != orderimport.ModeIncremental || len(second.Results) > sales/4 || second.Counts["created"] != 0 {
		t.Fatalf("second run: %s, read %d of %d orders: %v", second.Mode, len(second.Results), sales, second.Counts)
	}
	full := w.runState(t, opencart.OrderQuery{}, true, nil)
	if full.Mode != orderimport.ModeFull || full.Counts["skipped"] != sales {
		t.Fatalf("Volledige controle: %s %v", full.Mode, full.Counts)
	}
}

// A watermark run misses no order: one changed while the run before went
// on (after its page was read, before a later page's order changed), one
// whose date_modified is older than a change already seen (a late commit),
// and after the shop's clock was set back an hour and a half.
func TestWatermarkRunMissesNoOrder(t *testing.T) {
	w := recentWorld(t)
	out := w.notSold()
	if len(out) < 4 {
		t.Fatalf("the fixture has %d orders outside the selection", len(out))
	}
	// The newest order is outside the selection until the clock step.
	newest := slices.MaxFunc(w.fix.Orders, func(a, b opencart.Order) int { return a.ID - b.ID })
	if _, err := w.db.Exec("UPDATE oc_order SET order_status_id = 0 WHERE order_id = ?", newest.ID); err != nil {
		t.Fatal(err)
	}
	w.runState(t, opencart.OrderQuery{}, false, nil)

	// Changed during a full pass: A after its page was read, then B, read
	// by a later page of the same run.
	a, b := out[0], out[len(out)-2]
	if b.ID < 30 || a.ID > 10 {
		t.Fatalf("orders %d and %d do not fall on the first and a later page", a.ID, b.ID)
	}
	pages := 0
	w.runState(t, opencart.OrderQuery{}, true, func(int) {
		if pages++; pages == 1 {
			now := time.Now()
			w.sell(t, a.ID, now, false)
			w.sell(t, b.ID, now.Add(2*time.Second), false)
		}
	})
	third := w.runState(t, opencart.OrderQuery{}, false, nil)
	if third.Mode != orderimport.ModeIncremental {
		t.Fatalf("third run: %s", third.Mode)
	}
	w.bookedOnce(t, a.ID, b.ID)

	// Committed late: its date_modified lies before the changes seen.
	c := out[1]
	w.sell(t, c.ID, time.Now().Add(-5*time.Minute), false)
	if rep := w.runState(t, opencart.OrderQuery{}, false, nil); rep.Mode != orderimport.ModeIncremental {
		t.Fatalf("late commit run: %s", rep.Mode)
	}
	w.bookedOnce(t, c.ID)

	// The shop's clock goes back 90 minutes: an order changed now is dated
	// before the watermark, and so is a new order.
	back := time.Now().Add(-90 * time.Minute)
	d := out[2]
	w.sell(t, d.ID, back, false)
	w.sell(t, newest.ID, back.Add(time.Second), true)
	if rep := w.runState(t, opencart.OrderQuery{}, false, nil); rep.Mode != orderimport.ModeFull {
		t.Fatalf("after the clock step: %s", rep.Mode)
	}
	w.bookedOnce(t, d.ID, newest.ID)
	// From then on the shop's clock is where its new orders are: the next
	// order changed on it is read by a watermark run, not by a full pass.
	e := out[3]
	w.sell(t, e.ID, back.Add(time.Minute), false)
	if rep := w.runState(t, opencart.OrderQuery{}, false, nil); rep.Mode != orderimport.ModeIncremental {
		t.Fatalf("after the step: %s", rep.Mode)
	}
	w.bookedOnce(t, e.ID)
}

// A wider selection (another status chosen) makes the next run a full
// pass: the orders of the added status are old, and are booked.
func TestWidenedSelectionMakesAFullPass(t *testing.T) {
	w := recentWorld(t)
	byStatus := map[int][]int{}
	for _, o := range w.statusOrders() {
		byStatus[o.StatusID] = append(byStatus[o.StatusID], o.ID)
	}
	if len(w.fix.SaleStatuses) < 2 || len(byStatus[w.fix.SaleStatuses[1]]) == 0 {
		t.Fatalf("the fixture's sale statuses %v, orders by status %v", w.fix.SaleStatuses, byStatus)
	}
	one := opencart.OrderQuery{Statuses: w.fix.SaleStatuses[:1]}
	w.runState(t, one, false, nil)
	if rep := w.runState(t, one, false, nil); rep.Mode != orderimport.ModeIncremental {
		t.Fatalf("same selection: %s", rep.Mode)
	}
	two := opencart.OrderQuery{Statuses: w.fix.SaleStatuses[:2]}
	rep := w.runState(t, two, false, nil)
	if rep.Mode != orderimport.ModeFull || rep.Counts["created"] != len(byStatus[w.fix.SaleStatuses[1]]) {
		t.Fatalf("wider selection: %s %v, want %d created", rep.Mode, rep.Counts, len(byStatus[w.fix.SaleStatuses[1]]))
	}
	w.bookedOnce(t, byStatus[w.fix.SaleStatuses[1]]...)
}

// Orders a run held (here: no shipping article chosen yet) are taken up
// by the next watermark run, though nothing changed in the shop.
func TestWatermarkRunTakesUpHeldOrders(t *testing.T) {
	w := recentWorld(t)
	s := w.settings()
	s.ShippingArticle = ""
	rep, err := orderimport.Run(context.Background(), orderimport.Job{ProfileID: w.prof, Shop: w.shop, Client: w.client,
		Ledger: w.store, State: w.store, Settings: s, PageSize: 10})
	if err != nil {
		t.Fatal(err)
	}
	var held []int
	for _, r := range rep.Results {
		if r.State == "held" {
			held = append(held, r.OrderID)
		}
	}
	if len(held) == 0 {
		t.Fatalf("no order held without a shipping article: %v", rep.Counts)
	}
	next := w.runState(t, opencart.OrderQuery{}, false, nil)
	if next.Mode != orderimport.ModeIncremental || next.Counts["created"] != len(held) {
		t.Fatalf("next run: %s %v, want %d created", next.Mode, next.Counts, len(held))
	}
	w.bookedOnce(t, held...)
	w.checkSnelStart(t)
}

// OpenCart 4.1's addHistory gives an order its status through
// editOrderStatusId, which leaves date_modified alone, and writes a dated
// order_history row. An order that gets a chosen status that way (a bank
// transfer marked paid days after checkout) is read by the next watermark
// run, not a day later by the full pass.
func TestWatermarkRunReadsA41StatusChange(t *testing.T) {
	w := newWorldSized(t, fixture.Config{Version: "4.1", Prefix: "oc_", Orders: 80, Products: 80, Customers: 60, Seed: 5,
		Base: time.Now().Add(-96 * time.Hour)})
	out := w.notSold()
	if len(out) == 0 {
		t.Fatal("the fixture has no order outside the selection")
	}
	w.runState(t, opencart.OrderQuery{}, false, nil)
	o := out[0]
	// What 4.1's addHistory writes: the status, and a history row dated now.
	if _, err := w.db.Exec("UPDATE oc_order SET order_status_id = ? WHERE order_id = ?", w.fix.SaleStatuses[0], o.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := w.db.Exec("INSERT INTO oc_order_history (order_id, order_status_id, notify, comment, date_added) VALUES (?, ?, 0, '', ?)",
		o.ID, w.fix.SaleStatuses[0], time.Now().In(w.shop.Location).Format("2006-01-02 15:04:05")); err != nil {
		t.Fatal(err)
	}
	if rep := w.runState(t, opencart.OrderQuery{}, false, nil); rep.Mode != orderimport.ModeIncremental {
		t.Fatalf("run after the status change: %s", rep.Mode)
	}
	w.bookedOnce(t, o.ID)
}

// A status set behind the shop's back (a database edit, an extension that
// writes neither date_modified nor a history row) is not seen by a
// watermark run; the daily full pass books it.
func TestDailyFullPassReadsAStatusChangedUnseen(t *testing.T) {
	w := recentWorld(t)
	out := w.notSold()
	if len(out) == 0 {
		t.Fatal("the fixture has no order outside the selection")
	}
	w.runState(t, opencart.OrderQuery{}, false, nil)
	o := out[0]
	if _, err := w.db.Exec("UPDATE oc_order SET order_status_id = ? WHERE order_id = ?", w.fix.SaleStatuses[0], o.ID); err != nil {
		t.Fatal(err)
	}
	if rep := w.runState(t, opencart.OrderQuery{}, false, nil); rep.Mode != orderimport.ModeIncremental || rep.Counts["created"] != 0 {
		t.Fatalf("watermark run: %s %v", rep.Mode, rep.Counts)
	}
	// The last full pass a day and a minute ago.
	st, err := w.store.OrderState(w.prof)
	if err != nil {
		t.Fatal(err)
	}
	last := time.Now().Add(-orderimport.FullEvery - time.Minute)
	st.LastFull = &last
	if err := w.store.SaveOrderState(st); err != nil {
		t.Fatal(err)
	}
	if rep := w.runState(t, opencart.OrderQuery{}, false, nil); rep.Mode != orderimport.ModeFull || rep.Counts["created"] != 1 {
		t.Fatalf("run a day after the full pass: %s %v", rep.Mode, rep.Counts)
	}
	w.bookedOnce(t, o.ID)
}
