package orderimport

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/s-connect/s-connect/backend/config"
	"github.com/s-connect/s-connect/backend/opencart"
	"github.com/s-connect/s-connect/backend/snelstart"
)

// Ledger is where the state of every order is kept (backend/config.Store).
type Ledger interface {
	Ledger(profileID uint, orderIDs []int) (map[int]config.LedgerEntry, error)
	PutLedger(config.LedgerEntry) error
	// The customer creates, by memo line: "sending" before a relatie is
	// created, "confirmed" after (customer.go's rules are the orders').
	CustomerCreates(profileID uint, keys []string) (map[string]config.CustomerCreate, error)
	PutCustomerCreate(config.CustomerCreate) error
}

// DefaultSettle is Job.Settle's default. SnelStart publishes nothing on how
// late a write may show in its lists; see docs/exactly-once.md.
const DefaultSettle = 5 * time.Second

// Job is one run of the order import.
type Job struct {
	ProfileID   uint
	Shop        *opencart.Shop
	Client      *snelstart.Client
	Ledger      Ledger
	Settings    Settings
	Query       opencart.OrderQuery // Vanaf datum/tijd, statuses, stores
	Preview     bool                // plan only: nothing is written anywhere
	Concurrency int                 // verkooporders sent at once; default 4
	PageSize    int                 // orders read at once; default 100
	Progress    func(done int)
	OnOrder     func(OrderProgress) // per order: x of y, and the order at hand
	// Settle is how long after a create that may have reached SnelStart a
	// lookup must wait before its "not there" counts (default DefaultSettle).
	Settle   time.Duration
	Articles ArticleMemory // when set, remembers the articles the import creates (SnelStart starts them without stock)
	// State keeps the watermark: when set, a run reads only what is new or
	// changed since the last (watermark.go); nil reads the whole selection.
	State StateStore
	Full  bool // a full pass whatever the watermark says (Volledige controle)
	track *tracker
}

// ArticleMemory keeps the articles S-Connect created (backend/config.Store).
type ArticleMemory interface {
	RememberArticle(profileID uint, code, articleID string, modifiedOn time.Time) error
}

// Result is what happened to one order.
type Result struct {
	OrderID     int    `json:"orderId"`
	State       string `json:"state"` // created, exists, held, failed, skipped, changed, planned
	Customer    string `json:"customer"`
	Relatiecode int    `json:"relatiecode"`
	Nummer      int    `json:"nummer"`
	Reason      *Hold  `json:"reason,omitempty"`
	// Kind "credit": a credit verkooporder of a refund (credits.go), with
	// its own reference; "" is the order itself.
	Kind      string `json:"kind,omitempty"`
	Reference string `json:"reference,omitempty"`
	Plan      *Plan  `json:"plan,omitempty"` // in a preview
	// vatOtherwise: SnelStart's totals of the created order are not the
	// ones the plan checked the VAT with (see roundedOtherwise).
	vatOtherwise bool
}

// Report is a run's outcome.
type Report struct {
	Results        []Result `json:"results"`
	Counts         map[string]int
	Calls          int64  // SnelStart API calls made
	Warnings       []Note // about the whole run (a shop not in euros)
	Administration string // companyInfo's administratieIdentifier
	Mode           string // ModeFull or ModeIncremental
}

// runner is the state of one run: the knowledge of SnelStart, the results
// so far and the orders whose create may have reached SnelStart.
type runner struct {
	*Job
	k       *Knowledge
	started time.Time // after the profile's lock was taken: no earlier run sends any more

	mu        sync.Mutex // results and unsettled: the senders write them beside the run
	results   []Result
	unsettled []*unsettled // verkooporders that may be in SnelStart (ledger.go)
	// Customers and articles: the creates the orders wait for, and the
	// relaties made in this run by their memo line (prepare.go).
	pending      map[string]*pendingCreate
	madeRelaties map[string]*snelstart.Relatie
	noReturns    bool // refunds on, and the shop's return table cannot be read (credits.go)
	// noRefundActions: refunds on, and no return action is named as one
	// that gives money back (credits.go).
	noRefundActions bool
	// intents are the customer creates earlier runs recorded for the
	// orders at hand, by memo line (prepare.go).
	intents map[string]config.CustomerCreate
	seen    seen // the orders read (watermark.go)
	readAny bool // a page was read: the run's first is smaller (pass)
	// Made ahead, side by side (ahead.go): kmu guards the knowledge, the
	// pending creates and these while the creates go on.
	kmu           sync.Mutex
	madeFor       map[string]int   // memo line → the order whose create made the relatie
	failedCreates map[string]*Hold // "relatie:<memo>" or "artikel:<code>" → why its create failed
}

