package orderimport

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
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
}

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
	track       *tracker
	Articles    ArticleMemory // when set, remembers the articles the import creates (SnelStart starts them without stock)
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
	Plan        *Plan  `json:"plan,omitempty"` // in a preview
	// vatOtherwise: SnelStart's totals of the created order are not the
	// ones the plan checked the VAT with (see roundedOtherwise).
	vatOtherwise bool
}

// Report is a run's outcome.
type Report struct {
	Results  []Result `json:"results"`
	Counts   map[string]int
	Calls    int64  // SnelStart API calls made
	Warnings []Note // about the whole run (a shop not in euros)
}

// Run imports the orders of Job.Query. One failing order never stops the
// others; failed and held orders are tried again on the next run.
func Run(ctx context.Context, j Job) (*Report, error) {
	if j.Concurrency <= 0 {
		j.Concurrency = 4
	}
	if j.PageSize <= 0 {
		j.PageSize = 100
	}
	calls := j.Client.Requests()
	j.track = newTracker(j.OnOrder)
	k, err := loadStatic(ctx, j.Client, j.Settings, j.Shop.Name)
	if err != nil {
		return nil, err
	}
	rep := &Report{Counts: map[string]int{}}
	if cur := j.Shop.Currency; cur != "" && !strings.EqualFold(cur, "EUR") {
		// OpenCart stores amounts in its default currency; SnelStart books euros.
		rep.Warnings = append(rep.Warnings, Note{"currency", cur})
	}
	q := j.Query
	q.Limit = j.PageSize
	var otherwise []string // orders whose VAT SnelStart computed otherwise
	for {
		orders, next, err := j.Shop.Orders(ctx, q)
		if err != nil {
			return rep, err
		}
		j.track.page(len(orders), next != 0)
		if len(orders) > 0 {
			results, err := j.page(ctx, k, orders)
			if err != nil {
				return rep, err
			}
			rep.Results = append(rep.Results, results...)
			for _, r := range results {
				rep.Counts[r.State]++
				if r.vatOtherwise {
					otherwise = append(otherwise, strconv.Itoa(r.OrderID))
				}
			}
			if j.Progress != nil {
				j.Progress(len(rep.Results))
			}
		}
		if next == 0 {
			break
		}
		q.AfterID = next
	}
	if len(otherwise) > 0 {
		rep.Warnings = append(rep.Warnings, Note{"vat_rounding", strings.Join(otherwise, ", ")})
	}
	rep.Calls = j.Client.Requests() - calls
	return rep, nil
}

