package app

import (
	"context"
	"errors"
	"path"
	"strconv"
	"strings"
	"time"

	"github.com/s-connect/s-connect/backend/config"
	"github.com/s-connect/s-connect/backend/opencart"
	"github.com/s-connect/s-connect/backend/opencart/bridge"
	"github.com/s-connect/s-connect/backend/remotefs"
	"github.com/s-connect/s-connect/backend/sshconn"
)

// dialShopFiles logs in to the shop's server, reporting the steps connect,
// security and login. ok is false when a step failed (the report says why).
func (c *Connections) dialShopFiles(ctx context.Context, r *reporter, cfg remotefs.Config) (remotefs.FS, bool) {
	t := r.t
	fsys, err := remotefs.Dial(ctx, cfg)
	var unknownCert *remotefs.UnknownCertError
	var unknownKey *sshconn.UnknownHostKeyError
	switch {
	case errors.Is(err, remotefs.ErrPlain):
		r.fail("security", t("opencart.err.plain", ""))
	case err == nil:
		r.pass("connect", t("opencart.ok.ftpConnect", cfg.Host))
		switch cfg.Protocol {
		case remotefs.FTP:
			r.warn("security", t("opencart.warn.plain", ""))
		case remotefs.SFTP:
			r.pass("security", t("opencart.ok.sshKey", ""))
		default:
			r.pass("security", t("opencart.ok.tls", ""))
		}
		r.pass("login", t("opencart.ok.login", cfg.User))
		return fsys, true
	case errors.Is(err, remotefs.ErrConnect):
		r.fail("connect", t("opencart.err.ftpConnect", cfg.Host))
	case errors.As(err, &unknownCert):
		r.pass("connect", t("opencart.ok.ftpConnect", cfg.Host))
		r.rep.Trust = &Trust{Kind: TrustTLS, Value: unknownCert.Fingerprint, Fingerprint: unknownCert.Fingerprint}
		r.fail("security", t("opencart.err.certNew", unknownCert.Fingerprint))
	case errors.As(err, &unknownKey):
		r.pass("connect", t("opencart.ok.ftpConnect", cfg.Host))
		r.rep.Trust = &Trust{Kind: TrustSSH, Value: unknownKey.Key, Fingerprint: unknownKey.Fingerprint}
		r.fail("security", t("opencart.err.hostKeyNew", unknownKey.Fingerprint))
	case errors.Is(err, remotefs.ErrCertChanged):
		r.pass("connect", t("opencart.ok.ftpConnect", cfg.Host))
		r.fail("security", t("opencart.err.certChanged", ""))
	case errors.Is(err, sshconn.ErrHostKeyChanged):
		r.pass("connect", t("opencart.ok.ftpConnect", cfg.Host))
		r.fail("security", t("opencart.err.hostKeyChanged", ""))
	case errors.Is(err, remotefs.ErrTLS):
		r.pass("connect", t("opencart.ok.ftpConnect", cfg.Host))
		r.fail("security", t("opencart.err.tls", ""))
	case errors.Is(err, remotefs.ErrAuth):
		r.pass("connect", t("opencart.ok.ftpConnect", cfg.Host))
		r.pass("security", t("opencart.ok.tls", ""))
		r.fail("login", t("opencart.err.ftpLogin", ""))
	default:
		c.s.log.Warn("shop server", "err", err)
		r.fail("connect", t("opencart.err.ftpConnect", cfg.Host))
	}
	return nil, false
}

