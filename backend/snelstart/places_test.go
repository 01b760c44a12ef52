package snelstart

import (
	"context"
	"testing"
	"time"
)

// took starts a take and reports on the channel once it has a place.
func took(p *places, write bool) chan func() {
	got := make(chan func(), 1)
	go func() {
		give, err := p.take(context.Background(), write)
		if err == nil {
			got <- give
		}
	}()
	return got
}

func waitTaken(t *testing.T, got chan func(), what string) func() {
	t.Helper()
	select {
	case give := <-got:
		return give
	case <-time.After(5 * time.Second):
		t.Fatalf("%s got no place", what)
		return nil
	}
}

func stillWaiting(t *testing.T, got chan func(), what string) {
	t.Helper()
	select {
	case <-got:
		t.Fatalf("%s got a place it must wait for", what)
	case <-time.After(50 * time.Millisecond):
	}
}

// Look-ups take their own 2 places and the 4 of the writes while no write
// waits; a look-up that waited takes a write's place given back too; a
// write waiting is never passed by a look-up.
func TestPlacesLookUpsBorrowOnlyWhatNoWriteWaitsFor(t *testing.T) {
	p := newPlaces(4, 2)
	var gives []func()
	for i := 0; i < 6; i++ {
		gives = append(gives, waitTaken(t, took(p, false), "a look-up of the first 6"))
	}
	seventh := took(p, false)
	stillWaiting(t, seventh, "a 7th look-up")
	gives[5]() // a write's place given back, no write waiting
	gives = append(gives[:5], waitTaken(t, seventh, "the look-up that waited"))

	// A write waits for a write's place; the look-ups' own places do not count.
	write := took(p, true)
	stillWaiting(t, write, "a write while look-ups hold the 4 write places")
	lookup := took(p, false)
	gives[2]() // a write's place (the 3rd to 6th look-ups borrowed them)
	waitTaken(t, write, "the waiting write")
	stillWaiting(t, lookup, "a look-up behind a write")
	gives[0]() // a look-up's own place
	waitTaken(t, lookup, "the look-up, on its own place")

	// A write's place given back while a look-up and then a write wait: the
	// write has it, though the look-up came first.
	q := newPlaces(4, 2)
	for i := 0; i < 2; i++ {
		waitTaken(t, took(q, false), "a look-up on its own place")
	}
	lent := waitTaken(t, took(q, false), "a look-up on a write's place")
	for i := 0; i < 3; i++ {
		waitTaken(t, took(q, true), "one of 3 writes")
	}
	read := took(q, false)
	stillWaiting(t, read, "a look-up with every place taken")
	second := took(q, true)
	stillWaiting(t, second, "a write with every write place taken")
	lent()
	waitTaken(t, second, "the write, on the place the look-up gave back")
	stillWaiting(t, read, "the look-up that came before the write")
}

// Writes: 4 at once, whatever the look-ups do.
func TestPlacesWritesFourAtOnce(t *testing.T) {
	p := newPlaces(4, 2)
	var gives []func()
	for i := 0; i < 4; i++ {
		gives = append(gives, waitTaken(t, took(p, true), "one of 4 writes"))
	}
	fifth := took(p, true)
	stillWaiting(t, fifth, "a 5th write")
	for i := 0; i < 2; i++ {
		waitTaken(t, took(p, false), "a look-up beside 4 writes")
	}
	stillWaiting(t, took(p, false), "a 3rd look-up beside 4 writes")
	gives[0]()
	waitTaken(t, fifth, "the 5th write")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := p.take(ctx, true); err == nil {
		t.Fatal("a take on an ended context got a place")
	}
}