// add makes room for a result and returns its place; set puts a result in
// its place. Both go under mu: the senders of one page put theirs while
// the next page is added.
func (r *runner) add(res Result) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.results = append(r.results, res)
	return len(r.results) - 1
}

func (r *runner) resultCount() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.results)
}

func (r *runner) set(slot int, res Result) {
	r.mu.Lock()
	r.results[slot] = res
	r.mu.Unlock()
}

// Run imports the orders of Job.Query. One failing order never stops the
// others; failed and held orders are tried again on the next run. Before
// it returns it settles the orders whose create may have reached SnelStart
// (ledger.go), unless ctx ends first.
func Run(ctx context.Context, j Job) (*Report, error) {
	if j.Concurrency <= 0 {
		j.Concurrency = 4
	}
	if j.PageSize <= 0 {
		j.PageSize = 100
	}
	if j.Settle <= 0 {
		j.Settle = DefaultSettle
	}
	started := time.Now()
	calls := j.Client.Requests()
	j.track = newTracker(j.OnOrder)
	k, ci, err := staticKnowledge(ctx, &j)
	if err != nil {
		return nil, err
	}
	rep := &Report{Counts: map[string]int{}, Administration: ci.AdministratieIdentifier}
	if cur := j.Shop.Currency; cur != "" && !strings.EqualFold(cur, "EUR") {
		// OpenCart stores amounts in its default currency; SnelStart books euros.
		rep.Warnings = append(rep.Warnings, Note{"currency", cur})
	}
	r := &runner{Job: &j, k: k, started: started, seen: seen{ids: map[int]bool{}}, madeFor: map[string]int{}}
	finish := func(err error) (*Report, error) {
		rep.Results = r.results
		var otherwise []string // orders whose VAT SnelStart computed otherwise
		for _, res := range r.results {
			if res.Kind == "credit" {
				rep.Counts["credit_"+res.State]++
				continue
			}
			rep.Counts[res.State]++
			if res.vatOtherwise {
				otherwise = append(otherwise, strconv.Itoa(res.OrderID))
			}
		}
		if len(otherwise) > 0 {
			rep.Warnings = append(rep.Warnings, Note{"vat_rounding", strings.Join(otherwise, ", ")})
		}
		if len(otherwise) > 0 || rep.Counts["failed"] > 0 || rep.Counts["credit_failed"] > 0 || err != nil {
			forgetStatic(&j)
		}
		if r.noReturns {
			rep.Warnings = append(rep.Warnings, Note{"returns_unreadable", ""})
		}
		if r.noRefundActions {
			rep.Warnings = append(rep.Warnings, Note{"return_actions_unknown", ""})
		}
		rep.Calls = j.Client.Requests() - calls
		return rep, err
	}
	var left bool
	if j.Query, left = Selection(j.Query, j.Shop, j.Settings, time.Time{}, time.Time{}); !left {
		return finish(r.refunds(ctx))
	}
	if err := r.readOrders(ctx, rep); err != nil {
		return finish(err)
	}
	r.settle(ctx, true)
	r.unsettledLeft()
	if err := r.refunds(ctx); err != nil {
		return finish(err)
	}
	return finish(ctx.Err())
}

// item is an order of this run with its place among the results and its
// ledger entry (zero when it has none).
type item struct {
	slot  int
	order opencart.Order
	entry config.LedgerEntry
}

