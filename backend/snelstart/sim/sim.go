// Package sim is a SnelStart B2B API simulator that follows
// docs/snelstart.md: the token endpoint, header checks, stateful
// collections, the OData subset, paging (in no promised order unless
// $orderby asks for one), validation codes and the error body shapes —
// plus fault injection (latency, 429, 500, commit-then-fail and delayed
// visibility) for the tests, benchmarks and the demo. One Server holds one
// administration.
package sim

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/url"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// AllScopes are the scopes a token gets unless Options say otherwise.
var AllScopes = []string{"artikelen:read", "artikelen:write", "relaties:read", "relaties:write",
	"orders:read", "orders:write", "settings:read", "settings:write"}

// Faults are injected into API calls (not the token endpoint). Shares are
// 0..1. CommitThenFail stores a write and then answers 502 or drops the
// connection: the case that makes naive connectors book twice.
// DelayedVisible is the share of creates that are stored at once (a second
// create of the same artikelcode is refused, the order number is taken)
// but that reads — lists and GET by id — show only VisibleAfter later, as
// a read replica that lags behind would: the case that makes a connector
// that looks right after an uncertain create book twice.
type Faults struct {
	// Latency is how long a call takes from request to answer, the
	// simulator's own work included: an answer ready sooner waits for it.
	Latency        time.Duration
	Share429       float64
	RetryAfter     int // seconds in Retry-After on a 429 (default 1; -1 sends 0)
	Share500       float64
	CommitThenFail float64
	DelayedVisible float64
	VisibleAfter   time.Duration // default 2 s
}

// Options configure a Server.
type Options struct {
	// ClientKeys maps each valid koppelsleutel to its scopes (nil: AllScopes).
	ClientKeys       map[string][]string
	SubscriptionKeys []string
	TokenTTL         time.Duration // default 3599 s
	Faults           Faults
	Seed             uint64 // for the fault dice
	// Strict refuses properties SnelStart does not know (400 with
	// modelState). The real API ignores them silently, which is how a
	// misspelt field goes unnoticed; in tests we want to hear of it. A
	// field an object already has (one a later API version may add, put
	// there by Insert) is known to that object and kept by its updates.
	Strict bool
	// RefuseOrderBy answers a list with $orderby 400 ALG-0104, for a
	// SnelStart that does not take it (it is not documented).
	RefuseOrderBy bool
	// VATPerLine rounds the VAT of each line to the cent and adds those up,
	// instead of rounding once over each rate's lines. SnelStart does not
	// document which it does (docs/vat.md); tests run the import both ways.
	VATPerLine bool
}

// Server is the simulator; it is an http.Handler. Auth is at /b2b/token and
// the API under /v2/, so one address serves as both base URLs.
type Server struct {
	opt Options

	mu          sync.Mutex
	tokens      map[string]tokenInfo
	coll        map[string]*collection
	company     map[string]any
	btwtarieven []any
	faults      Faults
	dice        *rand.Rand
	calls       atomic.Int64
	writes      atomic.Int64
	tokenCalls  atomic.Int64
}

type tokenInfo struct {
	expires time.Time
	scopes  []string
}

// Collections the simulator keeps.
var collections = []string{"relaties", "artikelen", "verkooporders", "artikelomzetgroepen",
	"verkoopordersjablonen", "kostenplaatsen", "landen"}

// New returns an empty administration; see Seed and DefaultSeed.
func New(opt Options) *Server {
	if opt.TokenTTL == 0 {
		opt.TokenTTL = 3599 * time.Second
	}
	s := &Server{opt: opt, tokens: map[string]tokenInfo{}, coll: map[string]*collection{},
		faults: opt.Faults, dice: rand.New(rand.NewPCG(opt.Seed, opt.Seed^0x5c0ffee))}
	for _, c := range collections {
		s.coll[c] = newCollection(c)
	}
	s.company = map[string]any{
		"administratieIdentifier": newGUID(), "administratieNaam": "Demo administratie", "bedrijfsnaam": "Demo B.V.",
		"volgendVerkoopordernummer": json.Number("1"), "voorraadcontroleOrderinvoer": true,
		"verkoopprijsArtikelbestandExclusiefBtw": false, "artikelcodeSoort": "Alfanumeriek",
		"artikelcodeMaxLengte": json.Number("30"), "aantalDecimalenArtikelprijzen": json.Number("2"),
		"aantalDecimalenArtikelaantallen": json.Number("0"), "verkooporderVoorraadVanafNiveau": "Alle",
		"regelkortingVerkooporder": "BerekenenOverRegelBedrag",
	}
	return s
}

// SetFaults changes the injected faults.
func (s *Server) SetFaults(f Faults) {
	s.mu.Lock()
	s.faults = f
	s.mu.Unlock()
}

