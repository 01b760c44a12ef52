package stockexport_test

import (
	"context"
	"errors"
	"io/fs"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/s-connect/s-connect/backend/config"
	"github.com/s-connect/s-connect/backend/opencart"
	"github.com/s-connect/s-connect/backend/opencart/bridge"
	"github.com/s-connect/s-connect/backend/opencart/fixture"
	"github.com/s-connect/s-connect/backend/opencart/fixture/fixturetest"
	"github.com/s-connect/s-connect/backend/opencart/mysql"
	"github.com/s-connect/s-connect/backend/remotefs"
	"github.com/s-connect/s-connect/backend/snelstart"
	"github.com/s-connect/s-connect/backend/snelstart/sim"
	"github.com/s-connect/s-connect/backend/stockexport"
	"github.com/s-connect/s-connect/backend/testsvc"
)

// The benchmark's export runs in a process of its own (this test binary,
// started again with childEnv set), so that its peak RSS is the export's
// alone: the simulator, the shop generator and MariaDB stay outside it.
const childEnv = "SCONNECT_STOCKBENCH_CHILD"

// benchJob is what the child needs to run one export.
type benchJob struct {
	Transport string // mysql or bridge
	DBPort    int
	Database  string
	BridgeURL string
	Path      string
	Secret    string
	SnelStart string // the simulator's base URL
	StoreDir  string
	Profile   uint
	Now       time.Time
}

// benchResult is what the child measured.
type benchResult struct {
	Seconds float64
	Written int
	Rows    int
	Mode    string
	RSSMB   float64 // peak resident set of the child (StartChild)
	Err     string
}

// benchChild runs one export when the process was started as the child.
func benchChild() bool {
	return testsvc.AsChild(childEnv, func(j benchJob) (benchResult, error) {
		res := runChild(j)
		if res.Err != "" {
			return res, errors.New(res.Err)
		}
		return res, nil
	})
}

func runChild(j benchJob) benchResult {
	ctx := context.Background()
	fail := func(err error) benchResult { return benchResult{Err: err.Error()} }
	var tr opencart.Transport
	var err error
	if j.Transport == "bridge" {
		tr, err = bridge.Open(ctx, bridge.Config{ShopURL: j.BridgeURL, Path: j.Path, Secret: j.Secret, AllowHTTP: true})
	} else {
		tr, err = mysql.Open(ctx, mysql.Config{Host: "127.0.0.1", Port: j.DBPort, Database: j.Database, User: "root", Prefix: "oc_"})
	}
	if err != nil {
		return fail(err)
	}
	defer tr.Close()
	store, err := config.Open(j.StoreDir)
	if err != nil {
		return fail(err)
	}
	defer store.Close()
	// The client as a user has it: its defaults (limiter, retries).
	client, err := snelstart.NewClient(snelstart.Options{APIBaseURL: j.SnelStart + "/v2/", AuthBaseURL: j.SnelStart + "/", ClientKey: "k", SubscriptionKey: "s"})
	if err != nil {
		return fail(err)
	}
	start := time.Now()
	shop, err := opencart.NewShop(ctx, tr, opencart.Options{})
	if err != nil {
		return fail(err)
	}
	rep, err := stockexport.Run(ctx, stockexport.Job{ProfileID: j.Profile, Shop: shop, Client: client, Store: store,
		Settings: stockexport.SettingsFrom(config.Defaults(j.Now)), Since: time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC),
		Now: func() time.Time { return j.Now }})
	if err != nil {
		return fail(err)
	}
	return benchResult{Seconds: time.Since(start).Seconds(), Written: rep.Written, Rows: len(rep.Rows), Mode: rep.Mode}
}

// benchBridge serves a generated shop's database through the bridge on
// loopback (PHP's built-in server), installed by S-Connect's own installer
// into a local folder.
func benchBridge(b *testing.B, database string, port int) (url, path, secret string) {
	dir := b.TempDir()
	os.Chmod(dir, 0o755)
	index := "<?php\ndefine('VERSION', '3.0.5.0');\n"
	conf := "<?php\ndefine('DB_DRIVER', 'mysqli');\ndefine('DB_HOSTNAME', '127.0.0.1');\ndefine('DB_USERNAME', 'root');\n" +
		"define('DB_PASSWORD', '');\ndefine('DB_DATABASE', '" + database + "');\ndefine('DB_PORT', '" + strconv.Itoa(port) + "');\ndefine('DB_PREFIX', 'oc_');\n"
	for name, body := range map[string]string{"index.php": index, "config.php": conf} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			b.Fatal(err)
		}
	}
	php := testsvc.StartPHP(b, dir)
	inst, _, _, err := bridge.Setup(context.Background(), localFS(dir), "/", bridge.Config{ShopURL: php.URL, AllowHTTP: true})
	if err != nil {
		b.Fatal(err)
	}
	return php.URL, inst.Path(), inst.Secret
}

// localFS is a folder of this machine as the installer's file system.
type localFS string

var _ remotefs.FS = localFS("")

func (l localFS) at(name string) string { return filepath.Join(string(l), filepath.FromSlash(name)) }
func (l localFS) ReadFile(_ context.Context, name string) ([]byte, error) {
	return os.ReadFile(l.at(name))
}
func (l localFS) WriteFile(_ context.Context, name string, data []byte) error {
	return os.WriteFile(l.at(name), data, 0o600)
}
func (l localFS) MkdirAll(_ context.Context, dir string) error { return os.MkdirAll(l.at(dir), 0o700) }
func (l localFS) ReadDir(_ context.Context, dir string) ([]remotefs.Entry, error) {
	list, err := os.ReadDir(l.at(dir))
	out := make([]remotefs.Entry, len(list))
	for i, e := range list {
		out[i] = remotefs.Entry{Name: e.Name(), IsDir: e.IsDir()}
	}
	return out, err
}
func (l localFS) Remove(_ context.Context, name string) error   { return os.Remove(l.at(name)) }
func (l localFS) RemoveAll(_ context.Context, dir string) error { return os.RemoveAll(l.at(dir)) }
func (l localFS) Chmod(_ context.Context, name string, mode fs.FileMode) error {
	return os.Chmod(l.at(name), mode)
}
func (l localFS) Close() error { return nil }

