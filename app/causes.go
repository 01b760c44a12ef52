package app

import (
	"errors"
	"net"
	"net/url"
	"strconv"
	"strings"

	"github.com/s-connect/s-connect/backend/connect"
	"github.com/s-connect/s-connect/backend/demo"
	"github.com/s-connect/s-connect/backend/opencart"
	"github.com/s-connect/s-connect/backend/opencart/bridge"
	"github.com/s-connect/s-connect/backend/opencart/mysql"
	"github.com/s-connect/s-connect/backend/orderimport"
	"github.com/s-connect/s-connect/backend/snelstart"
	"github.com/s-connect/s-connect/backend/sshconn"
	"github.com/s-connect/s-connect/backend/tlspin"
)

// Cause is why a connection or a run failed, in the user's words: the
// message key and what it is about, the step of a connection test it
// belongs to, and where the user fixes it (a setting's key or a tab's id).
// *Verbinding testen* and a failed run take their cause from the same
// functions below, so they say the same about the same error.
type Cause struct {
	Code string // the code of the Error the UI gets
	Step string // the connection test's step
	Key  string // the message
	Arg  string
	Fix  string // a setting key (its tab and field) or a tab id; "" when there is nothing to change
}

// bridgeCause says why the shop could not be reached through the bridge.
func bridgeCause(err error, shopURL string) Cause {
	var redirect *bridge.RedirectError
	var status *bridge.StatusError
	c := Cause{Code: "shop", Step: "url", Fix: "shop.url"}
	switch {
	case errors.Is(err, bridge.ErrNeedHTTPS):
		c.Key = "opencart.err.https"
	case errors.As(err, &redirect):
		c.Key, c.Arg = "opencart.err.redirect", redirect.Location
	case errors.Is(err, bridge.ErrMissing):
		c.Key = "opencart.err.missing"
	case errors.Is(err, bridge.ErrClock):
		c.Step, c.Key, c.Fix = "auth", "opencart.err.auth", ""
	case errors.Is(err, bridge.ErrForged):
		c.Step, c.Key, c.Fix = "auth", "opencart.err.forged", "shop.url"
	case errors.As(err, &status) && status.Status == 502:
		c.Step, c.Key, c.Fix = "database", "opencart.err.databaseBridge", "opencart"
		c.Arg = strings.TrimPrefix(status.Message, "database: ")
	case errors.As(err, &status):
		c.Key, c.Arg, c.Fix = "opencart.err.php", strconv.Itoa(status.Status), "opencart"
	case errors.Is(err, opencart.ErrNotOpenCart), errors.Is(err, bridge.ErrPrefix):
		c.Step, c.Key, c.Fix = "database", "opencart.err.tables", "shop.tablePrefix"
	default:
		c.Key, c.Arg = "opencart.err.url", hostOf(shopURL)
	}
	return c
}

func hostOf(shopURL string) string {
	if u, err := url.Parse(shopURL); err == nil && u.Host != "" {
		return u.Host
	}
	return shopURL
}

// mysqlCause says why the shop's database could not be used.
func mysqlCause(err error, host string) Cause {
	var se *mysql.StepError
	step := mysql.StepConnect
	if errors.As(err, &se) {
		step = se.Step
	} else if errors.Is(err, opencart.ErrNotOpenCart) {
		step = mysql.StepTables
	}
	c := Cause{Code: "shop", Step: string(step), Key: "opencart.err." + string(step)}
	var unknown *tlspin.UnknownError
	switch step {
	case mysql.StepTLS:
		// The certificate: new (test and trust it), changed, or no TLS.
		c.Fix = "opencart"
		switch {
		case errors.As(err, &unknown):
			c.Key, c.Arg = "opencart.err.certNew", unknown.Fingerprint
		case errors.Is(err, tlspin.ErrChanged):
			c.Key = "opencart.err.certChanged"
		default:
			c.Key, c.Fix = "opencart.err.dbTLS", "shop.db.tls"
		}
	case mysql.StepConnect:
		c.Arg, c.Fix = host, "shop.db.host"
	case mysql.StepLogin:
		c.Fix = "shop.db.password"
	case mysql.StepDatabase:
		c.Fix = "shop.db.name"
	default:
		c.Fix = "shop.tablePrefix"
	}
	return c
}

// sshCause says why the SSH connection (the database's tunnel) failed.
func sshCause(err error, host string) Cause {
	var unknown *sshconn.UnknownHostKeyError
	c := Cause{Code: "shop", Step: "ssh", Fix: "opencart"}
	switch {
	case errors.As(err, &unknown):
		c.Key, c.Arg = "opencart.err.hostKeyNew", unknown.Fingerprint
	case errors.Is(err, sshconn.ErrHostKeyChanged):
		c.Key = "opencart.err.hostKeyChanged"
	case errors.Is(err, sshconn.ErrAuth):
		c.Key, c.Fix = "opencart.err.sshLogin", "shop.ftp.password"
	default:
		c.Key, c.Arg, c.Fix = "opencart.err.sshConnect", host, "shop.ftp.host"
	}
	return c
}

