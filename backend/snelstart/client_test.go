package snelstart

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/s-connect/s-connect/backend/snelstart/sim"
)

const (
	testClientKey = "koppel-sleutel-test"
	testSubKey    = "abonnement-test"
)

type harness struct {
	sim    *sim.Server
	srv    *httptest.Server
	client *Client
	sleeps []time.Duration
	mu     sync.Mutex
}

// newHarness starts a seeded simulator behind wrap (nil: none) and a client
// whose pauses are recorded instead of slept.
func newHarness(t *testing.T, opt sim.Options, wrap func(http.Handler) http.Handler, copt Options) *harness {
	t.Helper()
	if opt.ClientKeys == nil {
		opt.ClientKeys = map[string][]string{testClientKey: nil}
	}
	if opt.SubscriptionKeys == nil {
		opt.SubscriptionKeys = []string{testSubKey}
	}
	h := &harness{sim: sim.New(opt)}
	h.sim.SeedDefault()
	var handler http.Handler = h.sim
	if wrap != nil {
		handler = wrap(handler)
	}
	h.srv = httptest.NewServer(handler)
	t.Cleanup(h.srv.Close)
	if copt.ClientKey == "" {
		copt.ClientKey = testClientKey
	}
	if copt.SubscriptionKey == "" {
		copt.SubscriptionKey = testSubKey
	}
	copt.APIBaseURL = h.srv.URL + "/v2/"
	copt.AuthBaseURL = h.srv.URL + "/"
	if copt.RequestsPerSecond == 0 {
		copt.RequestsPerSecond = 10000
	}
	c, err := NewClient(copt)
	if err != nil {
		t.Fatal(err)
	}
	c.sleep = func(ctx context.Context, d time.Duration) error {
		h.mu.Lock()
		h.sleeps = append(h.sleeps, d)
		h.mu.Unlock()
		return ctx.Err()
	}
	h.client = c
	return h
}

func ctx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return c
}

func TestCompanyInfoEchoAndLists(t *testing.T) {
	h := newHarness(t, sim.Options{}, nil, Options{})
	h.sim.SetCompany(map[string]any{"administratieNaam": "Wijnhandel De Druif"})
	ci, err := h.client.CompanyInfo(ctx(t))
	if err != nil || ci.AdministratieNaam != "Wijnhandel De Druif" || ci.ArtikelcodeMaxLengte != 30 {
		t.Fatalf("companyInfo: %+v %v", ci, err)
	}
	if out, err := h.client.Echo(ctx(t), "hallo"); err != nil || out != "hallo" {
		t.Fatalf("echo: %q %v", out, err)
	}
	grp, err := h.client.Lists.Artikelomzetgroepen(ctx(t))
	if err != nil || len(grp) != 3 || grp[1].VerkoopNederlandBtwSoort != "Laag" {
		t.Fatalf("omzetgroepen: %+v %v", grp, err)
	}
	sj, err := h.client.Lists.Verkoopordersjablonen(ctx(t))
	if err != nil || len(sj) != 2 || sj[1].Omschrijving != "Webshop" || sj[1].PrijsIngaveExclusiefBtw {
		t.Fatalf("sjablonen: %+v %v", sj, err)
	}
	kp, err := h.client.Lists.Kostenplaatsen(ctx(t))
	if err != nil || len(kp) != 2 || kp[0].Nummer != 1 {
		t.Fatalf("kostenplaatsen: %+v %v", kp, err)
	}
	landen, err := h.client.Lists.Landen(ctx(t))
	if err != nil || len(landen) != 3 || landen[1].LandcodeISO != "BE" {
		t.Fatalf("landen: %+v %v", landen, err)
	}
	btw, err := h.client.Lists.Btwtarieven(ctx(t))
	if err != nil || len(btw) != 3 || btw[0].BtwPercentage.String() != "21" {
		t.Fatalf("btwtarieven: %+v %v", btw, err)
	}
	if h.sim.TokenCalls() != 1 {
		t.Fatalf("token fetched %d times, want once (cached)", h.sim.TokenCalls())
	}
}

