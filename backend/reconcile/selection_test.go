package reconcile_test

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/s-connect/s-connect/backend/config"
	"github.com/s-connect/s-connect/backend/opencart"
	"github.com/s-connect/s-connect/backend/orderimport"
	"github.com/s-connect/s-connect/backend/reconcile"
	"github.com/s-connect/s-connect/backend/reference"
)

// A profile that takes the orders from a Vanaf datum/tijd in the middle of
// the period, in some statuses and one store: the check counts exactly what
// the import books. An order before Vanaf datum/tijd, in a status not
// chosen or in the other store is not missing in SnelStart; one that
// SnelStart has all the same is reported; a period that starts before
// Vanaf datum/tijd says so.
func TestCheckFollowsTheImportsSelection(t *testing.T) {
	w := newWorldOf(t, "3.0", 80)
	statuses := []int{2, 3, 5}
	for _, st := range statuses {
		if w.settings.RefundCredit && slices.Contains(w.settings.RefundStatuses, st) {
			t.Fatalf("status %d is a refund status", st)
		}
	}
	// Vanaf datum/tijd at the minute of the middle order, in this PC's zone
	// as the setting is read (connect.Selection).
	byDate := append([]opencart.Order(nil), w.fix.Orders...)
	sort.Slice(byDate, func(i, j int) bool { return byDate[i].Added.Before(byDate[j].Added) })
	since := byDate[len(byDate)/2].Added.In(time.Local).Truncate(time.Minute)
	sel := opencart.OrderQuery{AddedSince: since, Statuses: statuses, StoreIDs: []int{0}}

	// What the import should book, from the fixture's own records.
	var want []int
	var before, otherStatus, otherStore opencart.Order
	for _, o := range w.fix.Orders {
		in := !o.Added.Before(since) && slices.Contains(statuses, o.StatusID) && o.StoreID == 0
		switch {
		case in:
			want = append(want, o.ID)
		case o.Added.Before(since) && slices.Contains(statuses, o.StatusID) && o.StoreID == 0 && before.ID == 0:
			before = o
		case !o.Added.Before(since) && o.StatusID == 1 && o.StoreID == 0 && otherStatus.ID == 0:
			otherStatus = o // a sale status of the shop, not chosen
		case !o.Added.Before(since) && slices.Contains(statuses, o.StatusID) && o.StoreID == 1 && otherStore.ID == 0:
			otherStore = o
		}
	}
	if len(want) < 5 || before.ID == 0 || otherStatus.ID == 0 || otherStore.ID == 0 {
		t.Fatalf("the fixture lacks a case: %d selected, before %d, status %d, store %d", len(want), before.ID, otherStatus.ID, otherStore.ID)
	}
	imp, err := orderimport.Run(context.Background(), orderimport.Job{ProfileID: w.prof, Shop: w.shop, Client: w.client,
		Ledger: w.store, Settings: w.settings, Query: sel})
	if err != nil {
		t.Fatal(err)
	}
	if imp.Counts["created"] != len(want) {
		t.Fatalf("the import booked %v, want %d orders", imp.Counts, len(want))
	}

	from, to := w.period()
	run := func(ledger reconcile.Ledger, from, to time.Time) *reconcile.Report {
		t.Helper()
		rep, err := reconcile.Run(context.Background(), reconcile.Job{ProfileID: w.prof, Shop: w.shop, Client: w.client,
			Ledger: ledger, Settings: w.settings, Query: sel, From: from, To: to})
		if err != nil {
			t.Fatal(err)
		}
		return rep
	}
	for _, ledger := range []reconcile.Ledger{w.store, nil} {
		rep := run(ledger, from, to)
		if len(rep.Findings) != 0 || rep.Orders != len(want) || rep.SnelStartOrders != len(want) {
			t.Fatalf("ledger %v: findings %v, orders %d and %d, want none and %d", ledger != nil, kinds(rep), rep.Orders, rep.SnelStartOrders, len(want))
		}
		if rep.Since != since.Format(config.DateTimeLayout) {
			t.Errorf("the period starts before Vanaf datum/tijd %s, the report says %q", since, rep.Since)
		}
		if !rep.ShopTotal.Equal(rep.SnelStartTotal) {
			t.Errorf("totals: shop %s, SnelStart %s", rep.ShopTotal, rep.SnelStartTotal)
		}
	}
	label := func(key, arg string) string { return "<" + key + ">" + arg }
	if note := run(nil, from, to).SinceNote(label); note != "<check.since>"+since.Format(reconcile.MomentLayout) {
		t.Errorf("note %q", note)
	}
	// A period from the day after Vanaf datum/tijd needs no note.
	after := time.Date(since.Year(), since.Month(), since.Day()+1, 0, 0, 0, 0, time.UTC)
	if rep := run(nil, after, to); rep.Since != "" || rep.SinceNote(label) != "" || len(rep.Findings) != 0 {
		t.Errorf("a period after Vanaf datum/tijd: since %q, findings %v", rep.Since, kinds(rep))
	}

	// SnelStart has the orders outside the selection anyway (booked by hand
	// with our reference, or before Vanaf datum/tijd was moved): reported.
	model := w.order(t, reference.Order("WS", want[0]))
	for i, o := range []opencart.Order{before, otherStatus, otherStore} {
		vo := map[string]any{}
		for k, v := range model {
			vo[k] = v
		}
		delete(vo, "id")
		delete(vo, "uri")
		vo["nummer"] = 91000 + i
		vo["betalingskenmerk"] = reference.Order("WS", o.ID)
		vo["datum"] = o.Added.In(orderimport.BookingZone()).Format("2006-01-02") + "T00:00:00"
		w.sim.Insert("verkooporders", vo)
	}
	rep := run(w.store, from, to)
	got := map[string]string{}
	for _, f := range rep.Findings {
		got[f.Reference] += f.Kind + " "
		if f.Kind == reconcile.BeforeSince && f.Detail != since.Format(reconcile.MomentLayout) {
			t.Errorf("the finding names Vanaf datum/tijd: %q", f.Detail)
		}
	}
	wantKinds := map[string]string{
		reference.Order("WS", before.ID):      reconcile.BeforeSince + " ",
		reference.Order("WS", otherStatus.ID): reconcile.Status + " ",
		reference.Order("WS", otherStore.ID):  reconcile.Status + " ",
	}
	if fmt.Sprint(got) != fmt.Sprint(wantKinds) || rep.Differences != 3 || rep.Orders != len(want) {
		t.Errorf("findings %v (differences %d, orders %d), want %v, orders %d", got, rep.Differences, rep.Orders, wantKinds, len(want))
	}
	if strings.Contains(strings.Join(kinds(rep), "|"), reconcile.Missing) {
		t.Errorf("an order outside the selection is reported missing: %v", kinds(rep))
	}
}