// page handles one page of orders: what the ledger already settles, then
// the rest (bookNew), whose verkooporders it hands to ss; done counts them
// until they are sent. entries and existing come from fetch.
func (r *runner) page(ctx context.Context, orders []opencart.Order, entries map[int]config.LedgerEntry, existing map[string]snelstart.Verkooporder, ss *senders, done *sync.WaitGroup) error {
	var todo []item
	for _, o := range orders {
		it := item{slot: r.add(Result{OrderID: o.ID}), order: o, entry: entries[o.ID]}
		_, known := entries[o.ID]
		switch {
		case known && config.Settled(it.entry.State):
			r.track.finished(o.ID)
			r.set(it.slot, skippedResult(o, it.entry))
		case known && mayBeInSnelStart(it.entry):
			r.set(it.slot, r.holdUntilSettled(it))
		default:
			todo = append(todo, it)
		}
	}
	return r.bookNew(ctx, todo, existing, ss, done)
}

// lookUp asks SnelStart, in batches, what these orders need: with
// withExisting the verkooporders that already carry their references, and
// the products, customers and articles (loadForPage); and reads the
// customer creates earlier runs recorded for them.
func (r *runner) lookUp(ctx context.Context, orders []opencart.Order, withExisting bool) (map[string]snelstart.Verkooporder, error) {
	existing := map[string]snelstart.Verkooporder{}
	if len(orders) == 0 {
		return existing, nil
	}
	refs := make([]string, len(orders))
	for i, o := range orders {
		refs[i] = refOf(o, r.Settings)
	}
	// The lookups go out together: they touch different parts of the knowledge.
	var lookErr error
	var wg sync.WaitGroup
	if r.Settings.PaymentReference && withExisting {
		wg.Add(1)
		go func() {
			defer wg.Done()
			existing, lookErr = existingOrders(ctx, r.Client, refs)
		}()
	}
	loadErr := r.loadForPage(ctx, orders)
	wg.Wait()
	return existing, errors.Join(lookErr, loadErr, r.loadIntents(orders))
}

// bookNew plans, prepares and sends orders that are not in SnelStart as far
// as the ledger knows: batched lookups first (unless fetch made them:
// existing; the orders sent again by settle are not looked up by
// reference), then the new customers and articles side by side (ahead.go),
// then per order what is left of its customer and articles; the
// verkooporders go to ss, which sends them several at once, and done
// counts them until they are sent: bookNew does not wait for them.
func (r *runner) bookNew(ctx context.Context, items []item, existing map[string]snelstart.Verkooporder, ss *senders, done *sync.WaitGroup) error {
	if len(items) == 0 {
		return nil
	}
	if existing == nil {
		orders := make([]opencart.Order, len(items))
		for i, it := range items {
			orders[i] = it.order
		}
		var err error
		if existing, err = r.lookUp(ctx, orders, false); err != nil {
			return err
		}
	}
	plans := make([]Plan, len(items))
	for i, it := range items {
		plans[i] = PlanOrder(it.order, r.Settings, r.k)
	}
	made, allMade := map[string]chan struct{}{}, func() {}
	if !r.Preview {
		made, allMade = r.createAhead(ctx, items, plans)
	}
	for i, it := range items {
		o := it.order
		r.track.at(o.ID)
		p := plans[i]
		if vo, ok := existing[refOf(o, r.Settings)]; ok {
			r.set(it.slot, r.alreadyThere(it, &p, &vo))
			continue
		}
		if r.Preview {
			state := "planned"
			if p.Held != nil {
				state = "held"
			}
			pp := p
			r.set(it.slot, Result{OrderID: o.ID, State: state, Customer: customerName(o), Reason: p.Held, Plan: &pp})
			r.track.finished(o.ID)
			continue
		}
		if p.Held != nil {
			r.set(it.slot, r.record(o, it.entry, config.LedgerHeld, p.Held, customerName(o)))
			continue
		}
		// Only this order's own customer and articles: the page's other
		// creates and the verkooporders ready before it go on meanwhile.
		waitMade(made, &p)
		r.kmu.Lock() // the creates still going on write the knowledge
		h, pc := r.prepare(ctx, o, &p)
		if pc != nil { // waits for a customer or article that may have been made
			pc.waiting = append(pc.waiting, send{item: it, plan: p})
		}
		r.kmu.Unlock()
		switch {
		case pc != nil:
			r.set(it.slot, Result{OrderID: o.ID, State: "failed", Customer: customerName(o), Reason: &Hold{"uncertain", ""}})
		case h != nil:
			r.set(it.slot, r.record(o, it.entry, config.LedgerFailed, h, customerName(o)))
		default:
			ss.send(send{item: it, plan: p}, done)
		}
	}
	allMade() // creates no order of the page waits for (its verkooporder exists)
	return ctx.Err()
}

