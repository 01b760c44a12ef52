package opencart

import (
	"context"
	"fmt"
	"regexp"
	"strings"

	"github.com/shopspring/decimal"
)

// TaxRate is one row of the shop's tax_rate table.
type TaxRate struct {
	ID    int
	Name  string // decoded; the title of the order's tax row for this rate
	Rate  decimal.Decimal
	Fixed bool // type F: a fixed amount, not a percentage
}

// taxes is what the shop says about VAT: its rates and which rates each
// tax class holds. An order stores only the title of each tax row, and
// shipping and fees store no class at all, so these tables are how a row is
// tied to a percentage (docs/vat.md).
type taxes struct {
	rates   map[int]TaxRate
	classes map[int][]int // tax_class_id → tax_rate_ids (tax_rule)
	known   bool          // the tables could be read
	// fee tax classes from the settings: handling, low_order_fee, and the
	// shipping extensions' <code>_tax_class_id, filled as orders need them.
	feeClass map[string]int
	asked    map[string]bool
}

// loadTaxes reads tax_rate and tax_rule; a shop (or an old bridge) without
// them leaves the rates to the titles.
func (s *Shop) loadTaxes(ctx context.Context) error {
	s.tax = taxes{rates: map[int]TaxRate{}, classes: map[int][]int{}, feeClass: map[string]int{}, asked: map[string]bool{}}
	if !s.schema.HasTable("tax_rate") || !s.schema.HasTable("tax_rule") {
		return nil
	}
	rates, err := s.t.Select(ctx, Query{Table: "tax_rate", Columns: []string{"tax_rate_id", "name", "rate", "type"}, OrderBy: []string{"tax_rate_id"}, Limit: MaxLimit})
	if err != nil {
		return fmt.Errorf("opencart: tax rates: %w", err)
	}
	for _, r := range rates {
		id := atoi(r["tax_rate_id"])
		s.tax.rates[id] = TaxRate{ID: id, Name: Decode(r["name"]), Rate: dec(r["rate"]), Fixed: strings.EqualFold(r["type"], "F")}
	}
	rules, err := s.t.Select(ctx, Query{Table: "tax_rule", Columns: []string{"tax_rule_id", "tax_class_id", "tax_rate_id"}, OrderBy: []string{"tax_rule_id"}, Limit: MaxLimit})
	if err != nil {
		return fmt.Errorf("opencart: tax rules: %w", err)
	}
	for _, r := range rules {
		c := atoi(r["tax_class_id"])
		s.tax.classes[c] = append(s.tax.classes[c], atoi(r["tax_rate_id"]))
	}
	s.tax.known = true
	return nil
}

// TaxRates lists the shop's tax rates.
func (s *Shop) TaxRates() []TaxRate {
	out := make([]TaxRate, 0, len(s.tax.rates))
	for _, id := range sortInts(keys(s.tax.rates)) {
		out = append(out, s.tax.rates[id])
	}
	return out
}

