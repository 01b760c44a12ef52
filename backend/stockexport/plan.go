// Package stockexport writes SnelStart's stock to the webshop (F10, B5, B6):
// SnelStart is leading. A pure plan says, per shop product and per mapped
// option value, the stock it should have — SnelStart's free (or technical)
// stock, minus a safety margin, minus what open webshop orders not yet in
// SnelStart took — and the run writes only what changed, each row only
// while it still holds what was read. It runs after the order import, so
// that stock already sold in the shop is not pushed back.
//
// It never empties a shop by surprise: articles whose stock SnelStart was
// never given (S-Connect created them and nobody touched them since) are
// left alone, and a guard stops a run that would set many products to 0 at
// once until the user allows it. See docs/stock.md.
package stockexport

import (
	"sort"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/s-connect/s-connect/backend/config"
	"github.com/s-connect/s-connect/backend/opencart"
	"github.com/s-connect/s-connect/backend/snelstart"
)

// Settings are the Voorraad settings of a profile.
type Settings struct {
	CodeField         string         // articles.codeField
	Technical         bool           // stock.kind = technisch
	Buffer            int            // stock.buffer
	ReserveOpenOrders bool           // stock.reserveOpenOrders
	Guard             bool           // stock.guard
	GuardZeroPercent  int            // stock.guardZeroPercent
	GuardDropPercent  int            // stock.guardDropPercent
	FullPassHours     int            // stock.fullPassHours
	OptionMap         map[int]string // articles.optionMap: product_option_value_id → artikelcode
}

// Why a row is left alone.
const (
	SkipNoCode     = "no_code"     // the product has no code in Veld SnelStart-artikelcode
	SkipUnknown    = "unknown"     // SnelStart has no (active) article with that code
	SkipAmbiguous  = "ambiguous"   // several articles carry the code
	SkipNotTracked = "not_tracked" // the article keeps no stock (voorraadControle off)
	SkipNotSet     = "not_set"     // voorraad nog niet ingesteld in SnelStart
)

// Row is what the plan decided for one product or option value.
type Row struct {
	ProductID     int    `json:"productId"`
	OptionValueID int    `json:"optionValueId,omitempty"`
	Code          string `json:"code"`
	Name          string `json:"name"`
	Old           int    `json:"old"`
	New           int    `json:"new"`
	SnelStart     string `json:"snelstart,omitempty"` // SnelStart's stock as it is (may have decimals)
	Reserved      int    `json:"reserved,omitempty"`  // open shop orders not yet in SnelStart
	Skip          string `json:"skip,omitempty"`
	// Follows says that a product's stock is the total of its option values
	// ("options") or of its 4.x variants ("variants").
	Follows string `json:"follows,omitempty"`
	// Outcome of the write: written, or gone (the row was deleted), or
	// moved (it kept changing in the shop; the next run takes it up).
	Outcome string `json:"outcome,omitempty"`
}

// Changed reports whether the row is to be written.
func (r Row) Changed() bool { return r.Skip == "" && r.New != r.Old }

// Reservations are the open shop orders SnelStart does not have yet: per
// product and per option value, the quantity they took.
type Reservations struct {
	Products map[int]int
	Options  map[int]int // product_option_value_id
}

// Input is what a plan is made of.
type Input struct {
	Products []opencart.Product
	Articles []snelstart.Artikel
	Reserved Reservations
	// Created are the articles S-Connect created, by lower-case code.
	Created map[string]config.CreatedArticle
}

// Result is a plan.
type Result struct {
	Rows []Row
	// Given are created articles (lower-case codes) found to have stock
	// now, or to have been changed: from now on they are exported.
	Given []string
}

type planner struct {
	s       Settings
	in      Input
	byCode  map[string][]*snelstart.Artikel
	given   map[string]bool
	reserve Reservations
}

// Plan computes the stock of every product given and of its mapped option
// values. Articles must hold every code the products carry that SnelStart
// has. It never does I/O.
func Plan(in Input, s Settings) Result {
	p := &planner{s: s, in: in, byCode: map[string][]*snelstart.Artikel{}, given: map[string]bool{}, reserve: in.Reserved}
	for i := range in.Articles {
		a := &in.Articles[i]
		key := strings.ToLower(strings.TrimSpace(a.Artikelcode))
		p.byCode[key] = append(p.byCode[key], a)
	}
	variants := map[int][]int{} // master id → indexes of its variants
	for i, pr := range in.Products {
		if pr.MasterID > 0 {
			variants[pr.MasterID] = append(variants[pr.MasterID], i)
		}
	}
	rows := make([][]Row, len(in.Products)) // per product: its row first, then its option values
	for i, pr := range in.Products {
		rows[i] = p.product(pr)
	}
	// Masters after their variants: a master whose variants are exported
	// holds their total.
	for i, pr := range in.Products {
		vs := variants[pr.ID]
		if pr.MasterID > 0 || len(vs) == 0 {
			continue
		}
		var children []Row
		total := 0
		for _, v := range vs {
			children = append(children, rows[v][0])
			total += max(rows[v][0].New, 0)
		}
		follow(&rows[i][0], children, "variants", map[int]int{0: total})
	}
	var out Result
	for _, rs := range rows {
		out.Rows = append(out.Rows, rs...)
	}
	for code := range p.given {
		out.Given = append(out.Given, code)
	}
	sort.Strings(out.Given)
	return out
}

