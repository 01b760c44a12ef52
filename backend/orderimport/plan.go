package orderimport

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/shopspring/decimal"

	"github.com/s-connect/s-connect/backend/opencart"
	"github.com/s-connect/s-connect/backend/snelstart"
)

// Knowledge is what is known of SnelStart (and of the shop's products) when
// an order is planned: looked up in batches before, so planning does no I/O.
type Knowledge struct {
	ShopName       string
	Products       map[int]opencart.Product      // by product_id: the code fields
	Relaties       []snelstart.Relatie           // candidates for this batch of orders
	Artikelen      map[string]*snelstart.Artikel // by lower-case artikelcode
	Omzetgroepen   map[string]snelstart.Artikelomzetgroep
	Rates          map[string]decimal.Decimal // btwSoort (Hoog, Laag, Geen) → percentage
	Sjabloon       *snelstart.Verkoopordersjabloon
	Kostenplaats   *snelstart.Kostenplaats
	Landen         map[string]string // ISO alpha-2 → land id
	DefaultRelatie *snelstart.Relatie
	MaxCodeLength  int // companyInfo.artikelcodeMaxLengte; 0 = no limit known
}

// Hold is why an order is not sent: a code (message "hold.<code>") and
// what it is about.
type Hold struct {
	Code string `json:"code"`
	Arg  string `json:"arg,omitempty"`
}

// Note is a warning about an order that is sent anyway.
type Note = Hold

// Line is one planned line of the verkooporder.
type Line struct {
	Kind        string          `json:"kind"` // product, option, recipe, shipping, discount, voucher, fee, rounding, difference
	Code        string          `json:"code"` // artikelcode
	ArticleID   string          `json:"articleId,omitempty"`
	Description string          `json:"description"`
	Quantity    decimal.Decimal `json:"quantity"`
	Price       decimal.Decimal `json:"price"` // per unit, incl. or excl. VAT as the order says
	Rate        decimal.Decimal `json:"rate"`  // VAT percentage SnelStart will apply
	Total       decimal.Decimal `json:"total"` // price × quantity: the line's totaal in SnelStart (incl. or excl. VAT as the order)
}

// CustomerPlan says who the order is for.
type CustomerPlan struct {
	Match    string             `json:"match"` // how found (email, klantnummer, …), "new" or "default"
	Existing *snelstart.Relatie `json:"existing,omitempty"`
	New      *snelstart.Relatie `json:"new,omitempty"`
	Update   bool               `json:"update"` // aanmaken-bijwerken: the card gets the order's details
}

// Plan is what S-Connect will do with one order. It is also the preview.
type Plan struct {
	OrderID     int                    `json:"orderId"`
	Reference   string                 `json:"reference"` // betalingskenmerk and orderreferentie
	Held        *Hold                  `json:"held,omitempty"`
	Customer    CustomerPlan           `json:"customer"`
	NewArticles []snelstart.NewArtikel `json:"newArticles,omitempty"`
	Lines       []Line                 `json:"lines"`
	Order       snelstart.Verkooporder `json:"order"`
	ShopTotal   decimal.Decimal        `json:"shopTotal"`
	Total       decimal.Decimal        `json:"total"` // incl. VAT, as SnelStart will compute it
	TotalExcl   decimal.Decimal        `json:"totalExcl"`
	Difference  decimal.Decimal        `json:"difference"`
	VAT         []VATCheck             `json:"vat,omitempty"` // per rate: the shop's tax rows and SnelStart's VAT
	Notes       []Note                 `json:"notes,omitempty"`
}

var hundred = decimal.NewFromInt(100)

// PlanOrder turns an order into a plan. It never does I/O.
func PlanOrder(o opencart.Order, s Settings, k *Knowledge) Plan {
	p := Plan{OrderID: o.ID, Reference: refOf(o, s), ShopTotal: o.Total.Round(2)}
	if h := planOrder(o, s, k, &p); h != nil {
		p.Held = h
	}
	return p
}

func planOrder(o opencart.Order, s Settings, k *Knowledge, p *Plan) *Hold {
	// OpenCart stores every amount in the shop's default currency.
	if o.Currency != "" && !strings.EqualFold(o.Currency, "EUR") {
		return &Hold{"currency", o.Currency}
	}
	exclusive := k.exclusive()
	rows, rowRates, h := taxRows(o)
	if h != nil {
		return h
	}
	if h := checkAddress(o, s); h != nil {
		return h
	}
	cust, h := planCustomer(o, s, k, p)
	if h != nil {
		return h
	}
	p.Customer = cust

	// Product lines, with options and recipe components.
	base := productBase(o, rowRates)
	made := map[string]*snelstart.Artikel{} // articles this order creates, by lower-case code
	for _, l := range o.Lines {
		lines, art, h := planProductLine(l, rowRates, s, k, exclusive, made, p)
		if h != nil {
			return h
		}
		if art != nil {
			p.NewArticles = append(p.NewArticles, *art)
		}
		p.Lines = append(p.Lines, lines...)
	}

	// Shipping, discounts, payments and fees from the order totals.
	if h := planTotals(o, s, k, exclusive, base, rows, rowRates, p); h != nil {
		return h
	}

	// The difference with the shop (B4), and the VAT per rate.
	if h := settle(s, k, exclusive, base, rows, rowRates, p); h != nil {
		return h
	}
	p.Order = buildOrder(o, s, k, p, exclusive)
	return nil
}