// The targets for BenchmarkStockExport20k.
const (
	fullTarget = 10.0  // seconds, a full export of 20,000 articles into 20,000 products
	rssTarget  = 150.0 // MB, the export process's peak resident set
	incrTarget = 1.0   // seconds, an incremental pass of 100 changes
)

// BenchmarkStockExport20k: SnelStart has 20,000 articles, the shop (OpenCart
// 3.0) 20,000 products and 200 orders; the simulator answers without delay,
// so the figure is ours. A full export writes every product; then 100
// articles change and an incremental pass writes exactly those 100.
func BenchmarkStockExport20k(b *testing.B) {
	const n = 20000
	sdb := fixturetest.NewShopDB(b, fixture.Config{Version: "3.0", Prefix: "oc_", Orders: 200, Products: n, Customers: 100, Seed: 12})
	s := sim.New(sim.Options{ClientKeys: map[string][]string{"k": nil}, SubscriptionKeys: []string{"s"}})
	s.SeedDefault()
	var group map[string]any
	for _, g := range s.All("artikelomzetgroepen") {
		group = sim.Ref(g)
	}
	base := time.Now().Add(-2 * time.Hour)
	for i, p := range sdb.Shop.Products {
		// SnelStart has three more of everything: every product changes.
		s.Insert("artikelen", map[string]any{"artikelcode": p.Model, "omschrijving": p.Name, "artikelOmzetgroep": group,
			"isNonActief": false, "voorraadControle": true, "vrijeVoorraad": p.Quantity + 50, "technischeVoorraad": p.Quantity + 50,
			"modifiedOn": base.Add(-time.Duration(n-i) * time.Minute).Format("2006-01-02T15:04:05")})
	}
	srv := httptest.NewServer(s)
	defer srv.Close()
	url, path, secret := benchBridge(b, sdb.Database, sdb.Port)
	run := func(b *testing.B, j benchJob) benchResult {
		res, rss := testsvc.StartChild[benchResult](b, childEnv, j)
		res.RSSMB = rss
		return res
	}
	// The shop's own stock, to go back to before every full export.
	if _, err := sdb.DB.Exec("CREATE TABLE bench_quantity AS SELECT product_id, quantity FROM oc_product"); err != nil {
		b.Fatal(err)
	}
	round := 0
	for _, transport := range []string{"mysql", "bridge"} {
		b.Run(transport, func(b *testing.B) {
			for b.Loop() {
				round++
				b.StopTimer()
				if _, err := sdb.DB.Exec("UPDATE oc_product p JOIN bench_quantity q USING (product_id) SET p.quantity = q.quantity"); err != nil {
					b.Fatal(err)
				}
				dir := b.TempDir()
				store, err := config.Open(dir)
				if err != nil {
					b.Fatal(err)
				}
				prof, err := store.CreateProfile("Bench")
				store.Close()
				if err != nil {
					b.Fatal(err)
				}
				j := benchJob{Transport: transport, DBPort: sdb.Port, Database: sdb.Database, BridgeURL: url, Path: path, Secret: secret,
					SnelStart: srv.URL, StoreDir: dir, Profile: prof.ID, Now: time.Now()}
				b.StartTimer()
				full := run(b, j)
				b.StopTimer()
				if full.Mode != "full" || full.Written != n {
					b.Fatalf("full export: %s wrote %d of %d", full.Mode, full.Written, n)
				}
				// 100 articles change in SnelStart.
				for k := 0; k < 100; k++ {
					p := sdb.Shop.Products[k*(n/100)]
					s.SetStock(p.Model, p.Quantity+60+round, p.Quantity+60+round, true)
				}
				j.Now = j.Now.Add(time.Hour)
				b.StartTimer()
				incr := run(b, j)
				b.StopTimer()
				if incr.Mode != "incremental" || incr.Written != 100 {
					b.Fatalf("incremental: %s wrote %d", incr.Mode, incr.Written)
				}
				b.ReportMetric(full.Seconds, "s-full")
				b.ReportMetric(full.RSSMB, "MB-rss-full")
				b.ReportMetric(float64(full.Written), "rows-full")
				b.ReportMetric(incr.Seconds, "s-incr")
				b.ReportMetric(incr.RSSMB, "MB-rss-incr")
				b.ReportMetric(float64(incr.Written), "rows-incr")
				// The targets beside the figures; a figure over its target fails.
				for _, c := range []struct {
					what        string
					got, target float64
					unit        string
				}{{"full, wall", full.Seconds, fullTarget, "s"}, {"full, peak RSS", full.RSSMB, rssTarget, "MB"},
					{"incremental, wall", incr.Seconds, incrTarget, "s"}} {
					b.Logf("%s %s: %.2f %s (target ≤ %g %s)", transport, c.what, c.got, c.unit, c.target, c.unit)
					if c.got > c.target || c.got < 0 {
						b.Errorf("%s %s: %.2f %s is over the target of %g %s", transport, c.what, c.got, c.unit, c.target, c.unit)
					}
				}
				b.StartTimer()
			}
		})
	}
}
