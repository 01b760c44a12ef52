// Package connect turns a profile's settings into its connections: the
// shop (an opencart.Shop over the transport the profile chose) and the
// SnelStart client, with what each needs to close. It is the one place a
// new kind of connection is added; the order import, the stock export and
// the UI receive connections from here and never build them.
package connect

import (
	"context"
	"errors"
	"maps"
	"strconv"
	"strings"
	"time"

	"github.com/s-connect/s-connect/backend/config"
	"github.com/s-connect/s-connect/backend/demo"
	"github.com/s-connect/s-connect/backend/opencart"
	"github.com/s-connect/s-connect/backend/opencart/bridge"
	"github.com/s-connect/s-connect/backend/opencart/mysql"
	"github.com/s-connect/s-connect/backend/opencart/sqlite"
	"github.com/s-connect/s-connect/backend/snelstart"
	"github.com/s-connect/s-connect/backend/sshconn"
)

// ErrNotConnected means the shop connection has not been set up and tested
// yet (the bridge is not installed).
var ErrNotConnected = errors.New("connect: the connection has not been set up")

// NeedsSettingsError lists required settings that are empty.
type NeedsSettingsError struct{ Keys []string }

func (e *NeedsSettingsError) Error() string {
	return "connect: settings missing: " + strings.Join(e.Keys, ", ")
}

// Conn is a profile's open connections.
type Conn struct {
	Shop      *opencart.Shop
	SnelStart *snelstart.Client
	closers   []func()
}

// Close releases the connections, last opened first.
func (c *Conn) Close() {
	for i := len(c.closers) - 1; i >= 0; i-- {
		c.closers[i]()
	}
	c.closers = nil
}

func (c *Conn) onClose(f func()) { c.closers = append(c.closers, f) }

// ErrHalfDemo is a profile with the demo on one side only: the demo shop
// with a real administration would book made-up orders into it, a real
// shop with the demo administration would get the demo's stock. A run (or
// a preview) needs both sides the demo's or neither; testing each side
// alone still works, so a demo can be moved to the real shop step by step.
var ErrHalfDemo = errors.New("connect: the demo's shop and the demo administration only go together")

// Open connects to SnelStart and to the shop as the profile's settings say.
// On error nothing is left open.
func Open(ctx context.Context, v map[string]string) (*Conn, error) {
	if (v["shop.transport"] == demo.Kind) != (v["snelstart.type"] == demo.Kind) {
		return nil, ErrHalfDemo
	}
	client, err := SnelStart(v)
	if err != nil {
		return nil, err
	}
	c, err := OpenShop(ctx, v)
	if err != nil {
		return nil, err
	}
	c.SnelStart = client
	return c, nil
}

// OpenShop connects to the shop only (the shop's own pick lists: order
// statuses, stores). On error nothing is left open.
func OpenShop(ctx context.Context, v map[string]string) (*Conn, error) {
	c := &Conn{}
	tr, err := c.transport(ctx, v)
	if err != nil {
		c.Close()
		return nil, err
	}
	shop, err := opencart.NewShop(ctx, tr, opencart.Options{})
	if err != nil {
		c.Close()
		return nil, err
	}
	c.Shop = shop
	return c, nil
}

// FolderKey is where the caller puts the settings folder among a
// profile's values (it is no setting: a copied folder works where it is):
// the demo keeps its shop and administration there.
const FolderKey = "connect.folder"

// IsDemo reports whether a profile is the demo: its shop and its
// SnelStart both the demo's. Only then a run needs no licence.
func IsDemo(v map[string]string) bool {
	return v["shop.transport"] == demo.Kind && v["snelstart.type"] == demo.Kind
}

