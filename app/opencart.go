package app

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/s-connect/s-connect/backend/config"
	"github.com/s-connect/s-connect/backend/opencart"
	"github.com/s-connect/s-connect/backend/opencart/mysql"
	"github.com/s-connect/s-connect/backend/sshconn"
)

// TestOpenCart runs *Verbinding testen* on the Koppeling OpenCart tab. The
// direct database connection works now; the bridge over FTP comes next.
func (c *Connections) TestOpenCart(profileID uint) (TestReport, error) {
	v, err := c.s.store.Values(profileID)
	if err != nil {
		return TestReport{}, err
	}
	if v["shop.transport"] != "mysql" {
		return TestReport{}, &NotAvailableError{"testOpenCart"}
	}
	lang := c.s.language()
	t := func(key, arg string) string { return c.s.msgs.T(lang, key, arg) }
	dbcfg, tunnel, missing := mysql.FromSettings(v)
	if len(missing) > 0 {
		names := make([]string, len(missing))
		for i, k := range missing {
			names[i] = t("setting."+k+".label", "")
		}
		msg := t("test.missing", strings.Join(names, ", "))
		return TestReport{Summary: msg, Steps: []TestStep{{Step: "settings", Message: msg}}}, nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), connectTimeout)
	defer cancel()
	var rep TestReport
	fail := func(step, msg string) (TestReport, error) {
		rep.Steps = append(rep.Steps, TestStep{Step: step, Message: msg})
		rep.Summary = msg
		return rep, nil
	}
	pass := func(step, msg string) { rep.Steps = append(rep.Steps, TestStep{Step: step, OK: true, Message: msg}) }

	if tunnel != nil {
		client, err := sshconn.Dial(ctx, *tunnel)
		var unknown *sshconn.UnknownHostKeyError
		switch {
		case errors.As(err, &unknown):
			rep.HostKey, rep.Fingerprint = unknown.Key, unknown.Fingerprint
			return fail("ssh", t("opencart.err.hostKeyNew", unknown.Fingerprint))
		case errors.Is(err, sshconn.ErrHostKeyChanged):
			return fail("ssh", t("opencart.err.hostKeyChanged", ""))
		case errors.Is(err, sshconn.ErrAuth):
			return fail("ssh", t("opencart.err.sshLogin", ""))
		case err != nil:
			c.s.log.Warn("ssh tunnel", "err", err)
			return fail("ssh", t("opencart.err.sshConnect", tunnel.Host))
		}
		defer client.Close()
		dbcfg.Dial = sshconn.Forward(client)
		pass("ssh", t("opencart.ok.ssh", tunnel.Host))
	}
	tr, err := mysql.Open(ctx, dbcfg)
	var se *mysql.StepError
	if errors.As(err, &se) {
		c.s.log.Warn("shop database", "step", se.Step, "err", err)
		for _, st := range []mysql.Step{mysql.StepConnect, mysql.StepLogin, mysql.StepDatabase, mysql.StepTables} {
			if st == se.Step {
				return fail(string(st), t("opencart.err."+string(st), dbcfg.Host))
			}
			pass(string(st), t("opencart.ok."+string(st), ""))
		}
	}
	if err != nil {
		c.s.log.Warn("shop database", "err", err)
		return fail(string(mysql.StepConnect), t("opencart.err.connect", dbcfg.Host))
	}
	defer tr.Close()
	for _, st := range []mysql.Step{mysql.StepConnect, mysql.StepLogin, mysql.StepDatabase} {
		pass(string(st), t("opencart.ok."+string(st), ""))
	}
	shop, err := opencart.NewShop(ctx, tr, opencart.Options{})
	if err != nil {
		c.s.log.Warn("shop settings", "err", err)
		return fail(string(mysql.StepTables), t("opencart.err.tables", ""))
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
	rep.OK = true
	rep.Summary = t("opencart.success", shop.Name)
	return rep, nil
}

// AcceptHostKey trusts an SSH server's key after the user compared its
// fingerprint (trust on first use); later connections must show this key.
func (c *Connections) AcceptHostKey(profileID uint, key string) error {
	if _, err := sshconn.Fingerprint(key); err != nil {
		return errBadRequest
	}
	return c.s.store.SetReadOnly(profileID, "shop.ssh.hostKey", key)
}
