package opencart

import (
	"testing"

	"github.com/shopspring/decimal"
)

func TestRatesOfTaxRowsAndFees(t *testing.T) {
	d := decimal.RequireFromString
	tx := taxes{known: true, rates: map[int]TaxRate{
		1: {ID: 1, Name: "BTW 21%", Rate: d("21")}, 2: {ID: 2, Name: "BTW 9% eten & boeken", Rate: d("9")},
		3: {ID: 3, Name: "BTW", Rate: d("21")}, 4: {ID: 4, Name: "BTW", Rate: d("6")}, // one name, two rates
		5: {ID: 5, Name: "Eco Tax (-2.00)", Rate: d("2"), Fixed: true}, 6: {ID: 6, Name: "BTW BE", Rate: d("21")},
	}, classes: map[int][]int{9: {1, 5}, 10: {2}, 11: {1, 6}, 12: {1, 2}, 13: {}}}
	for title, want := range map[string]string{"BTW 21%": "21", "BTW 9% eten & boeken": "9", "BTW": "?", "Eco Tax (-2.00)": "F2",
		"Omzetbelasting 9%": "9", "Belasting": "?"} {
		rate, fixed, ok := tx.rateOfTitle(title)
		got := "?"
		if ok {
			got = rate.String()
			if fixed {
				got = "F" + got
			}
		}
		if got != want {
			t.Errorf("title %q: %s, want %s", title, got, want)
		}
	}
	inOrder := map[string]bool{"BTW 21%": true}
	for _, c := range []struct {
		class  int
		titles map[string]bool
		want   string
	}{
		{0, inOrder, "0"},                           // no class: untaxed
		{9, inOrder, "21"},                          // the fixed eco tax is no VAT rate
		{10, inOrder, "9"},                          // not in this order (a free-shipping coupon took it all): the class's one rate
		{11, map[string]bool{"BTW BE": true}, "21"}, // two zones, one percentage
		{12, map[string]bool{"BTW 21%": true, "BTW 9% eten & boeken": true}, "?"}, // two rates on one fee: not one VAT rate
		{13, inOrder, "0"}, // a class without rules
	} {
		got := "?"
		if r := tx.rateOfClass(c.class, c.titles); r != nil {
			got = r.String()
		}
		if got != c.want {
			t.Errorf("class %d: %s, want %s", c.class, got, c.want)
		}
	}
	if r := (&taxes{}).rateOfClass(9, inOrder); r != nil {
		t.Errorf("unknown tables: %v, want nil", r)
	}
}
