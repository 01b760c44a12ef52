package bridge

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/s-connect/s-connect/backend/opencart"
)

// Config says where the bridge is.
type Config struct {
	ShopURL   string // the webshop URL (Webshop URL)
	Path      string // Installation.Path()
	Secret    string
	Prefix    string // Tabel-prefix; "" = the one in config.php
	AllowHTTP bool   // only for test shops
	HTTP      *http.Client
	Timeout   time.Duration // per call; default 60 s
}

// Client is the bridge transport.
type Client struct {
	cfg    Config
	url    *url.URL
	hc     *http.Client
	schema opencart.Schema
	PHP    string // the server's PHP version
}

var _ opencart.Transport = (*Client)(nil)

// Errors a connection test names.
var (
	ErrNeedHTTPS = errors.New("bridge: the webshop URL must use https")
	// ErrClock means the bridge recognised the secret but not the time: this
	// computer's clock is off by more than five minutes.
	ErrClock = errors.New("bridge: the clock of this computer is off by more than five minutes")
	// ErrMissing means no bridge answered: nothing at that address (the
	// Webshop URL and Map winkel point at different places, or the bridge was
	// removed), or one that does not know this secret — from outside the two
	// look the same on purpose.
	ErrMissing = errors.New("bridge: no bridge answered at this address")
	// ErrForged means an answer did not carry the bridge's signature over
	// this request: someone between S-Connect and the shop may have changed
	// it. Nothing of it is used.
	ErrForged = errors.New("bridge: the answer is not signed by the bridge")
	// ErrPrefix means the Tabel-prefix is not the one in the shop's
	// config.php: the bridge serves only the shop's own tables.
	ErrPrefix = errors.New("bridge: the table prefix is not the shop's own")
)

// RedirectError means the webshop URL does not point straight at the shop.
type RedirectError struct {
	Status   int
	Location string
}

func (e *RedirectError) Error() string {
	return fmt.Sprintf("bridge: the webshop URL redirects (%d) to %s", e.Status, e.Location)
}

// StatusError is an unexpected HTTP answer.
type StatusError struct {
	Status  int
	Message string
}

func (e *StatusError) Error() string {
	return fmt.Sprintf("bridge: HTTP %d: %s", e.Status, e.Message)
}

// New checks the URL; Open also reads the schema.
func New(cfg Config) (*Client, error) {
	u, err := url.Parse(strings.TrimRight(cfg.ShopURL, "/") + "/" + strings.TrimLeft(cfg.Path, "/"))
	if err != nil || u.Host == "" {
		return nil, fmt.Errorf("bridge: webshop URL %q: %v", cfg.ShopURL, err)
	}
	if u.Scheme != "https" && !(u.Scheme == "http" && cfg.AllowHTTP) {
		return nil, ErrNeedHTTPS
	}
	if cfg.Timeout == 0 {
		cfg.Timeout = 60 * time.Second
	}
	hc := cfg.HTTP
	if hc == nil {
		hc = &http.Client{}
	}
	// Never follow a redirect: the manual demands the URL point straight
	// at the shop, and a redirect would drop the POST body anyway.
	c := *hc
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return &Client{cfg: cfg, url: u, hc: &c}, nil
}

// Open connects: the schema call proves the bridge, the secret and the
// database.
func Open(ctx context.Context, cfg Config) (*Client, error) {
	c, err := New(cfg)
	if err != nil {
		return nil, err
	}
	var s struct {
		Version string              `json:"version"`
		Prefix  string              `json:"prefix"`
		Columns map[string][]string `json:"columns"`
		PHP     string              `json:"php"`
	}
	if err := c.call(ctx, "schema", nil, &s); err != nil {
		return nil, err
	}
	c.schema = opencart.Schema{Prefix: s.Prefix, Version: s.Version, Columns: s.Columns}
	c.PHP = s.PHP
	return c, nil
}

// Sign returns the headers of a signed request (exported for the tests
// that try to break them).
func Sign(secret, path string, body []byte, now time.Time, nonce string) http.Header {
	ts := strconv.FormatInt(now.Unix(), 10)
	h := http.Header{}
	h.Set("X-SC-Timestamp", ts)
	h.Set("X-SC-Nonce", nonce)
	h.Set("X-SC-Signature", mac(secret, "POST\n"+path+"\n"+ts+"\n"+nonce+"\n"+sha(body)))
	return h
}

// ReplySignature is the signature the bridge puts on its answer with this
// status and body to the request with this nonce.
func ReplySignature(secret, nonce string, status int, body []byte) string {
	return mac(secret, "REPLY\n"+nonce+"\n"+strconv.Itoa(status)+"\n"+sha(body))
}

