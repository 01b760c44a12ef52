// Package snelstart is a client for the SnelStart B2B API v2, built to
// docs/snelstart.md. One Client per koppelsleutel; a service per
// resource (Relaties, Artikelen, Verkooporders, Lists); every call takes a
// context. Reads are retried on 429, 5xx and network errors; a write is
// never retried once it may have reached SnelStart — it fails with
// ErrMaybeWritten so the caller can look before sending again.
package snelstart

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/time/rate"
)

// The real addresses (reference §1).
const (
	DefaultAPIBaseURL  = "https://b2bapi.snelstart.nl/v2/"
	DefaultAuthBaseURL = "https://auth.snelstart.nl/"
)

// Options configure a Client. Zero values take the defaults.
type Options struct {
	APIBaseURL      string // default DefaultAPIBaseURL
	AuthBaseURL     string // default DefaultAuthBaseURL; the token is at {auth}b2b/token
	ClientKey       string // koppelsleutel
	SubscriptionKey string // Ocp-Apim-Subscription-Key
	HTTPClient      *http.Client
	Timeout         time.Duration // per request; default 30 s
	// The limiter: at most Writes writes (default 4) and Reads look-ups
	// (default 2) in flight, each kind on places of its own: the look-ups
	// an import needs for its next orders go beside its creates, and never
	// take a place a write waits for (they may take a write's place that
	// is free). At most RequestsPerSecond a second when it is
	// set. Unset (the default), the client slows down when SnelStart asks
	// it to: after a 429 at most SlowRate a second until SlowFor passes
	// without another. SnelStart publishes no limits [?]; a 429's
	// Retry-After is honoured in any case (docs/snelstart.md).
	RequestsPerSecond float64
	Writes            int
	Reads             int
	// Retries of reads (and of 429s and token renewals): MaxRetries more
	// attempts (default 6) with backoff from BackoffBase (200 ms) doubling
	// up to BackoffCap (10 s), or Retry-After when SnelStart gives one.
	MaxRetries  int
	BackoffBase time.Duration
	BackoffCap  time.Duration
	UserAgent   string
}

// Client talks to one administration.
type Client struct {
	opt    Options
	api    *url.URL
	auth   *url.URL
	hc     *http.Client
	lim    *rate.Limiter
	places *places // the requests in flight

	// adaptive: no RequestsPerSecond given; slowed until slowUntil after
	// a 429 (slowDown), unlimited again after (speedUp).
	adaptive  bool
	slowFor   time.Duration
	slowMu    sync.Mutex
	slowUntil time.Time

	tokMu   sync.Mutex
	token   string
	expires time.Time

	requests  atomic.Int64 // API calls sent, tokens not counted
	noOrderBy atomic.Bool  // SnelStart refused $orderby once: page without it
	sleep     func(ctx context.Context, d time.Duration) error

	Relaties      *RelatiesService
	Artikelen     *ArtikelenService
	Verkooporders *VerkoopordersService
	Lists         *ListsService
}

// NewClient checks the options and returns a client.
func NewClient(opt Options) (*Client, error) {
	if opt.APIBaseURL == "" {
		opt.APIBaseURL = DefaultAPIBaseURL
	}
	if opt.AuthBaseURL == "" {
		opt.AuthBaseURL = DefaultAuthBaseURL
	}
	api, err := baseURL(opt.APIBaseURL)
	if err != nil {
		return nil, fmt.Errorf("snelstart: API address: %w", err)
	}
	auth, err := baseURL(opt.AuthBaseURL)
	if err != nil {
		return nil, fmt.Errorf("snelstart: auth address: %w", err)
	}
	if opt.ClientKey == "" || opt.SubscriptionKey == "" {
		return nil, errors.New("snelstart: koppelsleutel and subscription key are required")
	}

	if opt.Timeout == 0 {
		opt.Timeout = 30 * time.Second
	}
	if opt.Writes == 0 {
		opt.Writes = 4
	}
	if opt.Reads == 0 {
		opt.Reads = 2
	}
	if opt.HTTPClient == nil {
		// Go's default keeps 2 idle connections a host: with 6 requests in
		// flight, every few calls would close one and open a new one, a TLS
		// handshake each time. Keep one for every place in flight.
		t := http.DefaultTransport.(*http.Transport).Clone()
		t.MaxIdleConnsPerHost = opt.Writes + opt.Reads
		opt.HTTPClient = &http.Client{Transport: t}
	}
	if opt.MaxRetries == 0 {
		opt.MaxRetries = 6
	}
	if opt.BackoffBase == 0 {
		opt.BackoffBase = 200 * time.Millisecond
	}
	if opt.BackoffCap == 0 {
		opt.BackoffCap = 10 * time.Second
	}
	if opt.UserAgent == "" {
		opt.UserAgent = "S-Connect"
	}
	lim := rate.NewLimiter(rate.Inf, opt.Writes+opt.Reads)
	if opt.RequestsPerSecond > 0 {
		lim = rate.NewLimiter(rate.Limit(opt.RequestsPerSecond), max(1, int(opt.RequestsPerSecond)))
	}
	c := &Client{opt: opt, api: api, auth: auth, hc: opt.HTTPClient, lim: lim,
		places:   newPlaces(opt.Writes, opt.Reads),
		adaptive: opt.RequestsPerSecond <= 0, slowFor: SlowFor}
	c.sleep = sleepCtx
	c.Relaties = &RelatiesService{c}
	c.Artikelen = &ArtikelenService{c}
	c.Verkooporders = &VerkoopordersService{c}
	c.Lists = &ListsService{c}
	return c, nil
}