// page handles one page of orders: batched lookups, then per order the
// plan, the customers and articles it needs (one at a time, so two orders
// of one new customer do not make two relaties), then the verkooporders,
// several at once.
func (j *Job) page(ctx context.Context, k *Knowledge, orders []opencart.Order) ([]Result, error) {
	ids := make([]int, len(orders))
	for i, o := range orders {
		ids[i] = o.ID
	}
	entries, err := j.Ledger.Ledger(j.ProfileID, ids)
	if err != nil {
		return nil, err
	}
	results := make([]Result, len(orders))
	var todo []int // indexes of orders still to book
	var refs []string
	for i, o := range orders {
		results[i] = Result{OrderID: o.ID}
		if e, ok := entries[o.ID]; ok && config.Settled(e.State) {
			j.track.finished(o.ID)
			results[i] = Result{OrderID: o.ID, State: "skipped", Customer: e.Customer, Relatiecode: e.Relatiecode, Nummer: e.Nummer}
			if o.Modified.After(e.ShopModified) {
				results[i].State = "changed" // reported, not imported again
			}
			continue
		}
		todo = append(todo, i)
		refs = append(refs, refOf(o, j.Settings))
	}
	if len(todo) == 0 {
		return results, nil
	}
	// The lookups of a page go out together: they touch different parts of
	// the knowledge.
	existing := map[string]snelstart.Verkooporder{}
	var lookErr, loadErr error
	var wg sync.WaitGroup
	if j.Settings.PaymentReference {
		wg.Add(1)
		go func() {
			defer wg.Done()
			existing, lookErr = existingOrders(ctx, j.Client, refs)
		}()
	}
	loadErr = j.loadForPage(ctx, k, orders)
	wg.Wait()
	if err := errors.Join(lookErr, loadErr); err != nil {
		return nil, err
	}

	type send struct {
		i    int
		plan Plan
	}
	var sends []send
	for _, i := range todo {
		o := orders[i]
		j.track.at(o.ID)
		if vo, ok := existing[refOf(o, j.Settings)]; ok && !j.Preview {
			results[i] = j.confirm(o, entries[o.ID], &vo, nil, "exists")
			continue
		}
		p := PlanOrder(o, j.Settings, k)
		if j.Preview {
			state := "planned"
			if p.Held != nil {
				state = "held"
			}
			if _, ok := existing[refOf(o, j.Settings)]; ok {
				state = "exists"
			}
			pp := p
			results[i] = Result{OrderID: o.ID, State: state, Customer: customerName(o), Reason: p.Held, Plan: &pp}
			j.track.finished(o.ID)
			continue
		}
		if p.Held != nil {
			results[i] = j.record(o, entries[o.ID], config.LedgerHeld, p.Held, customerName(o))
			continue
		}
		if h := j.prepare(ctx, k, o, &p); h != nil {
			results[i] = j.record(o, entries[o.ID], config.LedgerFailed, h, customerName(o))
			continue
		}
		sends = append(sends, send{i, p})
	}

	sem := make(chan struct{}, j.Concurrency)
	for _, s := range sends {
		wg.Add(1)
		sem <- struct{}{}
		go func(s send) {
			defer wg.Done()
			defer func() { <-sem }()
			j.track.at(orders[s.i].ID)
			results[s.i] = j.book(ctx, orders[s.i], entries[orders[s.i].ID], s.plan)
		}(s)
	}
	wg.Wait()
	return results, ctx.Err()
}

// refOf is the reference an order gets in SnelStart: its number.
func refOf(o opencart.Order, _ Settings) string { return strconv.Itoa(o.ID) }

// loadForPage looks up, in batches, the products, customers and articles
// of a page of orders.
func (j *Job) loadForPage(ctx context.Context, k *Knowledge, orders []opencart.Order) error {
	var productIDs []string
	for _, o := range orders {
		for _, l := range o.Lines {
			productIDs = append(productIDs, fmt.Sprint(l.ProductID))
		}
	}
	if k.Products == nil {
		k.Products = map[int]opencart.Product{}
	}
	if f := j.Settings.CodeField; (f != "" && f != "model" && f != "product_id") || j.Shop.Schema().Has("product_option_value", "sku") {
		products, err := j.Shop.ProductsByCode(ctx, "product_id", unique(productIDs))
		if err != nil {
			return err
		}
		for _, p := range products {
			k.Products[p.ID] = p
		}
	}
	var codes []string
	for _, o := range orders {
		for _, l := range o.Lines {
			main, more := lineCodes(l, j.Settings, k)
			codes = append(append(codes, main), more...)
		}
	}
	var custErr error
	done := make(chan struct{})
	go func() {
		defer close(done)
		custErr = k.loadCustomers(ctx, j.Client, j.Settings, orders)
	}()
	artErr := k.loadArticles(ctx, j.Client, codes)
	<-done
	return errors.Join(custErr, artErr)
}

