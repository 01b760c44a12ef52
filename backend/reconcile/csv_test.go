package reconcile

import (
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/s-connect/s-connect/backend/orderimport"
)

func TestCSVDutchAndEnglish(t *testing.T) {
	d := decimal.RequireFromString
	shop := orderimport.Amounts{Total: d("121"), Excl: d("100"), Rates: []orderimport.RateAmount{{Rate: d("21"), Excl: d("100"), VAT: d("21")}}}
	ss := orderimport.Amounts{Total: d("1331"), Excl: d("1100"), Rates: []orderimport.RateAmount{{Rate: d("21"), Excl: d("1100"), VAT: d("231")}}}
	rep := &Report{From: "2026-07-01", To: "2026-09-30", Findings: []Finding{
		{Kind: Amount, OrderID: 7, Reference: "WS7", Date: "2026-07-02", Customer: "=HYPERLINK(1); Jansen", Nummers: []int{3}, Shop: &shop, SnelStart: &ss}},
		Totals: []RateTotal{{Rate: d("21"), ShopExcl: d("100"), ShopVAT: d("21"), SnelStartExcl: d("1100"), SnelStartVAT: d("231")}}}
	label := func(key, arg string) string { return "<" + key + ">" + arg }

	nl := CSV(rep, "nl", label)
	want := "\ufeff<check.csv.title>2026-07-01 – 2026-09-30\r\n" +
		"<check.csv.kind>;<check.csv.order>;<check.csv.reference>;<check.csv.date>;<check.csv.customer>;<check.csv.nummers>;<check.csv.shop>;<check.csv.snelstart>;<check.csv.difference>;<check.csv.detail>\r\n" +
		"<check.kind.amount>;7;WS7;2026-07-02;\"'=HYPERLINK(1); Jansen\";3;121,00;1331,00;1210,00;<check.detail.rate>21%: 100,00 / 1100,00, <check.vat> 21,00 / 231,00\r\n" +
		"\r\n" +
		"<check.csv.rate>;<check.csv.shopExcl>;<check.csv.shopVat>;<check.csv.snelstartExcl>;<check.csv.snelstartVat>;<check.csv.diffExcl>;<check.csv.diffVat>\r\n" +
		"21%;100,00;21,00;1100,00;231,00;1000,00;210,00\r\n" +
		"<check.csv.total>;100,00;21,00;1100,00;231,00;1000,00;210,00\r\n"
	if nl != want {
		t.Errorf("Dutch CSV:\n%q\nwant\n%q", nl, want)
	}
	// A period that starts before Vanaf datum/tijd says so under the title.
	since := *rep
	since.Since = "2026-07-15T09:30"
	if got := CSV(&since, "nl", label); !strings.HasPrefix(got, "\ufeff<check.csv.title>2026-07-01 – 2026-09-30\r\n<check.since>2026-07-15 09:30\r\n<check.csv.kind>;") {
		t.Errorf("CSV with Vanaf datum/tijd in the period:\n%q", got)
	}
	en := CSV(rep, "en", label)
	if !strings.Contains(en, "\r\n21%,100.00,21.00,1100.00,231.00,1000.00,210.00\r\n") || !strings.Contains(en, ",'=HYPERLINK(1); Jansen,") {
		t.Errorf("English CSV:\n%s", en)
	}
}

// Every text a spreadsheet would run as a formula stays text; an amount,
// also a negative one, stays a number.
func TestCSVCellFormulas(t *testing.T) {
	for in, want := range map[string]string{
		"=1+1": "'=1+1", "+31 6 1234": "'+31 6 1234", "-Jansen": "'-Jansen", "@SUM(A1)": "'@SUM(A1)",
		"\tx": "'\tx", "-12,50": "-12,50", "-3": "-3", "Jansen": "Jansen", "a;b": `"a;b"`, `say "hi"`: `"say ""hi"""`,
	} {
		if got := cell(in, ";"); got != want {
			t.Errorf("cell(%q) = %q, want %q", in, got, want)
		}
	}
}
