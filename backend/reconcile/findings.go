package reconcile

import (
	"context"
	"encoding/json"
	"sort"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/s-connect/s-connect/backend/config"
	"github.com/s-connect/s-connect/backend/orderimport"
	"github.com/s-connect/s-connect/backend/reference"
	"github.com/s-connect/s-connect/backend/snelstart"
)

// report compares every order and totals both sides per rate. The shop's
// side of an order is what its plan says SnelStart should book (zero for an
// order the shop does not count in the period), with its credit orders; the
// SnelStart side is every verkooporder with our reference dated in the
// period.
func (c *checker) report() *Report {
	rep := &Report{From: c.From.Format(DateLayout), To: c.To.Format(DateLayout), Prefix: c.Settings.ReferencePrefix,
		WithLedger: c.entries}
	if since := c.Query.AddedSince; since.After(c.start()) {
		rep.Since = since.Format(config.DateTimeLayout)
	}
	var shopSum, ssSum orderimport.Amounts
	ids := make([]int, 0, len(c.orders))
	for id := range c.orders {
		ids = append(ids, id)
	}
	sort.Ints(ids)
	for _, id := range ids {
		o := c.orders[id]
		if o.selected {
			rep.Orders++
		}
		for _, v := range append(append([]verkooporder(nil), o.originals...), o.credits...) {
			if v.inPeriod {
				rep.SnelStartOrders++
				b, _ := c.k.Booked(v.vo)
				ssSum = ssSum.Add(b)
			}
		}
		shop, found := c.compare(o)
		shopSum = shopSum.Add(shop)
		rep.Findings = append(rep.Findings, found...)
	}
	for _, f := range rep.Findings {
		if !f.Info {
			rep.Differences++
		}
	}
	rep.ShopTotal, rep.SnelStartTotal = shopSum.Total, ssSum.Total
	rates := map[string]decimal.Decimal{}
	for _, r := range append(append([]orderimport.RateAmount(nil), shopSum.Rates...), ssSum.Rates...) {
		rates[r.Rate.String()] = r.Rate
	}
	for _, r := range rates {
		s, b := shopSum.Rate(r), ssSum.Rate(r)
		rep.Totals = append(rep.Totals, RateTotal{Rate: r, ShopExcl: s.Excl, ShopVAT: s.VAT, SnelStartExcl: b.Excl, SnelStartVAT: b.VAT})
	}
	sort.Slice(rep.Totals, func(i, j int) bool { return rep.Totals[i].Rate.GreaterThan(rep.Totals[j].Rate) })
	return rep
}

// compare finds what is wrong with one order, and its shop side.
func (c *checker) compare(o *order) (shop orderimport.Amounts, out []Finding) {
	base := Finding{OrderID: o.id, Reference: reference.Order(c.Settings.ReferencePrefix, o.id)}
	if o.shop != nil {
		base.Date = o.shop.Added.In(orderimport.BookingZone()).Format(DateLayout)
		base.Customer = strings.TrimSpace(o.shop.FirstName + " " + o.shop.LastName)
	} else if vs := append(append([]verkooporder(nil), o.originals...), o.credits...); len(vs) > 0 {
		base.Date = vs[0].vo.Datum.Time.Format(DateLayout)
	}
	for _, v := range append(append([]verkooporder(nil), o.originals...), o.credits...) {
		if v.vo.Nummer != nil {
			base.Nummers = append(base.Nummers, *v.vo.Nummer)
		}
	}
	add := func(kind string, info bool, f func(*Finding)) {
		x := base
		x.Kind, x.Info = kind, info
		if f != nil {
			f(&x)
		}
		out = append(out, x)
	}
	computable := o.shop != nil && o.plan.Held == nil
	var expected orderimport.Amounts
	if computable {
		expected = o.plan.Expected()
	}
	state := ""
	if o.entry != nil {
		state = o.entry.State
	}

	// The ledger's word first: orders the import could not book, or the
	// user settled.
	switch {
	case o.shop == nil:
		add(Unknown, false, func(f *Finding) { f.SnelStart = c.booked(o.originals, o.credits, false) })
		return shop, out
	case config.IsOpen(state):
		add(Open, false, func(f *Finding) { f.State, f.Detail, f.DetailCode = state, o.entry.Reason, "reason" })
	case state == config.LedgerIgnored:
		if o.selected && len(o.originals) == 0 {
			add(Ignored, true, nil)
			return shop, out
		}
	case state == config.LedgerHandled && len(o.originals) == 0:
		add(Handled, true, func(f *Finding) { f.Detail, f.DetailCode = o.entry.Note, "note" })
		if computable && o.selected {
			shop = expected
		}
		return shop, out
	}
	if o.selected && !computable {
		add(NotComputable, false, func(f *Finding) { f.Detail, f.DetailCode = o.plan.Held.String(), "reason" })
	}

	// Credit orders: a full one undoes the plan; a partial one is taken as
	// the shop refunded it (its lines come from the shop's return).
	fullCredit := false
	var credits orderimport.Amounts
	for _, v := range o.credits {
		b, _ := c.k.Booked(v.vo)
		want := b
		if v.ref.ReturnID == 0 {
			fullCredit = true
			if computable {
				want = expected.Neg()
				if differ(want, b) {
					add(CreditAmount, false, func(f *Finding) { f.Shop, f.SnelStart = &want, &b })
				}
			}
		}
		if v.inPeriod {
			credits = credits.Add(want)
		}
	}
	originalInPeriod := false
	for _, v := range o.originals {
		originalInPeriod = originalInPeriod || v.inPeriod
	}
	if computable && (o.selected || fullCredit && originalInPeriod) {
		shop = expected
	}
	shop = shop.Add(credits)

	switch {
	case len(o.originals) == 0 && o.selected && !config.IsOpen(state):
		add(Missing, false, func(f *Finding) {
			if computable {
				f.Shop = &expected
			}
		})
	case len(o.originals) > 1:
		add(Double, false, func(f *Finding) {
			f.Shop, f.SnelStart = c.figures(expected, computable), c.booked(o.originals, nil, false)
		})
	case len(o.originals) == 1 && computable && (o.selected || fullCredit):
		b, _ := c.k.Booked(o.originals[0].vo)
		if differ(expected, b) {
			add(Amount, false, func(f *Finding) { f.Shop, f.SnelStart = &expected, &b })
		}
	}
	shopDay := day(o.shop.Added.In(orderimport.BookingZone()))
	shopInPeriod := !shopDay.Before(c.From) && !shopDay.After(c.To)
	if len(o.originals) > 0 && !o.selected && shopInPeriod && !fullCredit {
		if since := c.Query.AddedSince; o.shop.Added.Before(since) {
			// Not a status: the import never reads an order this old.
			add(BeforeSince, false, func(f *Finding) {
				f.Detail, f.DetailCode = since.Format(MomentLayout), "since"
				f.SnelStart = c.booked(o.originals, nil, false)
			})
		} else {
			add(Status, false, func(f *Finding) {
				f.Detail, f.DetailCode = c.statuses[o.shop.StatusID], "status"
				f.SnelStart = c.booked(o.originals, nil, false)
			})
		}
	}
	for _, v := range o.originals {
		if v.inPeriod != shopInPeriod {
			add(OtherPeriod, false, func(f *Finding) { f.Detail, f.DetailCode = v.vo.Datum.Time.Format(DateLayout), "date" })
		}
	}
	if len(o.originals) == 1 && o.entry != nil && o.originals[0].vo.Relatie != nil {
		if want := payloadRelatie(o.entry.Payload); want != "" && !strings.EqualFold(want, o.originals[0].vo.Relatie.ID) {
			add(Customer, false, func(f *Finding) {
				f.Customer = o.entry.Customer
				f.Detail, f.DetailCode = o.originals[0].vo.Relatie.ID, "relatie"
			})
		}
	}
	if len(o.credits) > 0 && len(o.originals) > 0 {
		net := c.booked(o.originals, o.credits, true)
		kind := PartCredited
		if zero(*net) {
			kind = Credited
		}
		add(kind, true, func(f *Finding) {
			f.SnelStart = net
			for _, v := range o.credits {
				if !v.inPeriod { // the refund counts in the period of its date
					f.Detail, f.DetailCode = v.vo.Datum.Time.Format(DateLayout), "credit_date"
				}
			}
		})
	}
	return shop, out
}

