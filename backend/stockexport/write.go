package stockexport

import (
	"context"

	"github.com/s-connect/s-connect/backend/opencart"
)

type rowKey struct{ product, value int }

func keyOf(r Row) rowKey { return rowKey{r.ProductID, r.OptionValueID} }

// write writes the changed rows of rep, each only while the shop still
// holds what was read. Rows that a sale changed in between are read again
// with the orders, planned again and written again (at most retries times);
// what still moves is left to the next run, never overwritten.
func (j *Job) write(ctx context.Context, rep *Report, base Input) error {
	at := make(map[rowKey]int, len(rep.Rows))
	for i, r := range rep.Rows {
		at[keyOf(r)] = i
	}
	todo := rep.Rows
	for round := 0; ; round++ {
		var changes []opencart.StockChange
		for _, r := range todo {
			if r.Changed() {
				changes = append(changes, opencart.StockChange{ProductID: r.ProductID, OptionValueID: r.OptionValueID, From: r.Old, To: r.New})
			}
		}
		if len(changes) == 0 {
			return nil
		}
		res, err := j.Shop.UpdateStock(ctx, changes)
		rep.Written += res.Changed
		if err != nil {
			return err
		}
		outcome := map[rowKey]string{}
		for _, c := range res.Moved {
			outcome[rowKey{c.ProductID, c.OptionValueID}] = "moved"
		}
		for _, c := range res.Gone {
			outcome[rowKey{c.ProductID, c.OptionValueID}] = "gone"
		}
		for _, c := range changes {
			k := rowKey{c.ProductID, c.OptionValueID}
			if o, ok := outcome[k]; ok {
				rep.Rows[at[k]].Outcome = o
			} else {
				rep.Rows[at[k]].Outcome = "written"
			}
		}
		if len(res.Moved) == 0 || round == retries {
			return nil
		}
		// Read the moved products (and their families) and the orders again,
		// and plan them anew.
		ids := map[int]opencart.Product{}
		var list []int
		for _, c := range res.Moved {
			list = append(list, c.ProductID)
		}
		products, err := j.withFamilies(ctx, ids, list)
		if err != nil {
			return err
		}
		reserved, err := j.reservations(ctx)
		if err != nil {
			return err
		}
		again := Plan(Input{Products: products, Articles: base.Articles, Reserved: reserved, Created: base.Created}, j.Settings)
		rep.Retried += len(res.Moved)
		todo = todo[:0:0]
		for _, r := range again.Rows {
			i, ok := at[keyOf(r)]
			if !ok {
				// A row not seen before (an option value added meanwhile):
				// left to the next run.
				continue
			}
			prev := rep.Rows[i]
			if prev.Outcome == "written" && !r.Changed() {
				continue // written in an earlier round and still right
			}
			// Planned anew: the next round says what became of it (a row the
			// sale left where the plan wants it needs no write).
			rep.Rows[i] = r
			todo = append(todo, r)
		}
	}
}
