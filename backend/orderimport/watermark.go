package orderimport

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/s-connect/s-connect/backend/config"
	"github.com/s-connect/s-connect/backend/opencart"
	"github.com/s-connect/s-connect/backend/snelstart"
)

// Incremental runs. A run every few minutes on a shop with years of orders
// reads only what is new or changed since the run before: the orders above
// the highest order id seen, the orders whose date_modified is at or after
// the watermark, and the orders the ledger still has open. A full pass reads
// the whole selection: the first run, on demand (Job.Full), once a day, and
// after the selection changed (statuses, stores, Vanaf datum/tijd).
//
// The watermark is the newest date_modified a run read, less the run's own
// duration (an order changed while the run went on has a date_modified after
// the run began) and less Overlap (clock skew between the shop's web and
// database servers, and transactions committed late: an order whose
// date_modified is older than one already seen). A shop clock stepped back
// shows as a new order dated before the watermark: that run becomes a full
// pass. docs/exactly-once.md says what the watermark promises.

// Overlap is how far back of the newest change seen the next run starts.
const Overlap = 15 * time.Minute

// FullEvery is how old the last full pass may be before a run makes one.
const FullEvery = 24 * time.Hour

// StateStore keeps the watermark of a profile (backend/config.Store).
type StateStore interface {
	OrderState(profileID uint) (config.OrderState, error)
	SaveOrderState(config.OrderState) error
	UnsettledOrders(profileID uint) ([]int, error)
}

// Pass modes, in Report.Mode.
const (
	ModeFull        = "full"
	ModeIncremental = "incremental"
)

// seen is what a run read: each order once, and the newest change.
type seen struct {
	ids      map[int]bool
	maxID    int
	modified time.Time // the newest date_modified
	// While reading the orders above the last run's highest id: the oldest
	// date_modified among them.
	newOnly   bool
	oldestNew time.Time
}

// selection is the fingerprint of what a run selects: a different one
// needs a full pass. Empty statuses are the shop's sale statuses as the
// shop has them now.
func selection(q opencart.OrderQuery, shop *opencart.Shop) string {
	statuses := slices.Clone(q.Statuses)
	if len(statuses) == 0 {
		statuses = shop.SaleStatuses()
	}
	slices.Sort(statuses)
	stores := slices.Clone(q.StoreIDs)
	slices.Sort(stores)
	since := ""
	if !q.AddedSince.IsZero() {
		since = q.AddedSince.UTC().Format(time.RFC3339)
	}
	return fmt.Sprintf("statuses=%v stores=%v since=%s", statuses, stores, since)
}

// readOrders reads the run's orders, full or incremental, and hands each
// page to the runner.
func (r *runner) readOrders(ctx context.Context, rep *Report) error {
	q := r.Query
	q.Limit = r.PageSize
	if r.State == nil || len(q.IDs) > 0 {
		rep.Mode = ModeFull
		return r.pass(ctx, q)
	}
	st, err := r.State.OrderState(r.ProfileID)
	if err != nil {
		return err
	}
	sel := selection(q, r.Shop)
	started := time.Now()
	// Refunds as credit orders: returns have a watermark of their own
	// (returnmark.go); without one, a full pass reads every order's returns.
	full := r.Full || r.returnsNeedFull(st) || st.Watermark.IsZero() || st.Selection != sel || st.LastFull == nil ||
		started.Sub(*st.LastFull) > FullEvery
	stepped := false
	if !full {
		rep.Mode = ModeIncremental
		if stepped, err = r.incremental(ctx, q, st); err != nil {
			return err
		}
		full = stepped
	}
	if full {
		rep.Mode = ModeFull
		if err := r.pass(ctx, q); err != nil {
			return err
		}
	}
	if r.Preview || ctx.Err() != nil {
		return nil
	}
	next := config.OrderState{ProfileID: r.ProfileID, Selection: sel, MaxOrderID: max(st.MaxOrderID, r.seen.maxID), LastFull: st.LastFull}
	if full {
		now := time.Now()
		next.LastFull = &now
	} else {
		next.Watermark = st.Watermark
	}
	// After a step back, the shop's clock is where its new orders are:
	// not every run until it is back where it was must be a full pass.
	if w := r.markOf(r.seen.modified, started, stepped); w.After(next.Watermark) {
		next.Watermark = w
	}
	next.ReturnWatermark = r.nextReturnWatermark(next.Watermark)
	if next.Watermark.IsZero() {
		next.LastFull = nil // nothing read yet: the next run is a full pass too
	}
	return r.State.SaveOrderState(next)
}

