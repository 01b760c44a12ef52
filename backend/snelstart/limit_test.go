package snelstart

import (
	"context"
	"io"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/s-connect/s-connect/backend/snelstart/sim"
)

// calls makes n reads, Concurrency at once, and says how long they took.
func calls(t *testing.T, c *Client, n int) time.Duration {
	t.Helper()
	start := time.Now()
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := c.CompanyInfo(ctx(t)); err != nil {
				errs <- err
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	return time.Since(start)
}

// The default limit is the requests in flight; a 429 slows the client to
// SlowRate a second (the call it refused is tried again after its
// Retry-After), and SlowFor without another lifts that again.
func TestDefaultLimitSlowsDownOn429AndRecovers(t *testing.T) {
	var seen atomic.Int32
	var refuse atomic.Bool
	h := newHarness(t, sim.Options{}, func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if strings.HasPrefix(r.URL.Path, "/v2/companyInfo") {
				seen.Add(1)
				if refuse.CompareAndSwap(true, false) {
					w.Header().Set("Retry-After", "1")
					w.WriteHeader(http.StatusTooManyRequests)
					io.WriteString(w, `{"statusCode":429,"message":"Rate limit is exceeded."}`)
					return
				}
			}
			next.ServeHTTP(w, r)
		})
	}, Options{})
	c, err := NewClient(Options{APIBaseURL: h.srv.URL + "/v2/", AuthBaseURL: h.srv.URL + "/",
		ClientKey: testClientKey, SubscriptionKey: testSubKey}) // the shipped limit
	if err != nil {
		t.Fatal(err)
	}
	var pauses []time.Duration
	var mu sync.Mutex
	c.sleep = func(ctx context.Context, d time.Duration) error {
		mu.Lock()
		pauses = append(pauses, d)
		mu.Unlock()
		return ctx.Err()
	}
	c.slowFor = 3 * time.Second // a test of this threshold: longer than the slowed calls, shorter than 30 s

	const n = 120 // at SlowRate these take at least (n - burst) / 60 s ≈ 1.9 s
	atSlow := time.Duration(n-c.lim.Burst()) * time.Second / SlowRate
	if d := calls(t, c, n); d >= atSlow*3/4 {
		t.Fatalf("%d calls before any 429 took %v: limited below the requests in flight", n, d)
	}
	refuse.Store(true)
	before := seen.Load()
	if d := calls(t, c, n); d < atSlow*9/10 {
		t.Fatalf("%d calls after a 429 took %v; want at least %v (at most %d a second)", n, d, atSlow*9/10, SlowRate)
	}
	if got := seen.Load() - before; got != n+1 {
		t.Fatalf("%d calls reached SnelStart, want %d: the refused one once more", got, n+1)
	}
	mu.Lock()
	if len(pauses) != 1 || pauses[0] != time.Second {
		t.Fatalf("pauses %v; want one of 1 s (Retry-After)", pauses)
	}
	mu.Unlock()
	time.Sleep(c.slowFor)
	if d := calls(t, c, n); d >= atSlow*3/4 {
		t.Fatalf("%d calls %v after a quiet %v took %v: still slowed", n, d, c.slowFor, d)
	}
}
