package app

import (
	"context"
	"encoding/json"
	"sort"

	"github.com/s-connect/s-connect/backend/config"
	"github.com/s-connect/s-connect/backend/connect"
	"github.com/s-connect/s-connect/backend/orderimport"
	"github.com/s-connect/s-connect/backend/stockexport"
)

// StockView is the stock part of a run or of its preview: per product
// written its name, code, old → new shop stock, SnelStart's figure and the
// open orders subtracted; the products left alone with the reason;
// unchanged products only counted.
type StockView struct {
	RunID   uint              `json:"runId,omitempty"`
	Preview bool              `json:"preview"`
	Mode    string            `json:"mode"`   // full or incremental
	Counts  map[string]int    `json:"counts"` // stock_changed, stock_same, stock_<reason>
	Guard   stockexport.Guard `json:"guard"`
	Blocked bool              `json:"blocked"` // the guard stopped the run: nothing written
	Written int               `json:"written"`
	Rows    []stockexport.Row `json:"rows"`
}

func stockView(rep *stockexport.Report, preview bool) *StockView {
	v := &StockView{Preview: preview, Mode: rep.Mode, Counts: map[string]int{}, Guard: rep.Guard, Blocked: rep.Blocked,
		Written: rep.Written, Rows: []stockexport.Row{}}
	for k, n := range rep.Counts {
		v.Counts["stock_"+k] = n
	}
	for _, r := range rep.Rows {
		if r.Skip != "" || r.New != r.Old || r.Outcome != "" {
			v.Rows = append(v.Rows, r)
		}
	}
	// What changes first, then what is left alone grouped by reason; by code.
	sort.SliceStable(v.Rows, func(i, j int) bool {
		a, b := v.Rows[i], v.Rows[j]
		if a.Skip != b.Skip {
			return a.Skip < b.Skip
		}
		return a.Code < b.Code
	})
	return v
}

// exportStock runs the stock export of a profile over an open connection;
// pending is what the import before it would do, for a preview.
func (t *Tasks) exportStock(ctx context.Context, profileID uint, conn *connect.Conn, v map[string]string, pending *stockexport.Pending, preview bool) (*stockexport.Report, error) {
	return stockexport.Run(ctx, stockexport.Job{ProfileID: profileID, Shop: conn.Shop, Client: conn.SnelStart, Store: t.s.store,
		Settings: stockexport.SettingsFrom(v), Since: connect.Selection(v).AddedSince, Preview: preview, Pending: pending})
}

// CombinedPreview is the Voorbeeld of *Importeren orders + exporteren
// voorraad*: the orders the import would book and the stock the export
// would write after it, from one import preview.
type CombinedPreview struct {
	Orders []orderimport.Result `json:"orders"`
	Stock  *StockView           `json:"stock"`
}

// PreviewStock shows what *Importeren orders + exporteren voorraad* would
// do, without writing anything (B1): the orders, and the stock planned
// against SnelStart as that import would leave it — the articles it would
// create, the orders it would book — so its figures are the run's.
func (t *Tasks) PreviewStock(profileID uint) (*CombinedPreview, error) {
	rep, stock, err := t.importOrders(profileID, config.TaskOrdersStock, importMode{preview: true, stock: true})
	if err != nil {
		return nil, err
	}
	return &CombinedPreview{Orders: rep.Results, Stock: stockView(stock, true)}, nil
}

// ConfirmStock lets the next stock export past the guard, once: the user
// saw the list and agrees.
func (t *Tasks) ConfirmStock(profileID uint) error {
	if _, err := t.s.store.Profile(profileID); err != nil {
		return err
	}
	return t.s.store.ConfirmStock(profileID)
}

// StockResult is the stock part of a past run (Uitvoering, per run), nil
// when the run exported no stock.
func (t *Tasks) StockResult(profileID, runID uint) (*StockView, error) {
	data, err := t.s.store.StockResult(profileID, runID)
	if err != nil || data == nil {
		return nil, err
	}
	var v StockView
	if err := json.Unmarshal(data, &v); err != nil {
		return nil, err
	}
	return &v, nil
}

// keepStock stores the stock part of a run with it.
func (t *Tasks) keepStock(profileID, runID uint, v *StockView) {
	v.RunID = runID
	data, err := json.Marshal(v)
	if err == nil {
		err = t.s.store.PutStockResult(profileID, runID, data)
	}
	if err != nil {
		t.s.log.Error("keep the stock result of a run", "run", runID, "err", err)
	}
}