// product plans a product and its mapped option values.
func (p *planner) product(pr opencart.Product) []Row {
	own := Row{ProductID: pr.ID, Name: pr.Name, Old: pr.Quantity, New: pr.Quantity, Code: pr.Code(p.s.CodeField)}
	p.fill(&own, p.reserve.Products[pr.ID])
	rows := []Row{own}
	groups := map[int]bool{} // product_option_id of the options that carry stock
	for _, ov := range pr.Options {
		code := p.s.OptionMap[ov.ID]
		if code == "" {
			code = ov.Code
		}
		if code == "" {
			continue // an option value that is not an article of its own
		}
		r := Row{ProductID: pr.ID, OptionValueID: ov.ID, Code: code, Name: optionName(pr, ov), Old: ov.Quantity, New: ov.Quantity}
		p.fill(&r, p.reserve.Options[ov.ID])
		rows = append(rows, r)
		groups[ov.ProductOptionID] = true
	}
	if len(rows) > 1 {
		// The total per stock-carrying option: its mapped values as planned,
		// the others as they are.
		totals := map[int]int{}
		for _, r := range rows[1:] {
			totals[optionOf(pr, r.OptionValueID)] += max(r.New, 0)
		}
		for _, ov := range pr.Options {
			if groups[ov.ProductOptionID] && p.s.OptionMap[ov.ID] == "" && ov.Code == "" {
				totals[ov.ProductOptionID] += max(ov.Quantity, 0)
			}
		}
		follow(&rows[0], rows[1:], "options", totals)
	}
	return rows
}

// follow makes a product's stock the total of its option values or
// variants, when at least one of them is exported. With several stock
// options (size and colour) the product can sell no more than the smallest
// of their totals.
func follow(r *Row, children []Row, what string, totals map[int]int) {
	for _, c := range children {
		if c.Skip == "" {
			*r = Row{ProductID: r.ProductID, Code: r.Code, Name: r.Name, Old: r.Old, New: minOf(totals), Follows: what}
			return
		}
	}
}

func minOf(totals map[int]int) int {
	first, out := true, 0
	for _, t := range totals {
		if first || t < out {
			out, first = t, false
		}
	}
	return out
}

func optionOf(pr opencart.Product, valueID int) int {
	for _, ov := range pr.Options {
		if ov.ID == valueID {
			return ov.ProductOptionID
		}
	}
	return 0
}

func optionName(pr opencart.Product, ov opencart.OptionValue) string {
	if ov.OptionName == "" && ov.ValueName == "" {
		return pr.Name + " – optie " + strconv.Itoa(ov.ID)
	}
	return pr.Name + " – " + ov.OptionName + ": " + ov.ValueName
}

// fill matches a row to its article and computes its stock.
func (p *planner) fill(r *Row, reserved int) {
	key := strings.ToLower(r.Code)
	matches := p.byCode[key]
	switch {
	case r.Code == "":
		r.Skip = SkipNoCode
	case len(matches) == 0:
		r.Skip = SkipUnknown
	case len(matches) > 1:
		r.Skip = SkipAmbiguous
	case !matches[0].VoorraadControle:
		r.Skip = SkipNotTracked
	case !p.stockSet(key, matches[0]):
		r.Skip = SkipNotSet
	}
	if r.Skip != "" {
		return
	}
	a := matches[0]
	stock := a.VrijeVoorraad.Decimal
	if p.s.Technical {
		stock = a.TechnischeVoorraad.Decimal
	}
	r.SnelStart = stock.String()
	if p.s.ReserveOpenOrders {
		r.Reserved = reserved
	}
	n := stock.Floor().Sub(decimal.NewFromInt(int64(p.s.Buffer + r.Reserved)))
	if n.IsNegative() {
		n = decimal.Zero // a shop shows "sold out", not a negative stock
	}
	r.New = int(n.IntPart())
}

// stockSet tells whether SnelStart's figure for an article means anything:
// not when SnelStart sent none, nor when S-Connect created the article and
// it has neither been changed nor been given stock since.
func (p *planner) stockSet(key string, a *snelstart.Artikel) bool {
	if !a.StockKnown {
		return false
	}
	c, created := p.in.Created[key]
	if !created || c.ReleasedAt != nil || p.given[key] {
		return true
	}
	if a.ModifiedOn.After(c.ModifiedOn) || a.TechnischeVoorraad.IsPositive() || a.VrijeVoorraad.IsPositive() {
		p.given[key] = true
		return true
	}
	return false
}

// SettingsFrom reads the Voorraad settings of a profile.
func SettingsFrom(v map[string]string) Settings {
	num := func(key string, def int) int {
		if n, err := strconv.Atoi(v[key]); err == nil {
			return n
		}
		return def
	}
	return Settings{CodeField: v["articles.codeField"], Technical: v["stock.kind"] == "technisch", Buffer: num("stock.buffer", 0),
		ReserveOpenOrders: v["stock.reserveOpenOrders"] == "true", Guard: v["stock.guard"] != "false",
		GuardZeroPercent: num("stock.guardZeroPercent", 20), GuardDropPercent: num("stock.guardDropPercent", 50),
		FullPassHours: num("stock.fullPassHours", 24), OptionMap: config.OptionMap(v["articles.optionMap"])}
}
