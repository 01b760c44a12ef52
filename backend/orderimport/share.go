package orderimport

import (
	"slices"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/s-connect/s-connect/backend/opencart"
)

// A returned product's share of the order's discounts (docs/refunds.md).
// OpenCart lowers each product's amount and tax by its part of a coupon or
// of reward points, so the customer paid less than the line price: a
// return gives back the line price less that part. The order's discount
// per VAT rate is taken from the order's own booking (planTotals and
// splitDiscount), less the shipping a free-shipping coupon took off at
// that rate; it is spread over the rate's products by what OpenCart took
// off each (a coupon off the products it is for, reward points off those
// with points: shareWeights, from the shop's coupon and products as
// opencart.ReadDiscounts reads them), and rounded the way the order's
// discount line of that rate is. Gift vouchers and store credit are
// payments, not discounts: they take nothing off a product.

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
// net (base.less), split exactly as the order's booking splits it, and the
// order's (first) shipping line as booked.
func orderDiscount(o opencart.Order, s Settings, k *Knowledge) (*taxBase, *Line, *Hold) {
	rows, rowRates, h := taxRows(o)
	if h != nil {
		return nil, nil, h
	}
	base := productBase(o, rowRates)
	var scratch Plan // only the split is wanted here, not the lines
	if h := planTotals(o, s, k, k.exclusive(), base, rows, rowRates, &scratch); h != nil {
		return nil, nil, h
	}
	for _, l := range scratch.Lines {
		if l.Kind == "shipping" {
			return base, &l, nil
		}
	}
	return base, nil, nil
}

// shareWeights is, per order line, what OpenCart took off it, and the
// shipping a free-shipping coupon took off (net). OpenCart takes a coupon
// (percentage or fixed) and reward points off each product they apply to
// in proportion to its net amount: the coupon's total less free shipping
// over the coupon's products, the reward total over the products with
// points. unknown names the discount whose products could not be read
// (then every product of the order shares in it, as before).
func shareWeights(o opencart.Order) (weights []decimal.Decimal, shipping decimal.Decimal, unknown string) {
	d := o.Discounts
	if d == nil {
		d = &opencart.Discounts{} // not read: every product shares
	}
	var coupon, reward decimal.Decimal
	var couponTitle, rewardTitle string
	for _, t := range o.Totals {
		switch t.Code {
		case "coupon":
			coupon, couponTitle = coupon.Sub(t.Value), t.Title
		case "reward":
			reward, rewardTitle = reward.Sub(t.Value), t.Title
		case "shipping":
			if d.Coupon != nil && d.Coupon.Shipping && shipping.IsZero() {
				shipping = t.Value
			}
		}
	}
	if !coupon.IsZero() && d.Coupon == nil && o.Discounts != nil {
		unknown = couponTitle
	}
	if !reward.IsZero() && d.Points == nil && o.Discounts != nil {
		unknown = strings.TrimPrefix(unknown+", "+rewardTitle, ", ")
	}
	shipping = decimal.Max(decimal.Min(shipping, coupon), decimal.Zero)
	coupon = coupon.Sub(shipping)
	inCoupon := func(l opencart.Line) bool { return d.Coupon == nil || d.Coupon.AppliesTo(l.ProductID) }
	withPoints := func(l opencart.Line) bool { return d.Points == nil || slices.Contains(d.Points, l.ProductID) }
	var couponBase, rewardBase decimal.Decimal
	for _, l := range o.Lines {
		if inCoupon(l) {
			couponBase = couponBase.Add(lineNet(l))
		}
		if withPoints(l) {
			rewardBase = rewardBase.Add(lineNet(l))
		}
	}
	weights = make([]decimal.Decimal, len(o.Lines))
	for i, l := range o.Lines {
		if inCoupon(l) && couponBase.IsPositive() {
			weights[i] = coupon.Mul(lineNet(l)).Div(couponBase)
		}
		if withPoints(l) && rewardBase.IsPositive() {
			weights[i] = weights[i].Add(reward.Mul(lineNet(l)).Div(rewardBase))
		}
	}
	return weights, shipping, unknown
}

func lineNet(l opencart.Line) decimal.Decimal {
	return l.Price.Mul(decimal.NewFromInt(int64(l.Quantity)))
}

// returnDiscount is the net discount of units from+1 … from+qty of the
// order's line: the share of the rate's discount up to the last of them,
// less the share up to the unit before the first, each rounded to the cent
// as the order's discount line is (incl. or excl. VAT as the template).
// So the returns of every unit of every line of a rate add up to that
// line's amount, to the cent, whatever the order they come in. The rate's
// discount is the order's booking of it less the shipping a free-shipping
// coupon took off at that rate; it is shared by what OpenCart took off
// each line (shareWeights). unknown is set when the order's coupon or
// points could not be read: then it is shared by net amount.
func returnDiscount(o opencart.Order, line *opencart.Line, from, qty int, s Settings, k *Knowledge) (less decimal.Decimal, unknown string, h *Hold) {
	if discountTitle(o) == "" {
		// No discount: nothing to share, and no setting of the order's
		// other totals (changed since it was booked) can hold the credit.
		return decimal.Zero, "", nil
	}
	base, shipLine, h := orderDiscount(o, s, k)
	if h != nil {
		return decimal.Zero, "", h
	}
	_, rowRates, _ := taxRows(o)
	rate := lineRate(*line, rowRates)
	key := rateKey(rate)
	gross := one // what the discount line's price is: excl. or incl. VAT
	if !k.exclusive() {
		gross = hundred.Add(rate).Div(hundred)
	}
	// The rate's discount as its discount line books it, less a free
	// shipping at this rate as the shipping line books it: the rest is the
	// products'.
	discount := base.less[key].Mul(gross).Round(2)
	weights, shipping, unknown := shareWeights(o)
	if shipping.IsPositive() && shipLine != nil && rateKey(shipLine.Rate) == key {
		discount = discount.Sub(shipLine.Total)
	}
	var before, shared, products decimal.Decimal // at this rate: weight of the lines before this one, of all; net of all
	var own decimal.Decimal
	seen := false
	for i := range o.Lines {
		l := &o.Lines[i]
		if rateKey(lineRate(*l, rowRates)) != key {
			continue
		}
		if l == line {
			seen, own = true, weights[i]
		} else if !seen {
			before = before.Add(weights[i])
		}
		shared, products = shared.Add(weights[i]), products.Add(lineNet(*l))
	}
	// A product never gets back more than it cost.
	discount = decimal.Min(discount, products.Mul(gross).Round(2))
	if !discount.IsPositive() || !products.IsPositive() {
		return decimal.Zero, unknown, nil
	}
	if !shared.IsPositive() {
		// Nothing of the rate's discount is OpenCart's by these products
		// (a coupon changed since): shared by net amount, as before.
		before, own, shared = decimal.Zero, lineNet(*line), products
		for i := range o.Lines {
			if l := &o.Lines[i]; l == line {
				break
			} else if rateKey(lineRate(*l, rowRates)) == key {
				before = before.Add(lineNet(*l))
			}
		}
		if unknown == "" {
			unknown = discountTitle(o)
		}
	}
	upTo := func(units int) decimal.Decimal {
		w := before.Add(own.Mul(decimal.NewFromInt(int64(units))).Div(decimal.NewFromInt(int64(line.Quantity))))
		return discount.Mul(w).Div(shared).Round(2)
	}
	return upTo(from + qty).Sub(upTo(from)).Div(gross), unknown, nil
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