// testBridge checks every step from the FTP login to the shop's database,
// and installs the bridge when it is not (or no longer) there.
func (c *Connections) testBridge(ctx context.Context, r *reporter, profileID uint, v map[string]string) (TestReport, error) {
	t := r.t
	cfg, missing := remotefs.FromSettings(v)
	if strings.TrimSpace(v["shop.url"]) == "" {
		missing = append(missing, "shop.url")
	}
	if rep, ok := r.missing(missing); ok {
		return rep, nil
	}
	fsys, ok := c.dialShopFiles(ctx, r, cfg)
	if !ok {
		return r.rep, nil
	}
	defer fsys.Close()

	root := v["shop.ftp.root"]
	if _, err := fsys.ReadDir(ctx, root); err != nil {
		return r.fail("folder", t("opencart.err.folder", displayDir(root)))
	}
	r.pass("folder", t("opencart.ok.folder", displayDir(root)))
	shop, found, err := bridge.Find(ctx, fsys, root)
	if err != nil {
		if len(found) > 0 {
			dirs := make([]string, len(found))
			for i, f := range found {
				dirs[i] = displayDir(f.Dir) + " (OpenCart " + f.Version + ")"
			}
			return r.fail("shop", t("opencart.err.noShopFound", strings.Join(dirs, ", ")))
		}
		return r.fail("shop", t("opencart.err.noShop", displayDir(root)))
	}
	r.pass("shop", t("opencart.ok.shop", shop.Version))

	// The bridge: reuse the one in place when it still answers, else a new one.
	bcfg := bridge.Config{ShopURL: v["shop.url"], Prefix: v["shop.tablePrefix"], AllowHTTP: v["shop.allowHTTP"] == "true"}
	var client *bridge.Client
	if dir, file, ok := strings.Cut(v["shop.bridge.path"], "/"); ok && v["shop.bridge.secret"] != "" {
		bcfg.Path, bcfg.Secret = dir+"/"+file, v["shop.bridge.secret"]
		if client, err = bridge.Open(ctx, bcfg); err == nil {
			r.pass("upload", t("opencart.ok.present", displayDir(root)+"/"+dir))
		} else if !errors.Is(err, bridge.ErrMissing) {
			return c.bridgeFailure(r, err, bcfg.ShopURL)
		} else {
			// Gone, or no longer answering to this secret: replaced below.
			_ = bridge.Remove(ctx, fsys, root, dir)
			if err := c.s.store.Forget(profileID, bridgeKeys...); err != nil {
				return TestReport{}, err
			}
			client = nil
		}
	}
	if client == nil {
		if client, err = c.installBridge(ctx, r, profileID, fsys, root, bcfg); client == nil {
			return r.rep, err
		}
	}
	r.pass("url", t("opencart.ok.url", ""))
	r.pass("auth", t("opencart.ok.auth", ""))
	sh, err := opencart.NewShop(ctx, client, opencart.Options{})
	if err != nil {
		c.s.log.Warn("shop via bridge", "err", err)
		return r.fail("database", t(bridgeCause(opencart.ErrNotOpenCart, "").Key, ""))
	}
	r.pass("database", t("opencart.ok.databaseBridge", sh.Schema().Prefix))
	since, _ := time.ParseInLocation(config.DateTimeLayout, v["shop.since"], time.Local)
	orders, next, err := sh.Orders(ctx, opencart.OrderQuery{AddedSince: since, Limit: 1000})
	if err != nil {
		c.s.log.Warn("orders via bridge", "err", err)
		return r.fail("orders", t("opencart.err.orders", ""))
	}
	count := strconv.Itoa(len(orders))
	if next != 0 {
		count = "1000+"
	}
	r.pass("orders", t("opencart.ok.orders", count))
	r.rep.OK = true
	r.rep.Summary = t("opencart.success", sh.Name)
	c.s.events.Emit(EventSettingsSaved, profileID)
	return r.rep, nil
}

// bridgeFailure reports a failed call to the bridge at the step it belongs
// to (the steps before it passed), with the cause a run would give.
func (c *Connections) bridgeFailure(r *reporter, err error, shopURL string) (TestReport, error) {
	cause := bridgeCause(err, shopURL)
	switch cause.Step {
	case "auth":
		r.pass("url", r.t("opencart.ok.url", ""))
	case "database":
		r.pass("url", r.t("opencart.ok.url", ""))
		r.pass("auth", r.t("opencart.ok.auth", ""))
	}
	if cause.Key == "opencart.err.url" || cause.Key == "opencart.err.php" {
		c.s.log.Warn("bridge", "err", err)
	}
	return r.fail(cause.Step, r.t(cause.Key, cause.Arg))
}

func displayDir(d string) string {
	if d == "" {
		return "/"
	}
	return d
}

// installBridge puts a new bridge on the server with the strictest
// permissions the web server allows and remembers it; nil when a step
// failed (the report says which, and nothing is left on the server).
func (c *Connections) installBridge(ctx context.Context, r *reporter, profileID uint, fsys remotefs.FS, root string, bcfg bridge.Config) (*bridge.Client, error) {
	t := r.t
	inst, client, perms, err := bridge.Setup(ctx, fsys, root, bcfg)
	if errors.Is(err, bridge.ErrUpload) {
		c.s.log.Warn("bridge upload", "err", err)
		r.fail("upload", t("opencart.err.upload", ""))
		return nil, nil
	}
	r.pass("upload", t("opencart.ok.uploaded", displayDir(root)+"/"+inst.Dir))
	switch {
	case errors.Is(err, bridge.ErrPermissions):
		r.fail("rights", t("opencart.err.rights", ""))
		return nil, nil
	case errors.Is(err, remotefs.ErrChmodUnsupported) && client != nil:
		r.warn("rights", t("opencart.warn.rights", ""))
	case err != nil:
		c.bridgeFailure(r, err, bcfg.ShopURL)
		return nil, nil
	default:
		r.pass("rights", t("opencart.ok.rights."+perms.Name, ""))
	}
	if err := c.s.store.SetSecret(profileID, "shop.bridge.secret", inst.Secret); err != nil {
		return nil, err
	}
	if err := c.s.store.SetReadOnly(profileID, "shop.bridge.path", inst.Path()); err != nil {
		return nil, err
	}
	return client, nil
}

