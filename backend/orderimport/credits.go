package orderimport

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/s-connect/s-connect/backend/config"
	"github.com/s-connect/s-connect/backend/opencart"
	"github.com/s-connect/s-connect/backend/snelstart"
)

// Refunds (B7). A booked order that moves to a refund status becomes a
// credit verkooporder: the booked verkooporder itself with every quantity
// negated (wholeCredit). A refunded return of a booked order
// credits only the returned product, with the returned quantity. Each
// credit has its own reference (CreditReference) and its own ledger entry,
// and is looked up in SnelStart by that reference before it is created, so
// it is booked once — across crashes and other PCs. See docs/refunds.md.

// CreditLedger keeps the credit orders (backend/config.Store).
type CreditLedger interface {
	Credits(profileID uint, orderIDs []int) (map[string]config.CreditEntry, error)
	PutCredit(config.CreditEntry) error
}

// credit is one credit order to book: of a whole order, or of one return.
type credit struct {
	order opencart.Order
	ret   *opencart.Return // nil: the whole order
	// before is what earlier returns of the same order line gave back: a
	// return credits at most what of the line is left.
	before int
	ref    string // the credit's reference
	orig   config.LedgerEntry
	entry  config.CreditEntry
	known  bool // entry exists
}

// settled: the credit is done with (booked, or not for SnelStart).
func (c credit) settled() bool { return c.known && config.Settled(c.entry.State) }

// open: bookCredits books it (looks it up, else plans and sends it) — not
// settled, and its original confirmed in SnelStart.
func (c credit) open() bool { return !c.settled() && c.orig.State == config.LedgerConfirmed }

func (r *runner) credits() CreditLedger {
	if !r.Settings.RefundCredit {
		return nil
	}
	cl, _ := r.Ledger.(CreditLedger)
	return cl
}

// creditReturns credits the refunded returns of a page of orders: one read
// of the shop's returns for the whole page.
func (r *runner) creditReturns(ctx context.Context, orders []opencart.Order) error {
	cl := r.credits()
	if cl == nil {
		return nil
	}
	if !r.Shop.Schema().HasTable("return") {
		// Every supported version has it: a bridge placed by an older
		// S-Connect does not allow it yet. Said, not silently skipped.
		r.noReturns = true
		return nil
	}
	if actions, err := r.Shop.RefundActions(ctx); err != nil || len(actions) == 0 {
		// No action named as one that gives money back: the shop's returns
		// cannot be told apart. Said, not silently skipped.
		r.noRefundActions = err == nil
		return err
	}
	ids := make([]int, len(orders))
	for i, o := range orders {
		ids[i] = o.ID
	}
	returns, err := r.Shop.Returns(ctx, ids)
	if err != nil || len(returns) == 0 {
		return err
	}
	byID := map[int]opencart.Order{}
	var with []int
	for _, o := range orders {
		byID[o.ID] = o
	}
	for _, ret := range returns {
		with = append(with, ret.OrderID)
	}
	entries, credits, err := r.ledgersOf(cl, with)
	if err != nil {
		return err
	}
	var todo []credit
	given := map[int]int{} // order line id → quantity returned so far (returns in id order)
	for i := range returns {
		ret := &returns[i]
		o := byID[ret.OrderID]
		ref := refOf(o, r.Settings)
		before := 0
		if l := returnedLine(o, *ret); l != nil {
			before = given[l.ID]
			given[l.ID] += ret.Quantity
		}
		if e, whole := credits[CreditReference(ref, 0)]; whole && e.State != config.LedgerIgnored {
			continue // the whole order is (being) credited: its returns with it
		}
		c := credit{order: o, ret: ret, ref: CreditReference(ref, ret.ID), orig: entries[o.ID], before: before}
		c.entry, c.known = credits[c.ref]
		todo = append(todo, c)
	}
	if err := r.readDiscounts(ctx, todo); err != nil {
		return err
	}
	return r.bookCredits(ctx, cl, todo)
}

