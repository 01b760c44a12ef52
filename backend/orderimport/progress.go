package orderimport

import "sync"

// OrderProgress is where a run (or a preview) is: Done of Total orders
// finished, More when the shop has further pages, and the order at hand.
// The shop is read a page at a time, so Total grows page by page.
type OrderProgress struct {
	Done    int  `json:"done"`
	Total   int  `json:"total"`
	More    bool `json:"more"`
	OrderID int  `json:"orderId"`
}

// tracker counts the orders of a run for Job.OnOrder. Its methods may be
// called on a nil tracker (no one listens) and from several goroutines.
type tracker struct {
	mu   sync.Mutex
	fn   func(OrderProgress)
	seen map[int]bool
	p    OrderProgress
	made map[int][]string // artikelcodes created, per order
}

func newTracker(fn func(OrderProgress)) *tracker {
	return &tracker{fn: fn, seen: map[int]bool{}, made: map[int][]string{}}
}

// page adds a page of n orders; more tells whether another follows.
func (t *tracker) page(n int, more bool) {
	if t == nil {
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	t.p.Total += n
	t.p.More = more
}

// at says the run is now at an order (its customer, its articles, its
// sending).
func (t *tracker) at(orderID int) { t.tell(orderID, false) }

// finished says an order's outcome is known; each order counts once.
func (t *tracker) finished(orderID int) { t.tell(orderID, true) }

// tell reports under the lock, one report at a time: orders are sent side
// by side, and a report made after another must not reach the listener
// before it (the count would go back).
func (t *tracker) tell(orderID int, done bool) {
	if t == nil {
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if done && !t.seen[orderID] {
		t.seen[orderID] = true
		t.p.Done++
	}
	t.p.OrderID = orderID
	if t.fn != nil {
		t.fn(t.p)
	}
}

// created notes an article an order made, for the ledger (what an order
// created is shown on Uitvoering).
func (t *tracker) created(orderID int, code string) {
	if t == nil {
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	t.made[orderID] = append(t.made[orderID], code)
}

func (t *tracker) articlesOf(orderID int) []string {
	if t == nil {
		return nil
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.made[orderID]
}