// alreadyThere is an order whose reference SnelStart already has: ours
// when customer and total agree, else held for the user.
func (r *runner) alreadyThere(it item, p *Plan, vo *snelstart.Verkooporder) Result {
	o := it.order
	if h := notThisOrder(vo, it.entry, p); h != nil {
		if r.Preview {
			return Result{OrderID: o.ID, State: "held", Customer: customerName(o), Reason: h, Plan: p}
		}
		return r.record(o, it.entry, config.LedgerHeld, h, customerName(o))
	}
	if r.Preview {
		return Result{OrderID: o.ID, State: "exists", Customer: customerName(o), Plan: p}
	}
	return r.confirm(o, it.entry, vo, nil, "exists")
}

// loadForPage looks up, in batches, the products, customers and articles
// of a page of orders.
func (r *runner) loadForPage(ctx context.Context, orders []opencart.Order) error {
	return r.k.loadPage(ctx, r.Client, r.Shop, r.Settings, orders, true)
}

// loadPage looks up, in batches, the products and articles of a page of
// orders, and the customers when asked (planning an order's amounts needs
// none).
func (k *Knowledge) loadPage(ctx context.Context, c *snelstart.Client, shop *opencart.Shop, s Settings, orders []opencart.Order, customers bool) error {
	var productIDs []string
	for _, o := range orders {
		for _, l := range o.Lines {
			productIDs = append(productIDs, fmt.Sprint(l.ProductID))
		}
	}
	if k.Products == nil {
		k.Products = map[int]opencart.Product{}
	}
	if f := s.CodeField; (f != "" && f != "model" && f != "product_id") || shop.Schema().Has("product_option_value", "sku") {
		products, err := shop.ProductsByCode(ctx, "product_id", unique(productIDs))
		if err != nil {
			return err
		}
		for _, p := range products {
			k.Products[p.ID] = p
		}
	}
	codes := s.Articles() // the fee and default articles every order may need
	for _, o := range orders {
		for _, l := range o.Lines {
			main, more := lineCodes(l, s, k)
			codes = append(append(codes, main), more...)
		}
	}
	var custErr error
	done := make(chan struct{})
	go func() {
		defer close(done)
		if customers {
			custErr = k.loadCustomers(ctx, c, s, orders)
		}
	}()
	artErr := k.loadArticles(ctx, c, codes)
	<-done
	return errors.Join(custErr, artErr)
}

// send is a verkooporder ready to go; sends counts its earlier sends in
// this run.
type send struct {
	item
	plan  Plan
	sends int
}

// senders sends verkooporders as they are handed over, in that order,
// through 2×Concurrency workers: Concurrency requests in flight (the client
// lets no more writes go), the others writing their ledger entries
// meanwhile, so that the requests in flight never wait for the ledger. The
// queue has no bound: handing a page's verkooporders over never waits, so
// the next page is read, looked up and prepared while they go out, and the
// writes in flight do not run dry at a page's end.
type senders struct {
	r       *runner
	ctx     context.Context
	mu      sync.Mutex
	more    *sync.Cond
	queue   []queued
	closed  bool
	workers sync.WaitGroup
}

type queued struct {
	send
	done *sync.WaitGroup
}

func (r *runner) newSenders(ctx context.Context) *senders {
	ss := &senders{r: r, ctx: ctx}
	ss.more = sync.NewCond(&ss.mu)
	for range 2 * r.Concurrency {
		ss.workers.Add(1)
		go ss.work()
	}
	return ss
}

// send queues s; done is counted down once it is booked.
func (ss *senders) send(s send, done *sync.WaitGroup) {
	done.Add(1)
	ss.mu.Lock()
	ss.queue = append(ss.queue, queued{s, done})
	ss.mu.Unlock()
	ss.more.Signal()
}

