package orderimport_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/s-connect/s-connect/backend/config"
	"github.com/s-connect/s-connect/backend/orderimport"
	"github.com/s-connect/s-connect/backend/snelstart"
	"github.com/s-connect/s-connect/backend/snelstart/sim"
)

// Aanmaken en bijwerken while verkooporders go out: the first order of a
// known customer matches its card (nothing to update) and is sent; the
// next ones of that customer, planned and prepared while it is on its
// way, each update the card. The sender of the first reads the customer
// it was planned with (the ledger's name and relatiecode) while the card
// is updated: the knowledge must not be written under it (go test -race).
func TestCardUpdatedWhileAnOrderOfItsCustomerIsSent(t *testing.T) {
	w := newWorld(t, "3.0", 60, sim.Faults{})
	// The verkooporders take their time, the card's look-up and update not:
	// the next order's update is done while the order before is on its way.
	slow := httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, req *http.Request) {
		if req.Method == http.MethodPost && strings.HasSuffix(req.URL.Path, "/verkooporders") {
			time.Sleep(60 * time.Millisecond)
		}
		w.sim.ServeHTTP(rw, req)
	}))
	t.Cleanup(slow.Close)
	var err error
	if w.client, err = snelstart.NewClient(snelstart.Options{APIBaseURL: slow.URL + "/v2/", AuthBaseURL: slow.URL + "/", ClientKey: "k",
		SubscriptionKey: "s", RequestsPerSecond: 1000}); err != nil {
		t.Fatal(err)
	}
	jansen := w.relatie(t, func(r map[string]any) bool { return r["naam"] == "Jansen B.V." })
	orders := w.statusOrders()[:30]
	for i, o := range orders {
		// Odd: a new telephone and street, so the card is updated; even:
		// the card as the order before left it, so it is not.
		phone, street := "030-1234567", "Dorpsstraat 1"
		if i > 0 {
			id := o.ID
			if i%2 == 0 {
				id = orders[i-1].ID
			}
			phone, street = fmt.Sprintf("030-%07d", id), fmt.Sprintf("Nieuweweg %d", id)
		}
		if _, err := w.db.Exec(`UPDATE oc_order SET email = 'info@jansen.nl', telephone = ?, payment_address_1 = ?, payment_address_2 = '',
			payment_postcode = '1234 AB', payment_city = 'Utrecht', payment_country_id = (SELECT country_id FROM oc_country WHERE iso_code_2 = 'NL')
			WHERE order_id = ?`, phone, street, o.ID); err != nil {
			t.Fatal(err)
		}
	}
	s := w.settings()
	s.CustomerProcessing = "aanmaken-bijwerken"
	rep := w.runWith(t, s, nil)
	if rep.Counts["created"] != len(w.statusOrders()) {
		t.Fatalf("run: %v", rep.Counts)
	}
	on := 0
	for _, vo := range w.sim.All("verkooporders") {
		if vo["relatie"].(map[string]any)["id"] == jansen["id"] {
			on++
		}
	}
	if on != len(orders) {
		t.Fatalf("%d verkooporders on the card, want %d", on, len(orders))
	}
}