// SnelStartValues completes the SnelStart settings of v in place: the
// subscription key a vendor build carries, and for the demo the address and
// keys of its administration (served by this process).
func SnelStartValues(ctx context.Context, v map[string]string) error {
	if v["snelstart.type"] == demo.Kind {
		folder, err := demoFolder(ctx, v)
		if err != nil {
			return err
		}
		url, err := demo.SnelStartURL(folder)
		if err != nil {
			return err
		}
		v["snelstart.apiBaseURL"], v["snelstart.authBaseURL"] = url+"v2/", url
		v["snelstart.clientKey"], v["snelstart.subscriptionKey"] = demo.ClientKey, demo.SubscriptionKey
		return nil
	}
	if v["snelstart.subscriptionKey"] == "" {
		v["snelstart.subscriptionKey"] = config.BuiltinSubscriptionKey
	}
	return nil
}

// demoFolder is the demo's folder, made on first use.
func demoFolder(ctx context.Context, v map[string]string) (string, error) {
	if v[FolderKey] == "" {
		return "", errors.New("connect: the demo needs the settings folder")
	}
	folder := demo.Folder(v[FolderKey])
	return folder, demo.Ensure(ctx, folder)
}

// SnelStart builds the SnelStart client of a profile (v is left as it is).
func SnelStart(v map[string]string) (*snelstart.Client, error) {
	v = maps.Clone(v)
	if err := SnelStartValues(context.Background(), v); err != nil {
		return nil, err
	}
	client, missing, err := snelstart.FromSettings(v)
	if err != nil {
		return nil, err
	}
	if len(missing) > 0 {
		return nil, &NeedsSettingsError{missing}
	}
	return client, nil
}

// transport opens the shop's transport: the database directly (optionally
// through the SSH tunnel), the bridge installed on the server, or the demo
// shop's file.
func (c *Conn) transport(ctx context.Context, v map[string]string) (opencart.Transport, error) {
	if v["shop.transport"] == demo.Kind {
		folder, err := demoFolder(ctx, v)
		if err != nil {
			return nil, err
		}
		t, err := sqlite.Open(ctx, demo.ShopPath(folder), demo.Prefix)
		if err != nil {
			return nil, err
		}
		c.onClose(func() { t.Close() })
		return t, nil
	}
	if v["shop.transport"] == "mysql" {
		dbcfg, tunnel, missing := mysql.FromSettings(v)
		if len(missing) > 0 {
			return nil, &NeedsSettingsError{missing}
		}
		if tunnel != nil {
			ssh, err := sshconn.Dial(ctx, *tunnel)
			if err != nil {
				return nil, err
			}
			c.onClose(func() { ssh.Close() })
			dbcfg.Dial = sshconn.Forward(ssh)
		}
		t, err := mysql.Open(ctx, dbcfg)
		if err != nil {
			return nil, err
		}
		c.onClose(func() { t.Close() })
		return t, nil
	}
	if v["shop.bridge.path"] == "" || v["shop.bridge.secret"] == "" {
		return nil, ErrNotConnected
	}
	return bridge.Open(ctx, bridge.Config{ShopURL: v["shop.url"], Path: v["shop.bridge.path"], Secret: v["shop.bridge.secret"],
		Prefix: v["shop.tablePrefix"], AllowHTTP: v["shop.allowHTTP"] == "true"})
}

// Selection is which orders of the shop a profile takes: Vanaf
// datum/tijd, the order statuses and the stores.
func Selection(v map[string]string) opencart.OrderQuery {
	since, _ := time.ParseInLocation(config.DateTimeLayout, v["shop.since"], time.Local)
	return opencart.OrderQuery{AddedSince: since, Statuses: IDs(v["shop.orderStatuses"]), StoreIDs: IDs(v["shop.storeIDs"])}
}

// IDs reads a comma-separated list of whole numbers (an idList setting).
func IDs(list string) []int {
	var out []int
	for _, s := range strings.Split(list, ",") {
		if n, err := strconv.Atoi(strings.TrimSpace(s)); err == nil {
			out = append(out, n)
		}
	}
	return out
}