// readDiscounts reads the products the coupon and reward points were taken
// off, for the returns' share of them (share.go): of the orders with a
// return bookCredits will plan (open) only, not of those credited before.
func (r *runner) readDiscounts(ctx context.Context, todo []credit) error {
	var returned []opencart.Order
	at := map[int]int{}
	for _, c := range todo {
		if _, ok := at[c.order.ID]; ok || !c.open() {
			continue
		}
		at[c.order.ID] = len(returned)
		returned = append(returned, c.order)
	}
	if len(returned) == 0 {
		return nil
	}
	if err := r.Shop.ReadDiscounts(ctx, returned); err != nil {
		return err
	}
	for i := range todo {
		if j, ok := at[todo[i].order.ID]; ok {
			todo[i].order = returned[j]
		}
	}
	return nil
}

// refunds credits the booked orders in a refund status, page by page, with
// the run's selection of stores and dates.
func (r *runner) refunds(ctx context.Context) error {
	cl := r.credits()
	if cl == nil || len(r.Settings.RefundStatuses) == 0 || ctx.Err() != nil {
		return nil
	}
	q := r.Query
	q.Statuses, q.AfterID, q.Limit = r.Settings.RefundStatuses, 0, r.PageSize
	for {
		orders, next, err := r.Shop.Orders(ctx, q)
		if err != nil {
			return err
		}
		ids := make([]int, len(orders))
		for i, o := range orders {
			ids[i] = o.ID
		}
		entries, credits, err := r.ledgersOf(cl, ids)
		if err != nil {
			return err
		}
		var todo []credit
		for _, o := range orders {
			c := credit{order: o, ref: CreditReference(refOf(o, r.Settings), 0), orig: entries[o.ID]}
			c.entry, c.known = credits[c.ref]
			inSnelStart := c.known && (config.Settled(c.entry.State) || mayBeInSnelStart(config.LedgerEntry{State: c.entry.State}))
			if credited := returnCredited(credits, o.ID); !inSnelStart && credited != "" {
				// Crediting the whole order would credit the returned
				// products twice: the rest is for the bookkeeper.
				r.partlyCredited(cl, c, credited)
				continue
			}
			todo = append(todo, c)
		}
		if err := r.bookedElsewhere(ctx, todo); err != nil {
			return err
		}
		if err := r.bookCredits(ctx, cl, todo); err != nil {
			return err
		}
		if next == 0 {
			return nil
		}
		q.AfterID = next
	}
}

// bookedElsewhere finds in SnelStart, by reference, the originals of
// refunded orders this ledger does not know (booked on another PC, or
// before the ledger was lost): the import does not read orders in a refund
// status, so without this look-up they would be "never booked" for good.
// One whose SnelStart total is the shop's is taken as booked; one with
// another total is left unknown (a credit of another shop's order would be
// worse than none), and is then said not booked.
func (r *runner) bookedElsewhere(ctx context.Context, todo []credit) error {
	var refs []string
	for _, c := range todo {
		if c.orig.State == "" && !c.settled() {
			refs = append(refs, refOf(c.order, r.Settings))
		}
	}
	if len(refs) == 0 {
		return nil
	}
	found, err := existingOrders(ctx, r.Client, refs)
	if err != nil {
		return err
	}
	for i, c := range todo {
		vo, ok := found[refOf(c.order, r.Settings)]
		if c.orig.State != "" || !ok || vo.TotaalInclusiefBtw == nil || !vo.TotaalInclusiefBtw.Round(2).Equal(c.order.Total.Round(2)) {
			continue
		}
		todo[i].orig = config.LedgerEntry{ProfileID: r.ProfileID, OrderID: c.order.ID, State: config.LedgerConfirmed,
			VerkooporderID: vo.ID, Reference: vo.Betalingskenmerk}
		if vo.Nummer != nil {
			todo[i].orig.Nummer = *vo.Nummer
		}
	}
	return nil
}