func TestPagingAcross1234Relaties(t *testing.T) {
	h := newHarness(t, sim.Options{}, nil, Options{})
	before := h.sim.Count("relaties")
	for i := 0; i < 1231; i++ {
		h.sim.Insert("relaties", map[string]any{"relatiesoort": []string{"Klant"}, "relatiecode": 5000 + i,
			"naam": fmt.Sprintf("Klant %04d", i), "email": fmt.Sprintf("k%d@example.nl", i)})
	}
	calls := h.sim.Calls()
	all, err := Collect(h.client.Relaties.List(ctx(t), ListOptions{}))
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != before+1231 {
		t.Fatalf("got %d relaties, want %d", len(all), before+1231)
	}
	seen := map[string]bool{}
	for _, r := range all {
		if seen[r.ID] {
			t.Fatalf("relatie %s twice", r.ID)
		}
		seen[r.ID] = true
	}
	for i := 1; i < len(all); i++ { // the simulator shuffles unless asked for an order
		if strings.ToLower(all[i-1].ID) >= strings.ToLower(all[i].ID) {
			t.Fatalf("pages not in id order at %d", i)
		}
	}
	if got := h.sim.Calls() - calls; got != 3 {
		t.Fatalf("%d calls for 1234 rows, want 3 pages of 500", got)
	}
	// Filtered and paged with a small page.
	few, err := Collect(h.client.Relaties.List(ctx(t), ListOptions{Filter: StartsWith("Naam", "Klant 00"), Top: 30}))
	if err != nil || len(few) != 100 {
		t.Fatalf("filtered: %d %v", len(few), err)
	}
}

func TestFilterFindsExactlyTheQuotedValue(t *testing.T) {
	h := newHarness(t, sim.Options{}, nil, Options{})
	tricky := []string{"o'brien@example.ie", "a' or '1' eq '1", "x''y", "ü@é.nl"}
	for i, e := range tricky {
		h.sim.Insert("relaties", map[string]any{"relatiesoort": []string{"Klant"}, "relatiecode": 9000 + i, "naam": "T", "email": e})
	}
	for _, e := range tricky {
		got, err := Collect(h.client.Relaties.List(ctx(t), ListOptions{Filter: Eq("Email", e)}))
		if err != nil || len(got) != 1 || got[0].Email != e {
			t.Fatalf("Email eq %q: %d results %v", e, len(got), err)
		}
	}
	codes, err := Collect(h.client.Relaties.List(ctx(t), ListOptions{Filter: In("Relatiecode", []int{1001, 1003, 424242})}))
	if err != nil || len(codes) != 2 {
		t.Fatalf("In: %d %v", len(codes), err)
	}
	klanten, err := Collect(h.client.Relaties.List(ctx(t), ListOptions{Filter: And(AnyEq("Relatiesoort", "Klant"), Eq("VestigingsAdres/Land/Id", Guid(h.sim.LandID("BE"))))}))
	if err != nil || len(klanten) != 1 || !strings.Contains(klanten[0].Naam, "Hoekje") {
		t.Fatalf("any + nested path: %+v %v", klanten, err)
	}
}

func TestErrorShapes(t *testing.T) {
	h := newHarness(t, sim.Options{Strict: true}, nil, Options{})
	// 1. A list of codes.
	_, err := h.client.Relaties.Create(ctx(t), &Relatie{Relatiesoort: []string{RelatieKlant}})
	var ae *APIError
	if !errors.As(err, &ae) || !errors.Is(err, ErrValidation) || !ae.Has("REL-0007") {
		t.Fatalf("validation: %v", err)
	}
	// 2. ASP.NET model state (an unknown property in strict mode).
	err = h.client.Do(ctx(t), http.MethodPost, "relaties", nil, map[string]any{"naam": "x", "relatiesoort": []string{"Klant"}, "naamm": "y"}, nil)
	if !errors.As(err, &ae) || ae.ModelState["naamm"] == nil || ae.Message != "The request is invalid." {
		t.Fatalf("model state: %#v", err)
	}
	// 3. {"Message"} on 404.
	_, err = h.client.Artikelen.Get(ctx(t), "00000000-0000-0000-0000-000000000001")
	if !errors.As(err, &ae) || !errors.Is(err, ErrNotFound) || ae.Message == "" {
		t.Fatalf("not found: %v", err)
	}
	// A bad filter is ALG-0104 and is not retried.
	calls := h.sim.Calls()
	_, err = Collect(h.client.Relaties.List(ctx(t), ListOptions{Filter: "Naam eq"}))
	if !errors.As(err, &ae) || !ae.Has("ALG-0104") || h.sim.Calls()-calls != 1 {
		t.Fatalf("bad filter: %v after %d calls", err, h.sim.Calls()-calls)
	}
}

