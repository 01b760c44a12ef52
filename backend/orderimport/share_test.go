package orderimport

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/s-connect/s-connect/backend/opencart"
	"github.com/s-connect/s-connect/backend/opencart/fixture"
)

// Products at 21 % and 9 %, quantities above one so part of a line can go
// back, and prices whose shares do not come out in whole cents.
var shareLines = []fixture.CartLine{
	{Name: "Rode wijn", Model: "P21", Price: d("12.3967"), Quantity: 3, Rate: 21},
	{Name: "Glas & karaf", Model: "P21", Price: d("10.33"), Quantity: 2, Rate: 21},
	{Name: "Oude kaas", Model: "P9", Price: d("8.2569"), Quantity: 3, Rate: 9},
	{Name: "Boek", Model: "P9", Price: d("7.77"), Quantity: 1, Rate: 9},
}

// paidPerRate sums, per VAT rate, the product and discount lines of plans:
// what the customer paid for the products (shipping, fees, rounding and
// difference lines left out).
func paidPerRate(plans ...Plan) map[string]decimal.Decimal {
	out := map[string]decimal.Decimal{}
	for _, p := range plans {
		for _, l := range p.Lines {
			if l.Kind == "product" || l.Kind == "discount" {
				out[rateKey(l.Rate)] = out[rateKey(l.Rate)].Add(l.Total)
			}
		}
	}
	return out
}

func discountOfPlan(p Plan) decimal.Decimal {
	sum := decimal.Zero
	for _, l := range p.Lines {
		if l.Kind == "discount" {
			sum = sum.Sub(l.Total)
		}
	}
	return sum
}

