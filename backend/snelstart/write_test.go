package snelstart

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/s-connect/s-connect/backend/snelstart/sim"
)

// A create cancelled while SnelStart has it may have been stored: it is
// uncertain, not "SnelStart unreachable". One cancelled before it left is not.
func TestCancelledCreateMayHaveBeenWritten(t *testing.T) {
	arrived := make(chan struct{}, 1)
	hold := func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Method == http.MethodPost && strings.HasPrefix(r.URL.Path, "/v2/") {
				next.ServeHTTP(discardWriter{w}, r) // stored …
				arrived <- struct{}{}
				<-r.Context().Done() // … and the answer never comes
				return
			}
			next.ServeHTTP(w, r)
		})
	}
	h := newHarness(t, sim.Options{}, hold, Options{})
	c, cancel := context.WithCancel(context.Background())
	go func() { <-arrived; cancel() }()
	_, err := h.client.Relaties.Create(c, &Relatie{Relatiesoort: []string{RelatieKlant}, Naam: "Afgebroken"})
	if !errors.Is(err, ErrMaybeWritten) || !errors.Is(err, ErrTimeout) {
		t.Fatalf("cancelled create: %v", err)
	}
	if h.sim.Count("relaties") != 4 {
		t.Fatalf("the simulator has %d relaties", h.sim.Count("relaties"))
	}
	gone, stop := context.WithCancel(context.Background())
	stop()
	if _, err := h.client.Relaties.Create(gone, &Relatie{Relatiesoort: []string{RelatieKlant}, Naam: "Nooit"}); errors.Is(err, ErrMaybeWritten) {
		t.Fatalf("a create that never left: %v", err)
	}
}

type discardWriter struct{ http.ResponseWriter }

func (d discardWriter) WriteHeader(int)             {}
func (d discardWriter) Write(b []byte) (int, error) { return len(b), nil }

// A SnelStart that refuses $orderby: the client reads on without it, and
// stops asking.
func TestListWithoutOrderByWhenRefused(t *testing.T) {
	var ordered atomic.Int32
	count := func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Query().Has("$orderby") {
				ordered.Add(1)
			}
			next.ServeHTTP(w, r)
		})
	}
	h := newHarness(t, sim.Options{RefuseOrderBy: true}, count, Options{})
	for i := 0; i < 2; i++ {
		list, err := Collect(h.client.Relaties.List(ctx(t), ListOptions{Filter: Eq("Relatiecode", 1002)}))
		if err != nil || len(list) != 1 || list[0].Naam != "Anna de Vries" {
			t.Fatalf("list %d: %v %v", i, list, err)
		}
	}
	if ordered.Load() != 1 {
		t.Fatalf("$orderby sent %d times, want once", ordered.Load())
	}
}
