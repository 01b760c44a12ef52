package orderimport

import (
	"slices"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/s-connect/s-connect/backend/opencart"
	"github.com/s-connect/s-connect/backend/snelstart"
)

var one = decimal.NewFromInt(1)

// The order totals OpenCart ships, by what they are (docs/vat.md):
// shipping and fees are net costs taxed by their class; coupon and reward
// points are net discounts whose tax is already out of the tax rows; gift
// vouchers and store credit are payments after tax, without VAT.
var (
	feeTotals      = map[string]string{"shipping": "shipping", "handling": "fee", "low_order_fee": "fee", "klarna_fee": "fee"}
	discountTotals = map[string]bool{"coupon": true, "reward": true}
	paymentTotals  = map[string]bool{"voucher": true, "credit": true}
	skipTotals     = map[string]bool{"sub_total": true, "tax": true, "total": true}
)

// article finds a configured article; held with missing when it is not
// set, or because it is unknown.
func (k *Knowledge) article(code string, missing *Hold) (*snelstart.Artikel, *Hold) {
	if code == "" {
		return nil, missing
	}
	a := k.Artikelen[strings.ToLower(code)]
	if a == nil {
		return nil, &Hold{"article_unknown", code}
	}
	return a, nil
}

// planTotals books the order totals: shipping and fees on their articles
// (whose VAT rate must be the shop's), the discount per VAT rate, gift
// vouchers and store credit, gift vouchers sold, and totals of extensions
// S-Connect does not know, by their sign, with a note.
func planTotals(o opencart.Order, s Settings, k *Knowledge, exclusive bool, base *taxBase, rows shopTax, rowRates []decimal.Decimal, p *Plan) *Hold {
	discount := decimal.Zero
	var discountTitles []string
	var payments []Line // after the discount: vouchers and credit pay what is left
	for _, t := range o.Totals {
		switch {
		case skipTotals[t.Code] || t.Value.IsZero():
		case discountTotals[t.Code]:
			discount = discount.Sub(t.Value)
			discountTitles = append(discountTitles, t.Title)
		case paymentTotals[t.Code]:
			a, h := k.voucherArticle(s)
			if h != nil {
				return h
			}
			payments = append(payments, k.priced("voucher", a, t.Title, one, t.Value.Round(2), decimal.Zero))
		case feeTotals[t.Code] != "":
			kind := feeTotals[t.Code]
			code, missing, wrongVAT := s.PaymentFeeArticle, &Hold{"fee_article_missing", t.Title}, &Hold{"fee_vat", ""}
			if kind == "shipping" {
				code, missing, wrongVAT = s.ShippingArticle, &Hold{"shipping_article_missing", t.Title}, &Hold{"shipping_vat", ""}
			}
			a, h := k.article(code, missing)
			if h != nil {
				return h
			}
			rate := k.rateOf(a)
			if t.Rate != nil && !t.Rate.Equal(rate) {
				wrongVAT.Arg = a.Artikelcode + ": " + rateKey(*t.Rate) + "% / " + rateKey(rate) + "%"
				return wrongVAT
			}
			p.Lines = append(p.Lines, k.line(kind, a, t.Title, one, t.Value, rate, exclusive))
			base.add(rate, t.Value)
		default:
			// An extension's own total: booked by its sign, as a net amount.
			code, missing, kind := s.PaymentFeeArticle, &Hold{"fee_article_missing", t.Title}, "fee"
			if t.Value.IsNegative() {
				code, missing, kind = s.DiscountArticle, &Hold{"discount_article_missing", t.Title}, "discount"
			}
			a, h := k.article(code, missing)
			if h != nil {
				return h
			}
			// Taken to be taxed (or untaxed) at the article's rate; the VAT
			// check holds the order when the shop's tax rows say otherwise.
			p.Lines = append(p.Lines, k.line(kind, a, t.Title, one, t.Value, k.rateOf(a), exclusive))
			base.add(k.rateOf(a), t.Value)
			p.Notes = append(p.Notes, Note{"unknown_total", t.Code + ": " + t.Title})
		}
	}
	for _, v := range o.Vouchers {
		a, h := k.voucherArticle(s)
		if h != nil {
			return h
		}
		desc := v.Description
		if desc == "" {
			desc = "Cadeaubon " + v.Code
		}
		payments = append(payments, k.priced("voucher", a, desc, one, v.Amount.Round(2), decimal.Zero))
	}
	split, h := splitDiscount(discount, base, rows, rowRates)
	if h != nil {
		return h
	}
	base.less = split
	if h := k.discountLines(split, discountTitles, s, exclusive, p); h != nil {
		return h
	}
	p.Lines = append(p.Lines, payments...)
	return nil
}

