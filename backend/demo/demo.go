// Package demo is the demo S-Connect starts with: a small Dutch webshop on
// OpenCart 4.1 (a SQLite file read through the real OpenCart model) and its
// SnelStart administration (the simulator, served on loopback inside the
// program), both kept in a folder of the settings folder so that what the
// demo booked is still there after a restart. New demo orders come in while
// the program runs (Arrivals). Nothing of it needs an account, a licence or
// a field filled in; docs/demo.md says why it is built this way.
package demo

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/s-connect/s-connect/backend/opencart/fixture"
	"github.com/s-connect/s-connect/backend/opencart/sqlite"
)

// Kind is the value of shop.transport and snelstart.type that makes a
// profile's connection the demo's.
const Kind = "demo"

// Prefix is the demo shop's table prefix, OpenCart's default.
const Prefix = "oc_"

// Folder is where the demo keeps its shop and administration, inside the
// settings folder dir.
func Folder(dir string) string { return filepath.Join(dir, "demo") }

// ShopPath is the demo shop's database in the demo folder.
func ShopPath(folder string) string { return filepath.Join(folder, "webshop.sqlite") }

// AdminPath is the demo administration in the demo folder.
func AdminPath(folder string) string { return filepath.Join(folder, "snelstart.json") }

// shopConfig is the demo shop: the fixture generator's realistic OpenCart
// 4.1 shop (escaped text, four-decimal amounts, coupons, options, variants)
// in the Netherlands. The same Config always makes the same catalogue and
// customers, which AppendOrders relies on.
func shopConfig() fixture.Config {
	return fixture.Config{Version: "4.1", Prefix: Prefix, Orders: 60, Products: 170, Customers: 60, Seed: 2026, Zone: "Europe/Amsterdam"}
}

// Since is how far back the demo profile's Vanaf datum/tijd goes: the
// shop's orders span two months, a first run books the last two weeks'.
const Since = 14 * 24 * time.Hour

var makeMu sync.Mutex // one Ensure or Reset at a time in this process

// Ensure makes the demo shop and administration in folder unless they are
// there (a first start, or a folder that was removed).
func Ensure(ctx context.Context, folder string) error {
	makeMu.Lock()
	defer makeMu.Unlock()
	_, errShop := os.Stat(ShopPath(folder))
	_, errAdmin := os.Stat(AdminPath(folder))
	if errShop == nil && errAdmin == nil {
		return nil
	}
	return create(ctx, folder)
}

// Reset makes the demo anew: the shop with its orders as on a first start,
// the administration without anything booked (*Demo opnieuw maken*).
func Reset(ctx context.Context, folder string) error {
	makeMu.Lock()
	defer makeMu.Unlock()
	return create(ctx, folder)
}

// create writes both into temporary files and puts them in place last, so
// that an interrupted start never leaves half a demo.
func create(ctx context.Context, folder string) error {
	if err := os.MkdirAll(folder, 0o700); err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	tmp := ShopPath(folder) + ".new"
	for _, suffix := range []string{"", "-wal", "-shm"} {
		if err := os.Remove(tmp + suffix); err != nil && !errors.Is(err, os.ErrNotExist) {
			return err
		}
	}
	shop, err := writeShop(ctx, tmp)
	if err != nil {
		return fmt.Errorf("demo shop: %w", err)
	}
	admin := seedAdmin(shop)
	if err := saveAdmin(admin, AdminPath(folder)); err != nil {
		return fmt.Errorf("demo administration: %w", err)
	}
	for _, suffix := range []string{"-wal", "-shm"} {
		if err := os.Remove(ShopPath(folder) + suffix); err != nil && !errors.Is(err, os.ErrNotExist) {
			return err
		}
	}
	if err := os.Chmod(tmp, 0o600); err != nil { // the shop's customers, if only made up
		return err
	}
	if err := os.Rename(tmp, ShopPath(folder)); err != nil {
		return err
	}
	forget(folder) // a running administration reads the new file
	return nil
}

// writeShop creates OpenCart 4.1's tables in a new SQLite file and fills
// them with the demo shop, its orders over the last History.
func writeShop(ctx context.Context, path string) (*fixture.Shop, error) {
	db, err := sqlite.OpenDB(path)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	schema, err := fixture.Schema(shopConfig().Version)
	if err != nil {
		return nil, err
	}
	for _, stmt := range fixture.Statements(schema, Prefix) {
		if _, err := db.ExecContext(ctx, sqlite.DDL(stmt)); err != nil {
			return nil, err
		}
	}
	cfg := shopConfig()
	cfg.Base = time.Now()
	shop, err := fixture.Write(ctx, db, cfg)
	if err != nil {
		return nil, err
	}
	// One file, no WAL beside it, before it is renamed into place.
	if _, err := db.ExecContext(ctx, "PRAGMA journal_mode=DELETE"); err != nil {
		return nil, err
	}
	return shop, nil
}
