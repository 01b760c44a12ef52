package orderimport_test

import (
	"context"
	"database/sql"
	"fmt"
	"runtime"
	"sync/atomic"
	"time"

	"github.com/s-connect/s-connect/backend/config"
	"github.com/s-connect/s-connect/backend/opencart"
	"github.com/s-connect/s-connect/backend/opencart/bridge"
	"github.com/s-connect/s-connect/backend/opencart/mysql"
	"github.com/s-connect/s-connect/backend/orderimport"
	"github.com/s-connect/s-connect/backend/snelstart"
	"github.com/s-connect/s-connect/backend/testsvc"

	_ "github.com/go-sql-driver/mysql"
)

// The benchmarks that measure memory run the import in a process of its
// own (this test binary, started again with childEnv set): its peak heap
// and resident set are S-Connect's alone. The SnelStart simulator, the shop
// generator's copy of the orders and MariaDB stay in other processes.
const childEnv = "SCONNECT_IMPORTBENCH_CHILD"

// childJob is what the child does: one run, or a full pass, then the
// release of held-back orders in the shop, then a watermark run.
type childJob struct {
	Transport string // mysql or bridge
	DBPort    int
	Database  string
	BridgeURL string
	Path      string
	Secret    string
	SnelStart string // the simulator's base URL
	StoreDir  string
	Profile   uint
	Watermark bool  // keep the watermark (State), as the program does
	Release   []int // orders given a sale status between the two runs
	Status    int   // that status
	// History: released as OpenCart 4.1's addHistory does — the status and
	// a dated order_history row, date_modified left as it was.
	History bool
	Refunds bool // refunds as credit orders on (returns read, and their watermark kept)
}

// childRun is what the child measured of one run.
type childRun struct {
	Seconds     float64
	Calls       int64 // SnelStart calls, as the client counted them
	Queries     int64 // shop reads (Select) during the run
	Counts      map[string]int
	Mode        string
	PeakHeapMiB float64 // HeapInuse, sampled every 10 ms during the run
}

type childResult struct {
	Runs  []childRun
	RSSMB float64 // the child's peak resident set (VmHWM)
}

// benchChild runs the job when the process was started as the child.
func benchChild() bool {
	return testsvc.AsChild(childEnv, func(j childJob) ([]childRun, error) {
		var res childResult
		err := runChild(j, &res)
		return res.Runs, err
	})
}

// countingTransport counts the shop's reads.
type countingTransport struct {
	opencart.Transport
	n atomic.Int64
}

func (c *countingTransport) Select(ctx context.Context, q opencart.Query) ([]opencart.Row, error) {
	c.n.Add(1)
	return c.Transport.Select(ctx, q)
}

func runChild(j childJob, res *childResult) error {
	ctx := context.Background()
	var tr opencart.Transport
	var err error
	if j.Transport == "bridge" {
		tr, err = bridge.Open(ctx, bridge.Config{ShopURL: j.BridgeURL, Path: j.Path, Secret: j.Secret, AllowHTTP: true})
	} else {
		tr, err = mysql.Open(ctx, mysql.Config{Host: "127.0.0.1", Port: j.DBPort, Database: j.Database, User: "root", Prefix: "oc_"})
	}
	if err != nil {
		return err
	}
	defer tr.Close()
	ct := &countingTransport{Transport: tr}
	store, err := config.Open(j.StoreDir)
	if err != nil {
		return err
	}
	defer store.Close()
	// The client as a user has it: its defaults (limiter, concurrency, retries).
	client, err := snelstart.NewClient(snelstart.Options{APIBaseURL: j.SnelStart + "/v2/", AuthBaseURL: j.SnelStart + "/", ClientKey: "k", SubscriptionKey: "s",
		RequestsPerSecond: benchRate()})
	if err != nil {
		return err
	}
	shop, err := opencart.NewShop(ctx, ct, opencart.Options{})
	if err != nil {
		return err
	}
	job := orderimport.Job{ProfileID: j.Profile, Shop: shop, Client: client, Ledger: store, Articles: store, Settings: configured()}
	job.Settings.RefundCredit = j.Refunds
	if j.Watermark {
		job.State = store
	}
	run := func() error {
		runtime.GC()
		var peak atomic.Uint64
		stop := make(chan struct{})
		sampled := make(chan struct{})
		go func() {
			defer close(sampled)
			var m runtime.MemStats
			for {
				runtime.ReadMemStats(&m)
				if m.HeapInuse > peak.Load() {
					peak.Store(m.HeapInuse)
				}
				select {
				case <-stop:
					return
				case <-time.After(10 * time.Millisecond):
				}
			}
		}()
		calls, queries := client.Requests(), ct.n.Load()
		start := time.Now()
		rep, err := orderimport.Run(ctx, job)
		elapsed := time.Since(start)
		close(stop)
		<-sampled
		if err != nil {
			return err
		}
		res.Runs = append(res.Runs, childRun{Seconds: elapsed.Seconds(), Calls: client.Requests() - calls, Queries: ct.n.Load() - queries,
			Counts: rep.Counts, Mode: rep.Mode, PeakHeapMiB: float64(peak.Load()) / (1 << 20)})
		return nil
	}
	if err := run(); err != nil || len(j.Release) == 0 {
		return err
	}
	// The shop sells: orders get a sale status, changed now on the shop's clock.
	db, err := mysqlDB(j)
	if err != nil {
		return err
	}
	defer db.Close()
	stamp := time.Now().In(shop.Location).Format("2006-01-02 15:04:05")
	for _, id := range j.Release {
		if j.History {
			if _, err := db.ExecContext(ctx, "UPDATE oc_order SET order_status_id = ? WHERE order_id = ?", j.Status, id); err != nil {
				return err
			}
			if _, err := db.ExecContext(ctx, "INSERT INTO oc_order_history (order_id, order_status_id, notify, comment, date_added) VALUES (?, ?, 0, '', ?)",
				id, j.Status, stamp); err != nil {
				return err
			}
			continue
		}
		if _, err := db.ExecContext(ctx, "UPDATE oc_order SET order_status_id = ?, date_modified = ? WHERE order_id = ?", j.Status, stamp, id); err != nil {
			return err
		}
	}
	return run()
}

// startChild runs a job in a child process and returns what it measured.
func startChild(tb testsvc.TB, j childJob) childResult {
	tb.Helper()
	runs, rss := testsvc.StartChild[[]childRun](tb, childEnv, j)
	return childResult{Runs: runs, RSSMB: rss}
}

func mysqlDB(j childJob) (*sql.DB, error) {
	return sql.Open("mysql", fmt.Sprintf("root@tcp(127.0.0.1:%d)/%s", j.DBPort, j.Database))
}