func mac(secret, message string) string {
	m := hmac.New(sha256.New, []byte(secret))
	io.WriteString(m, message)
	return hex.EncodeToString(m.Sum(nil))
}

func sha(body []byte) string {
	sum := sha256.Sum256(body)
	return hex.EncodeToString(sum[:])
}

type request struct {
	Op     string `json:"op"`
	Prefix string `json:"prefix,omitempty"`
	Params any    `json:"params,omitempty"`
}

func (c *Client) call(ctx context.Context, op string, params, out any) error {
	body, err := json.Marshal(request{Op: op, Prefix: c.cfg.Prefix, Params: params})
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, c.cfg.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.url.String(), bytes.NewReader(body))
	if err != nil {
		return err
	}
	nonce := random(16)
	for k, v := range Sign(c.cfg.Secret, c.url.EscapedPath(), body, time.Now(), nonce) {
		req.Header[k] = v
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.hc.Do(req)
	if err != nil {
		return fmt.Errorf("bridge: %w", err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 256<<20))
	if err != nil {
		return fmt.Errorf("bridge: %w", err)
	}
	if resp.StatusCode >= 300 && resp.StatusCode < 400 {
		return &RedirectError{Status: resp.StatusCode, Location: resp.Header.Get("Location")}
	}
	return decodeReply(resp.StatusCode, resp.Header.Get("X-SC-Reply"), data, c.cfg.Secret, nonce, out)
}

// decodeReply checks an answer's signature and reads it into out. Only a
// signed answer is read: an unsigned one is "no bridge" (404), a forgery
// (JSON, as the bridge would answer) or a server error whose text is not
// trusted.
func decodeReply(status int, signature string, data []byte, secret, nonce string, out any) error {
	want := ReplySignature(secret, nonce, status, data)
	if !hmac.Equal([]byte(signature), []byte(want)) {
		switch {
		case status == http.StatusNotFound:
			return ErrMissing
		case json.Valid(data):
			return ErrForged
		}
		return &StatusError{Status: status}
	}
	var reply struct {
		Result json.RawMessage `json:"result"`
		Error  string          `json:"error"`
	}
	if err := json.Unmarshal(data, &reply); err != nil {
		return fmt.Errorf("%w: %v", ErrForged, err)
	}
	switch {
	case reply.Error == "clock":
		return ErrClock
	case reply.Error == "prefix differs from the shop's":
		return ErrPrefix
	case reply.Error != "" || status != http.StatusOK:
		return &StatusError{Status: status, Message: reply.Error}
	case out == nil:
		return nil
	}
	if err := json.Unmarshal(reply.Result, out); err != nil {
		return fmt.Errorf("bridge: answer: %w", err)
	}
	return nil
}

// Schema implements opencart.Transport.
func (c *Client) Schema(context.Context) (opencart.Schema, error) { return c.schema, nil }

type wireCond struct {
	Column string `json:"column"`
	Op     string `json:"op"`
	Values []any  `json:"values"`
}

// Select implements opencart.Transport; the query is checked here as the
// bridge checks it again there.
func (c *Client) Select(ctx context.Context, q opencart.Query) ([]opencart.Row, error) {
	if err := q.Check(c.schema); err != nil {
		return nil, err
	}
	where := make([]wireCond, len(q.Where))
	for i, w := range q.Where {
		where[i] = wireCond{w.Column, w.Op, w.Values}
	}
	params := map[string]any{"table": q.Table, "columns": q.Columns, "where": where, "orderBy": q.OrderBy, "limit": q.Limit}
	var rows []opencart.Row
	err := c.call(ctx, "select", params, &rows)
	var se *StatusError
	if errors.As(err, &se) && se.Message == "too many rows" {
		return nil, fmt.Errorf("%w: %s", opencart.ErrTooManyRows, q.Table)
	}
	if err != nil {
		return nil, err
	}
	return rows, q.CheckRows(len(rows))
}

// UpdateQuantities implements opencart.Transport.
func (c *Client) UpdateQuantities(ctx context.Context, table string, changes []opencart.QuantityChange) (opencart.StockResult, error) {
	var res struct {
		Matched int                 `json:"matched"`
		Changed int                 `json:"changed"`
		Moved   []opencart.Quantity `json:"moved"`
	}
	err := c.call(ctx, "updateQuantities", map[string]any{"table": table, "changes": changes}, &res)
	return opencart.StockResult{Matched: res.Matched, Changed: res.Changed, Moved: res.Moved}, err
}

// Close implements opencart.Transport.
func (c *Client) Close() error { return nil }
