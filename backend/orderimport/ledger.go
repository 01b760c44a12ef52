package orderimport

import (
	"context"
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/shopspring/decimal"

	"github.com/s-connect/s-connect/backend/config"
	"github.com/s-connect/s-connect/backend/opencart"
	"github.com/s-connect/s-connect/backend/snelstart"
)

// The ledger's rules (docs/exactly-once.md), in one place:
//
//  1. An order whose create may have reached SnelStart — its entry is
//     "sending" (the program stopped while sending) or "uncertain" (the
//     answer was lost) — is never sent again until lookups by its
//     reference prove it absent.
//  2. Absence is proven by two lookups that find nothing, made Settle and
//     2×Settle after the create could last have landed: SnelStart may show
//     a write late.
//  3. Without a reference to look it up by, such an order is held for the
//     user, with what to search for in SnelStart by hand.
//  4. A verkooporder found with an order's reference is that order only
//     when its customer and total are the ones it was (or would be) sent
//     with; otherwise it is another order (another shop, in the same
//     administration) and the order is held.

// lookups is how many lookups that find nothing prove an order absent.
const lookups = 2

// maxSends bounds how often one run sends one verkooporder.
const maxSends = 3

// mayBeInSnelStart: the entry's create may have reached SnelStart (rule 1).
func mayBeInSnelStart(e config.LedgerEntry) bool {
	return e.State == config.LedgerSending || e.State == config.LedgerUncertain
}

// lookAt is when the n-th lookup (from 1) after a create that could last
// have landed at since may believe what it finds (rule 2).
func lookAt(since time.Time, n int, settle time.Duration) time.Time {
	return since.Add(time.Duration(n) * settle)
}

// unsettled is an order whose create may have reached SnelStart, waiting
// for its lookups.
type unsettled struct {
	item
	plan  *Plan     // as sent in this run; nil for an entry left by an earlier run
	since time.Time // the last moment its create could have landed
	looks int       // lookups that found nothing
	sends int       // sends in this run
}

// holdUntilSettled takes an order the ledger has as "sending" or
// "uncertain": it waits for its lookups, or is held when it has no
// reference (rule 3).
func (r *runner) holdUntilSettled(it item) Result {
	o, e := it.order, it.entry
	if e.Reference == "" {
		h := &Hold{"uncertain_no_reference", searchHint(o, e)}
		if r.Preview {
			return Result{OrderID: o.ID, State: "held", Customer: e.Customer, Relatiecode: e.Relatiecode, Reason: h}
		}
		return r.record(o, e, config.LedgerUncertain, h, e.Customer)
	}
	res := Result{OrderID: o.ID, State: "failed", Customer: e.Customer, Relatiecode: e.Relatiecode, Reason: &Hold{"uncertain", ""}}
	if r.Preview {
		res.State = "held"
		return res
	}
	// An answer lost at UpdatedAt; or a program that stopped mid-send, whose
	// request may have been on its way for as long as a request may take —
	// and may have left only later, after waiting for the limiter or a
	// Retry-After, for as long as that program lived: until before this
	// run could take the profile's lock, so at the latest when it started.
	since := e.UpdatedAt
	if e.State == config.LedgerSending {
		since = since.Add(r.Client.RequestTimeout())
		if r.started.After(since) {
			since = r.started
		}
	}
	r.mu.Lock()
	r.unsettled = append(r.unsettled, &unsettled{item: it, since: since})
	r.mu.Unlock()
	return res // until settle finds out
}

// maybeWritten records a create whose answer was lost (rule 1) and, when
// it has a reference, returns it for settle (the sender keeps it among the
// unsettled); without one it is held (rule 3).
func (r *runner) maybeWritten(it item, e config.LedgerEntry, p *Plan, sends int) (Result, *unsettled) {
	if e.Reference == "" {
		return r.record(it.order, e, config.LedgerUncertain, &Hold{"uncertain_no_reference", searchHint(it.order, e)}, e.Customer), nil
	}
	res := r.record(it.order, e, config.LedgerUncertain, &Hold{"uncertain", ""}, e.Customer)
	it.entry = e
	it.entry.State, it.entry.Reason = config.LedgerUncertain, (&Hold{"uncertain", ""}).String()
	return res, &unsettled{item: it, plan: p, since: time.Now(), sends: sends}
}

