//go:build soak

package main

import (
	"fmt"
	"math/rand/v2"
	"os/exec"
	"sort"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/s-connect/s-connect/backend/opencart/fixture"
	"github.com/s-connect/s-connect/backend/snelstart/sim"
	"github.com/s-connect/s-connect/backend/testsvc"
)

// TestSoak is `make soak` (not part of `make test`): 10,000 orders through
// `s-connect run orders` while SnelStart answers 10 % of the calls with 429,
// 5 % with 500, loses the answer of 5 % of the writes after storing them and
// shows 5 % of the creates only 7 s late (first lookup after 5 s misses,
// the second finds them); the program is killed at three random moments
// and MariaDB is restarted once in the middle of a run. At the end there
// are exactly 10,000 verkooporders, none twice, and every ledger entry is
// confirmed. The client runs with its defaults (60 calls a second, 4 at once).
func TestSoak(t *testing.T) {
	const orders = 10000
	began := time.Now()
	faults := sim.Faults{Share429: 0.10, RetryAfter: -1, Share500: 0.05, CommitThenFail: 0.05,
		DelayedVisible: 0.05, VisibleAfter: 7 * time.Second}
	e := newRunEnv(t, fixture.Config{Version: "3.0", Prefix: "oc_", Orders: 14000, Products: 200, Customers: 1500, Seed: 2026}, faults)
	sort.Ints(e.want)
	if len(e.want) < orders {
		t.Fatalf("the fixture has only %d orders in a sale status", len(e.want))
	}
	// Exactly 10,000: the later orders become unfinished checkouts (status 0).
	if _, err := e.shop.DB.Exec("UPDATE oc_order SET order_status_id = 0 WHERE order_id > ?", e.want[orders-1]); err != nil {
		t.Fatal(err)
	}
	e.want = e.want[:orders]
	setup := time.Since(began)

	seed := uint64(time.Now().UnixNano())
	rnd := rand.New(rand.NewPCG(seed, 7))
	events := []string{"kill", "kill", "kill", "restart MariaDB"}
	rnd.Shuffle(len(events), func(i, j int) { events[i], events[j] = events[j], events[i] })
	var at []int
	for range events {
		at = append(at, orders/20+rnd.IntN(orders*17/20)) // between 5 % and 90 % of the work
	}
	sort.Ints(at)
	t.Logf("seed %d: %v at %v verkooporders", seed, events, at)

	soaking := time.Now()
	runs, kills, restarts := 0, 0, 0
	start := func(flags ...string) (*exec.Cmd, chan error) {
		runs++
		cmd := e.start(t, flags...)
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		return cmd, done
	}
	logRun := func(cmd *exec.Cmd, err error, how string) {
		t.Logf("run %d (%s, exit %v): %s%s", runs, how, err, strings.TrimSpace(fmt.Sprint(cmd.Stdout)), strings.TrimSpace(fmt.Sprint(cmd.Stderr)))
	}
	// The events happen to the run that is going on when the work reaches
	// their point; a run that stops before (the database went away) is
	// followed by the next.
	var cmd *exec.Cmd
	var done chan error
	for i, ev := range events {
		for {
			if cmd == nil {
				cmd, done = start()
			}
			var ended error
			reached := false
			for !reached {
				select {
				case ended = <-done:
				case <-time.After(20 * time.Millisecond):
					reached = e.sim.Count("verkooporders") >= at[i]
					continue
				}
				break
			}
			if reached {
				break
			}
			logRun(cmd, ended, "ended")
			cmd = nil
		}
		if ev == "kill" {
			cmd.Process.Signal(syscall.SIGKILL)
			logRun(cmd, <-done, fmt.Sprint("killed at ", e.sim.Count("verkooporders")))
			cmd = nil
			kills++
			continue
		}
		if err := testsvc.StartMariaDB(t).Restart(); err != nil {
			t.Fatal(err)
		}
		restarts++
		t.Logf("MariaDB restarted at %d verkooporders, during run %d", e.sim.Count("verkooporders"), runs)
	}
	if cmd != nil {
		logRun(cmd, <-done, "after the events")
	}
	// Then runs until one leaves nothing to do: full passes (--full), so
	// that the last reads every order.
	for {
		cmd, done := start("--full")
		err := <-done
		logRun(cmd, err, "to the end")
		if err == nil && strings.Contains(fmt.Sprint(cmd.Stdout), fmt.Sprint("(", orders, " × al verwerkt)")) {
			break
		}
		if runs > len(events)+8 {
			t.Fatalf("no run found every order booked after %d runs", runs)
		}
	}
	wall := time.Since(soaking)
	e.check(t)

	// Customers made twice: a create shown late, then the program killed
	// before the ledger recorded it. The next run looks such a card up
	// before it makes it again (customer creates under the ledger), so
	// there are none.
	memos := map[string]int{}
	twice := 0
	for _, r := range e.sim.All("relaties") {
		if m, _ := r["memo"].(string); strings.HasPrefix(m, "OpenCart-") {
			if memos[m]++; memos[m] == 2 {
				twice++
			}
		}
	}
	t.Logf("SOAK: %d orders exactly once; wall time %s (setup %s); %d runs; %d kills and %d MariaDB restart survived; "+
		"%.2f API calls per order (%d calls); %d customers made twice of %d",
		orders, wall.Round(time.Second), setup.Round(time.Second), runs, kills, restarts,
		float64(e.sim.Calls())/orders, e.sim.Calls(), twice, len(memos))
	if twice > 0 {
		t.Fatalf("%d customers made twice", twice)
	}
	if kills != 3 || restarts != 1 {
		t.Fatalf("%d kills and %d restarts happened, want 3 and 1", kills, restarts)
	}
}