// A return of an order with a coupon (fixed or percentage) or reward
// points credits what the customer paid for the returned units: line price
// less what OpenCart took off them — only the products a coupon is for
// (named, or in its categories), only the products with points, and never
// the shipping a free-shipping coupon took off. Returning every unit of
// every line — some lines in two returns — gives back, per VAT rate and to
// the cent, the order's products less what OpenCart took off them.
func TestReturnCreditFollowsTheOrdersDiscounts(t *testing.T) {
	scenarios := map[string]func(c *fixture.Cart){
		"coupon € 10": func(c *fixture.Cart) { c.Coupon = &fixture.Coupon{Code: "TIEN", Type: "F", Discount: d("10")} },
		"coupon 15 %": func(c *fixture.Cart) { c.Coupon = &fixture.Coupon{Code: "VIJFTIEN", Type: "P", Discount: d("15")} },
		"coupon 10 % + shipping": func(c *fixture.Cart) {
			c.Shipping, c.Coupon = true, &fixture.Coupon{Code: "K&W", Type: "P", Discount: d("10")}
		},
		"reward points": func(c *fixture.Cart) { c.Reward = 700 },
		"reward points, two products without": func(c *fixture.Cart) {
			c.Lines[1].NoPoints, c.Lines[3].NoPoints, c.Reward = true, true, 500
		},
		"coupon € 10 for one of two products at 21 %": func(c *fixture.Cart) {
			c.Coupon = &fixture.Coupon{Code: "EEN", Type: "F", Discount: d("10"), Lines: []int{1}}
		},
		"coupon 20 % for one of two products at 21 %": func(c *fixture.Cart) {
			c.Coupon = &fixture.Coupon{Code: "EEN", Type: "P", Discount: d("20"), Lines: []int{0}}
		},
		"coupon € 10 for two products": func(c *fixture.Cart) {
			c.Coupon = &fixture.Coupon{Code: "TWEE", Type: "F", Discount: d("10"), Lines: []int{1, 2}}
		},
		"coupon 25 % for a category": func(c *fixture.Cart) {
			// Wine (20) and its subcategory red wine (27): the first and
			// third line; the glass and the book are not.
			c.Lines[0].Category, c.Lines[2].Category, c.Lines[1].Category = 27, 20, 33
			c.Coupon = &fixture.Coupon{Code: "WIJN", Type: "P", Discount: d("25"), Categories: []int{20}}
		},
		"coupon 10 % + free shipping": func(c *fixture.Cart) {
			c.Shipping, c.Coupon = true, &fixture.Coupon{Code: "GRATIS", Type: "P", Discount: d("10"), FreeShipping: true}
		},
		"coupon € 2 + free shipping, one product, and reward points": func(c *fixture.Cart) {
			c.Shipping, c.Coupon = true, &fixture.Coupon{Code: "GRATIS", Type: "F", Discount: d("2"), FreeShipping: true, Lines: []int{3}}
			c.Lines[0].NoPoints, c.Reward = true, 300
		},
	}
	cases := 0
	for _, version := range fixture.Versions {
		for name, scenario := range scenarios {
			for _, exclusive := range []bool{false, true} {
				label := fmt.Sprintf("%s %s (excl. %v)", version, name, exclusive)
				cart := fixture.Cart{Version: version, Lines: slices.Clone(shareLines)}
				scenario(&cart)
				o, taken := fixture.CheckoutTaken(cart)
				k := vatKnowledge()
				k.Sjabloon.PrijsIngaveExclusiefBtw = exclusive
				s := vatSettings()
				order := PlanOrder(o, s, k)
				if order.Held != nil || discountOfPlan(order).IsZero() {
					t.Fatalf("%s: the order is held %v or has no discount (lines %s)", label, order.Held, kinds(order))
				}
				rates := []decimal.Decimal{d("21"), d("9")}
				gross := func(rate decimal.Decimal) decimal.Decimal {
					if exclusive {
						return one
					}
					return hundred.Add(rate).Div(hundred)
				}
				var credits []Plan
				takenPerRate := map[string]decimal.Decimal{}
				id := 0
				for i, l := range o.Lines {
					rate := lineRate(l, rates)
					takenPerRate[rateKey(rate)] = takenPerRate[rateKey(rate)].Add(taken[i])
					parts := []int{l.Quantity}
					if l.Quantity > 1 {
						parts = []int{1, l.Quantity - 1} // a partial return, then the rest
					}
					before := 0
					for _, qty := range parts {
						id++
						ret := opencart.Return{ID: id, OrderID: o.ID, ProductID: l.ProductID, Product: l.Name, Model: l.Model, Quantity: qty}
						p := planReturn(o, ret, before, s, k)
						if p.Held != nil || len(p.Notes) > 0 {
							t.Fatalf("%s: return of %d × %s held %v, notes %v (lines %s)", label, qty, l.Name, p.Held, p.Notes, kinds(p))
						}
						// The credit's discount is what OpenCart took off these
						// units, within the cent its rounding may move.
						want := taken[i].Mul(decimal.NewFromInt(int64(qty))).Div(decimal.NewFromInt(int64(l.Quantity)))
						got := discountOfPlan(p).Div(gross(rate))
						if got.Sub(want).Abs().GreaterThan(d("0.01")) {
							t.Errorf("%s: return of %d × %s gives %s of the discount back, OpenCart took %s off (lines %s)",
								label, qty, l.Name, got.StringFixed(4), want.StringFixed(4), kinds(p))
						}
						credits = append(credits, p)
						before += qty
					}
				}
				// Every return together gives back what the order booked for
				// the products after discount: its product and discount lines
				// at the rate, and with free shipping its shipping line too
				// (that part of the discount line paid the shipping).
				want, got := paidPerRate(order), paidPerRate(credits...)
				for _, l := range order.Lines {
					if l.Kind == "shipping" && cart.Coupon != nil && cart.Coupon.FreeShipping {
						want[rateKey(l.Rate)] = want[rateKey(l.Rate)].Add(l.Total)
					}
				}
				for _, rate := range rates {
					key := rateKey(rate)
					if !want[key].Equal(got[key]) || want[key].IsZero() {
						t.Errorf("%s: %s%% the order booked %s for its products after discount, every return together %s",
							label, key, want[key], got[key])
					}
				}
				cases++
			}
		}
	}
	if cases != len(fixture.Versions)*len(scenarios)*2 {
		t.Fatalf("%d orders checked", cases)
	}
}