// ExpireTokens makes every issued token expired, as an hour's wait would.
func (s *Server) ExpireTokens() {
	s.mu.Lock()
	for k, t := range s.tokens {
		t.expires = time.Now().Add(-time.Second)
		s.tokens[k] = t
	}
	s.mu.Unlock()
}

// Calls returns the number of API calls answered (token requests apart).
func (s *Server) Calls() int64 { return s.calls.Load() }

// Writes returns the number of API calls that were not reads (any method
// but GET), answered or not: a read-only task must leave it where it was.
func (s *Server) Writes() int64 { return s.writes.Load() }

// TokenCalls returns the number of token requests.
func (s *Server) TokenCalls() int64 { return s.tokenCalls.Load() }

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	arrived := time.Now()
	if r.URL.Path == "/b2b/token" {
		s.tokenCalls.Add(1)
		s.serveToken(w, r)
		return
	}
	rest, ok := strings.CutPrefix(r.URL.Path, "/v2/")
	if !ok {
		writeJSON(w, http.StatusNotFound, map[string]any{"Message": "No HTTP resource was found that matches the request URI '" + r.URL.Path + "'."})
		return
	}
	s.calls.Add(1)
	if r.Method != http.MethodGet {
		s.writes.Add(1)
	}
	parts := strings.Split(strings.Trim(rest, "/"), "/")
	if !s.authorize(w, r, parts) {
		return
	}
	s.mu.Lock()
	f := s.faults
	roll := s.dice.Float64()
	commitFail := s.dice.Float64() < f.CommitThenFail
	dropConn := s.dice.IntN(2) == 0
	var hide time.Duration
	if s.dice.Float64() < f.DelayedVisible {
		hide = f.VisibleAfter
		if hide <= 0 {
			hide = 2 * time.Second
		}
	}
	s.mu.Unlock()
	write := r.Method != http.MethodGet
	if roll < f.Share429+f.Share500 || write && commitFail {
		time.Sleep(f.Latency) // a refused or failed call: no work to count in
	}
	switch {
	case roll < f.Share429:
		after := f.RetryAfter
		switch {
		case after == 0:
			after = 1
		case after < 0:
			after = 0
		}
		w.Header().Set("Retry-After", strconv.Itoa(after))
		writeJSON(w, http.StatusTooManyRequests, map[string]any{"statusCode": 429,
			"message": fmt.Sprintf("Rate limit is exceeded. Try again in %d seconds.", after)})
		return
	case roll < f.Share429+f.Share500:
		writeJSON(w, http.StatusInternalServerError, map[string]any{"Message": "An error has occurred."})
		return
	}
	if write && commitFail {
		// Do the write, then lose the answer.
		s.route(discard{}, r, parts, hide)
		if dropConn {
			if hj, ok := w.(http.Hijacker); ok {
				if conn, _, err := hj.Hijack(); err == nil {
					conn.Close()
					return
				}
			}
		}
		writeJSON(w, http.StatusBadGateway, map[string]any{"statusCode": 502, "message": "Bad Gateway"})
		return
	}
	if f.Latency <= 0 {
		s.route(w, r, parts, hide)
		return
	}
	// The answer leaves Latency after the request came in, however long
	// the work took (up to Latency): a benchmark at 50 ms a call measures
	// the client's waiting, not the simulator's work on top of it.
	buf := &heldAnswer{header: w.Header(), status: http.StatusOK}
	s.route(buf, r, parts, hide)
	waitUntil(arrived.Add(f.Latency))
	w.WriteHeader(buf.status)
	_, _ = w.Write(buf.body.Bytes())
}

// waitUntil returns at t. Go's timers on Linux fire up to a millisecond
// late (the poller waits in whole milliseconds), which made a call of 50 ms
// take 50.6 on average: the last millisecond is waited out by yielding.
func waitUntil(t time.Time) {
	if d := time.Until(t) - time.Millisecond; d > 0 {
		time.Sleep(d)
	}
	for time.Now().Before(t) {
		runtime.Gosched()
	}
}

// heldAnswer keeps an answer until its time has come.
type heldAnswer struct {
	header http.Header
	status int
	wrote  bool
	body   bytes.Buffer
}

func (h *heldAnswer) Header() http.Header { return h.header }

func (h *heldAnswer) WriteHeader(status int) {
	if !h.wrote {
		h.status, h.wrote = status, true
	}
}

func (h *heldAnswer) Write(b []byte) (int, error) {
	h.wrote = true
	return h.body.Write(b)
}

