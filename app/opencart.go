package app

import (
	"context"
	"errors"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/s-connect/s-connect/backend/config"
	"github.com/s-connect/s-connect/backend/connect"
	"github.com/s-connect/s-connect/backend/demo"
	"github.com/s-connect/s-connect/backend/opencart"
	"github.com/s-connect/s-connect/backend/opencart/mysql"
	"github.com/s-connect/s-connect/backend/sshconn"
	"github.com/s-connect/s-connect/backend/tlspin"
)

// TestOpenCart runs *Verbinding testen* on the Koppeling OpenCart tab, for
// the bridge (over FTP/SFTP and the webshop URL) or the direct database.
func (c *Connections) TestOpenCart(profileID uint) (TestReport, error) {
	v, err := c.s.connValues(profileID)
	if err != nil {
		return TestReport{}, err
	}
	lang := c.s.language()
	r := &reporter{t: func(key, arg string) string { return c.s.msgs.T(lang, key, arg) }}
	ctx, cancel := context.WithTimeout(context.Background(), connectTimeout)
	defer cancel()
	switch v["shop.transport"] {
	case "mysql":
		return c.testMySQL(ctx, r, profileID, v)
	case demo.Kind:
		return c.testDemo(ctx, r, v)
	}
	return c.testBridge(ctx, r, profileID, v)
}

// testDemo opens the demo shop as a run does and reads its orders.
func (c *Connections) testDemo(ctx context.Context, r *reporter, v map[string]string) (TestReport, error) {
	conn, err := connect.OpenShop(ctx, v)
	if err != nil {
		return r.fail("shop", r.t("test.demo.failed", err.Error()))
	}
	defer conn.Close()
	r.pass("shop", r.t("test.demo.shop", conn.Shop.Name+" (OpenCart "+conn.Shop.Version()+")"))
	orders, _, err := conn.Shop.Orders(ctx, connect.Selection(v))
	if err != nil {
		return r.fail("orders", r.t("test.demo.failed", err.Error()))
	}
	r.pass("orders", r.t("test.demo.orders", strconv.Itoa(len(orders))))
	r.rep.OK, r.rep.Summary = true, r.t("test.demo.success", conn.Shop.Name)
	return r.rep, nil
}

// reporter collects the steps of a connection test.
type reporter struct {
	rep TestReport
	t   func(key, arg string) string
}

func (r *reporter) fail(step, msg string) (TestReport, error) {
	r.rep.Steps = append(r.rep.Steps, TestStep{Step: step, Message: msg})
	r.rep.Summary = msg
	return r.rep, nil
}

func (r *reporter) pass(step, msg string) {
	r.rep.Steps = append(r.rep.Steps, TestStep{Step: step, OK: true, Message: msg})
}

// warn records a step that passed with a risk the user accepted.
func (r *reporter) warn(step, msg string) {
	r.rep.Steps = append(r.rep.Steps, TestStep{Step: step, OK: true, Warn: true, Message: msg})
}

// missing reports settings that must be filled first, or false.
func (r *reporter) missing(keys []string) (TestReport, bool) {
	if len(keys) == 0 {
		return TestReport{}, false
	}
	names := make([]string, len(keys))
	for i, k := range keys {
		names[i] = r.t("setting."+k+".label", "")
	}
	msg := r.t("test.missing", strings.Join(names, ", "))
	return TestReport{Summary: msg, Steps: []TestStep{{Step: "settings", Message: msg}}}, true
}

