package stockexport

import (
	"context"
	"fmt"
	"time"

	"github.com/s-connect/s-connect/backend/config"
	"github.com/s-connect/s-connect/backend/opencart"
	"github.com/s-connect/s-connect/backend/snelstart"
)

// Ledger tells which orders are in SnelStart already (backend/config.Store).
type Ledger interface {
	Ledger(profileID uint, orderIDs []int) (map[int]config.LedgerEntry, error)
}

// Job is one stock export.
type Job struct {
	ProfileID uint
	Shop      *opencart.Shop
	Client    *snelstart.Client
	Ledger    Ledger
	Settings  Settings
	Since     time.Time // Vanaf datum/tijd: older orders are not S-Connect's
	Preview   bool      // plan only
}

// Report is what an export found and did.
type Report struct {
	Rows    []Row          `json:"rows"`
	Counts  map[string]int `json:"counts"` // changed, same, and per skip reason
	Written opencart.StockResult
}

// Run reads all of SnelStart's articles and all shop products, plans, and
// writes the changed stock. Nothing is written unless both lists were read
// completely.
func Run(ctx context.Context, j Job) (*Report, error) {
	articles, err := snelstart.Collect(j.Client.Artikelen.List(ctx, snelstart.ListOptions{Filter: snelstart.Eq("IsNonActief", false)}))
	if err != nil {
		return nil, fmt.Errorf("stockexport: SnelStart articles: %w", err)
	}
	var products []opencart.Product
	for after := 0; ; {
		page, next, err := j.Shop.Products(ctx, after, 1000)
		if err != nil {
			return nil, fmt.Errorf("stockexport: shop products: %w", err)
		}
		products = append(products, page...)
		if next == 0 {
			break
		}
		after = next
	}
	reserved := map[int]int{}
	if j.Settings.ReserveOpenOrders {
		if reserved, err = j.reservations(ctx); err != nil {
			return nil, err
		}
	}
	rows := Plan(products, articles, reserved, j.Settings)
	rep := &Report{Rows: rows, Counts: map[string]int{}}
	for _, r := range rows {
		switch {
		case r.Skip != "":
			rep.Counts[r.Skip]++
		case r.New != r.Old:
			rep.Counts["changed"]++
		default:
			rep.Counts["same"]++
		}
	}
	if j.Preview {
		return rep, nil
	}
	if changes := Changes(rows); len(changes) > 0 {
		if rep.Written, err = j.Shop.SetStock(ctx, changes); err != nil {
			return rep, err
		}
	}
	return rep, nil
}

// reservations adds up, per product, the open shop orders (in a status in
// which OpenCart took the stock) that SnelStart does not have yet.
func (j *Job) reservations(ctx context.Context) (map[int]int, error) {
	statuses := append(append([]int{}, j.Shop.Processing...), j.Shop.Complete...)
	out := map[int]int{}
	if len(statuses) == 0 {
		return out, nil
	}
	q := opencart.OrderQuery{AddedSince: j.Since, Statuses: statuses, Limit: 500}
	for {
		orders, next, err := j.Shop.Orders(ctx, q)
		if err != nil {
			return nil, fmt.Errorf("stockexport: open orders: %w", err)
		}
		ids := make([]int, len(orders))
		for i, o := range orders {
			ids[i] = o.ID
		}
		entries, err := j.Ledger.Ledger(j.ProfileID, ids)
		if err != nil {
			return nil, err
		}
		for _, o := range orders {
			if e, ok := entries[o.ID]; ok && config.Settled(e.State) { // handled by hand or ignored: not reserved either
				continue
			}
			for _, l := range o.Lines {
				out[l.ProductID] += l.Quantity
				if l.MasterID > 0 && l.MasterID != l.ProductID {
					out[l.MasterID] += l.Quantity // 4.x also took the master's stock
				}
			}
		}
		if next == 0 {
			return out, nil
		}
		q.AfterID = next
	}
}
