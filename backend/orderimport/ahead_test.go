package orderimport_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"context"

	"github.com/s-connect/s-connect/backend/orderimport"
	"github.com/s-connect/s-connect/backend/snelstart"
	"github.com/s-connect/s-connect/backend/snelstart/sim"
)

// An order's verkooporder waits only for its own new customer, not for
// the page's other new customers: while every other customer create is
// held back, the first order's verkooporder still goes out (it is what
// lets them go on). Before, a page's orders waited for all of its creates
// and this verkooporder came only after the hold's 3 s.
func TestAnOrderWaitsOnlyForItsOwnNewCustomer(t *testing.T) {
	w := newWorld(t, "3.0", 40, sim.Faults{})
	first := w.statusOrders()[0]
	var once sync.Once
	released := make(chan struct{})
	release := func() { once.Do(func() { close(released) }) }
	var waitedOut, held atomic.Bool
	var holding atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/verkooporders") {
			release()
		}
		if r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/relaties") {
			body, _ := io.ReadAll(r.Body)
			r.Body = io.NopCloser(bytes.NewReader(body))
			var rel struct{ Naam string }
			_ = json.Unmarshal(body, &rel)
			// Two other orders' customers are held back: the client's other
			// two places stay free for what does not wait for them.
			if !strings.Contains(rel.Naam, first.LastName) && holding.Add(1) <= 2 {
				held.Store(true)
				select {
				case <-released:
				case <-time.After(3 * time.Second):
					waitedOut.Store(true)
					release()
				}
			}
		}
		w.sim.ServeHTTP(rw, r)
	}))
	t.Cleanup(srv.Close)
	c, err := snelstart.NewClient(snelstart.Options{APIBaseURL: srv.URL + "/v2/", AuthBaseURL: srv.URL + "/", ClientKey: "k", SubscriptionKey: "s"})
	if err != nil {
		t.Fatal(err)
	}
	rep, err := orderimport.Run(context.Background(), orderimport.Job{ProfileID: w.prof, Shop: w.shop, Client: c, Ledger: w.store, Settings: w.settings()})
	if err != nil {
		t.Fatal(err)
	}
	if !held.Load() {
		t.Fatal("no other new customer was made: the test shows nothing")
	}
	if waitedOut.Load() {
		t.Fatal("no verkooporder went out while the page's other customers were being made: orders waited for all of the page's creates")
	}
	if rep.Counts["created"] != len(w.statusOrders()) {
		t.Fatalf("%v, want %d created", rep.Counts, len(w.statusOrders()))
	}
	w.checkSnelStart(t)
}

// A run that ends while an order still waits for a customer whose create
// may have reached SnelStart (its answer lost, and SnelStart not answering
// the look-ups that would tell) never sent that order: it gets a ledger
// entry of its own, so that the next run — a watermark run, which reads
// only what is new, changed or open — takes it up and books it once.
func TestOrderWaitingForAnUncertainCustomerIsTakenUpByTheNextRun(t *testing.T) {
	w := newWorld(t, "3.0", 40, sim.Faults{})
	var lost, failReads atomic.Bool
	srv := httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		switch {
		case r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/relaties") && lost.CompareAndSwap(false, true):
			// Stored, and the answer lost.
			w.sim.ServeHTTP(httptest.NewRecorder(), r)
			failReads.Store(true)
			rw.WriteHeader(http.StatusBadGateway)
			return
		case r.Method == http.MethodGet && strings.Contains(r.URL.Path, "/relaties") && failReads.Load():
			rw.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		w.sim.ServeHTTP(rw, r)
	}))
	t.Cleanup(srv.Close)
	c, err := snelstart.NewClient(snelstart.Options{APIBaseURL: srv.URL + "/v2/", AuthBaseURL: srv.URL + "/", ClientKey: "k", SubscriptionKey: "s",
		MaxRetries: 1, BackoffBase: time.Millisecond, BackoffCap: 5 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	job := orderimport.Job{ProfileID: w.prof, Shop: w.shop, Client: c, Ledger: w.store, State: w.store, Settings: w.settings(), Settle: 20 * time.Millisecond}
	first, err := orderimport.Run(context.Background(), job)
	if err != nil {
		t.Fatal(err)
	}
	if !lost.Load() {
		t.Fatal("no customer was made: the test shows nothing")
	}
	var waiting []int
	for _, res := range first.Results {
		if res.Kind == "" && res.State == "failed" && res.Reason != nil && res.Reason.Code == "uncertain" {
			waiting = append(waiting, res.OrderID)
		}
	}
	entries, err := w.store.Ledger(w.prof, waiting)
	if err != nil {
		t.Fatal(err)
	}
	if len(waiting) == 0 || len(entries) != len(waiting) {
		t.Fatalf("%d orders waited for the customer, %d have a ledger entry (%v)", len(waiting), len(entries), first.Counts)
	}
	failReads.Store(false)
	job.Client = w.client
	next, err := orderimport.Run(context.Background(), job)
	if err != nil {
		t.Fatal(err)
	}
	if next.Mode != orderimport.ModeIncremental || next.Counts["failed"] != 0 {
		t.Fatalf("next run: %s %v", next.Mode, next.Counts)
	}
	w.checkSnelStart(t)
}