// voucherArticle is the article of gift vouchers and store credit: it must
// carry no VAT.
func (k *Knowledge) voucherArticle(s Settings) (*snelstart.Artikel, *Hold) {
	a, h := k.article(s.VoucherArticle, &Hold{"voucher_article_missing", ""})
	if h == nil && !k.rateOf(a).IsZero() {
		return nil, &Hold{"voucher_article_vat", a.Artikelcode}
	}
	return a, h
}

// discountArticle is the article for a discount at a VAT rate: the one set
// for that rate, else Artikelcode kortingsbedrag when it has that rate.
func (k *Knowledge) discountArticle(rate decimal.Decimal, s Settings) (*snelstart.Artikel, *Hold) {
	if code := s.DiscountArticleByVat[rateKey(rate)]; code != "" {
		a, h := k.article(code, &Hold{"discount_article_missing", rateKey(rate) + "% btw"})
		if h == nil && !k.rateOf(a).Equal(rate) {
			return nil, &Hold{"discount_article_vat", a.Artikelcode + ": " + rateKey(rate) + "% / " + rateKey(k.rateOf(a)) + "%"}
		}
		return a, h
	}
	if a := k.Artikelen[strings.ToLower(s.DiscountArticle)]; a != nil && k.rateOf(a).Equal(rate) {
		return a, nil
	}
	return nil, &Hold{"discount_article_missing", rateKey(rate) + "% btw"}
}

// discountLines books the discount: one line per VAT rate, on the discount
// article of that rate.
func (k *Knowledge) discountLines(split map[string]decimal.Decimal, titles []string, s Settings, exclusive bool, p *Plan) *Hold {
	var rates []decimal.Decimal
	for key, net := range split {
		if !net.Round(2).IsZero() {
			rates = append(rates, decimal.RequireFromString(key))
		}
	}
	sortDesc(rates)
	desc := strings.Join(titles, ", ")
	for _, r := range rates {
		a, h := k.discountArticle(r, s)
		if h != nil {
			return h
		}
		d := desc
		if len(rates) > 1 {
			d += " (" + rateKey(r) + "% btw)"
		}
		p.Lines = append(p.Lines, k.line("discount", a, d, one, split[rateKey(r)].Neg(), r, exclusive))
	}
	return nil
}

func sortDesc(rates []decimal.Decimal) {
	for i := 1; i < len(rates); i++ {
		for j := i; j > 0 && rates[j].GreaterThan(rates[j-1]); j-- {
			rates[j], rates[j-1] = rates[j-1], rates[j]
		}
	}
}

// settle books the difference with the shop's total on the difference
// article (B4) and checks the VAT per rate. Unit prices have two decimals
// in SnelStart: when rounding them leaves more of a difference than
// rounding the order's totals does (two cents), or a rate's VAT more than a
// cent off the shop's tax row, each rate's amount is set right on a
// rounding line of its own, and the difference booked again.
func settle(s Settings, k *Knowledge, exclusive bool, base *taxBase, rows shopTax, rowRates []decimal.Decimal, p *Plan) *Hold {
	h := k.book(s, exclusive, p)
	if s.LinePrice == "snelstart" { // SnelStart's own prices: its VAT, not the shop's
		if h == nil {
			p.VAT, _ = checkVAT(bookLines(p.Lines, exclusive), rows, rowRates)
		}
		return h
	}
	checks, ok := checkVAT(bookLines(p.Lines, exclusive), rows, rowRates)
	if h != nil || !ok || p.Difference.Abs().GreaterThan(totalsRounding) {
		plain := *p
		plain.Lines, plain.Notes = slices.Clone(p.Lines), slices.Clone(p.Notes)
		if hr := k.roundPerRate(s, exclusive, base, rows, p); hr != nil {
			if h != nil || !ok {
				return hr
			}
			*p = plain // no article to round on: the difference line within the threshold will do
		}
		checks, ok = checkVAT(bookLines(p.Lines, exclusive), rows, rowRates)
	}
	p.VAT = checks
	if !ok {
		return &Hold{"vat_mismatch", vatDifferences(checks)}
	}
	return nil
}