func (ss *senders) work() {
	defer ss.workers.Done()
	r := ss.r
	for {
		ss.mu.Lock()
		for len(ss.queue) == 0 && !ss.closed {
			ss.more.Wait()
		}
		if len(ss.queue) == 0 {
			ss.mu.Unlock()
			return
		}
		q := ss.queue[0]
		ss.queue = ss.queue[1:]
		ss.mu.Unlock()
		var res Result
		var u *unsettled
		if ss.ctx.Err() != nil {
			// The run was stopped before this order's turn: nothing is
			// sent, and the ledger says so (not "SnelStart unreachable").
			// The entry is an open one, which the next run reads whatever
			// the watermark: a stop while settling comes after the
			// watermark was saved, past an order that has no entry yet.
			res = r.record(q.order, q.entry, config.LedgerFailed, &Hold{"stopped", ""}, customerName(q.order))
		} else {
			r.track.at(q.order.ID)
			res, u = r.book(ss.ctx, q.send)
		}
		// The result first, then the unsettled order: settle, which may
		// run meanwhile, puts its own result after this one.
		r.mu.Lock()
		r.results[q.slot] = res
		if u != nil {
			r.unsettled = append(r.unsettled, u)
		}
		r.mu.Unlock()
		q.done.Done()
	}
}

// close sends what is queued and ends the workers.
func (ss *senders) close() {
	ss.mu.Lock()
	ss.closed = true
	ss.mu.Unlock()
	ss.more.Broadcast()
	ss.workers.Wait()
}

// sendAll sends verkooporders, Concurrency at once, and waits for them.
func (r *runner) sendAll(ctx context.Context, sends []send) {
	if len(sends) == 0 {
		return
	}
	ss := r.newSenders(ctx)
	var done sync.WaitGroup
	for _, s := range sends {
		ss.send(s, &done)
	}
	ss.close()
}

// book sends one verkooporder under the ledger: "sending" before, the
// outcome after. An answer that leaves it open whether SnelStart stored
// the order makes it unsettled (ledger.go): it is not sent again until
// lookups prove it absent.
func (r *runner) book(ctx context.Context, s send) (Result, *unsettled) {
	o, p := s.order, s.plan
	payload, _ := json.Marshal(p.Order)
	e := entryFor(r.ProfileID, o, s.entry)
	e.State, e.Reference, e.Payload, e.Customer = config.LedgerSending, p.Order.Betalingskenmerk, string(payload), p.Customer.Existing.Naam
	e.Relatiecode, e.Total, e.Attempts, e.Reason = p.Customer.Existing.Relatiecode, p.Total.StringFixed(2), s.entry.Attempts+1, ""
	e.NewCustomer, e.NewArticles = p.Customer.Match == "new", strings.Join(r.track.articlesOf(o.ID), ",")
	if err := r.Ledger.PutLedger(e); err != nil {
		return Result{OrderID: o.ID, State: "failed", Reason: &Hold{"ledger", err.Error()}}, nil
	}
	vo, err := r.Client.Verkooporders.Create(ctx, &p.Order)
	switch {
	case err == nil:
		res := r.confirm(o, e, vo, p.Customer.Existing, "created")
		res.vatOtherwise = roundedOtherwise(vo, p)
		return res, nil
	case errors.Is(err, snelstart.ErrMaybeWritten):
		e.Answer = err.Error()
		return r.maybeWritten(s.item, e, &p, s.sends+1)
	}
	e.Answer = err.Error()
	return r.record(o, e, config.LedgerFailed, failure(err), e.Customer), nil
}

// roundedOtherwise tells whether SnelStart's totals of a created order
// differ from the plan's. The plan checks the VAT per rate assuming that
// SnelStart rounds it once per rate, which SnelStart does not document
// (docs/vat.md); rounded per line, the VAT and with it the total excl. VAT
// can differ by a few cents, and the user should hear of it.
func roundedOtherwise(vo *snelstart.Verkooporder, p Plan) bool {
	return vo.TotaalExclusiefBtw != nil && !vo.TotaalExclusiefBtw.Equal(p.TotalExcl) ||
		vo.TotaalInclusiefBtw != nil && !vo.TotaalInclusiefBtw.Equal(p.Total)
}

func entryFor(profileID uint, o opencart.Order, prev config.LedgerEntry) config.LedgerEntry {
	e := prev
	e.ProfileID, e.OrderID, e.ShopModified, e.ShopAdded = profileID, o.ID, o.Modified, o.Added
	return e
}