func baseURL(s string) (*url.URL, error) {
	u, err := url.Parse(s)
	if err != nil {
		return nil, err
	}
	if u.Scheme != "https" && u.Scheme != "http" || u.Host == "" {
		return nil, fmt.Errorf("%q is not an http(s) address", s)
	}
	if !strings.HasSuffix(u.Path, "/") {
		u.Path += "/"
	}
	return u, nil
}

// RequestTimeout is the longest a call may take: a write that was on its
// way when its program stopped has reached SnelStart by then, or never will.
func (c *Client) RequestTimeout() time.Duration { return c.opt.Timeout }

// Identity names the administration this client reaches (API and
// koppelsleutel), hashed: for keys of in-memory caches, never shown.
func (c *Client) Identity() string {
	sum := sha256.Sum256([]byte(c.opt.APIBaseURL + "\x00" + c.opt.ClientKey))
	return hex.EncodeToString(sum[:])
}

// Requests returns how many API calls the client has sent (retries count,
// token requests do not), for the run statistics and benchmarks.
func (c *Client) Requests() int64 { return c.requests.Load() }

// CompanyInfo returns the administration behind the koppelsleutel.
func (c *Client) CompanyInfo(ctx context.Context) (*CompanyInfo, error) {
	var ci CompanyInfo
	if err := c.Do(ctx, http.MethodGet, "companyInfo", nil, nil, &ci); err != nil {
		return nil, err
	}
	return &ci, nil
}

// Echo calls echo/{input}: a health check that needs no scope.
func (c *Client) Echo(ctx context.Context, input string) (string, error) {
	var out string
	err := c.Do(ctx, http.MethodGet, "echo/"+url.PathEscape(input), nil, nil, &out)
	return out, err
}

// Do sends one API call: path is relative to the API base ("relaties"),
// body (if any) is sent as JSON and the answer decoded into out (if any).
func (c *Client) Do(ctx context.Context, method, path string, query url.Values, body, out any) error {
	var payload []byte
	if body != nil {
		var err error
		if payload, err = json.Marshal(body); err != nil {
			return fmt.Errorf("snelstart: encode %s: %w", path, err)
		}
	}
	u := c.api.ResolveReference(&url.URL{Path: path})
	if len(query) > 0 {
		u.RawQuery = query.Encode()
	}
	read := method == http.MethodGet
	renewed := false
	for attempt := 0; ; attempt++ {
		tok, err := c.accessToken(ctx)
		if err != nil {
			return err
		}
		status, hdr, respBody, err := c.send(ctx, method, u.String(), tok, payload)
		if err != nil {
			// Failed before SnelStart could act (no connection made), or a
			// read: safe to try again. Otherwise the write may have happened
			// — also when it was cancelled: a request on its way is not
			// called back by cancelling it here.
			if ctx.Err() != nil {
				cancelled := fmt.Errorf("snelstart: %s %s: %w", method, path, errors.Join(ErrTimeout, ctx.Err()))
				if !read && !notSent(err) {
					return &WriteUncertainError{Err: cancelled}
				}
				return cancelled
			}
			if !read && !notSent(err) {
				return &WriteUncertainError{Err: err}
			}
			// No connection at all (refused, no such host): a moment later
			// may help, six times will not.
			if attempt >= c.opt.MaxRetries || (notSent(err) && attempt >= 1) {
				return err
			}
			if err := c.pause(ctx, attempt, 0); err != nil {
				return err
			}
			continue
		}
		if status >= 200 && status < 300 {
			if out == nil || len(bytes.TrimSpace(respBody)) == 0 {
				return nil
			}
			if err := decodeJSON(respBody, out); err != nil {
				return fmt.Errorf("snelstart: decode %s %s: %w", method, path, err)
			}
			return nil
		}
		apiErr := decodeError(method, path, status, respBody)
		apiErr.RetryAfter = retryAfter(hdr.Get("Retry-After"))
		switch {
		case status == http.StatusUnauthorized && !renewed && !errors.Is(apiErr, ErrInvalidSubscriptionKey):
			// The token expired early or was revoked: one new token, once.
			// The gateway refused the call, so even a write was not done.
			renewed = true
			c.dropToken(tok)
			attempt--
			continue
		case status == http.StatusTooManyRequests:
			// APIM answers 429 before the call reaches SnelStart [I]: a
			// write was not done either, so it may be tried again.
			c.slowDown()
		case status >= 500 && !read:
			return &WriteUncertainError{Err: apiErr}
		case status >= 500 && status != http.StatusNotImplemented:
		default:
			return apiErr
		}
		if attempt >= c.opt.MaxRetries {
			return apiErr
		}
		if err := c.pause(ctx, attempt, apiErr.RetryAfter); err != nil {
			return err
		}
	}
}

