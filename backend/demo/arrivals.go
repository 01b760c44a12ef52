package demo

import (
	"context"
	"errors"
	"log/slog"
	"os"
	"time"

	"github.com/s-connect/s-connect/backend/opencart"
	"github.com/s-connect/s-connect/backend/opencart/fixture"
	"github.com/s-connect/s-connect/backend/opencart/sqlite"
)

// DefaultEvery is how often a new demo order comes in while the program
// runs: often enough that the planning visibly books something.
const DefaultEvery = 3 * time.Minute

// EveryEnv overrides DefaultEvery (a Go duration such as "20s"), for tests
// that cannot wait minutes.
const EveryEnv = "SCONNECT_DEMO_ORDER_EVERY"

// Every is the interval of new demo orders.
func Every() time.Duration {
	if d, err := time.ParseDuration(os.Getenv(EveryEnv)); err == nil && d > 0 {
		return d
	}
	return DefaultEvery
}

// AddOrder lets one customer check out in the demo shop of folder at the
// moment at, as OpenCart's checkout would (stock lowered).
func AddOrder(ctx context.Context, folder string, at time.Time) (opencart.Order, error) {
	db, err := sqlite.OpenDB(ShopPath(folder))
	if err != nil {
		return opencart.Order{}, err
	}
	defer db.Close()
	orders, err := fixture.AppendOrders(ctx, db, shopConfig(), 1, at)
	if err != nil || len(orders) == 0 {
		return opencart.Order{}, errors.Join(err, errors.New("demo: no order added"))
	}
	return orders[0], nil
}

// Arrivals adds a demo order every interval until ctx ends, while active
// says so (the process that runs the schedule, so that one process of the
// settings folder adds them) and the demo shop exists.
func Arrivals(ctx context.Context, folder string, every time.Duration, active func() bool, log *slog.Logger) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		if !active() {
			continue
		}
		if _, err := os.Stat(ShopPath(folder)); err != nil {
			continue // no demo (yet)
		}
		if o, err := AddOrder(ctx, folder, time.Now()); err != nil {
			log.Warn("demo order", "err", err)
		} else {
			log.Info("demo order came in", "order", o.ID)
		}
	}
}
