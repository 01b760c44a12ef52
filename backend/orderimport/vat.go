package orderimport

import (
	"sort"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/s-connect/s-connect/backend/opencart"
)

// VAT per rate, the way docs/vat.md explains it: the shop's tax rows are the
// truth. OpenCart lowers the tax of every product a coupon or reward points
// discount (and of shipping, for a free-shipping coupon), so the discount
// is booked as one line per VAT rate, each as large as the tax that rate
// lost says, and what is left of it without VAT. The plan then checks that
// SnelStart, computing VAT from the lines it receives, ends up with the
// shop's tax per rate.

var (
	cent         = decimal.New(1, -2)
	vatTolerance = cent               // per rate, shop's tax row vs SnelStart's VAT
	taxNoise     = decimal.New(5, -4) // what four-decimal storage leaves in a tax sum
)

// rateKey is how a rate is named in settings and maps: "21", "9", "5.5".
func rateKey(r decimal.Decimal) string { return r.String() }

// VATCheck is the VAT of one rate: the shop's tax rows and what SnelStart
// will book.
type VATCheck struct {
	Rate      decimal.Decimal `json:"rate"`
	Shop      decimal.Decimal `json:"shop"`
	SnelStart decimal.Decimal `json:"snelstart"`
}

// lineRate is the VAT percentage of a product line: its unit tax over its
// unit price (both rounded to four decimals by the shop), snapped to a rate
// the order's tax rows name when it is that close.
func lineRate(l opencart.Line, known []decimal.Decimal) decimal.Decimal {
	if l.Price.IsZero() || l.Tax.IsZero() {
		return decimal.Zero
	}
	ratio := l.Tax.Mul(hundred).Div(l.Price)
	// Each of the two is off by up to 0.00005: the ratio by about 0.01/price.
	tol := decimal.RequireFromString("0.05").Add(cent.Div(l.Price.Abs()))
	best, found := decimal.Zero, false
	for _, r := range known {
		if ratio.Sub(r).Abs().LessThanOrEqual(tol) && (!found || ratio.Sub(r).Abs().LessThan(ratio.Sub(best).Abs())) {
			best, found = r, true
		}
	}
	if found {
		return best
	}
	if whole := ratio.Round(0); ratio.Sub(whole).Abs().LessThanOrEqual(tol) {
		return whole
	}
	return ratio.Round(2)
}

// shopTax is what the order's tax rows say: the tax per rate.
type shopTax map[string]decimal.Decimal

// taxRows reads the tax rows; a row whose rate the shop does not name, or a
// fixed-amount tax, holds the order.
func taxRows(o opencart.Order) (shopTax, []decimal.Decimal, *Hold) {
	out := shopTax{}
	var rates []decimal.Decimal
	for _, t := range o.Totals {
		if t.Code != "tax" {
			continue
		}
		switch {
		case t.Fixed:
			return nil, nil, &Hold{"tax_fixed", t.Title}
		case t.Rate == nil:
			return nil, nil, &Hold{"tax_rate_unknown", t.Title}
		}
		k := rateKey(*t.Rate)
		if _, seen := out[k]; !seen {
			rates = append(rates, *t.Rate)
		}
		out[k] = out[k].Add(t.Value)
	}
	return out, rates, nil
}

// taxBase collects, per rate, the net amounts the shop taxed before any
// discount: product lines (price × quantity, as Cart::getTaxes does) and
// shipping and fees.
type taxBase struct {
	net   map[string]decimal.Decimal
	rates map[string]decimal.Decimal
	less  map[string]decimal.Decimal // the discount per rate, net
}

func newTaxBase() *taxBase {
	return &taxBase{net: map[string]decimal.Decimal{}, rates: map[string]decimal.Decimal{}, less: map[string]decimal.Decimal{}}
}

func (b *taxBase) add(rate, net decimal.Decimal) {
	k := rateKey(rate)
	b.rates[k] = rate
	b.net[k] = b.net[k].Add(net)
}

// sortedRates lists the rates of a base and the tax rows, highest first.
func sortedRates(b *taxBase, rows shopTax, rowRates []decimal.Decimal) []decimal.Decimal {
	all := map[string]decimal.Decimal{}
	for k, r := range b.rates {
		all[k] = r
	}
	for _, r := range rowRates {
		all[rateKey(r)] = r
	}
	out := make([]decimal.Decimal, 0, len(all))
	for _, r := range all {
		out = append(out, r)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].GreaterThan(out[j]) })
	return out
}