// SlowRate and SlowFor are the adaptive limit (Options.RequestsPerSecond
// unset): after a 429 at most SlowRate requests a second, until SlowFor
// passes without another 429. SlowRate was the fixed limit before; see
// docs/snelstart.md.
const (
	SlowRate = 60
	SlowFor  = 30 * time.Second
)

// slowDown is a 429 under the adaptive limit: SlowRate a second from now
// on, until slowFor passes without another.
func (c *Client) slowDown() {
	if !c.adaptive {
		return
	}
	c.slowMu.Lock()
	defer c.slowMu.Unlock()
	if c.slowUntil.IsZero() {
		c.lim.SetLimit(SlowRate)
	}
	c.slowUntil = time.Now().Add(c.slowFor)
}

// speedUp lifts the slowing once slowFor passed without a 429.
func (c *Client) speedUp() {
	if !c.adaptive {
		return
	}
	c.slowMu.Lock()
	defer c.slowMu.Unlock()
	if !c.slowUntil.IsZero() && time.Now().After(c.slowUntil) {
		c.lim.SetLimit(rate.Inf)
		c.slowUntil = time.Time{}
	}
}

// send makes one HTTP exchange through the limiter.
func (c *Client) send(ctx context.Context, method, u, token string, payload []byte) (int, http.Header, []byte, error) {
	giveBack, err := c.places.take(ctx, method != http.MethodGet)
	if err != nil {
		return 0, nil, nil, &notSentError{err}
	}
	defer giveBack()
	// The rate after the place: a slowing down after a 429 holds the
	// requests already waiting for a place too.
	c.speedUp()
	if err := c.lim.Wait(ctx); err != nil {
		return 0, nil, nil, &notSentError{err}
	}
	rctx, cancel := context.WithTimeout(ctx, c.opt.Timeout)
	defer cancel()
	var body io.Reader
	if payload != nil {
		body = bytes.NewReader(payload)
	}
	req, err := http.NewRequestWithContext(rctx, method, u, body)
	if err != nil {
		return 0, nil, nil, &notSentError{err}
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Ocp-Apim-Subscription-Key", c.opt.SubscriptionKey)
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", c.opt.UserAgent)
	if payload != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	c.requests.Add(1)
	resp, err := c.hc.Do(req)
	if err != nil {
		return 0, nil, nil, classify(err)
	}
	defer resp.Body.Close()
	data, err := readBody(resp)
	if err != nil {
		return 0, nil, nil, classify(err)
	}
	return resp.StatusCode, resp.Header, data, nil
}

// classify wraps a transport error in ErrNetwork or ErrTimeout.
func classify(err error) error {
	var ne net.Error
	if errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &ne) && ne.Timeout()) {
		return fmt.Errorf("%w: %w", ErrTimeout, err)
	}
	return fmt.Errorf("%w: %w", ErrNetwork, err)
}

// notSentError is a failure before the request left this program (the
// limiter's wait cancelled, a bad URL).
type notSentError struct{ err error }

func (e *notSentError) Error() string { return e.err.Error() }
func (e *notSentError) Unwrap() error { return e.err }

// notSent reports whether a transport error happened before the request
// left: DNS or connect failures. Only then is a write safe to repeat.
func notSent(err error) bool {
	var ns *notSentError
	if errors.As(err, &ns) {
		return true
	}
	var op *net.OpError
	if errors.As(err, &op) && op.Op == "dial" {
		return true
	}
	var dns *net.DNSError
	return errors.As(err, &dns)
}

// pause waits before attempt+1: Retry-After when given, else capped
// exponential backoff with jitter. It gives up when ctx ends.
func (c *Client) pause(ctx context.Context, attempt int, after time.Duration) error {
	d := after
	if d <= 0 {
		d = c.opt.BackoffBase << attempt
		if d > c.opt.BackoffCap || d <= 0 {
			d = c.opt.BackoffCap
		}
		d = d/2 + rand.N(d/2+1)
	}
	return c.sleep(ctx, d)
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return fmt.Errorf("snelstart: %w", errors.Join(ErrTimeout, ctx.Err()))
	case <-t.C:
		return nil
	}
}

func retryAfter(v string) time.Duration {
	if v == "" {
		return 0
	}
	if secs, err := strconv.Atoi(strings.TrimSpace(v)); err == nil && secs >= 0 {
		return time.Duration(secs) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil {
		return time.Until(t)
	}
	return 0
}

func readBody(resp *http.Response) ([]byte, error) {
	return io.ReadAll(io.LimitReader(resp.Body, 64<<20))
}