// snelstartCause says what a failed call to SnelStart means.
func snelstartCause(err error, scope string) Cause {
	c := Cause{Code: "snelstart", Fix: "snelstart"}
	switch {
	case errors.Is(err, snelstart.ErrInvalidClientKey):
		c.Key, c.Fix = "snelstart.err.clientKey", "snelstart.clientKey"
	case errors.Is(err, snelstart.ErrInvalidSubscriptionKey):
		c.Key, c.Fix = "snelstart.err.subscriptionKey", "snelstart.subscriptionKey"
	case errors.Is(err, snelstart.ErrForbidden):
		c.Key, c.Arg = "snelstart.err.scope", scope
	case errors.Is(err, snelstart.ErrTimeout):
		c.Key, c.Fix = "snelstart.err.timeout", ""
	case errors.Is(err, snelstart.ErrNetwork):
		c.Key = "snelstart.err.network"
	case errors.Is(err, snelstart.ErrRateLimited):
		c.Key, c.Fix = "snelstart.err.rateLimited", ""
	case errors.Is(err, snelstart.ErrServer), errors.Is(err, snelstart.ErrMaybeWritten):
		c.Key, c.Fix = "snelstart.err.server", ""
	case errors.Is(err, snelstart.ErrUnauthorized):
		c.Key = "snelstart.err.unauthorized"
	default:
		c.Key = "snelstart.err.unexpected"
	}
	return c
}

// configFix is where a setting that cannot work is changed.
var configFix = map[string]string{
	"template_unknown":         "sales.template",
	"cost_centre_unknown":      "sales.costCentre",
	"default_customer_unknown": "customers.defaultCode",
}

// runCause says why a run (or a preview) could not start or stopped. v
// are the profile's settings: they tell which way the shop was reached.
func runCause(err error, v map[string]string) Cause {
	var ce *orderimport.ConfigError
	var ne *connect.NeedsSettingsError
	var redirect *bridge.RedirectError
	var status *bridge.StatusError
	var se *mysql.StepError
	var ue *url.Error
	var oe *net.OpError
	viaSSH := v["shop.transport"] == "mysql" && v["shop.db.viaSSH"] == "true"
	switch {
	case errors.As(err, &ce):
		return Cause{Code: "import_config_" + ce.Code, Key: "err.import_config_" + ce.Code, Arg: ce.Arg, Fix: configFix[ce.Code]}
	case errors.As(err, &ne):
		fix := ""
		if len(ne.Keys) > 0 {
			fix = ne.Keys[0]
		}
		return Cause{Code: "import_not_set", Key: "err.import_not_set", Arg: strings.Join(ne.Keys, ","), Fix: fix}
	case errors.Is(err, connect.ErrNotConnected):
		return Cause{Code: "import_not_connected", Key: "err.import_not_connected", Fix: "opencart"}
	case errors.Is(err, connect.ErrHalfDemo):
		if v["shop.transport"] == demo.Kind {
			return Cause{Code: "import_half_demo", Key: "err.import_half_demo_shop", Fix: "opencart"}
		}
		return Cause{Code: "import_half_demo", Key: "err.import_half_demo_snelstart", Fix: "snelstart"}
	case isSnelStart(err):
		return snelstartCause(err, "")
	case viaSSH && (errors.Is(err, sshconn.ErrAuth) || errors.Is(err, sshconn.ErrHostKeyChanged) || errors.As(err, new(*sshconn.UnknownHostKeyError))):
		return sshCause(err, v["shop.ftp.host"])
	case errors.As(err, &se):
		return mysqlCause(err, v["shop.db.host"])
	case errors.Is(err, bridge.ErrMissing):
		// It answered before: the file was removed from the server (a test
		// would simply place it again).
		return Cause{Code: "shop", Step: "url", Key: "opencart.err.bridgeGone", Fix: "opencart"}
	case errors.Is(err, bridge.ErrNeedHTTPS), errors.As(err, &redirect), errors.Is(err, bridge.ErrClock),
		errors.Is(err, bridge.ErrForged), errors.Is(err, bridge.ErrPrefix), errors.As(err, &status):
		return bridgeCause(err, v["shop.url"])
	case errors.Is(err, opencart.ErrNotOpenCart):
		if v["shop.transport"] == "mysql" {
			return mysqlCause(err, v["shop.db.host"])
		}
		return bridgeCause(err, v["shop.url"])
	case errors.As(err, &ue), errors.As(err, &oe):
		// The shop's server does not answer (SnelStart's network errors
		// were matched above).
		switch {
		case v["shop.transport"] != "mysql":
			return bridgeCause(err, v["shop.url"])
		case viaSSH:
			return sshCause(err, v["shop.ftp.host"])
		}
		return mysqlCause(err, v["shop.db.host"])
	}
	return Cause{Code: "import_failed", Key: "err.import_failed"}
}