// withoutRefunds are the statuses the import reads (chosen, or else the
// shop's sale statuses) less the refund statuses.
func withoutRefunds(chosen, sale, refund []int) []int {
	if len(chosen) == 0 {
		chosen = sale
	}
	var out []int
	for _, st := range chosen {
		if st > 0 && !slices.Contains(refund, st) {
			out = append(out, st)
		}
	}
	return out
}

// returnCredited reports whether a return of the order has a credit in
// SnelStart (confirmed) or that may be (maybe), else "".
func returnCredited(credits map[string]config.CreditEntry, orderID int) string {
	out := ""
	for _, e := range credits {
		switch {
		case e.OrderID != orderID || e.ReturnID == 0:
		case e.State == config.LedgerConfirmed:
			return "confirmed"
		case mayBeInSnelStart(config.LedgerEntry{State: e.State}):
			out = "maybe"
		}
	}
	return out
}

// partlyCredited holds the whole-order credit of an order a return of which
// was credited. Once that return's credit is confirmed the hold is final —
// the rest is the bookkeeper's — so it is written down (ignored, with its
// reason, listed under the order on Uitvoering) and said once, not every
// run; while the return's credit may still fail, it is said each run.
func (r *runner) partlyCredited(cl CreditLedger, c credit, credited string) {
	why := &Hold{"partly_credited", ""}
	res := Result{State: "held", Customer: customerName(c.order), Reason: why}
	if credited == "confirmed" && !r.Preview {
		e := r.creditEntry(c)
		e.State, e.Reason = config.LedgerIgnored, why.String()
		if err := cl.PutCredit(e); err != nil {
			res = Result{State: "failed", Reason: &Hold{"ledger", err.Error()}}
		}
	}
	r.addCredit(c, res)
}

func (r *runner) ledgersOf(cl CreditLedger, ids []int) (map[int]config.LedgerEntry, map[string]config.CreditEntry, error) {
	entries, err := r.Ledger.Ledger(r.ProfileID, ids)
	if err != nil {
		return nil, nil, err
	}
	credits, err := cl.Credits(r.ProfileID, ids)
	return entries, credits, err
}

// bookCredits books the credits of a page: the settled ones are skipped,
// the rest looked up in SnelStart by reference (in batches) before any is
// created.
func (r *runner) bookCredits(ctx context.Context, cl CreditLedger, todo []credit) error {
	var open []credit
	var refs []string
	for _, c := range todo {
		switch {
		case c.settled():
			r.addCredit(c, Result{State: "skipped", Customer: c.entry.Customer, Relatiecode: c.entry.Relatiecode, Nummer: c.entry.Nummer})
		case !c.open():
			r.notBooked(cl, c)
		default:
			open = append(open, c)
			refs = append(refs, c.ref)
			if c.ret == nil || payloadRelatie(c.orig.Payload) == "" {
				// A whole order's credit is its original negated; a return's
				// customer is the original's.
				refs = append(refs, refOf(c.order, r.Settings))
			}
		}
	}
	if len(open) == 0 {
		return nil
	}
	found, err := existingOrders(ctx, r.Client, refs)
	if err != nil {
		return err
	}
	orders := make([]opencart.Order, len(open))
	for i, c := range open {
		orders[i] = c.order
	}
	if err := r.loadForPage(ctx, orders); err != nil {
		return err
	}
	for _, c := range open {
		if vo, ok := found[c.ref]; ok {
			want := payloadRelatie(c.orig.Payload)
			if o, ok := found[refOf(c.order, r.Settings)]; want == "" && ok && o.Relatie != nil {
				want = o.Relatie.ID // booked by another PC: the original's customer
			}
			if want != "" && (vo.Relatie == nil || !strings.EqualFold(vo.Relatie.ID, want)) {
				// Another shop's credit in the same administration (rule 4
				// of docs/exactly-once.md): not ours.
				r.addCredit(c, r.creditRecord(cl, c, config.LedgerHeld, &Hold{"reference_taken", takenBy(&vo)}))
				continue
			}
			r.addCredit(c, r.creditConfirmed(cl, c, &vo, "exists"))
			continue
		}
		if c.known && (c.entry.State == config.LedgerSending || c.entry.State == config.LedgerUncertain) &&
			time.Since(c.entry.UpdatedAt) < time.Duration(lookups)*r.Settle+r.Client.RequestTimeout() {
			// Sent a moment ago and not to be seen yet: SnelStart may show
			// it late (docs/exactly-once.md). The next run looks again.
			r.addCredit(c, Result{State: "failed", Customer: c.entry.Customer, Reason: &Hold{"uncertain", ""}})
			continue
		}
		orig := found[refOf(c.order, r.Settings)]
		p := r.creditPlan(c, &orig)
		switch {
		case r.Preview:
			state := "planned"
			if p.Held != nil {
				state = "held"
			}
			r.addCredit(c, Result{State: state, Customer: customerName(c.order), Reason: p.Held, Plan: &p})
		case p.Held != nil:
			r.addCredit(c, r.creditRecord(cl, c, config.LedgerHeld, p.Held))
		default:
			r.addCredit(c, r.sendCredit(ctx, cl, c, &p))
		}
	}
	return ctx.Err()
}

