// Package reference is the one place that says what an order is called in
// SnelStart: the betalingskenmerk and orderreferentie of its verkooporder,
// and of the credit verkooporders that refund it. The import writes these,
// the reconciliation reads them back; both go through here.
package reference

import (
	"strconv"
	"strings"
)

// creditMark separates an order's reference from the credit part.
const creditMark = "-C"

// Order is the reference of a shop order: the profile's prefix
// (sales.referencePrefix, which tells the shops of one administration
// apart) and the order number, e.g. "WS10077".
func Order(prefix string, orderID int) string { return prefix + strconv.Itoa(orderID) }

// Credit is the reference of the credit verkooporder that refunds a whole
// order: "WS10077-C".
func Credit(orderRef string) string { return orderRef + creditMark }

// CreditReturn is the reference of the credit verkooporder for one return
// of OpenCart's return table (a partial refund): "WS10077-C12".
func CreditReturn(orderRef string, returnID int) string {
	return orderRef + creditMark + strconv.Itoa(returnID)
}

// Parsed is what a reference says.
type Parsed struct {
	OrderID  int
	Credit   bool // a credit verkooporder (Credit or CreditReturn)
	ReturnID int  // CreditReturn's return_id; 0 for a full credit
}

// Parse reads a reference written with this prefix. ok is false for a
// reference S-Connect did not write for this prefix (another shop's, or
// the bookkeeper's own).
func Parse(prefix, ref string) (Parsed, bool) {
	rest, found := strings.CutPrefix(ref, prefix)
	if !found || rest == "" {
		return Parsed{}, false
	}
	num, credit, isCredit := strings.Cut(rest, creditMark)
	id, ok := number(num)
	if !ok || id == 0 {
		return Parsed{}, false
	}
	p := Parsed{OrderID: id, Credit: isCredit}
	if isCredit && credit != "" {
		if p.ReturnID, ok = number(credit); !ok || p.ReturnID == 0 {
			return Parsed{}, false
		}
	}
	return p, true
}

// number reads plain decimal digits (no sign, no spaces, no leading zero
// that Order would not write).
func number(s string) (int, bool) {
	if s == "" || len(s) > 9 || s[0] == '0' {
		return 0, false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return 0, false
		}
	}
	n, err := strconv.Atoi(s)
	return n, err == nil
}