// prepare creates (or updates) the customer and the new articles an order
// needs and fills in their ids. A create that may have happened is looked
// up before it is tried again.
func (j *Job) prepare(ctx context.Context, k *Knowledge, o opencart.Order, p *Plan) *Hold {
	switch {
	case p.Customer.New != nil:
		// Another order of this run may have made this customer already.
		if r := findCustomer(o, j.Settings, k); r != nil {
			p.Customer = CustomerPlan{Match: j.Settings.MatchBy, Existing: r}
			break
		}
		var r *snelstart.Relatie
		var err error
		for attempt := 0; attempt < 3; attempt++ {
			r, err = j.Client.Relaties.Create(ctx, p.Customer.New)
			if !errors.Is(err, snelstart.ErrMaybeWritten) {
				break
			}
			if lerr := k.loadCustomers(ctx, j.Client, j.Settings, []opencart.Order{o}); lerr != nil {
				break
			}
			if found := findCustomer(o, j.Settings, k); found != nil {
				r, err = found, nil
				break
			}
		}
		if err != nil {
			return failure(err)
		}
		k.Relaties = append(k.Relaties, *r)
		p.Customer = CustomerPlan{Match: "new", Existing: r}
	case p.Customer.Update:
		upd := *p.Customer.Existing
		fresh := newRelatie(o, k, p)
		upd.Telefoon = fresh.Telefoon
		if fresh.VestigingsAdres != nil { // an order without an address keeps the card's
			upd.VestigingsAdres = fresh.VestigingsAdres
		}
		if o.Email != "" {
			upd.Email = fresh.Email
		}
		if r, err := j.Client.Relaties.Update(ctx, &upd); err == nil {
			p.Customer.Existing = r
		} else {
			return failure(err)
		}
	}
	for _, a := range p.NewArticles {
		if _, ok := k.Artikelen[strings.ToLower(a.Artikelcode)]; ok {
			continue // made for an earlier order of this run
		}
		var created *snelstart.Artikel
		var err error
		for attempt := 0; attempt < 3; attempt++ {
			created, err = j.Client.Artikelen.Create(ctx, &a)
			var ae *snelstart.APIError
			if !errors.Is(err, snelstart.ErrMaybeWritten) && !(errors.As(err, &ae) && ae.Has("ART-0005")) {
				break
			}
			if lerr := k.loadArticles(ctx, j.Client, []string{a.Artikelcode}); lerr != nil {
				break
			}
			if got, ok := k.Artikelen[strings.ToLower(a.Artikelcode)]; ok {
				created, err = got, nil
				break
			}
		}
		if err != nil {
			return failure(err)
		}
		if j.Articles != nil {
			if err := j.Articles.RememberArticle(j.ProfileID, created.Artikelcode, created.ID, created.ModifiedOn.Time); err != nil {
				return &Hold{"ledger", err.Error()}
			}
		}
		k.Artikelen[strings.ToLower(created.Artikelcode)] = created
		j.track.created(o.ID, created.Artikelcode)
	}
	p.Order.Relatie = &snelstart.Ref{ID: p.Customer.Existing.ID}
	for i, l := range p.Lines {
		if l.ArticleID == "" {
			a := k.Artikelen[strings.ToLower(l.Code)]
			if a == nil {
				return &Hold{"article_unknown", l.Code}
			}
			p.Order.Regels[i].Artikel = &snelstart.Ref{ID: a.ID}
		}
	}
	return nil
}

