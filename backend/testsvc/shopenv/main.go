// Command shopenv starts a hosted OpenCart shop for the end-to-end tests —
// MariaDB with a generated shop, vsftpd with the shop's files, PHP serving
// them — prints how to reach it as one JSON line, and stops it all on
// SIGTERM or when its standard input closes. It is a test tool, not shipped.
package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/s-connect/s-connect/backend/opencart/fixture/fixturetest"
	"github.com/s-connect/s-connect/backend/remotefs"
	"github.com/s-connect/s-connect/backend/testsvc"
	"github.com/s-connect/s-connect/backend/tlspin"
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
	version := "4.0"
	if len(os.Args) > 1 {
		version = os.Args[1]
	}
	h := fixturetest.NewHosted(env, version, 25)
	info := map[string]any{"ftpHost": "127.0.0.1", "ftpPort": h.FTP.Plain, "ftpsPort": h.FTP.Explicit,
		"certFingerprint": remotefs.CertFingerprint(h.FTP.Cert), "ftpUser": h.FTP.User,
		"ftpPassword": h.FTP.Password, "root": h.Dir, "url": h.URL, "shopName": "Wijnhandel ’t Vaatje",
		"sales":  len(h.Shop.Sales()),
		"dbHost": "127.0.0.1", "dbPort": h.DBPort, "dbName": h.Database, "dbUser": "root",
		"dbCertFingerprint": tlspin.Fingerprint(testsvc.StartMariaDB(env).Cert)}
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