// A return of an order without a discount is credited at the line price,
// with no discount line, as before: a gift voucher and store credit are
// payments, not discounts, and shipping stays with the order.
func TestReturnCreditWithoutDiscountIsTheLinePrice(t *testing.T) {
	for _, exclusive := range []bool{false, true} {
		o := fixture.Checkout(fixture.Cart{Lines: shareLines, Shipping: true, VoucherUsed: d("10"), Credit: d("7.5")})
		k := vatKnowledge()
		k.Sjabloon.PrijsIngaveExclusiefBtw = exclusive
		order := PlanOrder(o, vatSettings(), k)
		if order.Held != nil {
			t.Fatalf("order held %v", order.Held)
		}
		for i, l := range o.Lines {
			p := planReturn(o, opencart.Return{ID: i + 1, OrderID: o.ID, ProductID: l.ProductID, Quantity: l.Quantity}, 0, vatSettings(), k)
			if p.Held != nil || len(p.Lines) == 0 || p.Lines[0].Kind != "product" {
				t.Fatalf("return of %s: held %v, lines %s", l.Name, p.Held, kinds(p))
			}
			for _, cl := range p.Lines {
				if cl.Kind == "discount" {
					t.Fatalf("return of %s (excl. %v): a discount line %v on an order without discount", l.Name, exclusive, cl)
				}
			}
			if !p.Lines[0].Total.Equal(order.Lines[i].Total) || !p.Lines[0].Price.Equal(order.Lines[i].Price) {
				t.Fatalf("return of %s (excl. %v): %v, the order booked %v", l.Name, exclusive, p.Lines[0], order.Lines[i])
			}
		}
	}
}

// When the order's coupon or product points cannot be read (the coupon
// deleted since, a bridge of an older S-Connect), the discount is spread
// over every product of the rate by net amount, as the order's booking
// allows, and the credit says so (a note) rather than guessing silently.
func TestReturnCreditWithUnknownCouponSaysSo(t *testing.T) {
	for _, version := range fixture.Versions {
		cart := fixture.Cart{Version: version, Lines: slices.Clone(shareLines), Reward: 300,
			Coupon: &fixture.Coupon{Code: "EEN", Type: "F", Discount: d("10"), Lines: []int{1}}}
		o := fixture.Checkout(cart)
		title := ""
		for _, tt := range o.Totals {
			if tt.Code == "coupon" {
				title = tt.Title
			}
		}
		o.Discounts = &opencart.Discounts{CouponUnknown: title, PointsUnknown: true}
		s, k := vatSettings(), vatKnowledge()
		order := PlanOrder(o, s, k)
		var credits []Plan
		for i, l := range o.Lines {
			p := planReturn(o, opencart.Return{ID: i + 1, OrderID: o.ID, ProductID: l.ProductID, Quantity: l.Quantity}, 0, s, k)
			if p.Held != nil || len(p.Notes) != 1 || p.Notes[0].Code != "discount_share_unknown" || !strings.Contains(p.Notes[0].Arg, title) {
				t.Fatalf("%s: return of %s: held %v, notes %v", version, l.Name, p.Held, p.Notes)
			}
			// By net amount: the glass (no part of the coupon in the shop)
			// gets its share all the same.
			if i == 0 && discountOfPlan(p).IsZero() {
				t.Fatalf("%s: return of %s: no share of the discount", version, l.Name)
			}
			credits = append(credits, p)
		}
		want, got := paidPerRate(order), paidPerRate(credits...)
		for _, rate := range []string{"21", "9"} {
			if !want[rate].Equal(got[rate]) {
				t.Errorf("%s: %s%% the order booked %s, every return together %s", version, rate, want[rate], got[rate])
			}
		}
	}
}