// book sends one verkooporder under the ledger: "sending" before, the
// outcome after. An uncertain answer is looked up by its reference.
func (j *Job) book(ctx context.Context, o opencart.Order, prev config.LedgerEntry, p Plan) Result {
	payload, _ := json.Marshal(p.Order)
	e := entryFor(j.ProfileID, o, prev)
	e.State, e.Reference, e.Payload, e.Customer = config.LedgerSending, p.Order.Betalingskenmerk, string(payload), p.Customer.Existing.Naam
	e.Relatiecode, e.Total, e.Attempts = p.Customer.Existing.Relatiecode, p.Total.StringFixed(2), prev.Attempts+1
	e.NewCustomer, e.NewArticles = p.Customer.Match == "new", strings.Join(j.track.articlesOf(o.ID), ",")
	if err := j.Ledger.PutLedger(e); err != nil {
		return Result{OrderID: o.ID, State: "failed", Reason: &Hold{"ledger", err.Error()}}
	}
	var vo *snelstart.Verkooporder
	var err error
	for attempt := 0; attempt < 3; attempt++ {
		vo, err = j.Client.Verkooporders.Create(ctx, &p.Order)
		if !errors.Is(err, snelstart.ErrMaybeWritten) || e.Reference == "" {
			break
		}
		// Written or not? Look before anything is sent again.
		found, lerr := existingOrders(ctx, j.Client, []string{e.Reference})
		if lerr != nil {
			break // unknown: stays "sending"-like (failed), looked up next run
		}
		if f, ok := found[e.Reference]; ok {
			vo, err = &f, nil
			break
		}
		// Not there: safe to send again.
	}
	if err != nil {
		e.Answer = err.Error()
		res := j.record(o, e, config.LedgerFailed, failure(err), e.Customer)
		if errors.Is(err, snelstart.ErrMaybeWritten) && e.Reference == "" {
			// Without a reference it cannot be looked up: leave it to the user.
			res = j.record(o, e, config.LedgerHeld, &Hold{"uncertain_no_reference", ""}, e.Customer)
		}
		return res
	}
	res := j.confirm(o, e, vo, p.Customer.Existing, "created")
	res.vatOtherwise = roundedOtherwise(vo, p)
	return res
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

func (j *Job) confirm(o opencart.Order, prev config.LedgerEntry, vo *snelstart.Verkooporder, r *snelstart.Relatie, state string) Result {
	e := entryFor(j.ProfileID, o, prev)
	e.State, e.VerkooporderID, e.Reason = config.LedgerConfirmed, vo.ID, ""
	if vo.Nummer != nil {
		e.Nummer = *vo.Nummer
	}
	if vo.TotaalInclusiefBtw != nil {
		e.Total = vo.TotaalInclusiefBtw.StringFixed(2)
	}
	if r != nil {
		e.Customer, e.Relatiecode = r.Naam, r.Relatiecode
	}
	e.Reference = vo.Betalingskenmerk
	if err := j.Ledger.PutLedger(e); err != nil {
		return Result{OrderID: o.ID, State: "failed", Reason: &Hold{"ledger", err.Error()}}
	}
	j.track.finished(o.ID)
	return Result{OrderID: o.ID, State: state, Customer: e.Customer, Relatiecode: e.Relatiecode, Nummer: e.Nummer}
}

func (j *Job) record(o opencart.Order, prev config.LedgerEntry, state string, why *Hold, customer string) Result {
	e := entryFor(j.ProfileID, o, prev)
	e.State, e.Reason, e.Customer = state, why.String(), customer
	if e.Total == "" {
		e.Total = o.Total.StringFixed(2) // the shop's, until SnelStart has one
	}
	_ = j.Ledger.PutLedger(e) // a failed write here leaves the order to the next run
	j.track.finished(o.ID)
	rs := map[string]string{config.LedgerFailed: "failed", config.LedgerHeld: "held"}[state]
	return Result{OrderID: o.ID, State: rs, Customer: customer, Reason: why}
}

// failure describes a failed SnelStart call as a hold code.
func failure(err error) *Hold {
	var ae *snelstart.APIError
	switch {
	case errors.As(err, &ae) && len(ae.Items) > 0:
		return &Hold{"snelstart_refused", ae.Items[0].Code + " " + ae.Items[0].Message}
	case errors.Is(err, snelstart.ErrMaybeWritten):
		return &Hold{"uncertain", ""}
	case errors.Is(err, snelstart.ErrRateLimited), errors.Is(err, snelstart.ErrServer), errors.Is(err, snelstart.ErrNetwork), errors.Is(err, snelstart.ErrTimeout):
		return &Hold{"snelstart_unavailable", ""}
	}
	return &Hold{"snelstart_error", err.Error()}
}
