package orderimport

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/s-connect/s-connect/backend/config"
	"github.com/s-connect/s-connect/backend/opencart"
	"github.com/s-connect/s-connect/backend/opencart/bridge"
	"github.com/s-connect/s-connect/backend/opencart/mysql"
	"github.com/s-connect/s-connect/backend/snelstart"
	"github.com/s-connect/s-connect/backend/sshconn"
)

// ErrNotConnected means a connection has not been set up and tested yet.
var ErrNotConnected = errors.New("orderimport: the connection has not been set up")

// NeedsSettingsError lists required settings that are empty.
type NeedsSettingsError struct{ Keys []string }

func (e *NeedsSettingsError) Error() string {
	return "orderimport: settings missing: " + strings.Join(e.Keys, ", ")
}

// FromProfile builds a job from a profile's settings: the shop through its
// transport, the SnelStart client, and the order selection. close releases
// the connections.
func FromProfile(ctx context.Context, profileID uint, v map[string]string, ledger Ledger) (job *Job, close func(), err error) {
	if v["snelstart.subscriptionKey"] == "" {
		v["snelstart.subscriptionKey"] = config.BuiltinSubscriptionKey
	}
	client, missing, err := snelstart.FromSettings(v)
	if err != nil {
		return nil, nil, err
	}
	if len(missing) > 0 {
		return nil, nil, &NeedsSettingsError{missing}
	}
	var tr opencart.Transport
	closers := []func(){}
	closeAll := func() {
		for i := len(closers) - 1; i >= 0; i-- {
			closers[i]()
		}
	}
	if v["shop.transport"] == "mysql" {
		dbcfg, tunnel, missing := mysql.FromSettings(v)
		if len(missing) > 0 {
			return nil, nil, &NeedsSettingsError{missing}
		}
		if tunnel != nil {
			c, err := sshconn.Dial(ctx, *tunnel)
			if err != nil {
				return nil, nil, err
			}
			closers = append(closers, func() { c.Close() })
			dbcfg.Dial = sshconn.Forward(c)
		}
		t, err := mysql.Open(ctx, dbcfg)
		if err != nil {
			closeAll()
			return nil, nil, err
		}
		closers = append(closers, func() { t.Close() })
		tr = t
	} else {
		if v["shop.bridge.path"] == "" || v["shop.bridge.secret"] == "" {
			return nil, nil, ErrNotConnected
		}
		b, err := bridge.Open(ctx, bridge.Config{ShopURL: v["shop.url"], Path: v["shop.bridge.path"], Secret: v["shop.bridge.secret"],
			Prefix: v["shop.tablePrefix"], AllowHTTP: v["shop.allowHTTP"] == "true"})
		if err != nil {
			return nil, nil, err
		}
		tr = b
	}
	shop, err := opencart.NewShop(ctx, tr, opencart.Options{})
	if err != nil {
		closeAll()
		return nil, nil, err
	}
	since, _ := time.ParseInLocation(config.DateTimeLayout, v["shop.since"], time.Local)
	return &Job{ProfileID: profileID, Shop: shop, Client: client, Ledger: ledger, Settings: SettingsFrom(v),
		Query: opencart.OrderQuery{AddedSince: since, Statuses: ids(v["shop.orderStatuses"]), StoreIDs: ids(v["shop.storeIDs"])}}, closeAll, nil
}

func ids(list string) []int {
	var out []int
	for _, s := range strings.Split(list, ",") {
		if n, err := strconv.Atoi(strings.TrimSpace(s)); err == nil {
			out = append(out, n)
		}
	}
	return out
}