// figures is the shop's side when it could be computed.
func (c *checker) figures(a orderimport.Amounts, ok bool) *Figures {
	if !ok {
		return nil
	}
	return &a
}

// booked sums verkooporders' amounts (the first of the originals only when
// net: an order and its credits).
func (c *checker) booked(originals, credits []verkooporder, net bool) *Figures {
	var sum orderimport.Amounts
	for i, v := range originals {
		if net && i > 0 {
			break
		}
		b, _ := c.k.Booked(v.vo)
		sum = sum.Add(b)
	}
	for _, v := range credits {
		b, _ := c.k.Booked(v.vo)
		sum = sum.Add(b)
	}
	return &sum
}

// differ: the total, or a rate's turnover or VAT, differs by more than the
// import's tolerance.
func differ(a, b orderimport.Amounts) bool {
	if !orderimport.Same(a.Total, b.Total) {
		return true
	}
	for _, r := range a.Add(b).Rates {
		x, y := a.Rate(r.Rate), b.Rate(r.Rate)
		if !orderimport.Same(x.Excl, y.Excl) || !orderimport.Same(x.VAT, y.VAT) {
			return true
		}
	}
	return false
}

func zero(a orderimport.Amounts) bool { return !differ(a, orderimport.Amounts{}) }

func itoa(n int) string { return strconv.Itoa(n) }

// payloadRelatie is the relatie id of the verkooporder as the import sent it.
func payloadRelatie(payload string) string {
	var vo struct {
		Relatie *snelstart.Ref `json:"relatie"`
	}
	if payload == "" || json.Unmarshal([]byte(payload), &vo) != nil || vo.Relatie == nil {
		return ""
	}
	return vo.Relatie.ID
}

// nameRelaties gives the customer findings SnelStart's relatie (name and
// relatiecode), in one batched read.
func (c *checker) nameRelaties(ctx context.Context, rep *Report) error {
	var ids []snelstart.Guid
	for _, f := range rep.Findings {
		if f.Kind == Customer {
			ids = append(ids, snelstart.Guid(f.Detail))
		}
	}
	names := map[string]string{}
	for start := 0; start < len(ids); start += lookupBatch {
		list, err := snelstart.Collect(c.Client.Relaties.List(ctx, snelstart.ListOptions{Filter: snelstart.In("Id", ids[start:min(start+lookupBatch, len(ids))])}))
		if err != nil {
			return err
		}
		for _, r := range list {
			names[strings.ToLower(r.ID)] = r.Naam + " (" + itoa(r.Relatiecode) + ")"
		}
	}
	for i := range rep.Findings {
		f := &rep.Findings[i]
		if f.Kind == Customer {
			if n, ok := names[strings.ToLower(f.Detail)]; ok {
				f.Detail = n
			}
			if e := c.orders[f.OrderID].entry; e != nil && e.Relatiecode > 0 {
				f.Customer += " (" + itoa(e.Relatiecode) + ")"
			}
		}
	}
	return nil
}
