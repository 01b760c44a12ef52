package app

import (
	"testing"
	"time"
)

// A call's answer waits for its events to be written out: Drain holds while
// a listener still has events on their way, and lets go once they are sent.
func TestDrainWaitsForTheEventsOnTheirWay(t *testing.T) {
	b := NewBroker()
	if !b.Drain(time.Millisecond) {
		t.Fatal("no listener: nothing to wait for")
	}
	sub, stop := b.Subscribe()
	defer stop()
	for i := 0; i < 3; i++ {
		b.Emit("run:progress", i)
	}
	if b.Drain(20 * time.Millisecond) {
		t.Fatal("Drain returned while three events were not written out")
	}
	go func() {
		for i := 0; i < 3; i++ {
			<-sub.C
			time.Sleep(5 * time.Millisecond)
			sub.Sent()
		}
	}()
	if !b.Drain(2 * time.Second) {
		t.Fatal("Drain did not return once the events were written out")
	}
}

// A listener that lags behind its whole buffer loses events, and Drain does
// not wait for the lost ones.
func TestDrainForgetsLostEvents(t *testing.T) {
	b := NewBroker()
	sub, stop := b.Subscribe()
	defer stop()
	for i := 0; i < subscriberBuffer+10; i++ {
		b.Emit("run:progress", i)
	}
	for i := 0; i < subscriberBuffer; i++ {
		<-sub.C
		sub.Sent()
	}
	if !b.Drain(100 * time.Millisecond) {
		t.Fatal("Drain waits for events that were dropped")
	}
}