// incremental reads the new and the changed orders, the open ones and,
// on OpenCart 4.1, those whose status changed; with refunds as credit
// orders the orders of changed returns too (returnmark.go). It reports a
// shop clock stepped back (a new order dated before the watermark), or an
// OpenCart 4.1 history it cannot read: then a full pass must follow.
func (r *runner) incremental(ctx context.Context, q opencart.OrderQuery, st config.OrderState) (stepped bool, err error) {
	ids, err := r.State.UnsettledOrders(r.ProfileID)
	if err != nil {
		return false, err
	}
	if r.Shop.StatusKeepsModified() {
		// OpenCart 4.1: an order that got a chosen status since the
		// watermark (a payment confirmed, the shop owner's "Complete")
		// keeps its old date_modified; its history row is dated — a new
		// order's too. A shop whose history cannot be read gets a full pass.
		changed, err := r.Shop.StatusChangedSince(ctx, st.Watermark, 0)
		if err != nil {
			return true, nil
		}
		ids = append(ids, changed...)
	}
	more, err := r.returnOrders(ctx, st)
	if err != nil {
		return false, err
	}
	ids = append(ids, more...)
	slices.Sort(ids)
	ids = slices.Compact(ids)
	// One pass for the new orders and the changed ones (a new order is
	// dated at or after the watermark, unless the shop's clock stepped
	// back), with those by id in the same pages: a page costs the same
	// reads for 1 order or 100.
	changed := q
	changed.ModifiedSince = st.Watermark
	changed.AlsoIDs = ids[:min(len(ids), 500)]
	if err := r.pass(ctx, changed); err != nil {
		return false, err
	}
	if err := r.byIDs(ctx, q, ids[len(changed.AlsoIDs):]); err != nil {
		return false, err
	}
	return r.steppedBack(ctx, q, st)
}

// steppedBack looks for a new order, not read yet, dated before the
// watermark (one read of ids). With one, the shop's clock stepped back: it
// reads the new orders as a whole, for the oldest date among them
// (readOrders' watermark after the step).
func (r *runner) steppedBack(ctx context.Context, q opencart.OrderQuery, st config.OrderState) (bool, error) {
	early := q
	early.AfterID, early.ModifiedBefore, early.Limit = st.MaxOrderID, st.Watermark, 100
	for {
		// Past the ones read already: on 4.1 the new orders paid since
		// keep their checkout date, more than a page of them in a busy shop.
		ids, err := r.Shop.OrderIDs(ctx, early)
		if err != nil {
			return false, err
		}
		if slices.ContainsFunc(ids, func(id int) bool { return !r.seen.ids[id] }) {
			break
		}
		if len(ids) < early.Limit {
			return false, nil
		}
		early.AfterID = ids[len(ids)-1]
	}
	newer := q
	newer.AfterID = st.MaxOrderID
	r.seen.newOnly = true
	err := r.pass(ctx, newer)
	r.seen.newOnly = false
	return true, err
}

