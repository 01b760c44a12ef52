// Package reconcile is Controle (B3): for a period, the shop's orders
// against SnelStart's verkooporders by reference — missing, double,
// different amounts or VAT, another customer, orders SnelStart has that the
// shop does not, orders still open — and the turnover and VAT per rate of
// both sides, side by side. It only reads: from the shop, from SnelStart
// and (when this PC has it) from the ledger.
package reconcile

import (
	"context"
	"errors"
	"sort"
	"time"

	"github.com/shopspring/decimal"

	"github.com/s-connect/s-connect/backend/config"
	"github.com/s-connect/s-connect/backend/opencart"
	"github.com/s-connect/s-connect/backend/orderimport"
	"github.com/s-connect/s-connect/backend/reference"
	"github.com/s-connect/s-connect/backend/snelstart"
)

// MaxDays is the longest period a check takes: a year, the longest a VAT
// return (or a bookkeeper's year-end check) covers.
const MaxDays = 366

// DateLayout is how a period's days are written (--from, --to).
const DateLayout = "2006-01-02"

// MomentLayout is how Vanaf datum/tijd is written in a finding, on the
// command line and in the CSV file (dates there are written DateLayout).
const MomentLayout = "2006-01-02 15:04"

// PeriodError is a period that cannot be checked; Code names the message
// ("check.period.<code>").
type PeriodError struct{ Code, Arg string }

func (e *PeriodError) Error() string { return "reconcile: period: " + e.Code + " " + e.Arg }

// Period reads a period of whole days, from and to included.
func Period(from, to string) (time.Time, time.Time, error) {
	if from == "" || to == "" {
		return time.Time{}, time.Time{}, &PeriodError{Code: "missing"}
	}
	f, err := time.Parse(DateLayout, from)
	if err != nil {
		return time.Time{}, time.Time{}, &PeriodError{Code: "date", Arg: from}
	}
	t, err := time.Parse(DateLayout, to)
	if err != nil {
		return time.Time{}, time.Time{}, &PeriodError{Code: "date", Arg: to}
	}
	switch {
	case t.Before(f):
		return time.Time{}, time.Time{}, &PeriodError{Code: "order"}
	case t.Sub(f).Hours()/24 >= MaxDays:
		return time.Time{}, time.Time{}, &PeriodError{Code: "long"}
	}
	return f, t, nil
}

// Ledger is where the import keeps each order's state (config.Store).
type Ledger interface {
	Ledger(profileID uint, orderIDs []int) (map[int]config.LedgerEntry, error)
}

// Job is one check.
type Job struct {
	ProfileID uint
	Shop      *opencart.Shop
	Client    *snelstart.Client
	Ledger    Ledger // nil: this PC has no ledger of the profile
	Settings  orderimport.Settings
	Query     opencart.OrderQuery // the profile's selection: Vanaf datum/tijd, statuses, stores
	From, To  time.Time           // days (DateLayout), both included
	PageSize  int                 // shop orders read at once; default 100
	Progress  func(Progress)
}

// Progress is how far a check is: the orders read, and how far into the
// period they are (0–100).
type Progress struct {
	Orders  int `json:"orders"`
	Percent int `json:"percent"`
}

// Finding kinds. The first ones are differences the bookkeeper has to look
// at; the last ones (Info) say why an order is as it is.
const (
	Missing       = "missing"        // in the shop, not in SnelStart
	Double        = "double"         // in SnelStart more than once
	Amount        = "amount"         // amount or VAT per rate differ
	Customer      = "customer"       // another relatie than the ledger sent
	Unknown       = "unknown"        // our reference in SnelStart, no such order in the shop
	Open          = "open"           // held, failed or uncertain in the ledger
	Status        = "status"         // in SnelStart, the shop's status is not one chosen
	BeforeSince   = "before_since"   // in SnelStart, added in the shop before Vanaf datum/tijd
	OtherPeriod   = "other_period"   // SnelStart's datum and the shop's date fall in different periods
	CreditAmount  = "credit_amount"  // a full credit order that does not undo the order
	NotComputable = "not_computable" // the shop's amounts cannot be planned (the hold says why)
	Credited      = "credited"       // Info: fully credited, nets to zero
	PartCredited  = "part_credited"  // Info: partly credited
	Handled       = "handled"        // Info: handled by hand (the ledger)
	Ignored       = "ignored"        // Info: ignored (the ledger): not for SnelStart
)

