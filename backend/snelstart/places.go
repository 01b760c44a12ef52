package snelstart

import (
	"context"
	"sync"
)

// places are the requests a client may have in flight: writes on places
// of their own, look-ups on theirs and on a write's place that no write
// waits for. A look-up thus never holds a write back in the middle of an
// import (its creates keep their places), while a run's first look-ups,
// before any write, go out together.
type places struct {
	writes, reads int // the places of each kind

	mu       sync.Mutex
	w        int           // writes in flight
	r        int           // look-ups on their own places
	borrowed int           // look-ups on a write's place
	waiting  int           // writes waiting for a place
	changed  chan struct{} // closed when a place is given back
}

func newPlaces(writes, reads int) *places {
	return &places{writes: writes, reads: reads, changed: make(chan struct{})}
}

// take waits for a place and returns the function that gives it back.
func (p *places) take(ctx context.Context, write bool) (func(), error) {
	p.mu.Lock()
	if write {
		p.waiting++
		defer func() {
			p.mu.Lock()
			p.waiting--
			p.mu.Unlock()
		}()
	}
	for {
		switch {
		case write && p.w+p.borrowed < p.writes:
			p.w++
			p.mu.Unlock()
			return func() { p.give(&p.w) }, nil
		case !write && p.r < p.reads:
			p.r++
			p.mu.Unlock()
			return func() { p.give(&p.r) }, nil
		case !write && p.w+p.borrowed < p.writes && p.waiting == 0:
			p.borrowed++
			p.mu.Unlock()
			return func() { p.give(&p.borrowed) }, nil
		}
		changed := p.changed
		p.mu.Unlock()
		select {
		case <-changed:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
		p.mu.Lock()
	}
}

func (p *places) give(n *int) {
	p.mu.Lock()
	*n--
	close(p.changed)
	p.changed = make(chan struct{})
	p.mu.Unlock()
}