func later(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

// fetched is a page of orders read ahead, with their ledger entries and
// the lookups of the ones that are not settled.
type fetched struct {
	orders   []opencart.Order
	next     int
	entries  map[int]config.LedgerEntry
	existing map[string]snelstart.Verkooporder
	err      error
}

// fetch reads a page and looks up what its unsettled orders need. It runs
// beside the previous page's sends, which touch neither the knowledge nor
// these orders.
func (r *runner) fetch(ctx context.Context, q opencart.OrderQuery) *fetched {
	f := &fetched{}
	if f.orders, f.next, f.err = r.Shop.Orders(ctx, q); f.err != nil || len(f.orders) == 0 {
		return f
	}
	ids := make([]int, len(f.orders))
	for i, o := range f.orders {
		ids[i] = o.ID
	}
	if f.entries, f.err = r.Ledger.Ledger(r.ProfileID, ids); f.err != nil {
		return f
	}
	var todo []opencart.Order
	for _, o := range f.orders {
		if e, known := f.entries[o.ID]; !known || !config.Settled(e.State) && !mayBeInSnelStart(e) {
			if !r.seen.ids[o.ID] {
				todo = append(todo, o)
			}
		}
	}
	f.existing, f.err = r.lookUp(ctx, todo, true)
	return f
}

// pass reads the orders of q page by page and books the ones this run has
// not had yet. A page's verkooporders are handed to senders shared by the
// whole pass, and while they go out the next page is read, looked up and
// prepared, its creates joining theirs: the writes in flight stay busy
// across pages. What must wait for a page's verkooporders — the lookups of
// those whose answer was lost, its returns, the progress — follows once
// they are sent, beside the next page's.
func (r *runner) pass(ctx context.Context, q opencart.OrderQuery) error {
	ss := r.newSenders(ctx)
	defer ss.close()
	var prev *sentPage // the page before, whose verkooporders may still go out
	over := func() error {
		if prev == nil {
			return nil
		}
		p := prev
		prev = nil
		return r.pageOver(ctx, p)
	}
	first := q
	if !r.readAny {
		// The run's first page: one batch of look-ups of each kind, so
		// that its first orders go out a round trip sooner.
		r.readAny, first.Limit = true, min(q.Limit, lookupBatch)
	}
	cur := r.fetch(ctx, first)
	for {
		if cur.err != nil {
			return errors.Join(cur.err, over())
		}
		fresh := cur.orders[:0:0]
		for _, o := range cur.orders {
			if r.seen.ids[o.ID] {
				continue
			}
			r.seen.ids[o.ID] = true
			if o.ID > r.seen.maxID {
				r.seen.maxID = o.ID
			}
			r.seen.modified = later(r.seen.modified, o.Modified)
			if r.seen.newOnly && (r.seen.oldestNew.IsZero() || o.Modified.Before(r.seen.oldestNew)) {
				r.seen.oldestNew = o.Modified
			}
			fresh = append(fresh, o)
		}
		r.track.page(len(fresh), cur.next != 0)
		pg := &sentPage{orders: fresh}
		err := r.page(ctx, fresh, cur.entries, cur.existing, ss, &pg.sent)
		pg.end = r.resultCount()
		var following *fetched
		if err == nil && cur.next != 0 {
			next := q
			next.AfterID = cur.next
			following = r.fetch(ctx, next)
		}
		if err := errors.Join(err, over()); err != nil {
			pg.sent.Wait()
			return err
		}
		prev = pg
		if following == nil {
			return over()
		}
		q.AfterID = cur.next
		cur = following
	}
}

// sentPage is a page whose verkooporders are handed to the senders.
type sentPage struct {
	orders []opencart.Order
	sent   sync.WaitGroup // until its verkooporders are sent
	end    int            // the results up to its last order
}

// pageOver waits until a page's verkooporders are sent, then looks up
// those whose answer was lost once their time has come (settle), books the
// page's returns and tells the progress.
func (r *runner) pageOver(ctx context.Context, p *sentPage) error {
	p.sent.Wait()
	r.settle(ctx, false)
	if err := r.creditReturns(ctx, p.orders); err != nil {
		return err
	}
	if r.Progress != nil {
		r.Progress(p.end)
	}
	return nil
}
