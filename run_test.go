package main

import (
	"fmt"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/s-connect/s-connect/backend/opencart/fixture"
	"github.com/s-connect/s-connect/backend/snelstart/sim"
	"github.com/s-connect/s-connect/backend/testsvc"
)

func TestMain(m *testing.M) { testsvc.Main(m) }

// A real process kill in the middle of `s-connect run orders`, with the
// simulator's faults on: two more runs book every order exactly once.
func TestRunOrdersSurvivesAKill(t *testing.T) {
	e := newRunEnv(t, fixture.Config{Version: "4.0", Prefix: "oc_", Orders: 700, Products: 60, Customers: 80, Seed: 11},
		// Some latency so the kill lands mid-way.
		sim.Faults{Latency: 10 * time.Millisecond, Share429: 0.10, Share500: 0.05, CommitThenFail: 0.05, RetryAfter: -1})
	want := len(e.want)
	if want < 480 {
		t.Fatalf("only %d orders in a sale status", want)
	}
	// The first run is killed once a third of the orders are in.
	first := e.start(t)
	deadline := time.Now().Add(60 * time.Second)
	for e.sim.Count("verkooporders") < want/3 {
		if time.Now().After(deadline) {
			first.Process.Kill()
			t.Fatalf("the run made only %d orders in a minute: %s", e.sim.Count("verkooporders"), first.Stderr)
		}
		time.Sleep(5 * time.Millisecond)
	}
	first.Process.Signal(syscall.SIGKILL)
	first.Wait()
	killedAt := e.sim.Count("verkooporders")
	if killedAt >= want {
		t.Fatalf("the run was done before the kill (%d of %d)", killedAt, want)
	}
	for i := 0; i < 2; i++ {
		cmd := e.start(t)
		cmd.Wait()
		t.Logf("run %d: %s%s", i+2, cmd.Stdout, cmd.Stderr)
	}
	e.check(t)
}

// Two `s-connect run orders` started at the same moment on one profile:
// one books, the other waits for it and then finds nothing left to do.
func TestTwoRunsAtOnceBookEveryOrderOnce(t *testing.T) {
	e := newRunEnv(t, fixture.Config{Version: "3.0", Prefix: "oc_", Orders: 200, Products: 40, Customers: 50, Seed: 12},
		sim.Faults{Latency: 5 * time.Millisecond})
	// A full pass each (--full), so the one that waited reads every order.
	a, b := e.start(t, "--full"), e.start(t, "--full")
	errA, errB := a.Wait(), b.Wait()
	outA, outB := fmt.Sprint(a.Stdout), fmt.Sprint(b.Stdout)
	if errA != nil || errB != nil {
		t.Fatalf("exit: %v %v\n%s%s\n%s%s", errA, errB, outA, a.Stderr, outB, b.Stderr)
	}
	booked, waited := outA, outB
	created, skipped := fmt.Sprint(len(e.want), " × aangemaakt"), fmt.Sprint(len(e.want), " × al verwerkt")
	if strings.Contains(outB, created) {
		booked, waited = outB, outA
	}
	if !strings.Contains(booked, created) || !strings.Contains(waited, skipped) {
		t.Fatalf("one run should book all %d orders and the other find them booked:\n%s\n%s", len(e.want), outA, outB)
	}
	e.check(t)
}
