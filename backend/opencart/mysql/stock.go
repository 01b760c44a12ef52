package mysql

import (
	"context"
	"time"

	"github.com/s-connect/s-connect/backend/opencart"
	"github.com/s-connect/s-connect/backend/opencart/sqlquery"
)

// UpdateQuantities implements opencart.Transport.
func (t *Transport) UpdateQuantities(ctx context.Context, table string, changes []opencart.QuantityChange) (opencart.StockResult, error) {
	ctx, cancel := context.WithTimeout(ctx, t.cfg.Timeout)
	defer cancel()
	now := time.Now().In(t.zone).Format("2006-01-02 15:04:05")
	res, err := sqlquery.UpdateQuantities(ctx, t.db, t.schema, table, changes, now)
	return res, classify(err)
}
