package snelstart

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// renewBefore is how long before expires_in runs out a token is renewed, so
// a call never leaves with a token that dies on the way.
const renewBefore = 60 * time.Second

type tokenResponse struct {
	AccessToken string `json:"access_token"`
	TokenType   string `json:"token_type"`
	ExpiresIn   int    `json:"expires_in"`
}

// accessToken returns a valid token, fetching one when none is cached or it
// is about to expire. Concurrent callers wait for one fetch.
func (c *Client) accessToken(ctx context.Context) (string, error) {
	c.tokMu.Lock()
	defer c.tokMu.Unlock()
	if c.token != "" && time.Now().Before(c.expires.Add(-renewBefore)) {
		return c.token, nil
	}
	for attempt := 0; ; attempt++ {
		tok, err := c.fetchToken(ctx)
		if err == nil {
			c.token = tok.AccessToken
			c.expires = time.Now().Add(time.Duration(tok.ExpiresIn) * time.Second)
			return c.token, nil
		}
		var apiErr *APIError
		retry := errors.Is(err, ErrNetwork) || errors.Is(err, ErrTimeout) ||
			(errors.As(err, &apiErr) && (apiErr.Status >= 500 || apiErr.Status == http.StatusTooManyRequests))
		if !retry || attempt >= c.opt.MaxRetries || (notSent(err) && attempt >= 1) || ctx.Err() != nil {
			return "", err
		}
		after := time.Duration(0)
		if apiErr != nil {
			after = apiErr.RetryAfter
		}
		if err := c.pause(ctx, attempt, after); err != nil {
			return "", err
		}
	}
}

// dropToken forgets tok (after a 401) unless another call already renewed it.
func (c *Client) dropToken(tok string) {
	c.tokMu.Lock()
	defer c.tokMu.Unlock()
	if c.token == tok {
		c.token = ""
	}
}

// fetchToken posts the koppelsleutel: grant_type=clientkey (reference §1).
func (c *Client) fetchToken(ctx context.Context) (*tokenResponse, error) {
	form := url.Values{"grant_type": {"clientkey"}, "clientkey": {c.opt.ClientKey}}
	u := c.auth.ResolveReference(&url.URL{Path: "b2b/token"})
	rctx, cancel := context.WithTimeout(ctx, c.opt.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(rctx, http.MethodPost, u.String(), strings.NewReader(form.Encode()))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", c.opt.UserAgent)
	resp, err := c.hc.Do(req)
	if err != nil {
		return nil, fmt.Errorf("snelstart: token: %w", classify(err))
	}
	defer resp.Body.Close()
	body, err := readBody(resp)
	if err != nil {
		return nil, fmt.Errorf("snelstart: token: %w", classify(err))
	}
	if resp.StatusCode != http.StatusOK {
		e := decodeError(http.MethodPost, "b2b/token", resp.StatusCode, body)
		e.token = true
		e.RetryAfter = retryAfter(resp.Header.Get("Retry-After"))
		return nil, e
	}
	var tok tokenResponse
	if err := decodeJSON(body, &tok); err != nil || tok.AccessToken == "" {
		return nil, fmt.Errorf("snelstart: token: unexpected answer (%v)", err)
	}
	if tok.ExpiresIn <= 0 {
		tok.ExpiresIn = 3599
	}
	return &tok, nil
}
