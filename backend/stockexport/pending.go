package stockexport

import (
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/s-connect/s-connect/backend/config"
	"github.com/s-connect/s-connect/backend/orderimport"
	"github.com/s-connect/s-connect/backend/snelstart"
)

// Pending is what the order import of the same run does before the stock
// export: the articles it creates and the orders it books. The preview of
// *Importeren orders + exporteren voorraad* plans the stock against the
// state after that import, so that its figures are the run's.
type Pending struct {
	NewArticles []snelstart.NewArtikel
	Booked      []Booked // orders sent to SnelStart
	Settled     []int    // orders found in SnelStart already: confirmed, not sent
}

// Booked is an order the import books: its lines, by article code.
type Booked struct {
	OrderID int
	Lines   []BookedLine
}

// BookedLine is a line of a booked order.
type BookedLine struct {
	Code     string
	Quantity decimal.Decimal
}

// PendingFrom reads what an import preview plans.
func PendingFrom(results []orderimport.Result) *Pending {
	p := &Pending{}
	for _, r := range results {
		switch {
		case r.Kind == "credit" && r.State != "planned":
			// A credit found or not made changes no stock this run; a planned
			// one (below) raises it by its negative quantities.
		case r.State == "exists":
			p.Settled = append(p.Settled, r.OrderID)
		case r.State == "planned" && r.Plan != nil:
			p.NewArticles = append(p.NewArticles, r.Plan.NewArticles...)
			b := Booked{OrderID: r.OrderID}
			for _, l := range r.Plan.Lines {
				if l.Code != "" {
					b.Lines = append(b.Lines, BookedLine{Code: l.Code, Quantity: l.Quantity})
				}
			}
			p.Booked = append(p.Booked, b)
		}
	}
	return p
}

// newCodes are the codes of the articles the import will create.
func (p *Pending) newCodes() []string {
	if p == nil {
		return nil
	}
	out := make([]string, len(p.NewArticles))
	for i, a := range p.NewArticles {
		out[i] = a.Artikelcode
	}
	return out
}

// confirmed are the orders that will be in SnelStart after the import.
func (p *Pending) confirmed() map[int]bool {
	out := map[int]bool{}
	if p == nil {
		return out
	}
	for _, b := range p.Booked {
		out[b.OrderID] = true
	}
	for _, id := range p.Settled {
		out[id] = true
	}
	return out
}

// apply turns articles (as SnelStart has them now) into the articles as
// they will be after the import: the new ones, without stock and created by
// S-Connect; and, per booked line, the free stock lowered by its quantity,
// as a verkooporder does (also for the parts of a recipe). In an
// incremental pass only articles read are lowered, as only they are planned.
func (p *Pending) apply(articles []snelstart.Artikel, created map[string]config.CreatedArticle, now time.Time) ([]snelstart.Artikel, map[string]config.CreatedArticle) {
	if p == nil {
		return articles, created
	}
	out := append([]snelstart.Artikel(nil), articles...)
	mem := make(map[string]config.CreatedArticle, len(created)+len(p.NewArticles))
	for k, v := range created {
		mem[k] = v
	}
	at := map[string]int{}
	for i, a := range out {
		at[strings.ToLower(strings.TrimSpace(a.Artikelcode))] = i
	}
	for _, n := range p.NewArticles {
		key := strings.ToLower(strings.TrimSpace(n.Artikelcode))
		if _, ok := at[key]; ok {
			continue
		}
		at[key] = len(out)
		out = append(out, snelstart.Artikel{Artikelcode: n.Artikelcode, Omschrijving: n.Omschrijving, VoorraadControle: n.VoorraadControle,
			ModifiedOn: snelstart.Time{Time: now}, StockKnown: true})
		mem[key] = config.CreatedArticle{Code: key, ModifiedOn: now, CreatedAt: now}
	}
	lower := func(code string, qty decimal.Decimal) {
		i, ok := at[strings.ToLower(strings.TrimSpace(code))]
		if !ok || !out[i].VoorraadControle {
			return
		}
		out[i].VrijeVoorraad = snelstart.NumberOf(out[i].VrijeVoorraad.Sub(qty))
	}
	for _, b := range p.Booked {
		for _, l := range b.Lines {
			lower(l.Code, l.Quantity)
			if i, ok := at[strings.ToLower(strings.TrimSpace(l.Code))]; ok {
				for _, sub := range out[i].Subartikelen {
					lower(sub.Artikelcode, l.Quantity.Mul(sub.Aantal.Decimal))
				}
			}
		}
	}
	return out, mem
}