// serveToken implements POST /b2b/token for both grants (reference §1).
func (s *Server) serveToken(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		writeJSON(w, http.StatusMethodNotAllowed, map[string]any{"error": "unsupported_method"})
		return
	}
	if err := r.ParseForm(); err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]any{"error": "invalid_request"})
		return
	}
	var key string
	switch r.PostForm.Get("grant_type") {
	case "clientkey":
		key = r.PostForm.Get("clientkey")
	case "password":
		userpass := r.PostForm.Get("username") + ":" + r.PostForm.Get("password")
		for k := range s.opt.ClientKeys {
			if dec, err := base64.StdEncoding.DecodeString(k); err == nil && string(dec) == userpass {
				key = k
			}
		}
	default:
		writeJSON(w, http.StatusBadRequest, map[string]any{"error": "unsupported_grant_type"})
		return
	}
	scopes, ok := s.opt.ClientKeys[key]
	if !ok || key == "" {
		writeJSON(w, http.StatusBadRequest, map[string]any{"error": "invalid_grant",
			"error_description": "De koppelsleutel is ongeldig."})
		return
	}
	if scopes == nil {
		scopes = AllScopes
	}
	tok := strings.ReplaceAll(newGUID()+newGUID(), "-", "")
	s.mu.Lock()
	s.tokens[tok] = tokenInfo{expires: time.Now().Add(s.opt.TokenTTL), scopes: scopes}
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]any{"access_token": tok, "token_type": "bearer",
		"expires_in": int(s.opt.TokenTTL / time.Second)})
}

// authorize checks the subscription key, the token and its scopes the way
// Azure APIM and SnelStart answer (401, 403; reference §1, §5).
func (s *Server) authorize(w http.ResponseWriter, r *http.Request, parts []string) bool {
	sub := r.Header.Get("Ocp-Apim-Subscription-Key")
	if sub == "" {
		writeJSON(w, http.StatusUnauthorized, map[string]any{"statusCode": 401,
			"message": "Access denied due to missing subscription key. Make sure to include subscription key when making requests to an API."})
		return false
	}
	valid := false
	for _, k := range s.opt.SubscriptionKeys {
		valid = valid || k == sub
	}
	if !valid {
		writeJSON(w, http.StatusForbidden, map[string]any{"statusCode": 403,
			"message": "Access denied due to invalid subscription key. Make sure to provide a valid key for an active subscription."})
		return false
	}
	tok, _ := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	s.mu.Lock()
	info, ok := s.tokens[tok]
	s.mu.Unlock()
	if !ok || time.Now().After(info.expires) {
		writeJSON(w, http.StatusUnauthorized, map[string]any{"statusCode": 401,
			"message": "Unauthorized. Access token is missing or invalid."})
		return false
	}
	need := scopeFor(r.Method, parts[0])
	if need == "" {
		return true
	}
	for _, sc := range info.scopes {
		if sc == need {
			return true
		}
	}
	writeJSON(w, http.StatusForbidden, map[string]any{"statusCode": 403,
		"message": "Het token heeft niet de benodigde scope: " + need})
	return false
}

func scopeFor(method, resource string) string {
	area := map[string]string{"relaties": "relaties", "artikelen": "artikelen", "artikelomzetgroepen": "artikelen",
		"verkooporders": "orders", "verkoopordersjablonen": "orders", "companyInfo": "settings",
		"landen": "settings", "btwtarieven": "settings", "kostenplaatsen": "settings"}[resource]
	if area == "" {
		return "" // echo, unknown routes
	}
	if method == http.MethodGet {
		return area + ":read"
	}
	return area + ":write"
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// discard is a ResponseWriter that forgets the answer (commit-then-fail).
type discard struct{}

func (discard) Header() http.Header         { return http.Header{} }
func (discard) Write(b []byte) (int, error) { return len(b), nil }
func (discard) WriteHeader(int)             {}

// badRequest answers 400 with SnelStart's usual body: a list of codes.
func badRequest(w http.ResponseWriter, items ...[2]string) {
	list := make([]map[string]string, len(items))
	for i, it := range items {
		list[i] = map[string]string{"errorCode": it[0], "message": it[1]}
	}
	writeJSON(w, http.StatusBadRequest, list)
}

func notFound(w http.ResponseWriter, what string) {
	writeJSON(w, http.StatusNotFound, map[string]any{"Message": what + " niet gevonden."})
}

func pageParams(q url.Values) (top, skip int, err error) {
	top, skip = 500, 0
	if v := q.Get("$top"); v != "" {
		if top, err = strconv.Atoi(v); err != nil || top < 0 {
			return 0, 0, fmt.Errorf("$top")
		}
		if top > 500 {
			top = 500
		}
	}
	if v := q.Get("$skip"); v != "" {
		if skip, err = strconv.Atoi(v); err != nil || skip < 0 {
			return 0, 0, fmt.Errorf("$skip")
		}
	}
	return top, skip, nil
}