func TestAuthFailures(t *testing.T) {
	h := newHarness(t, sim.Options{ClientKeys: map[string][]string{testClientKey: nil, "alleen-lezen": {"settings:read", "orders:read"}}}, nil, Options{})
	base := Options{APIBaseURL: h.srv.URL + "/v2/", AuthBaseURL: h.srv.URL + "/", RequestsPerSecond: 1000}

	o := base
	o.ClientKey, o.SubscriptionKey = "verkeerd", testSubKey
	c, _ := NewClient(o)
	if _, err := c.CompanyInfo(ctx(t)); !errors.Is(err, ErrInvalidClientKey) {
		t.Fatalf("wrong koppelsleutel: %v", err)
	}
	o.ClientKey, o.SubscriptionKey = testClientKey, "verkeerd"
	c, _ = NewClient(o)
	if _, err := c.CompanyInfo(ctx(t)); !errors.Is(err, ErrInvalidSubscriptionKey) {
		t.Fatalf("wrong subscription key: %v", err)
	}
	o.ClientKey, o.SubscriptionKey = "alleen-lezen", testSubKey
	c, _ = NewClient(o)
	if _, err := c.CompanyInfo(ctx(t)); err != nil {
		t.Fatalf("read with read scope: %v", err)
	}
	_, err := c.Verkooporders.Create(ctx(t), &Verkooporder{})
	if !errors.Is(err, ErrForbidden) || errors.Is(err, ErrMaybeWritten) {
		t.Fatalf("write without orders:write: %v", err)
	}
}

func TestExpiredTokenIsRenewedOnce(t *testing.T) {
	h := newHarness(t, sim.Options{}, nil, Options{})
	if _, err := h.client.CompanyInfo(ctx(t)); err != nil {
		t.Fatal(err)
	}
	h.sim.ExpireTokens() // the cached token is now refused with 401
	if _, err := h.client.CompanyInfo(ctx(t)); err != nil {
		t.Fatalf("after expiry: %v", err)
	}
	if h.sim.TokenCalls() != 2 {
		t.Fatalf("token calls %d, want 2", h.sim.TokenCalls())
	}
	// A write after expiry is also safe to repeat: the gateway refused it.
	h.sim.ExpireTokens()
	before := h.sim.Count("kostenplaatsen")
	if err := h.client.Do(ctx(t), http.MethodPost, "kostenplaatsen", nil, map[string]any{"omschrijving": "Beurs", "nummer": 3}, nil); err != nil {
		t.Fatal(err)
	}
	if h.sim.Count("kostenplaatsen") != before+1 {
		t.Fatal("write after renewal not done exactly once")
	}
}

// failFirst answers the first n requests to paths with prefix with status
// (and Retry-After), then lets the simulator answer.
func failFirst(n int, status int, retryAfter string, prefix string, seen *atomic.Int32) func(http.Handler) http.Handler {
	var count atomic.Int32
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if strings.HasPrefix(r.URL.Path, prefix) {
				seen.Add(1)
				if count.Add(1) <= int32(n) {
					if retryAfter != "" {
						w.Header().Set("Retry-After", retryAfter)
					}
					w.WriteHeader(status)
					io.WriteString(w, `{"statusCode":`+fmt.Sprint(status)+`,"message":"x"}`)
					return
				}
			}
			next.ServeHTTP(w, r)
		})
	}
}