// notBooked: an order refunded that S-Connect never booked is not
// credited. Said once when nothing will book it any more: an order handled
// by hand or ignored, or one in a refund status (the import does not read
// those) unless it may be in SnelStart after all. A return of an order
// still open is said each run: the order may be booked later, and its
// return credited then.
func (r *runner) notBooked(cl CreditLedger, c credit) {
	res := Result{State: "not_booked", Customer: customerName(c.order), Reason: &Hold{"not_booked", ""}}
	final := c.orig.State == config.LedgerHandled || c.orig.State == config.LedgerIgnored
	if c.ret == nil {
		final = !mayBeInSnelStart(c.orig)
	}
	if !final {
		r.addCredit(c, res)
		return
	}
	if !r.Preview {
		e := c.entry
		e.ProfileID, e.Reference, e.OrderID, e.State, e.Reason = r.ProfileID, c.ref, c.order.ID, config.LedgerIgnored, "not_booked()"
		if c.ret != nil {
			e.ReturnID = c.ret.ID
		}
		if err := cl.PutCredit(e); err != nil {
			res = Result{State: "failed", Reason: &Hold{"ledger", err.Error()}}
		}
	}
	r.addCredit(c, res)
}

func (r *runner) addCredit(c credit, res Result) {
	res.OrderID, res.Kind, res.Reference = c.order.ID, "credit", c.ref
	r.add(res)
}

// creditPlan is the credit order: a whole order's original negated
// (wholeCredit), or a return's part of the order planned and negated, for
// the original's customer.
func (r *runner) creditPlan(c credit, orig *snelstart.Verkooporder) Plan {
	if c.ret == nil {
		return r.wholeCredit(c, orig)
	}
	p := planReturn(c.order, *c.ret, c.before, r.Settings, r.k)
	returnID, day := c.ret.ID, c.ret.Added
	if p.Held != nil {
		return p
	}
	rel := payloadRelatie(c.orig.Payload)
	if rel == "" && orig.Relatie != nil {
		rel = orig.Relatie.ID
	}
	if rel == "" {
		p.Held = &Hold{"original_missing", refOf(c.order, r.Settings)}
		return p
	}
	for i, l := range p.Lines {
		if l.ArticleID == "" {
			a := r.k.Artikelen[strings.ToLower(l.Code)]
			if a == nil {
				p.Held = &Hold{"article_unknown", l.Code}
				return p
			}
			p.Lines[i].ArticleID = a.ID
			p.Order.Regels[i].Artikel = &snelstart.Ref{ID: a.ID}
		}
	}
	p.NewArticles, p.Customer.New, p.Customer.Update = nil, nil, false
	negate(&p)
	p.Reference = c.ref
	vo := &p.Order
	vo.Relatie = &snelstart.Ref{ID: rel}
	vo.Betalingskenmerk, vo.Orderreferentie, vo.Memo = c.ref, c.ref, ""
	vo.Omschrijving = creditDescription(refOf(c.order, r.Settings), c.orig.Nummer, returnID)
	if !day.IsZero() {
		vo.Datum = snelstart.Time{Time: day.In(amsterdam)}
	}
	return p
}

