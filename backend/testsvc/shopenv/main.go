// Command shopenv starts a hosted OpenCart shop for the end-to-end tests —
// MariaDB with a generated shop, vsftpd with the shop's files, PHP serving
// them — prints how to reach it as one JSON line, and stops it all on
// SIGTERM or when its standard input closes. It is a test tool, not shipped.
//
//	shopenv [VERSION]                   the hosted shop (bridge over FTP)
//	shopenv -mysql-ssh [-release N -every D] [VERSION]
//	    the shop's database reached through an SSH login (the direct MySQL
//	    transport over a tunnel); with -release its orders are held back
//	    (order status 0, which is never imported) and N of them get their
//	    status back every D, as if customers kept ordering — for the
//	    long-running tray benchmark.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/s-connect/s-connect/backend/opencart/fixture"
	"github.com/s-connect/s-connect/backend/testsvc"
)

func main() {
	env := &testsvc.Env{}
	defer env.Close()
	defer func() {
		if r := recover(); r != nil {
			fmt.Fprintln(os.Stderr, "shopenv:", r)
			env.Close()
			os.Exit(1)
		}
	}()
	viaSSH := flag.Bool("mysql-ssh", false, "the database through an SSH login instead of the bridge")
	release := flag.Int("release", 0, "with -mysql-ssh: hold the orders back and release this many every -every")
	every := flag.Duration("every", 5*time.Minute, "how often -release releases orders")
	flag.Parse()
	version := "4.0"
	if flag.NArg() > 0 {
		version = flag.Arg(0)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var info map[string]any
	if *viaSSH {
		orders := 25
		if *release > 0 {
			orders = 400
		}
		sdb := fixture.NewShopDB(env, fixture.Config{Version: version, Prefix: "oc_", Orders: orders, Products: 40, Customers: 60, Seed: 9})
		sshd := testsvc.StartSSHD(env)
		info = map[string]any{"dbHost": "127.0.0.1", "dbPort": sdb.Port, "dbName": sdb.Database, "dbUser": "root",
			"sshHost": "127.0.0.1", "sshPort": sshd.Port, "sshUser": sshd.User, "sshPassword": sshd.Password,
			"sshHostKey": sshd.HostKey, "orders": orders}
		if *release > 0 {
			if err := fixture.ReleaseOrders(ctx, sdb.DB, "oc_", *release, *every); err != nil {
				panic(err)
			}
		}
	} else {
		h := fixture.NewHosted(env, version, 25)
		info = map[string]any{"ftpHost": "127.0.0.1", "ftpPort": h.FTP.Plain, "ftpUser": h.FTP.User,
			"ftpPassword": h.FTP.Password, "root": h.Dir, "url": h.URL, "shopName": "Wijnhandel ’t Vaatje",
			"dbHost": "127.0.0.1", "dbPort": h.DBPort, "dbName": h.Database, "dbUser": "root"}
	}
	if err := json.NewEncoder(os.Stdout).Encode(info); err != nil {
		panic(err)
	}
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, syscall.SIGTERM, os.Interrupt)
	closed := make(chan struct{})
	go func() { io.Copy(io.Discard, os.Stdin); close(closed) }()
	select {
	case <-stop:
	case <-closed:
	}
}