// exclusive: the template takes prices excl. VAT.
func (k *Knowledge) exclusive() bool { return k.Sjabloon != nil && k.Sjabloon.PrijsIngaveExclusiefBtw }

// rateOf is the VAT percentage SnelStart applies to an article.
func (k *Knowledge) rateOf(a *snelstart.Artikel) decimal.Decimal {
	if a == nil || a.ArtikelOmzetgroep == nil {
		return decimal.Zero
	}
	g, ok := k.Omzetgroepen[a.ArtikelOmzetgroep.ID]
	if !ok {
		return decimal.Zero
	}
	return k.Rates[g.VerkoopNederlandBtwSoort]
}

// line builds a line from an amount excl. VAT per unit, priced the way the
// template wants (incl. or excl.).
func (k *Knowledge) line(kind string, a *snelstart.Artikel, desc string, qty, unitExcl, rate decimal.Decimal, exclusive bool) Line {
	price := unitExcl
	if !exclusive {
		price = unitExcl.Mul(hundred.Add(rate)).Div(hundred)
	}
	return k.priced(kind, a, desc, qty, price.Round(2), rate)
}

// priced builds a line with its price as SnelStart takes it.
func (k *Knowledge) priced(kind string, a *snelstart.Artikel, desc string, qty, price, rate decimal.Decimal) Line {
	l := Line{Kind: kind, Description: desc, Quantity: qty, Rate: rate, Price: price, Total: price.Mul(qty).Round(2)}
	if a != nil {
		l.Code, l.ArticleID = a.Artikelcode, a.ID
	}
	return l
}

// lineCodes are the SnelStart article codes of an order line: the article
// of its first option value that is one of its own (Opties als artikel, or
// the shop's option SKU), else the product's code from the chosen OpenCart
// field; and the articles of its further such option values.
func lineCodes(l opencart.Line, s Settings, k *Knowledge) (string, []string) {
	var mapped []string
	for _, opt := range l.Options {
		if c := optionCode(l.ProductID, opt, s, k); c != "" {
			mapped = append(mapped, c)
		}
	}
	if len(mapped) > 0 {
		return mapped[0], mapped[1:]
	}
	return productCode(l, s, k), nil
}

// optionCode is the article of an option value of its own, or "".
func optionCode(productID int, opt opencart.LineOption, s Settings, k *Knowledge) string {
	if c := s.OptionMap[opt.ProductOptionValueID]; c != "" {
		return c
	}
	for _, ov := range k.Products[productID].Options {
		if ov.ID == opt.ProductOptionValueID {
			return ov.Code
		}
	}
	return ""
}

// mappedArticle is the article an option value is mapped to: it must exist.
func (k *Knowledge) mappedArticle(code string) (*snelstart.Artikel, *Hold) {
	if a := k.Artikelen[strings.ToLower(code)]; a != nil {
		return a, nil
	}
	return nil, &Hold{"article_unknown", code}
}

// productCode is the SnelStart article code of an order line's product,
// from the chosen OpenCart field.
func productCode(l opencart.Line, s Settings, k *Knowledge) string {
	switch s.CodeField {
	case "", "model":
		return strings.TrimSpace(l.Model)
	case "product_id":
		return strconv.Itoa(l.ProductID)
	}
	if p, ok := k.Products[l.ProductID]; ok {
		return p.Code(s.CodeField)
	}
	return ""
}

