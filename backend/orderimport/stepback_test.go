package orderimport_test

import (
	"slices"
	"testing"
	"time"

	"github.com/s-connect/s-connect/backend/opencart"
	"github.com/s-connect/s-connect/backend/opencart/fixture"
	"github.com/s-connect/s-connect/backend/orderimport"
)

// The check for a clock set back looks past the new orders it has read
// already. On OpenCart 4.1 a busy shop's new orders keep their checkout
// date when paid (read through their history): more than a page of
// them can lie before the watermark, all read, and the one new order that
// shows the step (placed after the shop's clock went back 90 minutes,
// history row and all dated then) comes after them. It is found, and the
// full pass books it.
func TestClockStepShowsBehindManyReadOrders(t *testing.T) {
	w := newWorldSized(t, fixture.Config{Version: "4.1", Prefix: "oc_", Orders: 300, Products: 80, Customers: 60, Seed: 5,
		Base: time.Now().Add(-96 * time.Hour)})
	orders := slices.Clone(w.fix.Orders)
	slices.SortFunc(orders, func(a, b opencart.Order) int { return a.ID - b.ID })
	// The 111 newest orders with lines are still at checkout when the
	// first run reads the shop (status 0), placed five hours ago.
	var paid []int
	for i := len(orders) - 1; i >= 0 && len(paid) < 111; i-- {
		if len(orders[i].Lines) > 0 {
			paid = append(paid, orders[i].ID)
		}
	}
	slices.Sort(paid)
	checkout := time.Now().Add(-5 * time.Hour).In(w.shop.Location).Format("2006-01-02 15:04:05")
	if _, err := w.db.Exec("UPDATE oc_order SET order_status_id = 0, date_added = ?, date_modified = ? WHERE order_id >= ?", checkout, checkout, paid[0]); err != nil {
		t.Fatal(err)
	}
	// An order changed just now puts the watermark near now.
	recent := orders[0].ID
	w.history41(t, recent, time.Now())
	if _, err := w.db.Exec("UPDATE oc_order SET date_modified = ? WHERE order_id = ?", time.Now().In(w.shop.Location).Format("2006-01-02 15:04:05"), recent); err != nil {
		t.Fatal(err)
	}
	w.runState(t, opencart.OrderQuery{}, false, nil)

	// 110 of them paid now (4.1's addHistory: date_modified left at checkout).
	now := time.Now()
	for _, id := range paid[:len(paid)-1] {
		w.history41(t, id, now)
	}
	// The newest placed after the shop's clock went back.
	back := time.Now().Add(-90 * time.Minute)
	newest := paid[len(paid)-1]
	stamp := back.In(w.shop.Location).Format("2006-01-02 15:04:05")
	if _, err := w.db.Exec("UPDATE oc_order SET date_added = ?, date_modified = ? WHERE order_id = ?", stamp, stamp, newest); err != nil {
		t.Fatal(err)
	}
	w.history41(t, newest, back)
	rep := w.runState(t, opencart.OrderQuery{}, false, nil)
	if rep.Mode != orderimport.ModeFull {
		t.Fatalf("run after the clock step: %s %v", rep.Mode, rep.Counts)
	}
	w.bookedOnce(t, paid...)
}
