package orderimport

import (
	"strings"

	"github.com/shopspring/decimal"

	"github.com/s-connect/s-connect/backend/opencart"
)

// A returned product's share of the order's discounts (docs/refunds.md).
// OpenCart lowers each product's amount and tax by its part of a coupon or
// of reward points, so the customer paid less than the line price: a
// return gives back the line price less that part. The order's discount
// per VAT rate is taken from the order's own booking (planTotals and
// splitDiscount); it is spread over the rate's products by their net
// amount, and rounded the way the order's discount line of that rate is.
// Gift vouchers and store credit are payments, not discounts: they take
// nothing off a product.

// productBase is the net the shop taxed per rate for the product lines:
// price × quantity, as OpenCart's cart computes its taxes.
func productBase(o opencart.Order, rowRates []decimal.Decimal) *taxBase {
	base := newTaxBase()
	for _, l := range o.Lines {
		base.add(lineRate(l, rowRates), l.Price.Mul(decimal.NewFromInt(int64(l.Quantity))))
	}
	return base
}

// orderDiscount is the order's coupon and reward discount per VAT rate,
// net (base.less), split exactly as the order's booking splits it.
func orderDiscount(o opencart.Order, s Settings, k *Knowledge) (*taxBase, *Hold) {
	rows, rowRates, h := taxRows(o)
	if h != nil {
		return nil, h
	}
	base := productBase(o, rowRates)
	var scratch Plan // only the split is wanted here, not the lines
	if h := planTotals(o, s, k, k.exclusive(), base, rows, rowRates, &scratch); h != nil {
		return nil, h
	}
	return base, nil
}

// returnDiscount is the net discount of units from+1 … from+qty of the
// order's line: the share of the rate's discount up to the last of them,
// less the share up to the unit before the first, each rounded to the cent
// as the order's discount line is (incl. or excl. VAT as the template).
// So the returns of every unit of every line of a rate add up to that
// line's amount, to the cent, whatever the order they come in.
func returnDiscount(o opencart.Order, line *opencart.Line, from, qty int, s Settings, k *Knowledge) (decimal.Decimal, *Hold) {
	if discountTitle(o) == "" {
		// No discount: nothing to share, and no setting of the order's
		// other totals (changed since it was booked) can hold the credit.
		return decimal.Zero, nil
	}
	base, h := orderDiscount(o, s, k)
	if h != nil {
		return decimal.Zero, h
	}
	_, rowRates, _ := taxRows(o)
	rate := lineRate(*line, rowRates)
	key := rateKey(rate)
	discount := base.less[key]
	if !discount.IsPositive() {
		return decimal.Zero, nil
	}
	var before, products decimal.Decimal // net at this rate: of the lines before this one, of all
	seen := false
	for i := range o.Lines {
		l := &o.Lines[i]
		if rateKey(lineRate(*l, rowRates)) != key {
			continue
		}
		net := l.Price.Mul(decimal.NewFromInt(int64(l.Quantity)))
		if l == line {
			seen = true
		} else if !seen {
			before = before.Add(net)
		}
		products = products.Add(net)
	}
	if !products.IsPositive() {
		return decimal.Zero, nil
	}
	// A free-shipping coupon takes the shipping off the rate's discount
	// too: a product never gets back more than it cost.
	discount = decimal.Min(discount, products)
	gross := one // what the discount line's price is: excl. or incl. VAT
	if !k.exclusive() {
		gross = hundred.Add(rate).Div(hundred)
	}
	upTo := func(units int) decimal.Decimal {
		net := before.Add(line.Price.Mul(decimal.NewFromInt(int64(units))))
		return discount.Mul(net).Div(products).Mul(gross).Round(2)
	}
	return upTo(from + qty).Sub(upTo(from)).Div(gross), nil
}

// discountTitle is the titles of the order's coupon and reward rows.
func discountTitle(o opencart.Order) string {
	var titles []string
	for _, t := range o.Totals {
		if discountTotals[t.Code] && !t.Value.IsZero() {
			titles = append(titles, t.Title)
		}
	}
	return strings.Join(titles, ", ")
}
