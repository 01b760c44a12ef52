package app

import (
	"sync"
	"sync/atomic"
	"time"
)

// Emitter sends an event to the UI: through the Wails runtime in the desktop
// window, through server-sent events in `serve`.
type Emitter interface {
	Emit(name string, data any)
}

type nopEmitter struct{}

func (nopEmitter) Emit(string, any) {}

// Event is one event as the HTTP adapter sends it.
type Event struct {
	Name string `json:"name"`
	Data any    `json:"data"`
}

// Broker fans events out to the browser tabs connected to `serve`. A slow
// listener loses events rather than blocking the program.
type Broker struct {
	mu   sync.Mutex
	subs map[*Subscription]struct{}
}

// Subscription is one listener: C carries its events; Sent is called once
// each event has been written out, so Drain knows what is still on its way.
type Subscription struct {
	C       <-chan Event
	ch      chan Event
	pending atomic.Int64
}

// Sent marks one event of C as written out to the listener.
func (s *Subscription) Sent() { s.pending.Add(-1) }

// NewBroker returns a broker with no listeners.
func NewBroker() *Broker { return &Broker{subs: map[*Subscription]struct{}{}} }

// Emit implements Emitter.
func (b *Broker) Emit(name string, data any) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for s := range b.subs {
		s.pending.Add(1)
		select {
		case s.ch <- Event{name, data}:
		default:
			s.pending.Add(-1)
		}
	}
}

// Drain waits, at most max, until every event emitted so far has been
// written out to its listeners. A call's answer waits for it, so that the
// page hears a run's last progress before the answer that ends the run
// (two connections: without it the answer could overtake the events).
func (b *Broker) Drain(max time.Duration) bool {
	deadline := time.Now().Add(max)
	for {
		if !b.busy() {
			return true
		}
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(2 * time.Millisecond)
	}
}

func (b *Broker) busy() bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	for s := range b.subs {
		if s.pending.Load() > 0 {
			return true
		}
	}
	return false
}

// subscriberBuffer is how many events a listener may lag behind: a run
// tells its progress per order, so a preview of a page sends a burst.
const subscriberBuffer = 512

// Subscribe returns a listener and a function that ends it.
func (b *Broker) Subscribe() (*Subscription, func()) {
	ch := make(chan Event, subscriberBuffer)
	s := &Subscription{C: ch, ch: ch}
	b.mu.Lock()
	b.subs[s] = struct{}{}
	b.mu.Unlock()
	return s, func() {
		b.mu.Lock()
		delete(b.subs, s)
		b.mu.Unlock()
	}
}
