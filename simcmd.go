package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/s-connect/s-connect/backend/snelstart/sim"
)

// runSim serves the SnelStart simulator (a demo administration) until
// interrupted: for trying S-Connect without a SnelStart account, and for the
// end-to-end tests.
func runSim(args []string, stdout, stderr io.Writer) int {
	fl := flag.NewFlagSet("s-connect snelstart-sim", flag.ContinueOnError)
	fl.SetOutput(stderr)
	addr := fl.String("addr", "127.0.0.1:0", "address to listen on")
	clientKey := fl.String("client-key", "demo-koppelsleutel", "the koppelsleutel the simulator accepts")
	subKey := fl.String("subscription-key", "demo-abonnement", "the subscription key the simulator accepts")
	var f sim.Faults
	fl.DurationVar(&f.Latency, "latency", 0, "delay of every API call")
	fl.Float64Var(&f.Share429, "share429", 0, "share of calls answered 429")
	fl.Float64Var(&f.Share500, "share500", 0, "share of calls answered 500")
	fl.Float64Var(&f.CommitThenFail, "commit-then-fail", 0, "share of writes stored and then failed")
	strict := fl.Bool("strict", false, "refuse unknown JSON properties")
	if err := fl.Parse(args); err != nil {
		return 2
	}
	s := sim.New(sim.Options{ClientKeys: map[string][]string{*clientKey: nil}, SubscriptionKeys: []string{*subKey},
		Faults: f, Strict: *strict, Seed: uint64(time.Now().UnixNano())})
	s.SeedDefault()
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		fmt.Fprintln(stderr, "s-connect snelstart-sim:", err)
		return 1
	}
	base := "http://" + ln.Addr().String() + "/"
	fmt.Fprintf(stdout, "SnelStart-simulator: api=%sv2/ auth=%s koppelsleutel=%s abonnementssleutel=%s\n", base, base, *clientKey, *subKey)
	srv := &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	go func() {
		<-ctx.Done()
		shut, cancel := context.WithTimeout(context.Background(), 3*time.Second)
		defer cancel()
		srv.Shutdown(shut)
	}()
	if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
		fmt.Fprintln(stderr, "s-connect snelstart-sim:", err)
		return 1
	}
	return 0
}