// wholeCredit is the credit of a whole order: the booked verkooporder
// itself with every quantity negated — SnelStart's (found by its reference:
// what is booked, corrections included), else the one S-Connect sent — so
// it nets the original exactly, per line and per VAT rate, whatever changed
// since in the shop (an order edited after it was booked) or in the settings.
func (r *runner) wholeCredit(c credit, orig *snelstart.Verkooporder) Plan {
	ref := refOf(c.order, r.Settings)
	p := Plan{OrderID: c.order.ID, Reference: c.ref, ShopTotal: c.order.Total.Round(2).Neg()}
	var src snelstart.Verkooporder
	switch {
	case orig.ID != "" && len(orig.Regels) > 0 && (c.orig.VerkooporderID == "" || strings.EqualFold(orig.ID, c.orig.VerkooporderID)):
		src = *orig
	case c.orig.Payload != "" && json.Unmarshal([]byte(c.orig.Payload), &src) == nil && len(src.Regels) > 0:
		total, err := decimal.NewFromString(c.orig.Total)
		if err != nil {
			total = decimal.Zero
		}
		src.TotaalInclusiefBtw, src.TotaalExclusiefBtw = &snelstart.Number{Decimal: total}, nil
	default:
		p.Held = &Hold{"original_missing", ref}
		return p
	}
	if src.Relatie == nil || src.Relatie.ID == "" {
		p.Held = &Hold{"original_missing", ref}
		return p
	}
	codes := map[string]string{}
	for _, a := range r.k.Artikelen {
		codes[strings.ToLower(a.ID)] = a.Artikelcode
	}
	vo := src
	vo.ID, vo.URI, vo.Nummer, vo.ModifiedOn, vo.VerkoopOrderStatus = "", "", nil, nil, ""
	vo.TotaalInclusiefBtw, vo.TotaalExclusiefBtw = nil, nil
	vo.ProcesStatus = r.Settings.ProcesStatus
	if vo.ProcesStatus == "" {
		vo.ProcesStatus = "Order"
	}
	vo.Regels = make([]snelstart.Regel, len(src.Regels))
	for i, l := range src.Regels {
		l.Aantal, l.Totaal = snelstart.NumberOf(l.Aantal.Neg()), snelstart.NumberOf(l.Totaal.Neg())
		vo.Regels[i] = l
		line := Line{Kind: "credit", Description: l.Omschrijving, Quantity: l.Aantal.Decimal, Price: l.Stuksprijs.Decimal, Total: l.Totaal.Decimal}
		if l.Artikel != nil {
			line.ArticleID, line.Code = l.Artikel.ID, codes[strings.ToLower(l.Artikel.ID)]
		}
		p.Lines = append(p.Lines, line)
	}
	vo.Betalingskenmerk, vo.Orderreferentie, vo.Memo = c.ref, c.ref, ""
	vo.Omschrijving = creditDescription(ref, c.orig.Nummer, 0)
	if day := c.order.Modified; !day.IsZero() {
		vo.Datum = snelstart.Time{Time: day.In(amsterdam)}
	}
	p.Order = vo
	if src.TotaalInclusiefBtw != nil {
		p.Total = src.TotaalInclusiefBtw.Neg()
	}
	if src.TotaalExclusiefBtw != nil {
		p.TotalExcl = src.TotaalExclusiefBtw.Neg()
	}
	return p
}

// negate turns a plan into its credit: every quantity, line total and
// total the other way round; prices stay as they were.
func negate(p *Plan) {
	for i := range p.Lines {
		p.Lines[i].Quantity, p.Lines[i].Total = p.Lines[i].Quantity.Neg(), p.Lines[i].Total.Neg()
		p.Order.Regels[i].Aantal = snelstart.NumberOf(p.Lines[i].Quantity)
	}
	p.Total, p.TotalExcl, p.ShopTotal, p.Difference = p.Total.Neg(), p.TotalExcl.Neg(), p.ShopTotal.Neg(), p.Difference.Neg()
}