func planProductLine(l opencart.Line, rowRates []decimal.Decimal, s Settings, k *Knowledge, exclusive bool, made map[string]*snelstart.Artikel, p *Plan) ([]Line, *snelstart.NewArtikel, *Hold) {
	code, mapped := lineCodes(l, s, k)
	desc := l.Name
	var options, unmapped []string
	for _, opt := range l.Options {
		options = append(options, opt.Name+": "+opt.Value)
		if optionCode(l.ProductID, opt, s, k) == "" {
			unmapped = append(unmapped, opt.Name+": "+opt.Value)
		}
	}
	if s.LineOptions == "omschrijving" && len(options) > 0 {
		desc += " (" + strings.Join(options, ", ") + ")"
	}
	ocRate := lineRate(l, rowRates)
	free := l.Price.IsZero() // a free product has no rate to follow
	qty := decimal.NewFromInt(int64(l.Quantity))
	var newArt *snelstart.NewArtikel

	a := k.Artikelen[strings.ToLower(code)]
	switch {
	case a != nil:
	case code != "" && made[strings.ToLower(code)] != nil:
		a = made[strings.ToLower(code)] // created for an earlier line of this order
	case code == "" || s.ArticleProcessing == "standaard-artikelcode":
		if s.DefaultArticle == "" {
			return nil, nil, &Hold{"no_article_code", l.Name}
		}
		if a = k.Artikelen[strings.ToLower(s.DefaultArticle)]; a == nil {
			return nil, nil, &Hold{"article_unknown", s.DefaultArticle}
		}
	case s.ArticleProcessing == "alleen-bestaande":
		return nil, nil, &Hold{"article_unknown", code}
	default: // aanmaken
		if k.MaxCodeLength > 0 && utf8.RuneCountInString(code) > k.MaxCodeLength {
			return nil, nil, &Hold{"article_code_too_long", code}
		}
		// The omzetgroep of the line's rate; the general one only when its
		// rate is that rate, so a 9 % product never lands in a 21 % group.
		g, ok := k.omzetgroep(s.RevenueGroupByVat[rateKey(ocRate)])
		if !ok || free {
			if g, ok = k.omzetgroep(s.RevenueGroup); ok && !free && !k.Rates[g.VerkoopNederlandBtwSoort].Equal(ocRate) {
				ok = false
			}
		}
		if !ok {
			return nil, nil, &Hold{"revenue_group_missing", rateKey(ocRate) + "%"}
		}
		name := truncate(l.Name, snelstart.MaxOmschrijving, p, "omschrijving")
		newArt = &snelstart.NewArtikel{Artikelcode: code, Omschrijving: name, ArtikelOmzetgroep: &snelstart.Ref{ID: g.ID},
			Verkoopprijs: snelstart.NumberOf(unitPrice(l, exclusive)), VoorraadControle: true}
		a = &snelstart.Artikel{Artikelcode: code, Omschrijving: name, ArtikelOmzetgroep: &snelstart.Ref{ID: g.ID}}
		made[strings.ToLower(code)] = a
	}
	rate := k.rateOf(a)
	if !rate.Equal(ocRate) && !free {
		what := a.Artikelcode + ": " + rateKey(ocRate) + "% / " + rateKey(rate) + "%"
		if s.LinePrice != "snelstart" { // the shop's VAT: the article must carry it
			return nil, nil, &Hold{"article_vat", what}
		}
		p.Notes = append(p.Notes, Note{"vat_mismatch", what})
	}
	unitExcl := l.Price
	if s.LinePrice == "snelstart" && a.ID != "" {
		unitExcl = a.Verkoopprijs.Decimal
		if !exclusive { // SnelStart's sales price is incl. VAT unless its file says otherwise
			unitExcl = unitExcl.Mul(hundred).Div(hundred.Add(rate))
		}
	}
	main := k.line("product", a, desc, qty, unitExcl, rate, exclusive)
	lines := []Line{main}
	for _, extra := range mapped {
		// A second option value that is an article of its own (B6): its
		// stock goes too, on a line of its own at no price.
		a, h := k.mappedArticle(extra)
		if h != nil {
			return nil, nil, h
		}
		lines = append(lines, Line{Kind: "option", Code: a.Artikelcode, ArticleID: a.ID, Description: a.Omschrijving,
			Quantity: qty, Price: decimal.Zero, Rate: k.rateOf(a), Total: decimal.Zero})
	}
	if s.LineOptions == "aparte-regel" {
		// SnelStart needs an article on every line [I]: the text of an
		// option that is no article of its own goes on a line of the
		// product's article, quantity 0.
		for _, opt := range unmapped {
			lines = append(lines, Line{Kind: "option", Code: main.Code, ArticleID: main.ArticleID, Description: opt,
				Quantity: decimal.Zero, Price: decimal.Zero, Rate: rate, Total: decimal.Zero})
		}
	}
	if s.Recipes && a.IsHoofdartikel {
		for _, sub := range a.Subartikelen {
			subQty := qty.Mul(sub.Aantal.Decimal)
			lines = append(lines, Line{Kind: "recipe", Code: sub.Artikelcode, ArticleID: sub.ID, Description: sub.Artikelcode,
				Quantity: subQty, Price: decimal.Zero, Total: decimal.Zero})
		}
	}
	return lines, newArt, nil
}

func unitPrice(l opencart.Line, exclusive bool) decimal.Decimal {
	if exclusive {
		return l.Price.Round(2)
	}
	return l.Price.Add(l.Tax).Round(2)
}

func (k *Knowledge) omzetgroep(name string) (snelstart.Artikelomzetgroep, bool) {
	for _, g := range k.Omzetgroepen {
		if name != "" && strings.EqualFold(g.Omschrijving, name) {
			return g, true
		}
	}
	return snelstart.Artikelomzetgroep{}, false
}

// truncate shortens s to n characters and notes it (the REL/VOR limits).
func truncate(s string, n int, p *Plan, what string) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	p.Notes = append(p.Notes, Note{"truncated", what})
	return string([]rune(s)[:n])
}

// String describes a hold for logs.
func (h *Hold) String() string { return fmt.Sprintf("%s(%s)", h.Code, h.Arg) }
