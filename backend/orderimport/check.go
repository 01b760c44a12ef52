package orderimport

import (
	"context"
	"sort"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/s-connect/s-connect/backend/opencart"
	"github.com/s-connect/s-connect/backend/snelstart"
)

// What the reconciliation (backend/reconcile) needs of the import: the
// amounts an order should have in SnelStart, computed by the very plan the
// import books it with, and the amounts a verkooporder has, computed the way
// the plan checks SnelStart's VAT (bookLines). Nothing here writes.

// Amounts are an order's amounts per VAT rate as SnelStart books them.
type Amounts struct {
	Total decimal.Decimal `json:"total"` // incl. VAT
	Excl  decimal.Decimal `json:"excl"`
	Rates []RateAmount    `json:"rates"` // highest rate first
}

// RateAmount is the turnover excl. VAT and the VAT of one rate.
type RateAmount struct {
	Rate decimal.Decimal `json:"rate"`
	Excl decimal.Decimal `json:"excl"`
	VAT  decimal.Decimal `json:"vat"`
}

// amountsOf books lines as SnelStart does (bookLines) and splits them per rate.
func amountsOf(lines []Line, exclusive bool) Amounts {
	b := bookLines(lines, exclusive)
	out := Amounts{Total: b.total, Excl: b.excl}
	for k, r := range b.rates {
		excl := b.amount[k]
		if !exclusive {
			excl = excl.Sub(b.vat[k])
		}
		out.Rates = append(out.Rates, RateAmount{Rate: r, Excl: excl, VAT: b.vat[k]})
	}
	sort.Slice(out.Rates, func(i, j int) bool { return out.Rates[i].Rate.GreaterThan(out.Rates[j].Rate) })
	return out
}

// Expected is what SnelStart books for the plan's verkooporder. Only for a
// plan that is not held.
func (p Plan) Expected() Amounts {
	return amountsOf(p.Lines, p.Order.VerkooporderBtwIngaveModel == snelstart.BtwExclusief)
}

// Neg is the amounts of a credit order that refunds them all.
func (a Amounts) Neg() Amounts {
	out := Amounts{Total: a.Total.Neg(), Excl: a.Excl.Neg()}
	for _, r := range a.Rates {
		out.Rates = append(out.Rates, RateAmount{Rate: r.Rate, Excl: r.Excl.Neg(), VAT: r.VAT.Neg()})
	}
	return out
}

// Add sums two orders' amounts (an order and its credit orders).
func (a Amounts) Add(b Amounts) Amounts {
	per := map[string]RateAmount{}
	for _, list := range [][]RateAmount{a.Rates, b.Rates} {
		for _, r := range list {
			cur := per[rateKey(r.Rate)]
			per[rateKey(r.Rate)] = RateAmount{Rate: r.Rate, Excl: cur.Excl.Add(r.Excl), VAT: cur.VAT.Add(r.VAT)}
		}
	}
	out := Amounts{Total: a.Total.Add(b.Total), Excl: a.Excl.Add(b.Excl)}
	for _, r := range per {
		out.Rates = append(out.Rates, r)
	}
	sort.Slice(out.Rates, func(i, j int) bool { return out.Rates[i].Rate.GreaterThan(out.Rates[j].Rate) })
	return out
}

// Rate is the amounts of one rate (zero when the order has none at it).
func (a Amounts) Rate(r decimal.Decimal) RateAmount {
	for _, x := range a.Rates {
		if x.Rate.Equal(r) {
			return x
		}
	}
	return RateAmount{Rate: r}
}

// Same reports whether two amounts agree to the tolerance the import
// checks SnelStart's VAT with (a cent per rate), so a reconciliation finds
// no difference the import would not have held the order for.
func Same(a, b decimal.Decimal) bool { return a.Sub(b).Abs().LessThanOrEqual(vatTolerance) }

// Selection is the orders the import books, as a query — the one place
// that says so, for the import and the reconciliation: the profile's
// selection (Vanaf datum/tijd, statuses, stores) with the statuses it books
// as sales (SaleStatuses). from and before narrow it to the orders added in
// [from, before), never to orders before its own start: an order added
// before Vanaf datum/tijd is never imported, whatever period asks for it.
// Zero from and before leave the dates alone. left is false when no status
// is left: nothing is booked as a sale.
func Selection(q opencart.OrderQuery, shop *opencart.Shop, s Settings, from, before time.Time) (sel opencart.OrderQuery, left bool) {
	if from.After(q.AddedSince) {
		q.AddedSince = from
	}
	if !before.IsZero() && (q.AddedBefore.IsZero() || before.Before(q.AddedBefore)) {
		q.AddedBefore = before
	}
	q.Statuses, left = SaleStatuses(q.Statuses, shop, s)
	return q, left
}

