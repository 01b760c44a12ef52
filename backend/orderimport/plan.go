package orderimport

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/shopspring/decimal"

	"github.com/s-connect/s-connect/backend/config"
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
	Kind        string          `json:"kind"` // product, option, recipe, shipping, discount, fee, difference
	Code        string          `json:"code"` // artikelcode
	ArticleID   string          `json:"articleId,omitempty"`
	Description string          `json:"description"`
	Quantity    decimal.Decimal `json:"quantity"`
	Price       decimal.Decimal `json:"price"` // per unit, incl. or excl. VAT as the order says
	Rate        decimal.Decimal `json:"rate"`  // VAT percentage SnelStart will apply
	Total       decimal.Decimal `json:"total"` // incl. VAT, as SnelStart will compute it
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
	Difference  decimal.Decimal        `json:"difference"`
	Notes       []Note                 `json:"notes,omitempty"`
}

var hundred = decimal.NewFromInt(100)

// PlanOrder turns an order into a plan. It never does I/O.
func PlanOrder(o opencart.Order, s Settings, k *Knowledge) Plan {
	p := Plan{OrderID: o.ID, Reference: strconv.Itoa(o.ID), ShopTotal: o.Total.Round(2)}
	hold := func(code, arg string) Plan {
		p.Held = &Hold{code, arg}
		return p
	}
	exclusive := k.Sjabloon != nil && k.Sjabloon.PrijsIngaveExclusiefBtw

	// Customer.
	cust, h := planCustomer(o, s, k, &p)
	if h != nil {
		return hold(h.Code, h.Arg)
	}
	p.Customer = cust

	// Product lines, with options and recipe components.
	made := map[string]*snelstart.Artikel{} // articles this order creates, by lower-case code
	for _, l := range o.Lines {
		lines, art, h := planProductLine(l, o, s, k, exclusive, made, &p)
		if h != nil {
			return hold(h.Code, h.Arg)
		}
		if art != nil {
			p.NewArticles = append(p.NewArticles, *art)
		}
		p.Lines = append(p.Lines, lines...)
	}

	// Shipping, discounts and fees from the order totals.
	for _, t := range o.Totals {
		kind, article := feeArticle(t, s)
		if kind == "" {
			continue
		}
		if t.Value.IsZero() {
			continue
		}
		if article == "" {
			return hold("fee_article_missing", kind)
		}
		a := k.Artikelen[strings.ToLower(article)]
		if a == nil {
			return hold("article_unknown", article)
		}
		rate := k.rateOf(a)
		p.Lines = append(p.Lines, k.line(kind, a, t.Title, decimal.NewFromInt(1), t.Value, rate, exclusive))
	}

	// Totals and the difference with the shop (B4).
	for _, l := range p.Lines {
		p.Total = p.Total.Add(l.Total)
	}
	p.Difference = p.ShopTotal.Sub(p.Total)
	if !p.Difference.IsZero() {
		if p.Difference.Abs().GreaterThan(s.DifferenceThreshold) {
			return hold("difference", p.ShopTotal.StringFixed(2)+" / "+p.Total.StringFixed(2))
		}
		if s.DifferenceArticle == "" {
			return hold("difference_article_missing", p.Difference.StringFixed(2))
		}
		a := k.Artikelen[strings.ToLower(s.DifferenceArticle)]
		if a == nil {
			return hold("article_unknown", s.DifferenceArticle)
		}
		dl := k.differenceLine(a, p.Difference, exclusive)
		p.Lines = append(p.Lines, dl)
		p.Total = p.Total.Add(dl.Total)
		if !p.Total.Equal(p.ShopTotal) {
			p.Notes = append(p.Notes, Note{"difference_left", p.ShopTotal.Sub(p.Total).StringFixed(2)})
		}
	}
	p.Order = buildOrder(o, s, k, &p, exclusive)
	return p
}

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
// template wants (incl. or excl.), with SnelStart's total for it.
func (k *Knowledge) line(kind string, a *snelstart.Artikel, desc string, qty, unitExcl, rate decimal.Decimal, exclusive bool) Line {
	l := Line{Kind: kind, Description: desc, Quantity: qty, Rate: rate}
	if a != nil {
		l.Code, l.ArticleID = a.Artikelcode, a.ID
	}
	if exclusive {
		l.Price = unitExcl.Round(2)
	} else {
		l.Price = unitExcl.Mul(hundred.Add(rate)).Div(hundred).Round(2)
	}
	l.Total = lineTotal(l.Price, qty, rate, exclusive)
	return l
}

// lineTotal is what SnelStart makes of a line, incl. VAT, rounded per line.
func lineTotal(price, qty, rate decimal.Decimal, exclusive bool) decimal.Decimal {
	total := price.Mul(qty).Round(2)
	if exclusive {
		return total.Add(total.Mul(rate).Div(hundred).Round(2))
	}
	return total
}

