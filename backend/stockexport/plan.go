// Package stockexport writes SnelStart's stock to the webshop (F10, B5):
// SnelStart is leading. A pure plan says, per shop product, the stock it
// should have — SnelStart's free (or technical) stock, minus a safety
// margin, minus what open webshop orders not yet in SnelStart took — and
// apply writes only what changed. It runs after the order import, so that
// stock already sold in the shop is not pushed back.
package stockexport

import (
	"strconv"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/s-connect/s-connect/backend/opencart"
	"github.com/s-connect/s-connect/backend/snelstart"
)

// Settings are the Voorraad settings of a profile.
type Settings struct {
	CodeField         string // articles.codeField
	Technical         bool   // stock.kind = technisch
	Buffer            int    // stock.buffer
	ReserveOpenOrders bool   // stock.reserveOpenOrders
}

// Row is what the plan decided for one shop product.
type Row struct {
	ProductID int    `json:"productId"`
	Code      string `json:"code"`
	Name      string `json:"name"`
	Old       int    `json:"old"`
	New       int    `json:"new"`
	SnelStart string `json:"snelstart"` // SnelStart's stock as it is (may have decimals)
	Reserved  int    `json:"reserved"`
	Skip      string `json:"skip,omitempty"` // no_code, unknown, not_tracked, ambiguous
}

// Plan computes the stock of every shop product. articles are SnelStart's
// (all of them, complete); reserved is, per product id, the quantity of
// open shop orders that SnelStart does not know yet.
func Plan(products []opencart.Product, articles []snelstart.Artikel, reserved map[int]int, s Settings) []Row {
	byCode := map[string][]*snelstart.Artikel{}
	for i := range articles {
		a := &articles[i]
		key := strings.ToLower(strings.TrimSpace(a.Artikelcode))
		byCode[key] = append(byCode[key], a)
	}
	rows := make([]Row, 0, len(products))
	for _, p := range products {
		r := Row{ProductID: p.ID, Name: p.Name, Old: p.Quantity, New: p.Quantity, Code: p.Code(s.CodeField)}
		matches := byCode[strings.ToLower(r.Code)]
		switch {
		case r.Code == "":
			r.Skip = "no_code"
		case len(matches) == 0:
			r.Skip = "unknown"
		case len(matches) > 1:
			r.Skip = "ambiguous"
		case !matches[0].VoorraadControle:
			r.Skip = "not_tracked"
		}
		if r.Skip != "" {
			rows = append(rows, r)
			continue
		}
		a := matches[0]
		stock := a.VrijeVoorraad.Decimal
		if s.Technical {
			stock = a.TechnischeVoorraad.Decimal
		}
		r.SnelStart = stock.String()
		if s.ReserveOpenOrders {
			r.Reserved = reserved[p.ID]
		}
		n := stock.Floor().Sub(decimal.NewFromInt(int64(s.Buffer + r.Reserved)))
		if n.IsNegative() {
			n = decimal.Zero // a shop shows "sold out", not a negative stock
		}
		r.New = int(n.IntPart())
		rows = append(rows, r)
	}
	return rows
}

// Changes are the stock writes of a plan: the rows whose stock differs.
func Changes(rows []Row) []opencart.StockUpdate {
	var out []opencart.StockUpdate
	for _, r := range rows {
		if r.Skip == "" && r.New != r.Old {
			out = append(out, opencart.StockUpdate{ProductID: r.ProductID, Quantity: r.New})
		}
	}
	return out
}

// SettingsFrom reads the Voorraad settings of a profile.
func SettingsFrom(v map[string]string) Settings {
	buffer, _ := strconv.Atoi(v["stock.buffer"])
	return Settings{CodeField: v["articles.codeField"], Technical: v["stock.kind"] == "technisch", Buffer: buffer,
		ReserveOpenOrders: v["stock.reserveOpenOrders"] == "true"}
}