// returnedPart is the part of an order a return gives back: the returned
// quantity of the product's line less its share of the order's coupon and
// reward discount (returnDiscount), and the shop's sub_total, discount, tax
// and total for that part alone. Shipping and fees stay with the order.
// unknown names a discount shared by net amount: its products could not be
// read.
func returnedPart(o opencart.Order, ret opencart.Return, before int, s Settings, k *Knowledge) (part opencart.Order, unknown string, h *Hold) {
	part = o
	part.Lines, part.Totals, part.Vouchers, part.Discounts = nil, nil, nil, nil
	l := returnedLine(o, ret)
	if l == nil {
		part.Total = decimal.Zero
		return part, "", nil // no line of that product: planned empty and held below
	}
	line := *l
	if line.Quantity = min(ret.Quantity, l.Quantity-before); line.Quantity <= 0 {
		part.Total = decimal.Zero
		return part, "", nil // earlier returns gave the whole line back: held below
	}
	less, unknown, h := returnDiscount(o, l, before, line.Quantity, s, k)
	if h != nil {
		return part, "", h
	}
	qty := decimal.NewFromInt(int64(line.Quantity))
	line.Total = line.Price.Mul(qty)
	part.Lines = []opencart.Line{line}
	_, rates, _ := taxRows(o)
	rate := lineRate(line, rates)
	sub, tax := line.Total, line.Tax.Mul(qty).Round(4)
	part.Totals = append(part.Totals, opencart.Total{Code: "sub_total", Title: "Subtotaal", Value: sub, SortOrder: 1})
	if !less.IsZero() {
		// As OpenCart lowers a discounted product's tax: by the rate's
		// part of the discount.
		part.Totals = append(part.Totals, opencart.Total{Code: "coupon", Title: discountTitle(o), Value: less.Neg(), SortOrder: 4})
		tax = sub.Sub(less).Mul(rate).Div(hundred)
	}
	if !tax.IsZero() {
		for _, t := range o.Totals {
			if t.Code == "tax" && t.Rate != nil && t.Rate.Equal(rate) {
				part.Totals = append(part.Totals, opencart.Total{Code: "tax", Title: t.Title, Value: tax, SortOrder: t.SortOrder, Rate: t.Rate})
				break
			}
		}
	}
	part.Total = sub.Sub(less).Add(tax)
	part.Totals = append(part.Totals, opencart.Total{Code: "total", Title: "Totaal", Value: part.Total, SortOrder: 9})
	if less.IsZero() {
		unknown = ""
	}
	return part, unknown, nil
}

// planReturn plans the part of an order a return gives back, not yet
// negated.
func planReturn(o opencart.Order, ret opencart.Return, before int, s Settings, k *Knowledge) Plan {
	src, unknown, h := returnedPart(o, ret, before, s, k)
	p := PlanOrder(src, s, k)
	if unknown != "" {
		// Said, not guessed: the bookkeeper checks this credit's discount.
		p.Notes = append(p.Notes, Note{"discount_share_unknown", unknown})
	}
	switch {
	case h != nil:
		p.Held = h
	case len(src.Lines) > 0:
	case returnedLine(o, ret) == nil:
		p.Held = &Hold{"return_product_unknown", ret.Product}
	default:
		p.Held = &Hold{"return_exceeds_order", ret.Product}
	}
	return p
}

