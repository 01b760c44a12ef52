package reconcile

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"
)

// Label is a message in the user's language (the UI's message files):
// key, with {arg} filled in. An unknown key comes back as the key.
type Label func(key, arg string) string

// CSV writes a report for a spreadsheet: the title (and the note on Vanaf
// datum/tijd when the period starts before it), the findings, an empty line, then
// the turnover and VAT per rate of both sides. In Dutch the fields are
// separated by ; and amounts have a decimal comma, as Dutch Excel reads a
// CSV file; in English by , with a decimal point. Amounts carry no € and no
// thousands separator, so the spreadsheet takes them as numbers. A
// byte-order mark makes Excel read UTF-8.
func CSV(rep *Report, lang string, t Label) string {
	sep, num := ";", amountFormat(lang)
	if lang == "en" {
		sep = ","
	}
	var b strings.Builder
	b.WriteString("\ufeff")
	row := func(cells ...string) {
		for i, c := range cells {
			if i > 0 {
				b.WriteString(sep)
			}
			b.WriteString(cell(c, sep))
		}
		b.WriteString("\r\n")
	}
	row(t("check.csv.title", rep.From+" – "+rep.To))
	if note := rep.SinceNote(t); note != "" {
		row(note)
	}
	row(t("check.csv.kind", ""), t("check.csv.order", ""), t("check.csv.reference", ""), t("check.csv.date", ""),
		t("check.csv.customer", ""), t("check.csv.nummers", ""), t("check.csv.shop", ""), t("check.csv.snelstart", ""),
		t("check.csv.difference", ""), t("check.csv.detail", ""))
	for _, f := range rep.Findings {
		var shop, ss, diff string
		if f.Shop != nil {
			shop = num(f.Shop.Total)
		}
		if f.SnelStart != nil {
			ss = num(f.SnelStart.Total)
		}
		if f.Shop != nil && f.SnelStart != nil {
			diff = num(f.SnelStart.Total.Sub(f.Shop.Total))
		}
		nummers := make([]string, len(f.Nummers))
		for i, n := range f.Nummers {
			nummers[i] = strconv.Itoa(n)
		}
		order := ""
		if f.OrderID > 0 {
			order = strconv.Itoa(f.OrderID)
		}
		row(t("check.kind."+f.Kind, ""), order, f.Reference, f.Date, f.Customer, strings.Join(nummers, " "), shop, ss, diff,
			DetailText(f, t, num))
	}
	b.WriteString("\r\n")
	row(t("check.csv.rate", ""), t("check.csv.shopExcl", ""), t("check.csv.shopVat", ""), t("check.csv.snelstartExcl", ""),
		t("check.csv.snelstartVat", ""), t("check.csv.diffExcl", ""), t("check.csv.diffVat", ""))
	var se, sv, be, bv decimal.Decimal
	for _, r := range rep.Totals {
		row(r.Rate.String()+"%", num(r.ShopExcl), num(r.ShopVAT), num(r.SnelStartExcl), num(r.SnelStartVAT),
			num(r.SnelStartExcl.Sub(r.ShopExcl)), num(r.SnelStartVAT.Sub(r.ShopVAT)))
		se, sv, be, bv = se.Add(r.ShopExcl), sv.Add(r.ShopVAT), be.Add(r.SnelStartExcl), bv.Add(r.SnelStartVAT)
	}
	row(t("check.csv.total", ""), num(se), num(sv), num(be), num(bv), num(be.Sub(se)), num(bv.Sub(sv)))
	return b.String()
}

// amountFormat writes an amount with two decimals: a decimal comma in
// Dutch, a point in English; no thousands separator.
func amountFormat(lang string) func(decimal.Decimal) string {
	point := ","
	if lang == "en" {
		point = "."
	}
	return func(d decimal.Decimal) string { return strings.Replace(d.StringFixed(2), ".", point, 1) }
}

var reasonRE = regexp.MustCompile(`^([a-z_]+)\((.*)\)$`)

// DetailText is a finding's explanation in words: a reason in the words of
// the import's holds, per VAT rate the figures that differ.
func DetailText(f Finding, t Label, num func(decimal.Decimal) string) string {
	var parts []string
	if f.State != "" {
		parts = append(parts, t("ledger."+f.State, ""))
	}
	switch f.DetailCode {
	case "reason":
		text := f.Detail
		if m := reasonRE.FindStringSubmatch(f.Detail); m != nil {
			if s := t("hold."+m[1], m[2]); s != "hold."+m[1] {
				text = s
			}
		}
		parts = append(parts, text)
	case "":
	default:
		parts = append(parts, t("check.detail."+f.DetailCode, f.Detail))
	}
	if f.Shop != nil && f.SnelStart != nil {
		for _, r := range f.Shop.Add(*f.SnelStart).Rates {
			a, b := f.Shop.Rate(r.Rate), f.SnelStart.Rate(r.Rate)
			if !a.Excl.Equal(b.Excl) || !a.VAT.Equal(b.VAT) {
				parts = append(parts, t("check.detail.rate", r.Rate.String()+"%: "+num(a.Excl)+" / "+num(b.Excl)+", "+
					t("check.vat", "")+" "+num(a.VAT)+" / "+num(b.VAT)))
			}
		}
	}
	return strings.Join(parts, "; ")
}

// cell quotes a field that needs it, and keeps a text that starts like a
// formula (=, +, -, @) text, so a spreadsheet never runs a customer's name.
func cell(v, sep string) string {
	if v != "" && strings.ContainsAny(v[:1], "=+-@\t\r") && !numberRE.MatchString(v) {
		v = "'" + v
	}
	if strings.ContainsAny(v, "\"\r\n") || strings.Contains(v, sep) {
		return `"` + strings.ReplaceAll(v, `"`, `""`) + `"`
	}
	return v
}

var numberRE = regexp.MustCompile(`^-?\d+([.,]\d+)?$`)
