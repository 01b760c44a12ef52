package app

import "sync"

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
	subs map[chan Event]struct{}
}

// NewBroker returns a broker with no listeners.
func NewBroker() *Broker { return &Broker{subs: map[chan Event]struct{}{}} }

// Emit implements Emitter.
func (b *Broker) Emit(name string, data any) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for ch := range b.subs {
		select {
		case ch <- Event{name, data}:
		default:
		}
	}
}

// subscriberBuffer is how many events a listener may lag behind: a run
// tells its progress per order, so a preview of a page sends a burst.
const subscriberBuffer = 512

// Subscribe returns a channel of events and a function that ends it.
func (b *Broker) Subscribe() (<-chan Event, func()) {
	ch := make(chan Event, subscriberBuffer)
	b.mu.Lock()
	b.subs[ch] = struct{}{}
	b.mu.Unlock()
	return ch, func() {
		b.mu.Lock()
		delete(b.subs, ch)
		b.mu.Unlock()
	}
}