// settle looks up what may be in SnelStart without S-Connect knowing it,
// once its lookup is due: the verkooporders, in batches by reference —
// found ones are confirmed (or held, rule 4), those proven absent are sent
// again — and the customers and articles orders wait for (prepare.go).
// With wait it goes on, waiting for the next lookup, until nothing is left
// or ctx ends; an order it cannot settle keeps its "uncertain" entry for
// the next run.
func (r *runner) settle(ctx context.Context, wait bool) {
	for (r.unsettledCount() > 0 || len(r.pending) > 0) && ctx.Err() == nil {
		now := time.Now()
		var next time.Time
		later := func(at time.Time) {
			if next.IsZero() || at.Before(next) {
				next = at
			}
		}
		var orders []*unsettled
		r.mu.Lock() // the senders of the next page add theirs meanwhile
		open := slices.Clone(r.unsettled)
		r.mu.Unlock()
		for _, u := range open {
			if at := lookAt(u.since, u.looks+1, r.Settle); at.After(now) {
				later(at)
			} else {
				orders = append(orders, u)
			}
		}
		var creates []*pendingCreate
		for _, pc := range r.pending {
			if at := lookAt(pc.since, pc.looks+1, r.Settle); at.After(now) {
				later(at)
			} else {
				creates = append(creates, pc)
			}
		}
		if len(orders) == 0 && len(creates) == 0 {
			if !wait || sleepUntil(ctx, next) != nil {
				return
			}
			continue
		}
		if !r.settleCreates(ctx, creates) || !r.settleOrders(ctx, orders) {
			return // SnelStart cannot say now: the next run looks again
		}
	}
}

func (r *runner) unsettledCount() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.unsettled)
}

// settleOrders looks up unsettled verkooporders by reference, in batches.
func (r *runner) settleOrders(ctx context.Context, due []*unsettled) bool {
	if len(due) == 0 {
		return true
	}
	refs := make([]string, len(due))
	for i, u := range due {
		refs[i] = u.entry.Reference
	}
	found, err := existingOrders(ctx, r.Client, refs)
	if err != nil {
		return false
	}
	var absent []*unsettled
	for _, u := range due {
		if vo, ok := found[u.entry.Reference]; ok {
			r.drop(u)
			r.set(u.slot, r.foundAfterAll(u, &vo))
			continue
		}
		if u.looks++; u.looks >= lookups {
			r.drop(u)
			absent = append(absent, u)
		}
	}
	r.sendAgain(ctx, absent)
	return true
}

// foundAfterAll: an unsettled order is in SnelStart after all.
func (r *runner) foundAfterAll(u *unsettled, vo *snelstart.Verkooporder) Result {
	if h := notThisOrder(vo, u.entry, u.plan); h != nil {
		return r.record(u.order, u.entry, config.LedgerHeld, h, u.entry.Customer)
	}
	if u.plan != nil {
		res := r.confirm(u.order, u.entry, vo, u.plan.Customer.Existing, "created")
		res.vatOtherwise = roundedOtherwise(vo, *u.plan)
		return res
	}
	return r.confirm(u.order, u.entry, vo, nil, "exists")
}

// sendAgain sends the orders proven absent once more, as far as this run
// may; an order from an earlier run is planned afresh.
func (r *runner) sendAgain(ctx context.Context, absent []*unsettled) {
	var sends []send
	var fresh []item
	for _, u := range absent {
		switch {
		case u.sends >= maxSends:
			// Not in SnelStart: the next run sends it without waiting.
			r.set(u.slot, r.record(u.order, u.entry, config.LedgerFailed, &Hold{"uncertain", ""}, u.entry.Customer))
		case u.plan != nil:
			sends = append(sends, send{item: u.item, plan: *u.plan, sends: u.sends})
		default:
			fresh = append(fresh, u.item)
		}
	}
	r.sendAll(ctx, sends)
	ss := r.newSenders(ctx)
	var done sync.WaitGroup
	_ = r.bookNew(ctx, fresh, nil, ss, &done) // an error here leaves the orders to the next run
	ss.close()
}