// bridgeKeys are what a profile keeps of its bridge.
var bridgeKeys = []string{"shop.bridge.path", "shop.bridge.secret"}

// bridgePlace are the settings that say where a profile's bridge is: when
// one changes, the bridge at the old place is removed. (Switching to the
// direct database and back leaves it: it is still where it was.)
var bridgePlace = []string{"shop.ftp.host", "shop.ftp.user", "shop.ftp.root"}

// LeftBridge is a bridge S-Connect could not remove: the user removes the
// folder by hand.
type LeftBridge struct {
	Server string `json:"server"`
	Folder string `json:"folder"`
}

// removeBridgeAt removes the bridge the settings v point at and forgets it
// (path and secret). When the server cannot be reached it returns where
// the bridge stays, for the user to remove it by hand; nil when there was
// none or it is gone.
func (c *Connections) removeBridgeAt(profileID uint, v map[string]string) (*LeftBridge, error) {
	left := bridgeAt(v)
	if left == nil || c.sharedBridge(profileID, left, v["shop.bridge.path"]) {
		return nil, c.s.store.Forget(profileID, bridgeKeys...)
	}
	dir, _, _ := strings.Cut(v["shop.bridge.path"], "/")
	cfg, _ := remotefs.FromSettings(v)
	ctx, cancel := context.WithTimeout(context.Background(), connectTimeout)
	defer cancel()
	fsys, err := remotefs.Dial(ctx, cfg)
	if err == nil {
		err = bridge.Remove(ctx, fsys, v["shop.ftp.root"], dir)
		fsys.Close()
	}
	if err != nil && !errors.Is(err, remotefs.ErrNotExist) {
		c.s.log.Warn("bridge left on the server", "server", left.Server, "folder", left.Folder, "err", err)
	} else {
		left = nil
	}
	if ferr := c.s.store.Forget(profileID, bridgeKeys...); ferr != nil {
		return left, ferr
	}
	return left, nil
}

// sharedBridge says whether another profile still uses this bridge: one
// copied before a bridge belonged to a single profile holds the same place
// and secret, and removing the bridge would break it.
func (c *Connections) sharedBridge(profileID uint, at *LeftBridge, bridgePath string) bool {
	ps, err := c.s.store.Profiles()
	if err != nil {
		return false
	}
	for _, p := range ps {
		if p.ID == profileID {
			continue
		}
		if o, err := c.s.store.View(p.ID); err == nil && o.Values["shop.bridge.path"] == bridgePath {
			if other := bridgeAt(o.Values); other != nil && *other == *at {
				return true
			}
		}
	}
	return false
}

// bridgeAt is where the settings v say the profile's bridge is; nil when
// it has none.
func bridgeAt(v map[string]string) *LeftBridge {
	dir, _, ok := strings.Cut(v["shop.bridge.path"], "/")
	if !ok {
		return nil
	}
	return &LeftBridge{Server: v["shop.ftp.host"], Folder: path.Join("/", v["shop.ftp.root"], dir)}
}

// movedBridge says whether a save moves the profile away from its bridge.
func movedBridge(before, after map[string]string) bool {
	if before["shop.bridge.path"] == "" {
		return false
	}
	for _, k := range bridgePlace {
		if strings.TrimSpace(before[k]) != strings.TrimSpace(after[k]) {
			return true
		}
	}
	return false
}

// RemoveBridge deletes the bridge from the shop's server (*Verbinding
// verwijderen*) and forgets it, its secret too. It says whether there was
// one. When the server cannot be reached, the bridge is kept, to try again.
func (c *Connections) RemoveBridge(profileID uint) (bool, error) {
	v, err := c.s.store.Values(profileID)
	if err != nil {
		return false, err
	}
	dir, _, ok := strings.Cut(v["shop.bridge.path"], "/")
	if !ok {
		return false, nil
	}
	cfg, missing := remotefs.FromSettings(v)
	if len(missing) > 0 {
		return false, &NeedsError{Code: "shop_not_set", Keys: missing}
	}
	ctx, cancel := context.WithTimeout(context.Background(), connectTimeout)
	defer cancel()
	fsys, err := remotefs.Dial(ctx, cfg)
	if err != nil {
		return false, &ShopError{Err: err}
	}
	defer fsys.Close()
	if err := bridge.Remove(ctx, fsys, v["shop.ftp.root"], dir); err != nil && !errors.Is(err, remotefs.ErrNotExist) {
		return false, &ShopError{Err: err}
	}
	if err := c.s.store.Forget(profileID, bridgeKeys...); err != nil {
		return false, err
	}
	c.s.events.Emit(EventSettingsSaved, profileID)
	return true, nil
}