// Finding is one order that needs a word.
type Finding struct {
	Kind       string   `json:"kind"`
	Info       bool     `json:"info"` // no difference: an explanation
	OrderID    int      `json:"orderId"`
	Reference  string   `json:"reference"`
	Date       string   `json:"date"` // the shop's order date, else SnelStart's datum (DateLayout)
	Customer   string   `json:"customer"`
	Nummers    []int    `json:"nummers,omitempty"` // verkoopordernummers in SnelStart
	Shop       *Figures `json:"shop,omitempty"`
	SnelStart  *Figures `json:"snelstart,omitempty"`
	State      string   `json:"state,omitempty"`      // the ledger's state (Open)
	Detail     string   `json:"detail,omitempty"`     // a hold or ledger reason (code(arg)), a note, a status name, a relatie, a date
	DetailCode string   `json:"detailCode,omitempty"` // what Detail is: reason, note, status, relatie, date
	Text       string   `json:"text,omitempty"`       // Detail and the differing figures in words (Explain)
}

// Figures are one side's amounts of an order: total incl. VAT, and per rate.
type Figures = orderimport.Amounts

// RateTotal is one VAT rate's turnover and VAT for the period, both sides.
type RateTotal struct {
	Rate          decimal.Decimal `json:"rate"`
	ShopExcl      decimal.Decimal `json:"shopExcl"`
	ShopVAT       decimal.Decimal `json:"shopVat"`
	SnelStartExcl decimal.Decimal `json:"snelstartExcl"`
	SnelStartVAT  decimal.Decimal `json:"snelstartVat"`
}

// Report is a check's outcome.
type Report struct {
	From            string          `json:"from"`
	To              string          `json:"to"`
	Prefix          string          `json:"prefix"`
	Orders          int             `json:"orders"`          // shop orders of the period the import books (its selection)
	SnelStartOrders int             `json:"snelstartOrders"` // verkooporders with our reference dated in the period
	Findings        []Finding       `json:"findings"`
	Differences     int             `json:"differences"` // findings that are not Info
	Totals          []RateTotal     `json:"totals"`      // highest rate first
	ShopTotal       decimal.Decimal `json:"shopTotal"`
	SnelStartTotal  decimal.Decimal `json:"snelstartTotal"`
	WithLedger      bool            `json:"withLedger"`
	Calls           int64           `json:"calls"` // SnelStart API calls made
	// Since is Vanaf datum/tijd (config.DateTimeLayout) when the period
	// starts before it: the orders added before it are never imported, so
	// they are not counted (SinceNote says so).
	Since string `json:"since,omitempty"`
}

// Explain fills in each finding's Text in the user's language.
func (r *Report) Explain(lang string, t Label) {
	for i := range r.Findings {
		r.Findings[i].Text = DetailText(r.Findings[i], t, amountFormat(lang))
	}
}

// SinceNote says, when the period starts before Vanaf datum/tijd, that the
// orders before it are not imported and not counted; "" otherwise.
func (r *Report) SinceNote(t Label) string {
	since, err := time.Parse(config.DateTimeLayout, r.Since)
	if err != nil {
		return ""
	}
	return t("check.since", since.Format(MomentLayout))
}

// ErrNoReference: without Betalingskenmerk uniek (sales.paymentReference)
// the verkooporders carry no reference to find them by.
var ErrNoReference = errors.New("reconcile: the verkooporders carry no reference (Betalingskenmerk uniek is off)")

// Run checks the period. It writes nothing anywhere.
func Run(ctx context.Context, j Job) (*Report, error) {
	if !j.Settings.PaymentReference {
		return nil, ErrNoReference
	}
	if j.To.Before(j.From) || j.To.Sub(j.From).Hours()/24 >= MaxDays {
		return nil, &PeriodError{Code: "order"}
	}
	if j.PageSize <= 0 {
		j.PageSize = 100
	}
	calls := j.Client.Requests()
	c := &checker{Job: &j, orders: map[int]*order{}}
	k, err := orderimport.CheckKnowledge(ctx, j.Client, j.Settings, j.Shop.Name)
	if err != nil {
		return nil, err
	}
	c.k = k
	if err := c.listSnelStart(ctx); err != nil {
		return nil, err
	}
	if err := c.readShop(ctx); err != nil {
		return nil, err
	}
	if err := c.readOthers(ctx); err != nil {
		return nil, err
	}
	if err := c.loadArticles(ctx); err != nil {
		return nil, err
	}
	rep := c.report()
	if err := c.nameRelaties(ctx, rep); err != nil {
		return nil, err
	}
	rep.Calls = j.Client.Requests() - calls
	return rep, nil
}

