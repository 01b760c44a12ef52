package orderimport_test

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/s-connect/s-connect/backend/opencart/fixture"
	"github.com/s-connect/s-connect/backend/orderimport"
	"github.com/s-connect/s-connect/backend/snelstart/sim"
)

// Order lines whose option value is an article of its own (Opties als
// artikel) are booked on that article, so that SnelStart's stock of the
// size sold goes down (B6).
func TestOptionLinesBookOnTheirArticle(t *testing.T) {
	for _, version := range fixture.Versions {
		t.Run(version, func(t *testing.T) {
			w := newWorld(t, version, 120, sim.Faults{})
			s := w.settings()
			s.OptionMap = map[int]string{}
			article := map[int]string{} // option value id → article id in SnelStart
			// The option's article in the omzetgroep of the product's VAT rate.
			groups := map[string]map[string]any{}
			for _, g := range w.sim.All("artikelomzetgroepen") {
				groups[g["verkoopNederlandBtwSoort"].(string)] = sim.Ref(g)
			}
			soort := map[string]string{"21": "Hoog", "9": "Laag", "0": "Geen"}
			for _, p := range w.fix.Products {
				for _, ov := range p.Options {
					code := p.Model + "-" + jsonInt(ov.ID)
					s.OptionMap[ov.ID] = code
					group := groups[soort[w.fix.Rates[p.ID].String()]]
					a := w.sim.Insert("artikelen", map[string]any{"artikelcode": code, "omschrijving": p.Name, "artikelOmzetgroep": group,
						"voorraadControle": true, "vrijeVoorraad": 50, "technischeVoorraad": 50, "isNonActief": false})
					article[ov.ID] = a["id"].(string)
				}
			}
			rep, err := orderimport.Run(context.Background(), orderimport.Job{ProfileID: w.prof, Shop: w.shop, Client: w.client,
				Ledger: w.store, Settings: s})
			if err != nil || rep.Counts["created"] == 0 || rep.Counts["held"]+rep.Counts["failed"] != 0 {
				t.Fatalf("import: %v %v", rep.Counts, err)
			}
			booked := map[string]map[string]int{} // order → article id → quantity
			for _, vo := range w.sim.All("verkooporders") {
				lines := map[string]int{}
				for _, r := range vo["regels"].([]any) {
					regel := r.(map[string]any)
					if ref, ok := regel["artikel"].(map[string]any); ok {
						n, _ := regel["aantal"].(json.Number).Int64()
						lines[ref["id"].(string)] += int(n)
					}
				}
				booked[vo["betalingskenmerk"].(string)] = lines
			}
			checked := 0
			for _, o := range w.fix.Orders {
				lines, ok := booked[jsonInt(o.ID)]
				if !ok {
					continue
				}
				want := map[string]int{}
				for _, l := range o.Lines {
					for _, opt := range l.Options {
						if id, mapped := article[opt.ProductOptionValueID]; mapped {
							want[id] += l.Quantity
						}
					}
				}
				for id, n := range want {
					checked++
					if lines[id] != n {
						t.Fatalf("order %d: %d× on the option's article %s, want %d (%v)", o.ID, lines[id], id, n, lines)
					}
				}
			}
			if checked == 0 {
				t.Fatal("no order line with a mapped option value")
			}
		})
	}
}