// unsettledLeft counts the orders a run could not settle before it ended
// as finished, for the progress: their entries wait for the next run. The
// orders still waiting for a customer or article whose create may have
// reached SnelStart were never sent and may have no entry yet: they get a
// "failed" one, so that the next run, however few orders it reads
// (watermark.go), takes them up again.
func (r *runner) unsettledLeft() {
	r.mu.Lock()
	for _, u := range r.unsettled {
		r.track.finished(u.order.ID)
	}
	r.mu.Unlock()
	for _, pc := range r.pending {
		for _, s := range pc.waiting {
			r.set(s.slot, r.record(s.order, s.entry, config.LedgerFailed, &Hold{"uncertain", ""}, customerName(s.order)))
		}
	}
}

func (r *runner) drop(u *unsettled) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for i, x := range r.unsettled {
		if x == u {
			r.unsettled = append(r.unsettled[:i], r.unsettled[i+1:]...)
			return
		}
	}
}

// notThisOrder checks a verkooporder that carries an order's reference
// against the customer and total the order was sent with (the ledger's
// payload) or would be sent with (the plan): rule 4. nil means it is ours.
func notThisOrder(vo *snelstart.Verkooporder, e config.LedgerEntry, p *Plan) *Hold {
	wantRel := payloadRelatie(e.Payload)
	if wantRel == "" && p != nil && p.Customer.Existing != nil {
		wantRel = p.Customer.Existing.ID
	}
	var totals []decimal.Decimal
	if e.Payload != "" && e.Total != "" {
		if t, err := decimal.NewFromString(e.Total); err == nil {
			totals = append(totals, t)
		}
	}
	if p != nil {
		totals = append(totals, p.Total, p.ShopTotal)
	}
	sameRel := vo.Relatie != nil && wantRel != "" && strings.EqualFold(vo.Relatie.ID, wantRel)
	sameTotal := vo.TotaalInclusiefBtw == nil // SnelStart did not say: the customer decides
	for _, t := range totals {
		sameTotal = sameTotal || vo.TotaalInclusiefBtw.Round(2).Equal(t.Round(2))
	}
	if sameRel && sameTotal {
		return nil
	}
	return &Hold{"reference_taken", takenBy(vo)}
}

// takenBy describes a verkooporder that carries a reference not ours:
// kenmerk · ordernummer · totaal.
func takenBy(vo *snelstart.Verkooporder) string {
	nummer, total := "?", "?"
	if vo.Nummer != nil {
		nummer = strconv.Itoa(*vo.Nummer)
	}
	if vo.TotaalInclusiefBtw != nil {
		total = euro(vo.TotaalInclusiefBtw.Decimal)
	}
	return vo.Betalingskenmerk + " · " + nummer + " · " + total
}

// payloadRelatie is the relatie id of a verkooporder as the ledger sent it.
func payloadRelatie(payload string) string {
	var vo struct {
		Relatie *snelstart.Ref `json:"relatie"`
	}
	if payload == "" || json.Unmarshal([]byte(payload), &vo) != nil || vo.Relatie == nil {
		return ""
	}
	return vo.Relatie.ID
}

// searchHint is what to look for in SnelStart's Verkooporders by hand:
// customer, relatiecode, order date and total.
func searchHint(o opencart.Order, e config.LedgerEntry) string {
	parts := []string{e.Customer}
	if e.Customer == "" {
		parts[0] = customerName(o)
	}
	if e.Relatiecode > 0 {
		parts = append(parts, strconv.Itoa(e.Relatiecode))
	}
	parts = append(parts, o.Added.Format("02-01-2006"))
	if t, err := decimal.NewFromString(e.Total); err == nil {
		parts = append(parts, euro(t))
	} else {
		parts = append(parts, euro(o.Total))
	}
	return strings.Join(parts, " · ")
}

func euro(d decimal.Decimal) string {
	return "€ " + strings.Replace(d.StringFixed(2), ".", ",", 1)
}

// sleepUntil waits until t or until ctx ends.
func sleepUntil(ctx context.Context, t time.Time) error {
	d := time.Until(t)
	if d <= 0 {
		return nil
	}
	tm := time.NewTimer(d)
	defer tm.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-tm.C:
		return nil
	}
}