// order is everything known of one order number: the shop's order, its
// plan, the ledger's entry and SnelStart's verkooporders with its reference.
type order struct {
	id        int
	shop      *opencart.Order
	selected  bool // in the period, with a chosen status
	plan      orderimport.Plan
	entry     *config.LedgerEntry
	originals []verkooporder
	credits   []verkooporder
}

type verkooporder struct {
	vo       snelstart.Verkooporder
	ref      reference.Parsed
	inPeriod bool
}

type checker struct {
	*Job
	k        *orderimport.Knowledge
	orders   map[int]*order
	seen     map[string]bool // verkooporder ids already placed
	entries  bool            // the ledger knew at least one order
	statuses map[int]string  // the shop's status names, when an order outside the selection needs one
}

func (c *checker) get(id int) *order {
	o := c.orders[id]
	if o == nil {
		o = &order{id: id}
		c.orders[id] = o
	}
	return o
}

// day is SnelStart's datum of a period's day: a date without a zone.
func day(t time.Time) time.Time { return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC) }

// place files a verkooporder with our reference under its order.
func (c *checker) place(vo snelstart.Verkooporder) {
	if c.seen[vo.ID] {
		return
	}
	p, ok := reference.Parse(c.Settings.ReferencePrefix, vo.Betalingskenmerk)
	if !ok {
		return // not ours: another shop's, or the bookkeeper's own
	}
	if c.seen == nil {
		c.seen = map[string]bool{}
	}
	c.seen[vo.ID] = true
	d := day(vo.Datum.Time)
	v := verkooporder{vo: vo, ref: p, inPeriod: !d.Before(c.From) && !d.After(c.To)}
	o := c.get(p.OrderID)
	if p.Credit {
		o.credits = append(o.credits, v)
	} else {
		o.originals = append(o.originals, v)
	}
}

// listSnelStart reads the verkooporders dated in the period with our
// prefix: one list, paged by SnelStart's maximum. SnelStart documents gt and
// lt (not ge or le), so the period starts after the last millisecond of the
// day before, the form SnelStart's own examples use.
func (c *checker) listSnelStart(ctx context.Context) error {
	filter := snelstart.And(snelstart.Gt("Datum", c.From.Add(-time.Millisecond)), snelstart.Lt("Datum", c.To.AddDate(0, 0, 1)))
	if prefix := c.Settings.ReferencePrefix; prefix != "" {
		filter = snelstart.And(filter, snelstart.StartsWith("Betalingskenmerk", prefix))
	}
	list, err := snelstart.Collect(c.Client.Verkooporders.List(ctx, snelstart.ListOptions{Filter: filter}))
	if err != nil {
		return err
	}
	for _, vo := range list {
		c.place(vo)
	}
	return nil
}

// start is the first moment of the period, in the zone the import dates
// its verkooporders in; end the first moment after it.
func (c *checker) start() time.Time {
	return time.Date(c.From.Year(), c.From.Month(), c.From.Day(), 0, 0, 0, 0, orderimport.BookingZone())
}

func (c *checker) end() time.Time {
	return time.Date(c.To.Year(), c.To.Month(), c.To.Day()+1, 0, 0, 0, 0, orderimport.BookingZone())
}

// readShop reads the shop's orders of the period that the import books —
// its own selection, so an order before Vanaf datum/tijd or outside the
// chosen statuses and stores is never counted as missing — a page at a
// time: each page's products and articles, the verkooporders of orders
// SnelStart has dated outside the period, and the ledger.
func (c *checker) readShop(ctx context.Context) error {
	q, left := orderimport.Selection(c.Query, c.Shop, c.Settings, c.start(), c.end())
	if !left || !q.AddedSince.Before(q.AddedBefore) {
		return nil // every chosen status is a refund status, or the period ends before Vanaf datum/tijd
	}
	q.IDs, q.AlsoIDs, q.AnyStatus, q.ModifiedSince, q.ModifiedBefore, q.UpToID, q.Limit = nil, nil, false, time.Time{}, time.Time{}, 0, c.PageSize
	span := q.AddedBefore.Sub(q.AddedSince)
	read, latest := 0, q.AddedSince
	for {
		page, next, err := c.Shop.Orders(ctx, q)
		if err != nil {
			return err
		}
		if err := c.take(ctx, page, true); err != nil {
			return err
		}
		read += len(page)
		// Orders come by number, which mostly follows the date: how far
		// the newest order read so far is into the period.
		for _, o := range page {
			if o.Added.After(latest) {
				latest = o.Added
			}
		}
		if c.Progress != nil && len(page) > 0 {
			c.Progress(Progress{Orders: read, Percent: int(min(99, max(0, 100*latest.Sub(q.AddedSince)/span)))})
		}
		if next == 0 {
			break
		}
		q.AfterID = next
	}
	return nil
}

