package orderimport

import (
	"context"
	"slices"
	"time"

	"github.com/s-connect/s-connect/backend/config"
	"github.com/s-connect/s-connect/backend/opencart"
)

// The returns' watermark. With refunds as credit orders a return added to
// an order booked long ago must be credited, and such a return leaves the
// order's date_modified alone. Every OpenCart version sets the return's own
// date_modified on each change (added, edited — its action chosen — or
// given a status), so an incremental run also reads the refunded returns
// changed since the returns' watermark, and reads their orders by id: the
// page that reads an order credits its returns (creditReturns), exactly
// once by the credit ledger. The returns' watermark is the orders' one
// (nextReturnWatermark says why); docs/exactly-once.md says what it promises.

// returnsByDate reports whether this run credits returns it could read by
// date: refunds on, and the shop has the return table. returnsReadable says
// whether the date can be read (a bridge placed by an older S-Connect does
// not allow return.date_modified: every run a full pass, as before).
func (r *runner) returnsByDate() (credits, readable bool) {
	if r.credits() == nil || !r.Shop.Schema().HasTable("return") {
		return false, false
	}
	return true, r.Shop.ReturnsWatermarkable()
}

// returnsNeedFull reports whether the returns force a full pass: refunds
// on and no returns watermark to go by (refunds just turned on, or the
// returns cannot be read by date).
func (r *runner) returnsNeedFull(st config.OrderState) bool {
	credits, readable := r.returnsByDate()
	return credits && (!readable || st.ReturnWatermark.IsZero())
}

// unsettledReturns is what a credit ledger that lists its open return
// credits has (backend/config.Store).
type unsettledReturns interface {
	UnsettledReturnCredits(profileID uint) ([]int, error)
}

// returnOrders lists the orders to read for their returns (incremental
// runs only): of the refunded returns changed since the returns'
// watermark, and of the returns whose credit a run before held or could
// not make (an article added since, SnelStart back), as open orders are.
func (r *runner) returnOrders(ctx context.Context, st config.OrderState) ([]int, error) {
	if credits, readable := r.returnsByDate(); !credits || !readable || st.ReturnWatermark.IsZero() {
		return nil, nil
	}
	var ids []int
	if u, ok := r.Ledger.(unsettledReturns); ok {
		open, err := u.UnsettledReturnCredits(r.ProfileID)
		if err != nil {
			return nil, err
		}
		ids = append(ids, open...)
	}
	returns, err := r.Shop.ReturnsChangedSince(ctx, st.ReturnWatermark)
	if err != nil {
		return nil, err
	}
	for _, ret := range returns {
		if !r.seen.ids[ret.OrderID] && !slices.Contains(ids, ret.OrderID) {
			ids = append(ids, ret.OrderID)
		}
	}
	return ids, nil
}

// byIDs reads these orders of the selection, 500 at a time.
func (r *runner) byIDs(ctx context.Context, q opencart.OrderQuery, ids []int) error {
	ids = slices.DeleteFunc(slices.Clone(ids), func(id int) bool { return r.seen.ids[id] })
	slices.Sort(ids)
	ids = slices.Compact(ids)
	for len(ids) > 0 {
		part := ids[:min(len(ids), 500)]
		ids = ids[len(part):]
		byID := q
		byID.IDs = part
		if err := r.pass(ctx, byID); err != nil {
			return err
		}
	}
	return nil
}

// nextReturnWatermark is where the next run starts reading returns: zero
// when this run does not credit returns by date (the next one that does
// makes a full pass), else the orders' next watermark. Not later: a clock
// set back shows only as a new order dated before the orders' watermark
// (steppedBack), so a returns' watermark ahead of it — a return changed
// after the last order — would let a return dated back go unread while
// the run that sees the step credits nothing it does not read. Returns
// changed since are read again (one read; the ledger credits them once).
func (r *runner) nextReturnWatermark(orders time.Time) time.Time {
	if credits, readable := r.returnsByDate(); !credits || !readable {
		return time.Time{}
	}
	return orders
}

// markOf is a watermark from the newest change m a run saw: a shop clock
// ahead of this one counts as this one; after a step back the shop's clock
// is where its new orders are; then less the run's duration and Overlap.
// Zero when nothing was seen.
func (r *runner) markOf(m, started time.Time, stepped bool) time.Time {
	if m.IsZero() {
		return m
	}
	if limit := started.Add(Overlap); m.After(limit) {
		m = limit
	}
	if stepped && !r.seen.oldestNew.IsZero() && m.After(r.seen.oldestNew) {
		m = r.seen.oldestNew
	}
	return m.Add(-time.Since(started) - Overlap)
}
