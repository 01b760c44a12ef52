package orderimport_test

import (
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/s-connect/s-connect/backend/config"
	"github.com/s-connect/s-connect/backend/orderimport"
	"github.com/s-connect/s-connect/backend/snelstart"
	"github.com/s-connect/s-connect/backend/snelstart/sim"
)

var errKilled = errors.New("the program was killed")

// killedLedger is the ledger of a program killed right after a customer
// create reached SnelStart, before "confirmed" was written: from then on
// nothing is written any more, and the run stops.
type killedLedger struct {
	*config.Store
	stop   context.CancelFunc
	killed atomic.Bool
	key    atomic.Value // the memo line of the card made just before the kill
}

func (k *killedLedger) PutCustomerCreate(c config.CustomerCreate) error {
	if k.killed.Load() {
		return errKilled
	}
	if c.State == config.CustomerConfirmed {
		k.key.Store(c.Key)
		k.killed.Store(true)
		k.stop()
		return errKilled
	}
	return k.Store.PutCustomerCreate(c)
}

func (k *killedLedger) PutLedger(e config.LedgerEntry) error {
	if k.killed.Load() {
		return errKilled
	}
	return k.Store.PutLedger(e)
}

// A program killed between a customer's create and the ledger's record of
// it, while SnelStart shows the card only seconds later: the next run, at
// once, cannot see the card yet, and looks for it (by its memo line, after
// the settle time) before making it again — one card, every order once.
func TestCustomerCreatedJustBeforeAKillIsNotMadeTwice(t *testing.T) {
	w := newWorld(t, "3.0", 40, sim.Faults{})
	const late = 1500 * time.Millisecond
	w.sim.SetFaults(sim.Faults{DelayedVisible: 1, VisibleAfter: late})
	// A request may take 1 s here (30 s by default): the next run's first
	// lookup is due a settle time after that.
	c, err := snelstart.NewClient(snelstart.Options{APIBaseURL: w.apiURL, AuthBaseURL: w.authURL, ClientKey: "k", SubscriptionKey: "s",
		RequestsPerSecond: 1000, Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	job := orderimport.Job{ProfileID: w.prof, Shop: w.shop, Client: c, Settings: w.settings(), Settle: time.Second}

	ctx, stop := context.WithCancel(context.Background())
	kl := &killedLedger{Store: w.store, stop: stop}
	job.Ledger = kl
	orderimport.Run(ctx, job)
	stop()
	key, _ := kl.key.Load().(string)
	if key == "" {
		t.Fatal("the first run made no customer card")
	}
	cards := func() int {
		n := 0
		for _, r := range w.sim.All("relaties") {
			if r["memo"] == key {
				n++
			}
		}
		return n
	}
	if cards() != 1 {
		t.Fatalf("%d cards with memo %q after the kill", cards(), key)
	}

	job.Ledger = w.store
	start := time.Now()
	rep, err := orderimport.Run(context.Background(), job)
	if err != nil {
		t.Fatal(err)
	}
	if time.Since(start) > late+5*time.Second {
		t.Logf("second run took %v", time.Since(start))
	}
	w.sim.SetFaults(sim.Faults{})
	if n := cards(); n != 1 {
		t.Fatalf("%d cards with memo %q after the next run, want 1", n, key)
	}
	if rep.Counts["created"]+rep.Counts["skipped"] != len(w.statusOrders()) {
		t.Fatalf("next run: %v", rep.Counts)
	}
	w.checkSnelStart(t)
	// Every card once.
	memos := map[string]int{}
	for _, r := range w.sim.All("relaties") {
		if m, _ := r["memo"].(string); strings.HasPrefix(m, "OpenCart-") {
			if memos[m]++; memos[m] > 1 {
				t.Fatalf("two cards with memo %q", m)
			}
		}
	}
}