func TestRateLimitHonoursRetryAfter(t *testing.T) {
	var seen atomic.Int32
	h := newHarness(t, sim.Options{}, failFirst(2, 429, "7", "/v2/companyInfo", &seen), Options{})
	if _, err := h.client.CompanyInfo(ctx(t)); err != nil {
		t.Fatal(err)
	}
	if seen.Load() != 3 || len(h.sleeps) != 2 || h.sleeps[0] != 7*time.Second || h.sleeps[1] != 7*time.Second {
		t.Fatalf("calls %d, pauses %v; want 3 calls and two pauses of 7s", seen.Load(), h.sleeps)
	}
	// A 429 on a create is retried too: APIM refused it before SnelStart saw it.
	var posts atomic.Int32
	h2 := newHarness(t, sim.Options{}, failFirst(1, 429, "1", "/v2/kostenplaatsen", &posts), Options{})
	if err := h2.client.Do(ctx(t), http.MethodPost, "kostenplaatsen", nil, map[string]any{"omschrijving": "X", "nummer": 9}, nil); err != nil {
		t.Fatal(err)
	}
	if h2.sim.Count("kostenplaatsen") != 3 {
		t.Fatal("429 on a create: not written exactly once")
	}
}

func TestReadsRetryServerErrorsWithBackoff(t *testing.T) {
	var seen atomic.Int32
	h := newHarness(t, sim.Options{}, failFirst(3, 503, "", "/v2/landen", &seen), Options{BackoffBase: 100 * time.Millisecond, BackoffCap: 250 * time.Millisecond})
	if _, err := h.client.Lists.Landen(ctx(t)); err != nil {
		t.Fatal(err)
	}
	if seen.Load() != 4 || len(h.sleeps) != 3 {
		t.Fatalf("calls %d pauses %v", seen.Load(), h.sleeps)
	}
	for i, d := range h.sleeps {
		max := 100 * time.Millisecond << i
		if max > 250*time.Millisecond {
			max = 250 * time.Millisecond
		}
		if d < max/2 || d > max {
			t.Fatalf("pause %d = %v, want within [%v, %v] (capped exponential)", i, d, max/2, max)
		}
	}
	// Too many failures: the last error comes back.
	var seen2 atomic.Int32
	h2 := newHarness(t, sim.Options{}, failFirst(100, 500, "", "/v2/landen", &seen2), Options{MaxRetries: 2})
	if _, err := h2.client.Lists.Landen(ctx(t)); !errors.Is(err, ErrServer) || seen2.Load() != 3 {
		t.Fatalf("after retries: %v, %d calls", err, seen2.Load())
	}
}

func TestFailedCreateSaysItMayHaveBeenWritten(t *testing.T) {
	// A 500 on a POST: not retried, reported as uncertain.
	var posts atomic.Int32
	h := newHarness(t, sim.Options{}, failFirst(1, 500, "", "/v2/kostenplaatsen", &posts), Options{})
	err := h.client.Do(ctx(t), http.MethodPost, "kostenplaatsen", nil, map[string]any{"omschrijving": "X", "nummer": 9}, nil)
	if !errors.Is(err, ErrMaybeWritten) || posts.Load() != 1 {
		t.Fatalf("500 on create: %v after %d posts", err, posts.Load())
	}
	// Commit-then-fail: the simulator stores the order and loses the answer.
	h2 := newHarness(t, sim.Options{Faults: sim.Faults{CommitThenFail: 1}}, nil, Options{})
	rel := h2.sim.All("relaties")[0]
	art := h2.sim.All("artikelen")[4]
	for i := 0; i < 4; i++ { // both ways of failing: a 502 and a dropped connection
		_, err = h2.client.Verkooporders.Create(ctx(t), &Verkooporder{Relatie: RefTo(rel["id"].(string)), ProcesStatus: "Order",
			Datum: Time{time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)}, Omschrijving: "Webshop order", Betalingskenmerk: fmt.Sprint("WS", i),
			VerkooporderBtwIngaveModel: BtwInclusief, Regels: []Regel{{Artikel: RefTo(art["id"].(string)), Aantal: Num("1"), Stuksprijs: Num("12.50")}}})
		var wu *WriteUncertainError
		if !errors.Is(err, ErrMaybeWritten) || !errors.As(err, &wu) {
			t.Fatalf("commit-then-fail %d: %v", i, err)
		}
	}
	if n := h2.sim.Count("verkooporders"); n != 4 {
		t.Fatalf("%d orders stored, want 4 (each written once, none repeated)", n)
	}
	// The caller can find them by betalingskenmerk.
	h2.sim.SetFaults(sim.Faults{})
	found, err := Collect(h2.client.Verkooporders.List(ctx(t), ListOptions{Filter: Eq("Betalingskenmerk", "WS2")}))
	if err != nil || len(found) != 1 || found[0].Nummer == nil {
		t.Fatalf("lookup after uncertain write: %+v %v", found, err)
	}
}