// take files a page of shop orders: planned with the import's own plan.
func (c *checker) take(ctx context.Context, page []opencart.Order, selected bool) error {
	if len(page) == 0 {
		return nil
	}
	if err := c.k.LoadOrders(ctx, c.Client, c.Shop, c.Settings, page); err != nil {
		return err
	}
	var ids []int
	var refs []string
	for i := range page {
		o := c.get(page[i].ID)
		o.shop, o.selected = &page[i], selected
		o.plan = orderimport.PlanOrder(page[i], c.Settings, c.k)
		ids = append(ids, o.id)
		if len(o.originals) == 0 {
			refs = append(refs, reference.Order(c.Settings.ReferencePrefix, o.id))
		}
	}
	// Orders SnelStart has under another datum than the period's.
	for start := 0; start < len(refs); start += lookupBatch {
		part := refs[start:min(start+lookupBatch, len(refs))]
		list, err := snelstart.Collect(c.Client.Verkooporders.List(ctx, snelstart.ListOptions{Filter: snelstart.In("Betalingskenmerk", part)}))
		if err != nil {
			return err
		}
		for _, vo := range list {
			c.place(vo)
		}
	}
	if c.Ledger != nil {
		entries, err := c.Ledger.Ledger(c.ProfileID, ids)
		if err != nil {
			return err
		}
		for id, e := range entries {
			c.get(id).entry = &e
			c.entries = true
		}
	}
	return nil
}

// lookupBatch is how many references go into one OData "or" chain, as the
// import does.
const lookupBatch = 40

// readOthers reads, by id and whatever their status or date, the shop's
// orders SnelStart has that the period's selection does not.
func (c *checker) readOthers(ctx context.Context) error {
	var ids []int
	for id, o := range c.orders {
		if o.shop == nil {
			ids = append(ids, id)
		}
	}
	sort.Ints(ids)
	if len(ids) > 0 {
		list, err := c.Shop.OrderStatuses(ctx)
		if err != nil {
			return err
		}
		c.statuses = map[int]string{}
		for _, st := range list {
			c.statuses[st.ID] = st.Name
		}
	}
	for start := 0; start < len(ids); start += c.PageSize {
		part := ids[start:min(start+c.PageSize, len(ids))]
		q := opencart.OrderQuery{IDs: part, AnyStatus: true, Limit: len(part)}
		page, _, err := c.Shop.Orders(ctx, q)
		if err != nil {
			return err
		}
		if err := c.take(ctx, page, false); err != nil {
			return err
		}
	}
	return c.findCredits(ctx, ids)
}

// findCredits looks up the full credit orders, whatever their date, of
// orders outside the selection that SnelStart has: a sale of the period
// refunded later is credited, not a status that went wrong.
func (c *checker) findCredits(ctx context.Context, ids []int) error {
	var refs []string
	for _, id := range ids {
		o := c.orders[id]
		if o.shop == nil || len(o.originals) == 0 {
			continue
		}
		full := false
		for _, v := range o.credits {
			full = full || v.ref.ReturnID == 0
		}
		if !full {
			refs = append(refs, reference.Credit(reference.Order(c.Settings.ReferencePrefix, id)))
		}
	}
	for start := 0; start < len(refs); start += lookupBatch {
		part := refs[start:min(start+lookupBatch, len(refs))]
		list, err := snelstart.Collect(c.Client.Verkooporders.List(ctx, snelstart.ListOptions{Filter: snelstart.In("Betalingskenmerk", part)}))
		if err != nil {
			return err
		}
		for _, vo := range list {
			c.place(vo)
		}
	}
	return nil
}

// loadArticles loads, in batches, the articles of verkooporder lines that
// no shop order brought (a line the bookkeeper changed or added by hand, an
// order the shop does not have): without its article a line's VAT rate is
// unknown and SnelStart's side would count it at 0 %.
func (c *checker) loadArticles(ctx context.Context) error {
	var vos []snelstart.Verkooporder
	for _, o := range c.orders {
		for _, v := range append(append([]verkooporder(nil), o.originals...), o.credits...) {
			vos = append(vos, v.vo)
		}
	}
	return c.k.LoadArticleIDs(ctx, c.Client, vos)
}
