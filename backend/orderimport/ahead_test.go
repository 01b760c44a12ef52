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