// skippedResult is the result of an order the ledger has as settled.
func skippedResult(o opencart.Order, e config.LedgerEntry) Result {
	res := Result{OrderID: o.ID, State: "skipped", Customer: e.Customer, Relatiecode: e.Relatiecode, Nummer: e.Nummer}
	if o.Modified.After(e.ShopModified) {
		res.State = "changed" // reported, not imported again
	}
	return res
}

func (r *runner) confirm(o opencart.Order, prev config.LedgerEntry, vo *snelstart.Verkooporder, rel *snelstart.Relatie, state string) Result {
	e := entryFor(r.ProfileID, o, prev)
	e.State, e.VerkooporderID, e.Reason = config.LedgerConfirmed, vo.ID, ""
	if vo.Nummer != nil {
		e.Nummer = *vo.Nummer
	}
	if vo.TotaalInclusiefBtw != nil {
		e.Total = vo.TotaalInclusiefBtw.StringFixed(2)
	}
	if rel != nil {
		e.Customer, e.Relatiecode = rel.Naam, rel.Relatiecode
	}
	e.Reference = vo.Betalingskenmerk
	if err := r.Ledger.PutLedger(e); err != nil {
		return Result{OrderID: o.ID, State: "failed", Reason: &Hold{"ledger", err.Error()}}
	}
	r.track.finished(o.ID)
	return Result{OrderID: o.ID, State: state, Customer: e.Customer, Relatiecode: e.Relatiecode, Nummer: e.Nummer}
}

// record writes a state other than confirmed, with its reason.
func (r *runner) record(o opencart.Order, prev config.LedgerEntry, state string, why *Hold, customer string) Result {
	e := entryFor(r.ProfileID, o, prev)
	e.State, e.Reason, e.Customer = state, why.String(), customer
	if e.Total == "" {
		e.Total = o.Total.StringFixed(2) // the shop's, until SnelStart has one
	}
	_ = r.Ledger.PutLedger(e) // a failed write here leaves the order to the next run
	r.track.finished(o.ID)
	res := Result{OrderID: o.ID, State: "failed", Customer: customer, Relatiecode: e.Relatiecode, Reason: why}
	if state == config.LedgerHeld || state == config.LedgerUncertain && why.Code == "uncertain_no_reference" {
		res.State = "held" // the user has to act
	}
	return res
}

// failure describes a failed SnelStart call as a hold code. The user reads
// SnelStart's own words (a refusal) or a message of ours, never a Go
// error: the Arg of "snelstart_error" is the technical text, which the
// message does not show and the program logs (app: logDetails).
func failure(err error) *Hold {
	var ae *snelstart.APIError
	switch {
	case errors.As(err, &ae) && len(ae.Items) > 0:
		return &Hold{"snelstart_refused", ae.Items[0].Code + " " + ae.Items[0].Message}
	case errors.Is(err, snelstart.ErrMaybeWritten):
		return &Hold{"uncertain", ""}
	case errors.As(err, new(*ledgerError)):
		return &Hold{"ledger", err.Error()}
	case errors.Is(err, snelstart.ErrRateLimited), errors.Is(err, snelstart.ErrServer), errors.Is(err, snelstart.ErrNetwork), errors.Is(err, snelstart.ErrTimeout):
		return &Hold{"snelstart_unavailable", ""}
	case errors.Is(err, snelstart.ErrInvalidClientKey), errors.Is(err, snelstart.ErrInvalidSubscriptionKey),
		errors.Is(err, snelstart.ErrUnauthorized), errors.Is(err, snelstart.ErrForbidden):
		return &Hold{"snelstart_access", ""}
	case errors.As(err, &ae) && errors.Is(err, snelstart.ErrValidation) && len(ae.ModelState) > 0:
		return &Hold{"snelstart_refused", modelStateText(ae.ModelState)}
	}
	return &Hold{"snelstart_error", err.Error()}
}

// modelStateText is SnelStart's refusal of a body it could not bind, in
// its own words: "field: message; …", by field.
func modelStateText(ms map[string][]string) string {
	fields := make([]string, 0, len(ms))
	for f := range ms {
		fields = append(fields, f)
	}
	sort.Strings(fields)
	parts := make([]string, len(fields))
	for i, f := range fields {
		parts[i] = f + ": " + strings.Join(ms[f], " ")
	}
	return strings.Join(parts, "; ")
}