func TestLimiterBoundsConcurrency(t *testing.T) {
	var inFlight, peak atomic.Int32
	slow := func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if strings.HasPrefix(r.URL.Path, "/v2/") {
				n := inFlight.Add(1)
				for {
					p := peak.Load()
					if n <= p || peak.CompareAndSwap(p, n) {
						break
					}
				}
				time.Sleep(20 * time.Millisecond)
				defer inFlight.Add(-1)
			}
			next.ServeHTTP(w, r)
		})
	}
	h := newHarness(t, sim.Options{}, slow, Options{Reads: 1, Writes: 2}) // a look-up may take a free write place
	var wg sync.WaitGroup
	for i := 0; i < 12; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := h.client.Lists.Landen(ctx(t)); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if p := peak.Load(); p < 2 || p > 3 {
		t.Fatalf("peak concurrency %d, want at most 3 (and some overlap)", p)
	}
	if h.client.Requests() != 12 {
		t.Fatalf("requests counted %d", h.client.Requests())
	}
}

// At the defaults at most 4 writes and 2 look-ups are in flight, each on
// places of their own: an import's next look-ups do not wait for a place
// among its creates, nor its creates for the look-ups.
func TestDefaultLimitKeepsWritesToFourAndLetsReadsBeside(t *testing.T) {
	var writes, reads, all, peakWrites, peakAll, readsBesideFour, peakSecond atomic.Int32
	var firstDone atomic.Bool // a call has ended: the ones that start now waited
	top := func(p *atomic.Int32, n int32) {
		for {
			if v := p.Load(); n <= v || p.CompareAndSwap(v, n) {
				return
			}
		}
	}
	slow := func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if strings.HasPrefix(r.URL.Path, "/v2/") {
				if r.Method != http.MethodGet {
					top(&peakWrites, writes.Add(1))
					defer writes.Add(-1)
				} else {
					reads.Add(1)
					defer reads.Add(-1)
				}
				if writes.Load() == 4 && reads.Load() > 0 {
					readsBesideFour.Add(1)
				}
				n := all.Add(1)
				top(&peakAll, n)
				if firstDone.Load() {
					top(&peakSecond, n)
				}
				defer all.Add(-1)
				time.Sleep(30 * time.Millisecond)
				defer firstDone.Store(true)
			}
			next.ServeHTTP(w, r)
		})
	}
	h := newHarness(t, sim.Options{}, slow, Options{})
	var wg sync.WaitGroup
	for i := 0; i < 16; i++ {
		wg.Add(2)
		go func() {
			defer wg.Done()
			if _, err := h.client.Relaties.Create(ctx(t), &Relatie{Relatiesoort: []string{RelatieKlant}, Naam: fmt.Sprint("Klant ", i)}); err != nil {
				t.Error(err)
			}
		}()
		go func() {
			defer wg.Done()
			if _, err := h.client.Lists.Landen(ctx(t)); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if w, a := peakWrites.Load(), peakAll.Load(); w != 4 || a != 6 {
		t.Fatalf("peak %d writes and %d requests in flight, want 4 writes and 6 in all (2 look-ups)", w, a)
	}
	if readsBesideFour.Load() == 0 {
		t.Fatal("no look-up went out while 4 writes were in flight")
	}
	// Without writes, look-ups take the writes' free places too (a run's
	// first look-ups), and no more: the 12 go in two waves of 6, the look-
	// ups that waited for the first taking the writes' places as well.
	peakAll.Store(0)
	firstDone.Store(false)
	for i := 0; i < 12; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := h.client.Lists.Landen(ctx(t)); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if a, b := peakAll.Load(), peakSecond.Load(); a != 6 || b != 6 {
		t.Fatalf("%d look-ups in flight without writes, %d in the second wave; want 6 (their 2 and the writes' 4) in each", a, b)
	}
}

// With 4 writes in flight and a 5th waiting, look-ups still go out on
// their own places, and neither they nor the 5th write get a 5th write
// place: the writes are told from the look-ups by their method.
func TestWritesWaitingDoNotHoldLookUpsBack(t *testing.T) {
	release := make(chan struct{})
	var writes atomic.Int32
	hold := func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if strings.HasPrefix(r.URL.Path, "/v2/") && r.Method != http.MethodGet {
				writes.Add(1)
				defer writes.Add(-1)
				<-release
			}
			next.ServeHTTP(w, r)
		})
	}
	h := newHarness(t, sim.Options{}, hold, Options{})
	var once sync.Once
	free := func() { once.Do(func() { close(release) }) }
	t.Cleanup(free) // registered after the server's Close, so it runs before it: Close waits for the held calls
	// The token first, before the writes hold the way.
	if _, err := h.client.Lists.Landen(ctx(t)); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	create := func(i int) {
		defer wg.Done()
		if _, err := h.client.Relaties.Create(ctx(t), &Relatie{Relatiesoort: []string{RelatieKlant}, Naam: fmt.Sprint("Klant ", i)}); err != nil {
			t.Error(err)
		}
	}
	for i := 0; i < 4; i++ {
		wg.Add(1)
		go create(i)
	}
	for deadline := time.Now().Add(5 * time.Second); writes.Load() < 4; time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("%d writes in flight, want 4", writes.Load())
		}
	}
	wg.Add(1)
	go create(4)
	time.Sleep(20 * time.Millisecond) // the 5th write is waiting
	looked := make(chan error, 2)
	for i := 0; i < 2; i++ {
		go func() {
			_, err := h.client.Lists.Landen(ctx(t))
			looked <- err
		}()
	}
	for i := 0; i < 2; i++ {
		select {
		case err := <-looked:
			if err != nil {
				t.Fatal(err)
			}
		case <-time.After(5 * time.Second):
			t.Fatal("a look-up waited for the writes in flight")
		}
	}
	if n := writes.Load(); n != 4 {
		t.Fatalf("%d writes in flight, want 4", n)
	}
	free()
	wg.Wait()
}