// totalsRounding is what rounding an order's amounts per rate to the cent
// can leave of a difference with the shop's total.
var totalsRounding = decimal.New(2, -2)

// book totals the lines and books the difference with the shop's total.
func (k *Knowledge) book(s Settings, exclusive bool, p *Plan) *Hold {
	p.Lines = withoutDifference(p.Lines)
	b := bookLines(p.Lines, exclusive)
	p.Total, p.TotalExcl = b.total, b.excl
	p.Difference = p.ShopTotal.Sub(p.Total)
	if p.Difference.IsZero() {
		return nil
	}
	if p.Difference.Abs().GreaterThan(s.DifferenceThreshold) {
		return &Hold{"difference", money(p.ShopTotal) + " / " + money(p.Total)}
	}
	a, h := k.article(s.DifferenceArticle, &Hold{"difference_article_missing", money(p.Difference)})
	if h != nil {
		return h
	}
	rate := k.rateOf(a)
	// Incl. VAT the line is the difference; excl. VAT the price is searched
	// so that SnelStart's total, VAT included, hits the cent.
	guess := p.Difference
	if exclusive {
		guess = p.Difference.Mul(hundred).Div(hundred.Add(rate)).Round(2)
	}
	best := k.priced("difference", a, a.Omschrijving, one, guess, rate)
	for _, step := range []int64{0, 1, -1, 2, -2} {
		c := k.priced("difference", a, a.Omschrijving, one, guess.Add(decimal.New(step, -2)), rate)
		if bookLines(append(p.Lines, c), exclusive).total.Equal(p.ShopTotal) {
			best = c
			break
		}
	}
	p.Lines = append(p.Lines, best)
	b = bookLines(p.Lines, exclusive)
	p.Total, p.TotalExcl = b.total, b.excl
	if !p.Total.Equal(p.ShopTotal) {
		p.Notes = append(p.Notes, Note{"difference_left", money(p.ShopTotal.Sub(p.Total))})
	}
	return nil
}

// roundPerRate sets each VAT rate's amount to the shop's (net, plus its tax
// row when prices are incl. VAT) with a rounding line on the discount
// article of that rate, then books the difference again. A rate is only
// set right by what rounding its lines' prices to the cent can explain
// (half a cent a unit): anything more is no rounding, and is left for the
// difference and VAT checks to hold.
func (k *Knowledge) roundPerRate(s Settings, exclusive bool, base *taxBase, rows shopTax, p *Plan) *Hold {
	p.Lines = withoutDifference(p.Lines)
	planned := bookLines(p.Lines, exclusive)
	units := map[string]decimal.Decimal{}
	for _, l := range p.Lines {
		units[rateKey(l.Rate)] = units[rateKey(l.Rate)].Add(decimal.Max(l.Quantity.Abs(), one))
	}
	var rates []decimal.Decimal
	for _, r := range planned.rates {
		if r.IsPositive() {
			rates = append(rates, r)
		}
	}
	sortDesc(rates)
	for _, r := range rates {
		key := rateKey(r)
		want := base.net[key].Sub(base.less[key]) // the shop's net at this rate
		if !exclusive {
			want = want.Add(rows[key])
		}
		gap := want.Round(2).Sub(planned.amount[key])
		if gap.IsZero() || gap.Abs().GreaterThan(halfCent.Mul(units[key].Add(one))) {
			continue
		}
		a, h := k.discountArticle(r, s)
		if h != nil {
			return h
		}
		p.Lines = append(p.Lines, k.priced("rounding", a, "Afronding "+key+"% btw", one, gap, r))
	}
	return k.book(s, exclusive, p)
}

var halfCent = decimal.New(5, -3)

func withoutDifference(lines []Line) []Line {
	out := make([]Line, 0, len(lines))
	for _, l := range lines {
		if l.Kind != "difference" {
			out = append(out, l)
		}
	}
	return out
}