// SaleStatuses are the statuses the import books as sales: the chosen ones
// (none: the shop's own sale statuses), less the refund statuses when
// refunds are credited — an order in a refund status is credited, not
// booked (OpenCart itself counts Reversed among the processing statuses).
// left is false when no status is left.
func SaleStatuses(chosen []int, shop *opencart.Shop, s Settings) (statuses []int, left bool) {
	if !s.RefundCredit {
		return chosen, true
	}
	out := withoutRefunds(chosen, shop.SaleStatuses(), s.RefundStatuses)
	return out, len(out) > 0
}

// CheckKnowledge loads what planning an order needs, read-only: the lists,
// the template, the articles of the settings.
func CheckKnowledge(ctx context.Context, c *snelstart.Client, s Settings, shopName string) (*Knowledge, error) {
	k, _, err := loadStatic(ctx, c, s, shopName)
	return k, err
}

// LoadOrders loads, in batches, the products and articles a page of orders
// needs to be planned (no customers: they do not change the amounts).
func (k *Knowledge) LoadOrders(ctx context.Context, c *snelstart.Client, shop *opencart.Shop, s Settings, orders []opencart.Order) error {
	return k.loadPage(ctx, c, shop, s, orders, false)
}

// LoadArticleIDs loads, in batches, the articles of verkooporder lines the
// knowledge does not have yet (a line the bookkeeper added by hand).
func (k *Knowledge) LoadArticleIDs(ctx context.Context, c *snelstart.Client, orders []snelstart.Verkooporder) error {
	known := k.articlesByID()
	var want []snelstart.Guid
	seen := map[string]bool{}
	for _, vo := range orders {
		for _, r := range vo.Regels {
			if r.Artikel == nil || r.Artikel.ID == "" {
				continue
			}
			id := strings.ToLower(r.Artikel.ID)
			if known[id] == nil && !seen[id] {
				seen[id] = true
				want = append(want, snelstart.Guid(r.Artikel.ID))
			}
		}
	}
	for start := 0; start < len(want); start += lookupBatch {
		part := want[start:min(start+lookupBatch, len(want))]
		list, err := snelstart.Collect(c.Artikelen.List(ctx, snelstart.ListOptions{Filter: snelstart.In("Id", part)}))
		if err != nil {
			return err
		}
		for i := range list {
			k.Artikelen[strings.ToLower(list[i].Artikelcode)] = &list[i]
		}
	}
	return nil
}

func (k *Knowledge) articlesByID() map[string]*snelstart.Artikel {
	out := make(map[string]*snelstart.Artikel, len(k.Artikelen))
	for _, a := range k.Artikelen {
		if a.ID != "" {
			out[strings.ToLower(a.ID)] = a
		}
	}
	return out
}

// Booked is what SnelStart books for a verkooporder: its lines' totals at
// the VAT rate of each line's article (its omzetgroep), booked as the plan
// checks it. unknown lists the article ids not found (their lines count at
// 0 %).
func (k *Knowledge) Booked(vo snelstart.Verkooporder) (a Amounts, unknown []string) {
	byID := k.articlesByID()
	lines := make([]Line, 0, len(vo.Regels))
	for _, r := range vo.Regels {
		l := Line{Quantity: r.Aantal.Decimal, Price: r.Stuksprijs.Decimal, Total: r.Totaal.Decimal.Round(2)}
		if l.Total.IsZero() { // a total SnelStart left out: the line's own sum
			l.Total = l.Price.Mul(l.Quantity).Mul(hundred.Sub(r.KortingsPercentage.Decimal)).Div(hundred).Round(2)
		}
		if r.Artikel != nil {
			if art := byID[strings.ToLower(r.Artikel.ID)]; art != nil {
				l.Rate = k.rateOf(art)
			} else {
				unknown = append(unknown, r.Artikel.ID)
			}
		}
		lines = append(lines, l)
	}
	return amountsOf(lines, vo.VerkooporderBtwIngaveModel == snelstart.BtwExclusief), unknown
}

// BookingZone is the zone of SnelStart's day: a verkooporder's datum is
// the Dutch date of the moment the order was placed.
func BookingZone() *time.Location { return amsterdam }
