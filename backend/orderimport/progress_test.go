package orderimport_test

import (
	"context"
	"sync"
	"testing"

	"github.com/s-connect/s-connect/backend/config"
	"github.com/s-connect/s-connect/backend/opencart"
	"github.com/s-connect/s-connect/backend/orderimport"
	"github.com/s-connect/s-connect/backend/snelstart/sim"
)

// Progress is told per order, for a run and for a preview alike, across
// pages: each order is counted once, and the last report is all of them.
func TestProgressIsToldPerOrder(t *testing.T) {
	w := newWorld(t, "4.0", 35, sim.Faults{})
	for _, preview := range []bool{true, false} {
		var mu sync.Mutex
		var got []orderimport.OrderProgress
		rep, err := orderimport.Run(context.Background(), orderimport.Job{ProfileID: w.prof, Shop: w.shop, Client: w.client,
			Ledger: w.store, Settings: w.settings(), Preview: preview, PageSize: 10,
			OnOrder: func(p orderimport.OrderProgress) { mu.Lock(); got = append(got, p); mu.Unlock() }})
		if err != nil {
			t.Fatal(err)
		}
		n := len(rep.Results)
		if n < 20 || len(got) < n {
			t.Fatalf("preview %v: %d reports for %d orders", preview, len(got), n)
		}
		// Done counts 1, 2, … n, never back; every order is at hand at some point.
		seen, next := map[int]bool{}, 1
		for i, p := range got {
			seen[p.OrderID] = true
			if p.Done == next {
				next++
			} else if p.Done != next-1 || p.Done > p.Total {
				t.Fatalf("preview %v: report %d is %+v after %+v", preview, i, p, got[max(i-1, 0)])
			}
		}
		last := got[len(got)-1]
		if next-1 != n || last.Done != n || last.Total != n || last.More || len(seen) != n {
			t.Fatalf("preview %v: counted to %d, last report %+v, %d orders seen, %d results", preview, next-1, last, len(seen), n)
		}
		if got[0].Total != 10 || !got[0].More {
			t.Fatalf("the first page is known first: %+v", got[0])
		}
	}
}

// An order handled by hand or ignored is never imported; one order can be
// tried on its own; the ledger keeps its date, what it created and the
// attempt.
func TestSettledOrdersStayOutAndOneOrderCanBeTriedAgain(t *testing.T) {
	w := newWorld(t, "3.0", 30, sim.Faults{})
	s := w.settings()
	s.ShippingArticle = ""
	rep, err := orderimport.Run(context.Background(), orderimport.Job{ProfileID: w.prof, Shop: w.shop, Client: w.client, Ledger: w.store, Settings: s})
	if err != nil {
		t.Fatal(err)
	}
	var held []int
	for _, r := range rep.Results {
		if r.State == "held" {
			held = append(held, r.OrderID)
		}
	}
	if len(held) < 3 {
		t.Fatalf("%d held orders, want 3 or more: %v", len(held), rep.Counts)
	}
	if err := w.store.SettleOrder(w.prof, held[0], config.LedgerHandled, "met de hand geboekt"); err != nil {
		t.Fatal(err)
	}
	if err := w.store.SettleOrder(w.prof, held[1], config.LedgerIgnored, ""); err != nil {
		t.Fatal(err)
	}

	// Tried again on its own, with the setting fixed: only that order goes.
	before := w.sim.Count("verkooporders")
	one, err := orderimport.Run(context.Background(), orderimport.Job{ProfileID: w.prof, Shop: w.shop, Client: w.client,
		Ledger: w.store, Settings: w.settings(), Query: opencart.OrderQuery{IDs: []int{held[2]}}})
	if err != nil {
		t.Fatal(err)
	}
	if len(one.Results) != 1 || one.Results[0].OrderID != held[2] || one.Results[0].State != "created" || w.sim.Count("verkooporders") != before+1 {
		t.Fatalf("one order tried again: %+v, %d verkooporders (was %d)", one.Results, w.sim.Count("verkooporders"), before)
	}
	e, err := w.store.LedgerEntryOf(w.prof, held[2])
	if err != nil || e.ShopAdded.IsZero() || e.BookedAt == nil || e.Nummer == 0 {
		t.Fatalf("ledger of the retried order: %+v %v", e, err)
	}
	if a, _ := w.store.Attempts(w.prof, held[2]); len(a) != 1 || a[0].Outcome != config.LedgerConfirmed || a[0].Payload == "" {
		t.Fatalf("attempts %+v", a)
	}

	// A full run with the fix: the handled and the ignored order stay out.
	all := w.run(t, false)
	for _, r := range all.Results {
		if (r.OrderID == held[0] || r.OrderID == held[1]) && r.State != "skipped" {
			t.Fatalf("settled order %d: %s", r.OrderID, r.State)
		}
	}
	for _, id := range held[:2] {
		if e, _ := w.store.LedgerEntryOf(w.prof, id); e.State == config.LedgerConfirmed {
			t.Fatalf("settled order %d was booked", id)
		}
	}
	for _, vo := range w.sim.All("verkooporders") {
		if ref, _ := vo["betalingskenmerk"].(string); ref == jsonInt(held[0]) || ref == jsonInt(held[1]) {
			t.Fatalf("settled order %s reached SnelStart", ref)
		}
	}
	// What orders created is known: some made their customer.
	newCustomers := 0
	for _, r := range all.Results {
		if e, _ := w.store.LedgerEntryOf(w.prof, r.OrderID); e.NewCustomer {
			newCustomers++
		}
	}
	if newCustomers == 0 {
		t.Fatal("no order is recorded as having created its customer")
	}
}