// splitDiscount divides the net discount of the coupon and reward rows over
// the rates: per taxed rate the tax it lost (its base × rate − its tax row)
// ÷ rate; the rest has no VAT. With no discount, every rate's tax must be
// what its base says. ok is false when the shop's tax cannot come from this
// discount (the arg says which rate and by how much).
func splitDiscount(discount decimal.Decimal, b *taxBase, rows shopTax, rowRates []decimal.Decimal) (map[string]decimal.Decimal, *Hold) {
	out := map[string]decimal.Decimal{}
	rest := discount
	for _, r := range sortedRates(b, rows, rowRates) {
		if !r.IsPositive() {
			continue
		}
		k := rateKey(r)
		expected := b.net[k].Mul(r).Div(hundred)
		lost := expected.Sub(rows[k])
		if lost.Abs().LessThanOrEqual(taxNoise) || (discount.IsZero() && lost.Abs().LessThanOrEqual(vatTolerance)) {
			continue
		}
		arg := k + "%: " + money(expected) + " / " + money(rows[k])
		if discount.IsZero() {
			return nil, &Hold{"tax_rows", arg}
		}
		net := lost.Mul(hundred).Div(r)
		if net.LessThan(cent.Neg()) || net.GreaterThan(b.net[k].Add(cent)) {
			return nil, &Hold{"discount_vat", arg}
		}
		out[k] = net
		rest = rest.Sub(net)
	}
	if rest.LessThan(cent.Neg()) {
		return nil, &Hold{"discount_vat", "0%: " + money(rest)}
	}
	if !rest.Round(2).IsZero() {
		out["0"] = rest
	}
	return out, nil
}

// money shows an amount the Dutch way: 20,36.
func money(d decimal.Decimal) string { return strings.Replace(d.StringFixed(2), ".", ",", 1) }

// booked is what SnelStart makes of the lines: per rate the sum of the line
// amounts (incl. or excl. VAT, as the template) and the VAT over that sum,
// rounded once; and the order's total incl. VAT.
type booked struct {
	amount      map[string]decimal.Decimal
	vat         map[string]decimal.Decimal
	rates       map[string]decimal.Decimal
	total, excl decimal.Decimal // incl. and excl. VAT
}

func bookLines(lines []Line, exclusive bool) booked {
	b := booked{amount: map[string]decimal.Decimal{}, vat: map[string]decimal.Decimal{}, rates: map[string]decimal.Decimal{}}
	for _, l := range lines {
		k := rateKey(l.Rate)
		b.rates[k] = l.Rate
		b.amount[k] = b.amount[k].Add(l.Total)
	}
	for k, sum := range b.amount {
		r := b.rates[k]
		if exclusive {
			b.vat[k] = sum.Mul(r).Div(hundred).Round(2)
			b.total, b.excl = b.total.Add(sum).Add(b.vat[k]), b.excl.Add(sum)
		} else {
			b.vat[k] = sum.Mul(r).Div(hundred.Add(r)).Round(2)
			b.total, b.excl = b.total.Add(sum), b.excl.Add(sum).Sub(b.vat[k])
		}
	}
	return b
}

// checkVAT compares SnelStart's VAT with the shop's tax rows per rate.
func checkVAT(b booked, rows shopTax, rowRates []decimal.Decimal) (checks []VATCheck, ok bool) {
	all := map[string]decimal.Decimal{}
	for k, r := range b.rates {
		all[k] = r
	}
	for _, r := range rowRates {
		all[rateKey(r)] = r
	}
	ok = true
	for k, r := range all {
		if !r.IsPositive() {
			continue
		}
		c := VATCheck{Rate: r, Shop: rows[k], SnelStart: b.vat[k]}
		if c.Shop.Sub(c.SnelStart).Abs().GreaterThan(vatTolerance) {
			ok = false
		}
		checks = append(checks, c)
	}
	sort.Slice(checks, func(i, j int) bool { return checks[i].Rate.GreaterThan(checks[j].Rate) })
	return checks, ok
}

// vatDifferences describes the rates that differ, for a hold.
func vatDifferences(checks []VATCheck) string {
	var out []string
	for _, c := range checks {
		if c.Shop.Sub(c.SnelStart).Abs().GreaterThan(vatTolerance) {
			out = append(out, rateKey(c.Rate)+"%: "+money(c.Shop)+" / "+money(c.SnelStart))
		}
	}
	return strings.Join(out, "; ")
}