// A run stopped while its pages' verkooporders are queued and in flight
// (the next page read and handed over meanwhile): Run returns only once no
// sender is left, and the ledger says of every order with a verkooporder
// in SnelStart that it is there or may be (never "failed", which the next
// run would send again); the next run books every order once.
func TestRunStoppedWithSendsQueuedLeavesTheLedgerRight(t *testing.T) {
	w := newWorld(t, "3.0", 300, sim.Faults{})
	w.sim.SetFaults(sim.Faults{Latency: 20 * time.Millisecond})
	c, err := snelstart.NewClient(snelstart.Options{APIBaseURL: w.apiURL, AuthBaseURL: w.authURL, ClientKey: "k", SubscriptionKey: "s",
		RequestsPerSecond: 1000, Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	ledger := &afterwards{Store: w.store}
	job := orderimport.Job{ProfileID: w.prof, Shop: w.shop, Client: c, Ledger: ledger, Settings: w.settings(), PageSize: 30, Settle: 300 * time.Millisecond}
	ctx, stop := context.WithCancel(context.Background())
	go func() {
		for w.sim.Count("verkooporders") < 45 { // the second page's going out, the third's queued
			time.Sleep(time.Millisecond)
		}
		stop()
	}()
	first, err := orderimport.Run(ctx, job)
	if err == nil {
		t.Fatal("a stopped run reported no error")
	}
	stop()
	ledger.returned.Store(true)
	made := w.sim.Writes()
	time.Sleep(200 * time.Millisecond)
	if w.sim.Writes() != made || ledger.late.Load() > 0 {
		t.Fatalf("after Run returned: %d writes to SnelStart, %d to the ledger", w.sim.Writes()-made, ledger.late.Load())
	}
	ids := make([]int, 0)
	for _, o := range w.statusOrders() {
		ids = append(ids, o.ID)
	}
	entries, err := w.store.Ledger(w.prof, ids)
	if err != nil {
		t.Fatal(err)
	}
	there := map[string]int{}
	for _, vo := range w.sim.All("verkooporders") {
		there[vo["betalingskenmerk"].(string)]++
	}
	for _, id := range ids {
		e, n := entries[id], there[fmt.Sprint(id)]
		switch {
		case n > 1:
			t.Fatalf("order %d booked %d times", id, n)
		case n == 1 && e.State != config.LedgerConfirmed && e.State != config.LedgerUncertain && e.State != config.LedgerSending:
			t.Fatalf("order %d is in SnelStart, its ledger entry %q", id, e.State)
		}
	}
	if len(there) >= len(ids) {
		t.Fatalf("the stop came after every order was booked (%d of %d)", len(there), len(ids))
	}
	// The orders still queued when the run stopped were not sent: they say
	// so, in the result and in an open ledger entry (not "failed, SnelStart
	// unreachable"), which the next run reads whatever the watermark.
	stopped := 0
	for _, res := range first.Results {
		if res.Reason == nil || res.Reason.Code != "stopped" {
			continue
		}
		stopped++
		if e := entries[res.OrderID]; e.State != config.LedgerFailed || e.Reason != "stopped()" || there[fmt.Sprint(res.OrderID)] > 0 {
			t.Fatalf("order %d, stopped before its turn: ledger %q %q, %d in SnelStart", res.OrderID, e.State, e.Reason, there[fmt.Sprint(res.OrderID)])
		}
	}
	if stopped == 0 {
		t.Fatalf("no order was still queued when the run stopped: %v", first.Counts)
	}
	job.Client = w.client
	rep, err := orderimport.Run(context.Background(), job)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Counts["failed"] > 0 || rep.Counts["held"] > 0 {
		t.Fatalf("next run: %v", rep.Counts)
	}
	w.checkSnelStart(t)
}

// afterwards is a ledger that counts the entries written after returned.
type afterwards struct {
	*config.Store
	returned atomic.Bool
	late     atomic.Int32
}

func (a *afterwards) PutLedger(e config.LedgerEntry) error {
	if a.returned.Load() {
		a.late.Add(1)
	}
	return a.Store.PutLedger(e)
}

// Writes answered 500 (not stored) or stored with their answer lost, while
// later pages go out: the pages' look-ups find them or prove them absent
// soon (a short settle time), and those are sent again beside the pass's
// own senders. No order
// is booked twice, the ledger has every order SnelStart has as confirmed
// (one sent three times in vain as failed: the next run books it), and
// some were sent again.
func TestOrdersSentAgainWhileLaterPagesGoOut(t *testing.T) {
	w := newWorld(t, "3.0", 300, sim.Faults{})
	w.sim.SetFaults(sim.Faults{Latency: 10 * time.Millisecond, Share500: 0.1, CommitThenFail: 0.05})
	// A call may take 2 s: a customer create left open is looked up by the
	// next run that much after it.
	c, err := snelstart.NewClient(snelstart.Options{APIBaseURL: w.apiURL, AuthBaseURL: w.authURL, ClientKey: "k", SubscriptionKey: "s",
		RequestsPerSecond: 1000, Timeout: 2 * time.Second, BackoffBase: 5 * time.Millisecond, BackoffCap: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	job := orderimport.Job{ProfileID: w.prof, Shop: w.shop, Client: c, Ledger: w.store, Settings: w.settings(), PageSize: 20, Settle: 40 * time.Millisecond}
	rep, err := orderimport.Run(context.Background(), job)
	if err != nil {
		t.Fatal(err)
	}
	w.sim.SetFaults(sim.Faults{})
	ids := make([]int, 0)
	for _, o := range w.statusOrders() {
		ids = append(ids, o.ID)
	}
	entries, err := w.store.Ledger(w.prof, ids)
	if err != nil {
		t.Fatal(err)
	}
	there := map[string]int{}
	for _, vo := range w.sim.All("verkooporders") {
		there[vo["betalingskenmerk"].(string)]++
	}
	again := 0
	for _, id := range ids {
		e, n := entries[id], there[fmt.Sprint(id)]
		if n > 1 || n == 1 && e.State != config.LedgerConfirmed || n == 0 && e.State != config.LedgerFailed {
			t.Fatalf("order %d: %d verkooporders, ledger %q after %d sends", id, n, e.State, e.Attempts)
		}
		if e.Attempts > 1 {
			again++
		}
	}
	if again == 0 {
		t.Fatal("no order was sent again: the test tests nothing")
	}
	t.Logf("first run %v, %d orders sent again", rep.Counts, again)
	next, err := orderimport.Run(context.Background(), job)
	if err != nil || next.Counts["failed"]+next.Counts["held"] > 0 {
		t.Fatalf("next run: %v %v", next.Counts, err)
	}
	w.checkSnelStart(t)
}