// The client keeps a connection for every place in flight: calls at full
// speed do not open a new connection (over TLS, a handshake) every time.
func TestConnectionsAreKeptForEveryPlaceInFlight(t *testing.T) {
	s := sim.New(sim.Options{ClientKeys: map[string][]string{testClientKey: nil}, SubscriptionKeys: []string{testSubKey}})
	s.SeedDefault()
	s.SetFaults(sim.Faults{Latency: 10 * time.Millisecond})
	srv := httptest.NewUnstartedServer(s)
	var opened atomic.Int32
	srv.Config.ConnState = func(_ net.Conn, st http.ConnState) {
		if st == http.StateNew {
			opened.Add(1)
		}
	}
	srv.Start()
	t.Cleanup(srv.Close)
	c, err := NewClient(Options{APIBaseURL: srv.URL + "/v2/", AuthBaseURL: srv.URL + "/", ClientKey: testClientKey, SubscriptionKey: testSubKey})
	if err != nil {
		t.Fatal(err)
	}
	for round := 0; round < 10; round++ {
		var wg sync.WaitGroup
		for i := 0; i < 6; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if _, err := c.Lists.Landen(ctx(t)); err != nil {
					t.Error(err)
				}
			}()
		}
		wg.Wait()
	}
	// 60 calls, 6 at once, and the token: at most one connection a place
	// (and the token's).
	if n := opened.Load(); n > 7 {
		t.Fatalf("%d connections opened for 60 calls 6 at a time", n)
	}
}

func TestNumberIsExactJSON(t *testing.T) {
	var r Regel
	if err := json.Unmarshal([]byte(`{"stuksprijs":0.1,"aantal":"3","totaal":null}`), &r); err != nil {
		t.Fatal(err)
	}
	if r.Stuksprijs.Mul(r.Aantal.Decimal).String() != "0.3" {
		t.Fatalf("0.1 × 3 = %s", r.Stuksprijs.Mul(r.Aantal.Decimal))
	}
	b, _ := json.Marshal(Regel{Stuksprijs: Num("12.50"), Aantal: Num("2")})
	if !strings.Contains(string(b), `"stuksprijs":12.5,`) && !strings.Contains(string(b), `"stuksprijs":12.50,`) {
		t.Fatalf("money must be a JSON number: %s", b)
	}
}