// returnedLine is the order's line of the returned product: by product id,
// else by model, else by name, when one product of the order has it. A
// return made in the shop's own return form often has no product id:
// 2.3 never stores it, later versions not when the customer typed the
// product instead of following the order's link, and the admin's form keeps
// it unless the product is picked again.
func returnedLine(o opencart.Order, ret opencart.Return) *opencart.Line {
	for i := range o.Lines {
		if ret.ProductID > 0 && o.Lines[i].ProductID == ret.ProductID {
			return &o.Lines[i]
		}
	}
	same := func(a, b string) bool {
		return a != "" && strings.EqualFold(strings.TrimSpace(a), strings.TrimSpace(b))
	}
	byModel := func(l opencart.Line) bool { return same(ret.Model, l.Model) }
	byName := func(l opencart.Line) bool { return same(ret.Product, l.Name) }
	for _, match := range []func(opencart.Line) bool{byModel, byName} {
		var found *opencart.Line
		for i := range o.Lines {
			switch {
			case !match(o.Lines[i]):
			case found == nil:
				found = &o.Lines[i]
			case found.ProductID != o.Lines[i].ProductID:
				return nil // two products answer to it: not guessed
			}
		}
		if found != nil {
			return found
		}
	}
	return nil
}

// sendCredit creates a credit order under its ledger entry: "sending"
// before, the outcome after.
func (r *runner) sendCredit(ctx context.Context, cl CreditLedger, c credit, p *Plan) Result {
	payload, _ := json.Marshal(p.Order)
	e := r.creditEntry(c)
	e.State, e.Payload, e.Attempts, e.Reason, e.Total = config.LedgerSending, string(payload), c.entry.Attempts+1, "", p.Total.StringFixed(2)
	e.Customer, e.Relatiecode = c.orig.Customer, c.orig.Relatiecode
	if err := cl.PutCredit(e); err != nil {
		return Result{State: "failed", Reason: &Hold{"ledger", err.Error()}}
	}
	c.entry, c.known = e, true
	vo, err := r.Client.Verkooporders.Create(ctx, &p.Order)
	switch {
	case err == nil:
		return r.creditConfirmed(cl, c, vo, "created")
	case errors.Is(err, snelstart.ErrMaybeWritten):
		c.entry.Answer = err.Error()
		return r.creditRecord(cl, c, config.LedgerUncertain, &Hold{"uncertain", ""})
	}
	c.entry.Answer = err.Error()
	return r.creditRecord(cl, c, config.LedgerFailed, failure(err))
}

func (r *runner) creditEntry(c credit) config.CreditEntry {
	e := c.entry
	e.ProfileID, e.Reference, e.OrderID = r.ProfileID, c.ref, c.order.ID
	if c.ret != nil {
		e.ReturnID = c.ret.ID
	}
	if e.Customer == "" {
		e.Customer, e.Relatiecode = c.orig.Customer, c.orig.Relatiecode
	}
	return e
}

func (r *runner) creditConfirmed(cl CreditLedger, c credit, vo *snelstart.Verkooporder, state string) Result {
	e := r.creditEntry(c)
	e.State, e.VerkooporderID, e.Reason = config.LedgerConfirmed, vo.ID, ""
	if vo.Nummer != nil {
		e.Nummer = *vo.Nummer
	}
	if vo.TotaalInclusiefBtw != nil {
		e.Total = vo.TotaalInclusiefBtw.StringFixed(2)
	}
	if r.Preview {
		return Result{State: state, Customer: e.Customer, Relatiecode: e.Relatiecode, Nummer: e.Nummer}
	}
	if err := cl.PutCredit(e); err != nil {
		return Result{State: "failed", Reason: &Hold{"ledger", err.Error()}}
	}
	return Result{State: state, Customer: e.Customer, Relatiecode: e.Relatiecode, Nummer: e.Nummer}
}

func (r *runner) creditRecord(cl CreditLedger, c credit, state string, why *Hold) Result {
	e := r.creditEntry(c)
	e.State, e.Reason = state, why.String()
	if !r.Preview {
		_ = cl.PutCredit(e) // a failed write leaves the credit to the next run, which looks it up first
	}
	res := Result{State: "failed", Customer: e.Customer, Relatiecode: e.Relatiecode, Reason: why}
	if state == config.LedgerHeld {
		res.State = "held"
	}
	return res
}