// differenceLine books diff (incl. VAT) on the difference article: the
// price excl. VAT is searched so that SnelStart's line total hits the cent.
func (k *Knowledge) differenceLine(a *snelstart.Artikel, diff decimal.Decimal, exclusive bool) Line {
	rate := k.rateOf(a)
	l := Line{Kind: "difference", Code: a.Artikelcode, ArticleID: a.ID, Description: a.Omschrijving, Quantity: decimal.NewFromInt(1), Rate: rate}
	if !exclusive {
		l.Price, l.Total = diff, diff
		return l
	}
	base := diff.Mul(hundred).Div(hundred.Add(rate)).Round(2)
	best := base
	for _, step := range []string{"0", "0.01", "-0.01", "0.02", "-0.02"} {
		c := base.Add(decimal.RequireFromString(step))
		if lineTotal(c, l.Quantity, rate, true).Equal(diff) {
			best = c
			break
		}
	}
	l.Price, l.Total = best, lineTotal(best, l.Quantity, rate, true)
	return l
}

// feeArticle maps an order_total row to the kind of line and its article.
func feeArticle(t opencart.Total, s Settings) (kind, article string) {
	switch t.Code {
	case "sub_total", "tax", "total":
		return "", ""
	case "shipping":
		return "shipping", s.ShippingArticle
	case "coupon", "voucher", "reward", "credit":
		return "discount", s.DiscountArticle
	case "handling", "low_order_fee", "klarna_fee":
		return "fee", s.PaymentFeeArticle
	}
	// A plug-in's total: a discount when negative, else a cost.
	if t.Value.IsNegative() {
		return "discount", s.DiscountArticle
	}
	return "fee", s.PaymentFeeArticle
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

func planProductLine(l opencart.Line, o opencart.Order, s Settings, k *Knowledge, exclusive bool, made map[string]*snelstart.Artikel, p *Plan) ([]Line, *snelstart.NewArtikel, *Hold) {
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
	ocRate := decimal.Zero
	if !l.Price.IsZero() {
		ocRate = l.Tax.Mul(hundred).Div(l.Price).Round(0)
	}
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
		group := s.RevenueGroupByVat[ocRate.String()]
		if group == "" {
			group = s.RevenueGroup
		}
		g, ok := k.omzetgroep(group)
		if !ok {
			return nil, nil, &Hold{"revenue_group_missing", ocRate.String() + "%"}
		}
		name := truncate(l.Name, snelstart.MaxOmschrijving, p, "omschrijving")
		newArt = &snelstart.NewArtikel{Artikelcode: code, Omschrijving: name, ArtikelOmzetgroep: &snelstart.Ref{ID: g.ID},
			Verkoopprijs: snelstart.NumberOf(unitPrice(l, exclusive)), VoorraadControle: true}
		a = &snelstart.Artikel{Artikelcode: code, Omschrijving: name, ArtikelOmzetgroep: &snelstart.Ref{ID: g.ID}}
		made[strings.ToLower(code)] = a
	}
	rate := k.rateOf(a)
	if a.ID != "" && !rate.Equal(ocRate) {
		p.Notes = append(p.Notes, Note{"vat_mismatch", code + ": " + ocRate.String() + "% / " + rate.String() + "%"})
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

func customerName(o opencart.Order) string {
	if c := strings.TrimSpace(o.Payment.Company); c != "" {
		return c
	}
	return strings.TrimSpace(o.FirstName + " " + o.LastName)
}

// Memo tags a relatie with the OpenCart customer, for Herkenning op klantnummer.
func customerMemo(o opencart.Order) string {
	if o.CustomerID == 0 {
		return "OpenCart-gast, order " + strconv.Itoa(o.ID)
	}
	return "OpenCart-klantnummer: " + strconv.Itoa(o.CustomerID)
}

func normPostcode(s string) string { return strings.ToUpper(strings.ReplaceAll(s, " ", "")) }

// findCustomer looks among the known relaties the way Herkenning says.
func findCustomer(o opencart.Order, s Settings, k *Knowledge) *snelstart.Relatie {
	for i := range k.Relaties {
		r := &k.Relaties[i]
		switch s.MatchBy {
		case "klantnummer":
			if o.CustomerID > 0 && strings.Contains(r.Memo, customerMemo(o)) {
				return r
			}
		case "naam-postcode":
			if r.VestigingsAdres != nil && strings.EqualFold(r.Naam, customerName(o)) &&
				normPostcode(r.VestigingsAdres.Postcode) == normPostcode(o.Payment.Postcode) {
				return r
			}
		case "btw-nummer":
			// OpenCart has no VAT number of its own; a shop that keeps one in
			// a custom field is not read yet, so nothing matches here.
		default:
			if o.Email != "" && strings.EqualFold(strings.TrimSpace(r.Email), strings.TrimSpace(o.Email)) {
				return r
			}
		}
	}
	return nil
}

func planCustomer(o opencart.Order, s Settings, k *Knowledge, p *Plan) (CustomerPlan, *Hold) {
	if r := findCustomer(o, s, k); r != nil {
		return CustomerPlan{Match: s.MatchBy, Existing: r, Update: s.CustomerProcessing == "aanmaken-bijwerken"}, nil
	}
	if s.CustomerProcessing == "handmatig" {
		if k.DefaultRelatie == nil {
			return CustomerPlan{}, &Hold{"default_customer_unknown", strconv.Itoa(s.DefaultCustomer)}
		}
		return CustomerPlan{Match: "default", Existing: k.DefaultRelatie}, nil
	}
	return CustomerPlan{Match: "new", New: newRelatie(o, k, p)}, nil
}

func newRelatie(o opencart.Order, k *Knowledge, p *Plan) *snelstart.Relatie {
	r := &snelstart.Relatie{Relatiesoort: []string{snelstart.RelatieKlant}, Naam: truncate(customerName(o), 100, p, "naam"),
		Email: truncate(o.Email, snelstart.MaxEmail, p, "e-mail"), Telefoon: truncate(o.Telephone, snelstart.MaxTelefoon, p, "telefoon"),
		Memo: customerMemo(o)}
	r.VestigingsAdres = address(o.Payment, k, p, false)
	return r
}

// address makes a SnelStart address within its limits.
func address(a opencart.Address, k *Knowledge, p *Plan, withContact bool) *snelstart.Adres {
	out := &snelstart.Adres{
		Straat:   truncate(strings.TrimSpace(a.Address1+" "+a.Address2), snelstart.MaxAdresLine, p, "straat"),
		Postcode: truncate(a.Postcode, snelstart.MaxPostcode, p, "postcode"),
		Plaats:   truncate(a.City, snelstart.MaxAdresLine, p, "plaats"),
	}
	if withContact {
		out.Contactpersoon = truncate(strings.TrimSpace(a.FirstName+" "+a.LastName), snelstart.MaxAdresLine, p, "contactpersoon")
	}
	if id := k.Landen[strings.ToUpper(a.CountryISO)]; id != "" {
		out.Land = &snelstart.Ref{ID: id}
	} else if a.CountryISO != "" {
		p.Notes = append(p.Notes, Note{"country_unknown", a.CountryISO})
	}
	return out
}

// buildOrder is the verkooporder to create; relatie and new articles get
// their ids at apply time.
func buildOrder(o opencart.Order, s Settings, k *Knowledge, p *Plan, exclusive bool) snelstart.Verkooporder {
	fields := map[string]string{"ordernummer": strconv.Itoa(o.ID), "klantnaam": strings.TrimSpace(o.FirstName + " " + o.LastName),
		"bedrijf": o.Payment.Company, "winkelnaam": k.ShopName, "datum": o.Added.Format("02-01-2006"),
		"betaalmethode": o.PaymentMethod.Name, "verzendmethode": o.ShippingMethod.Name}
	vo := snelstart.Verkooporder{ProcesStatus: s.ProcesStatus, Datum: snelstart.Time{Time: o.Added},
		Omschrijving: truncate(config.ExpandTemplate(s.DescriptionTemplate, fields), 200, p, "omschrijving"),
		Memo:         o.Comment, VerkooporderBtwIngaveModel: snelstart.BtwInclusief}
	if vo.ProcesStatus == "" {
		vo.ProcesStatus = "Order"
	}
	if exclusive {
		vo.VerkooporderBtwIngaveModel = snelstart.BtwExclusief
	}
	if s.PaymentReference {
		vo.Betalingskenmerk, vo.Orderreferentie = p.Reference, p.Reference
	}
	if s.Addresses != "klantkaart" {
		vo.Factuuradres = address(o.Payment, k, p, true)
		vo.Afleveradres = address(o.Shipping, k, p, true)
	}
	if k.Sjabloon != nil {
		vo.Verkoopordersjabloon = &snelstart.Ref{ID: k.Sjabloon.ID}
	}
	if k.Kostenplaats != nil {
		vo.Kostenplaats = &snelstart.Ref{ID: k.Kostenplaats.ID}
	}
	if p.Customer.Existing != nil {
		vo.Relatie = &snelstart.Ref{ID: p.Customer.Existing.ID}
	}
	for _, l := range p.Lines {
		r := snelstart.Regel{Omschrijving: truncate(l.Description, snelstart.MaxOmschrijving, p, "regel"),
			Stuksprijs: snelstart.NumberOf(l.Price), Aantal: snelstart.NumberOf(l.Quantity)}
		if l.ArticleID != "" {
			r.Artikel = &snelstart.Ref{ID: l.ArticleID}
		}
		vo.Regels = append(vo.Regels, r)
	}
	return vo
}

// String describes a hold for logs.
func (h *Hold) String() string { return fmt.Sprintf("%s(%s)", h.Code, h.Arg) }