func (c *Connections) testMySQL(ctx context.Context, r *reporter, profileID uint, v map[string]string) (TestReport, error) {
	t, fail, pass := r.t, r.fail, r.pass
	dbcfg, tunnel, missing := mysql.FromSettings(v)
	if rep, ok := r.missing(missing); ok {
		return rep, nil
	}
	rep := &r.rep

	if tunnel != nil {
		client, err := sshconn.Dial(ctx, *tunnel)
		var unknown *sshconn.UnknownHostKeyError
		if errors.As(err, &unknown) {
			rep.Trust = &Trust{Kind: TrustSSH, Value: unknown.Key, Fingerprint: unknown.Fingerprint}
		}
		if err != nil {
			c.s.log.Warn("ssh tunnel", "err", err)
			cause := sshCause(err, tunnel.Host)
			return fail(cause.Step, t(cause.Key, cause.Arg))
		}
		defer client.Close()
		dbcfg.Dial = sshconn.Forward(client)
		pass("ssh", t("opencart.ok.ssh", tunnel.Host))
	}
	tr, err := mysql.Open(ctx, dbcfg)
	if err != nil {
		c.s.log.Warn("shop database", "err", err)
		cause := mysqlCause(err, dbcfg.Host)
		for _, st := range []mysql.Step{mysql.StepConnect, mysql.StepTLS, mysql.StepLogin, mysql.StepDatabase, mysql.StepTables} {
			if string(st) == cause.Step {
				break
			}
			c.passDB(r, st, dbcfg)
		}
		var unknown *tlspin.UnknownError
		if errors.As(err, &unknown) {
			rep.Trust = &Trust{Kind: TrustDBTLS, Value: unknown.Fingerprint, Fingerprint: unknown.Fingerprint}
		}
		return fail(cause.Step, t(cause.Key, cause.Arg))
	}
	defer tr.Close()
	for _, st := range []mysql.Step{mysql.StepConnect, mysql.StepTLS, mysql.StepLogin, mysql.StepDatabase} {
		c.passDB(r, st, dbcfg)
	}
	shop, err := opencart.NewShop(ctx, tr, opencart.Options{})
	if err != nil {
		c.s.log.Warn("shop settings", "err", err)
		cause := mysqlCause(opencart.ErrNotOpenCart, dbcfg.Host)
		return fail(cause.Step, t(cause.Key, cause.Arg))
	}
	pass(string(mysql.StepTables), t("opencart.ok.tables", "OpenCart "+shop.Version()+", prefix ‘"+shop.Schema().Prefix+"’"))
	since, _ := time.ParseInLocation(config.DateTimeLayout, v["shop.since"], time.Local)
	orders, next, err := shop.Orders(ctx, opencart.OrderQuery{AddedSince: since, Limit: 1000})
	if err != nil {
		c.s.log.Warn("shop orders", "err", err)
		return fail("orders", t("opencart.err.orders", ""))
	}
	count := strconv.Itoa(len(orders))
	if next != 0 {
		count = "1000+"
	}
	pass("orders", t("opencart.ok.orders", count))
	// The shop's own address, for the licence: this profile has no Webshop URL.
	if own, err := shop.OwnURL(ctx); err != nil {
		c.s.log.Warn("shop address", "err", err)
	} else if err := c.s.store.SetReadOnly(profileID, "shop.db.shopURL", own); err != nil {
		return TestReport{}, err
	}
	rep.OK = true
	rep.Summary = t("opencart.success", shop.Name)
	return *rep, nil
}

// passDB records a passed step of the database connection; the security
// step says whether it is encrypted, and why not.
func (c *Connections) passDB(r *reporter, st mysql.Step, cfg mysql.Config) {
	switch {
	case st != mysql.StepTLS:
		r.pass(string(st), r.t("opencart.ok."+string(st), ""))
	case cfg.TLS:
		r.pass(string(st), r.t("opencart.ok.tls", ""))
	case cfg.Dial != nil:
		r.pass(string(st), r.t("opencart.ok.sshKey", ""))
	default:
		r.warn(string(st), r.t("opencart.warn.dbPlain", ""))
	}
}

// Trust accepts a server's SSH host key or TLS certificate after the user
// compared its fingerprint (trust on first use); later connections must show
// exactly this one.
func (c *Connections) Trust(profileID uint, kind, value string) error {
	switch kind {
	case TrustSSH:
		if _, err := sshconn.Fingerprint(value); err != nil {
			return errBadRequest
		}
		return c.s.store.SetReadOnly(profileID, "shop.ssh.hostKey", value)
	case TrustTLS, TrustDBTLS:
		if !certFingerprintRE.MatchString(value) {
			return errBadRequest
		}
		key := "shop.ftp.certFingerprint"
		if kind == TrustDBTLS {
			key = "shop.db.certFingerprint"
		}
		return c.s.store.SetReadOnly(profileID, key, value)
	}
	return errBadRequest
}

var certFingerprintRE = regexp.MustCompile(`^([0-9A-F]{2}:){31}[0-9A-F]{2}$`)