func keys[V any](m map[int]V) []int {
	out := make([]int, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}

// percentInTitle finds "21%" or "9,5 %" in a title: the last resort for a
// tax row whose rate cannot be found by name.
var percentInTitle = regexp.MustCompile(`(\d{1,2}(?:[.,]\d{1,4})?)\s*%`)

// rateOfTitle finds the percentage of a tax row by its title. ok is false
// when no rate or more than one different rate carries that name.
func (t *taxes) rateOfTitle(title string) (rate decimal.Decimal, fixed, ok bool) {
	found := false
	for _, r := range t.rates {
		if r.Name != title {
			continue
		}
		if found && (!r.Rate.Equal(rate) || r.Fixed != fixed) {
			return decimal.Zero, false, false
		}
		rate, fixed, found = r.Rate, r.Fixed, true
	}
	if found {
		return rate, fixed, true
	}
	if m := percentInTitle.FindAllStringSubmatch(title, -1); len(m) == 1 {
		if d, err := decimal.NewFromString(strings.ReplaceAll(m[0][1], ",", ".")); err == nil {
			return d, false, true
		}
	}
	return decimal.Zero, false, false
}

// rateOfClass is the VAT percentage a fee of this tax class carried in an
// order: class 0 is untaxed; otherwise the class's percentage rates whose
// names are among the order's tax rows, or, when none is (a free-shipping
// coupon can take a rate's whole tax away), the class's one percentage.
// nil when the shop does not tell.
func (t *taxes) rateOfClass(class int, titles map[string]bool) *decimal.Decimal {
	if class == 0 {
		zero := decimal.Zero
		return &zero
	}
	if !t.known {
		return nil
	}
	var inOrder, all []decimal.Decimal
	for _, id := range t.classes[class] {
		r, ok := t.rates[id]
		if !ok || r.Fixed {
			continue
		}
		all = appendRate(all, r.Rate)
		if titles[r.Name] {
			inOrder = appendRate(inOrder, r.Rate)
		}
	}
	switch {
	case len(t.classes[class]) == 0:
		zero := decimal.Zero // a class without rules taxes nothing
		return &zero
	case len(inOrder) == 1:
		return &inOrder[0]
	case len(inOrder) == 0 && len(all) == 1:
		return &all[0]
	}
	return nil
}

func appendRate(list []decimal.Decimal, r decimal.Decimal) []decimal.Decimal {
	for _, x := range list {
		if x.Equal(r) {
			return list
		}
	}
	return append(list, r)
}

// Setting keys of the fee totals' tax classes: 3.0 and later prefix the
// extension type, 2.3 does not.
var feeClassKeys = map[string][]string{
	"handling":      {"total_handling_tax_class_id", "handling_tax_class_id"},
	"low_order_fee": {"total_low_order_fee_tax_class_id", "low_order_fee_tax_class_id"},
}

// shippingClassKeys are the settings that may hold the tax class of a
// shipping extension (the part of its code before the dot).
func shippingClassKeys(ext string) []string {
	return []string{"shipping_" + ext + "_tax_class_id", ext + "_tax_class_id"}
}

// loadFeeClasses reads the tax-class settings of the fees and of the
// shipping extensions these orders used, once per extension.
func (s *Shop) loadFeeClasses(ctx context.Context, orders []Order) error {
	var want []string
	ask := func(keys ...string) {
		for _, k := range keys {
			if !s.tax.asked[k] {
				s.tax.asked[k] = true
				want = append(want, k)
			}
		}
	}
	for _, k := range feeClassKeys {
		ask(k...)
	}
	for _, o := range orders {
		if ext := shippingExtension(o.ShippingMethod.Code); ext != "" {
			ask(shippingClassKeys(ext)...)
		}
	}
	if len(want) == 0 || !s.tax.known {
		return nil
	}
	rows, err := s.t.Select(ctx, Query{Table: "setting", Columns: []string{"key", "value"},
		Where: []Cond{Eq("store_id", 0), In("key", want)}})
	if err != nil {
		return fmt.Errorf("opencart: tax class settings: %w", err)
	}
	for _, r := range rows {
		s.tax.feeClass[r["key"]] = atoi(r["value"])
	}
	return nil
}

func shippingExtension(code string) string {
	ext, _, _ := strings.Cut(code, ".")
	return strings.TrimSpace(ext)
}

// classOf finds the tax class of a fee row: from the order's own shipping
// JSON (4.0.2+), else from the settings. ok is false when neither says.
func (s *Shop) classOf(code string, shipping Method) (class int, ok bool) {
	var keys []string
	switch code {
	case "shipping":
		if shipping.TaxClassID != nil {
			return *shipping.TaxClassID, true
		}
		keys = shippingClassKeys(shippingExtension(shipping.Code))
	default:
		keys = feeClassKeys[code]
	}
	for _, k := range keys {
		if c, found := s.tax.feeClass[k]; found {
			return c, true
		}
	}
	return 0, false
}

// fillRates ties each tax row to its percentage and each shipping,
// handling and low_order_fee row to the rate of its tax class.
func (s *Shop) fillRates(o *Order) {
	titles := map[string]bool{}
	for _, t := range o.Totals {
		if t.Code == "tax" {
			titles[t.Title] = true
		}
	}
	for i := range o.Totals {
		t := &o.Totals[i]
		switch t.Code {
		case "tax":
			if rate, fixed, ok := s.tax.rateOfTitle(t.Title); ok {
				t.Rate, t.Fixed = &rate, fixed
			}
		case "shipping", "handling", "low_order_fee":
			if t.Value.IsZero() { // pickup, free shipping: nothing to tax
				zero := decimal.Zero
				t.Rate = &zero
			} else if class, ok := s.classOf(t.Code, o.ShippingMethod); ok {
				t.Rate = s.tax.rateOfClass(class, titles)
			}
		}
	}
}
