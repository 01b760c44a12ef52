package bridge_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	neturl "net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/s-connect/s-connect/backend/opencart"
	"github.com/s-connect/s-connect/backend/opencart/bridge"
	"github.com/s-connect/s-connect/backend/opencart/fixture"
	"github.com/s-connect/s-connect/backend/opencart/fixture/fixturetest"
	"github.com/s-connect/s-connect/backend/opencart/mysql"
	"github.com/s-connect/s-connect/backend/remotefs"
	"github.com/s-connect/s-connect/backend/testsvc"
)

func TestMain(m *testing.M) { testsvc.Main(m) }

type installed struct {
	h      *fixturetest.Hosted
	fs     remotefs.FS
	inst   bridge.Installation
	client *bridge.Client
	direct *mysql.Transport
}

func install(t *testing.T, version string, orders int) *installed {
	t.Helper()
	return installAs(t, fixturetest.NewHosted(t, version, orders))
}

// installAs installs the bridge over explicit FTPS (the default), the
// server's certificate accepted.
func installAs(t *testing.T, h *fixturetest.Hosted) *installed {
	t.Helper()
	ctx := context.Background()
	fsys, err := remotefs.Dial(ctx, remotefs.Config{Protocol: remotefs.FTPSExplicit, Host: "127.0.0.1", Port: h.FTP.Explicit,
		User: h.FTP.User, Password: h.FTP.Password, CertFingerprint: remotefs.CertFingerprint(h.FTP.Cert)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { fsys.Close() })
	root, err := bridge.Detect(ctx, fsys, h.Dir)
	if err != nil {
		t.Fatalf("detect: %v", err)
	}
	if root.Prefix != "oc_" || !strings.HasPrefix(root.Version, h.Version) {
		t.Fatalf("detected %+v", root)
	}
	inst, client, perms, err := bridge.Setup(ctx, fsys, h.Dir, bridge.Config{ShopURL: h.URL, AllowHTTP: true})
	if err != nil {
		t.Fatalf("install: %v", err)
	}
	if perms.Name != "owner" {
		t.Fatalf("PHP runs as the FTP user, yet the permissions are %+v", perms)
	}
	direct, err := mysql.Open(ctx, mysql.Config{Host: "127.0.0.1", Port: h.DBPort, Database: h.Database, User: "root", Prefix: "oc_"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { direct.Close() })
	return &installed{h: h, fs: fsys, inst: inst, client: client, direct: direct}
}

func readAll(t *testing.T, tr opencart.Transport) ([]opencart.Order, []opencart.Product, *opencart.Shop) {
	t.Helper()
	ctx := context.Background()
	shop, err := opencart.NewShop(ctx, tr, opencart.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var orders []opencart.Order
	for after := 0; ; {
		page, next, err := shop.Orders(ctx, opencart.OrderQuery{AfterID: after, Limit: 25})
		if err != nil {
			t.Fatal(err)
		}
		orders = append(orders, page...)
		if next == 0 {
			break
		}
		after = next
	}
	products, _, err := shop.Products(ctx, 0, 1000)
	if err != nil {
		t.Fatal(err)
	}
	return orders, products, shop
}

func asJSON(v any) string { b, _ := json.Marshal(v); return string(b) }

// Parity: the bridge and the direct connection read the same orders and
// products, field for field; stock written through the bridge reads back.
func TestParityWithTheDirectTransport(t *testing.T) {
	for _, version := range fixture.Versions {
		t.Run(version, func(t *testing.T) {
			in := install(t, version, 60)
			viaBridge, productsBridge, shopB := readAll(t, in.client)
			viaDirect, productsDirect, shopD := readAll(t, in.direct)
			if len(viaBridge) < 40 || asJSON(viaBridge) != asJSON(viaDirect) {
				t.Fatalf("orders differ (%d vs %d)", len(viaBridge), len(viaDirect))
			}
			if asJSON(productsBridge) != asJSON(productsDirect) {
				t.Fatalf("products differ")
			}
			if shopB.Version() != version || shopB.Version() != shopD.Version() || shopB.Schema().Version == "" {
				t.Fatalf("versions: bridge %s (%s) direct %s", shopB.Version(), shopB.Schema().Version, shopD.Version())
			}
			fixturetest.CheckStockWrites(t, shopB, in.h.DB, "oc_")
			fixturetest.CheckDiscounts(t, in.client, in.h.Shop, in.h.DB, "oc_")
			if _, err := os.Stat(filepath.Join(in.h.Local, "system/storage/cache/cache.product.1.123")); !os.IsNotExist(err) {
				t.Fatal("the product cache was not cleared after a stock write")
			}
		})
	}
}

func TestInstallAndRemove(t *testing.T) {
	in := install(t, "3.0", 2)
	ctx := context.Background()
	local := filepath.Join(in.h.Local, in.inst.Dir)
	// Only the FTP user (as whom PHP runs) may read the bridge and its
	// secret; no .htaccess names anything.
	want := map[string]os.FileMode{".": 0o700, in.inst.File: 0o600, "secret.php": 0o600, "nonces.php": 0o600,
		"notfound.php": 0o600, "index.php": 0o600}
	entries, _ := os.ReadDir(local)
	if len(entries) != len(want)-1 {
		t.Fatalf("files in the bridge folder: %v", entries)
	}
	for f, mode := range want {
		fi, err := os.Stat(filepath.Join(local, f))
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		if fi.Mode().Perm() != mode {
			t.Errorf("%s: %v, want %v", f, fi.Mode().Perm(), mode)
		}
	}
	if len(in.inst.Secret) != 64 || !strings.HasPrefix(in.inst.Dir, "sc-") || len(in.inst.File) != 20 {
		t.Fatalf("installation %+v", in.inst)
	}
	// From outside, every file of the folder and the folder itself look
	// like the web server's own "not found".
	for _, p := range []string{in.inst.Path(), in.inst.Dir + "/secret.php", in.inst.Dir + "/nonces.php", in.inst.Dir + "/notfound.php",
		in.inst.Dir + "/index.php", in.inst.Dir + "/", in.inst.Dir + "/.htaccess"} {
		for _, method := range []string{http.MethodGet, http.MethodPost} {
			if got, want := fetch(t, method, in.h.URL+"/"+p, nil, nil), serverNotFound(t, in.h, "/"+p); got != want {
				t.Errorf("%s %s:\n%s\nwant the server's own\n%s", method, p, got, want)
			}
		}
	}
	// A second install rotates the secret; the old one is refused.
	second, _, _, err := bridge.Setup(ctx, in.fs, in.h.Dir, bridge.Config{ShopURL: in.h.URL, AllowHTTP: true})
	if err != nil {
		t.Fatal(err)
	}
	if err := bridge.Remove(ctx, in.fs, in.h.Dir, in.inst.Dir); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(local); !os.IsNotExist(err) {
		t.Fatal("bridge folder still there after Remove")
	}
	if _, err := bridge.Open(ctx, bridge.Config{ShopURL: in.h.URL, Path: in.inst.Path(), Secret: in.inst.Secret, AllowHTTP: true}); !errors.Is(err, bridge.ErrMissing) {
		t.Fatalf("removed bridge: %v", err)
	}
	if _, err := bridge.Open(ctx, bridge.Config{ShopURL: in.h.URL, Path: second.Path(), Secret: in.inst.Secret, AllowHTTP: true}); !errors.Is(err, bridge.ErrMissing) {
		t.Fatalf("old secret on the new bridge: %v", err)
	}
	if _, err := bridge.Open(ctx, bridge.Config{ShopURL: in.h.URL, Path: second.Path(), Secret: second.Secret, AllowHTTP: true}); err != nil {
		t.Fatalf("new bridge: %v", err)
	}
	if err := bridge.Remove(ctx, in.fs, in.h.Dir, "../.."); err == nil {
		t.Fatal("Remove accepted a path outside the bridge folder")
	}
	if _, err := bridge.Open(ctx, bridge.Config{ShopURL: in.h.URL, Path: in.inst.Path(), Secret: in.inst.Secret}); !errors.Is(err, bridge.ErrNeedHTTPS) {
		t.Fatalf("plain HTTP without permission: %v", err)
	}
}

func TestFindSuggestsTheShop(t *testing.T) {
	in := install(t, "4.1", 1)
	ctx := context.Background()
	// The shop's folder itself.
	if r, _, err := bridge.Find(ctx, in.fs, in.h.Dir); err != nil || r.Version != "4.1.0.4" {
		t.Fatalf("find in the shop folder: %+v %v", r, err)
	}
	// A shop in /public_html is found from a wrong folder.
	pub := filepath.Join(in.h.FTP.Root, "public_html")
	if err := exec.Command("cp", "-a", in.h.Local, pub).Run(); err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(pub)
	_, found, err := bridge.Find(ctx, in.fs, "/nergens")
	if !errors.Is(err, bridge.ErrNoShop) || len(found) != 1 || found[0].Dir != "/public_html" {
		t.Fatalf("suggestions %+v %v", found, err)
	}
}

// fetch returns the status, content type and body of a request.
func fetch(t *testing.T, method, url string, body []byte, h http.Header) string {
	t.Helper()
	req, _ := http.NewRequest(method, url, bytes.NewReader(body))
	for k, v := range h {
		req.Header[k] = v
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return fmt.Sprintf("%d %s\n%s", resp.StatusCode, resp.Header.Get("Content-Type"), b)
}

// serverNotFound is what the web server itself answers for path when
// nothing is there: its page for another missing path, with path in it.
func serverNotFound(t *testing.T, h *fixturetest.Hosted, path string) string {
	t.Helper()
	other := "/sc-0123456789abcdef/0123456789abcdef.php"
	return strings.ReplaceAll(fetch(t, http.MethodGet, h.URL+other, nil, nil), other, path)
}

// send posts a request with the given headers and body to the bridge.
func send(t *testing.T, url string, body []byte, h http.Header) (int, string) {
	t.Helper()
	code, reply, _ := sendSigned(t, url, body, h)
	return code, reply
}

func TestSecurity(t *testing.T) {
	in := install(t, "3.0", 5)
	url := in.h.URL + "/" + in.inst.Path()
	path := "/" + in.inst.Path()
	secret := in.inst.Secret
	nonce := 0
	next := func() string { nonce++; return "nonce" + strconv.Itoa(100000+nonce) + "abcdefgh" }
	checksum := func() string {
		var sum string
		in.h.DB.QueryRow("SELECT CONCAT((SELECT COUNT(*) FROM oc_order), '/', (SELECT SUM(quantity) FROM oc_product), '/', (SELECT COUNT(*) FROM oc_setting))").Scan(&sum)
		return sum
	}
	// Another shop's tables in the same database, and more order statuses
	// than one read may return.
	for _, q := range []string{"CREATE TABLE other_order LIKE oc_order", "INSERT INTO other_order SELECT * FROM oc_order",
		"INSERT INTO oc_order_status (order_status_id, language_id, name) SELECT seq, 99, 'x' FROM seq_1_to_10001",
		// What the setting table also holds on a real shop.
		"INSERT INTO oc_setting (store_id, code, `key`, value, serialized) VALUES (0, 'config', 'config_encryption', 'GEHEIM-ENC', 0), (0, 'config', 'config_mail_smtp_password', 'GEHEIM-SMTP', 0)",
		"DELETE FROM oc_setting WHERE `key` IN ('shipping_flat_tax_class_id', 'total_handling_tax_class_id')",
		"INSERT INTO oc_setting (store_id, code, `key`, value, serialized) VALUES (0, 'shipping_flat', 'shipping_flat_tax_class_id', '9', 0)"} {
		if _, err := in.h.DB.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	before := checksum()
	schemaBody := []byte(`{"op":"schema"}`)

	// Refused without a trace: the web server's own "not found".
	notFound := serverNotFound(t, in.h, path)
	post := func(body []byte, h http.Header) string { return fetch(t, http.MethodPost, url, body, h) }
	refused := map[string]func() string{
		"no signature": func() string { return post(schemaBody, http.Header{}) },
		"wrong signature": func() string {
			return post(schemaBody, bridge.Sign(strings.Repeat("0", 64), path, schemaBody, time.Now(), next()))
		},
		"tampered body": func() string {
			h := bridge.Sign(secret, path, schemaBody, time.Now(), next())
			return post([]byte(`{"op":"select","params":{"table":"order","columns":["email"]}}`), h)
		},
		"other path": func() string {
			return post(schemaBody, bridge.Sign(secret, "/elders.php", schemaBody, time.Now(), next()))
		},
		"short nonce": func() string {
			return post(schemaBody, bridge.Sign(secret, path, schemaBody, time.Now(), "kort"))
		},
	}
	for name, try := range refused {
		if got := try(); got != notFound {
			t.Errorf("%s: %s, want the server's not found", name, got)
		}
	}
	// A signed request from a computer whose clock is off: the bridge says
	// so, signed, and does nothing.
	for _, off := range []time.Duration{-10 * time.Minute, 10 * time.Minute} {
		n := next()
		code, body, sig := sendSigned(t, url, schemaBody, bridge.Sign(secret, path, schemaBody, time.Now().Add(off), n))
		if code != 403 || !strings.HasPrefix(body, `{"error":"clock","time":`) || sig != bridge.ReplySignature(secret, n, 403, []byte(body)) {
			t.Errorf("clock off by %v: %d %s", off, code, body)
		}
	}
	// A replayed request: the first passes, the copy is refused.
	h := bridge.Sign(secret, path, schemaBody, time.Now(), next())
	if code, _ := send(t, url, schemaBody, h); code != 200 {
		t.Fatalf("signed request: %d", code)
	}
	if got := post(schemaBody, h); got != notFound {
		t.Errorf("replay: %s", got)
	}

	// Signed, but asking for what the bridge does not do.
	bad := []string{
		`{"op":"query","params":{"sql":"DELETE FROM oc_order"}}`,
		`{"op":"select","params":{"table":"user","columns":["password"]}}`,
		`{"op":"select","params":{"table":"customer","columns":["password"]}}`,
		`{"op":"select","params":{"table":"order","columns":["ip"]}}`,
		"{\"op\":\"select\",\"params\":{\"table\":\"order` WHERE 1; DROP TABLE oc_order; --\",\"columns\":[\"order_id\"]}}",
		"{\"op\":\"select\",\"params\":{\"table\":\"order\",\"columns\":[\"order_id`, (SELECT password FROM oc_user) AS `x\"]}}",
		`{"op":"select","params":{"table":"order","columns":["order_id"],"where":[{"column":"order_id","op":"= 1 OR 1 =","values":[1]}]}}`,
		`{"op":"select","params":{"table":"order","columns":["order_id"],"where":[{"column":"order_id","op":"=","values":[{"x":1}]}]}}`,
		`{"op":"select","params":{"table":"order","columns":["order_id"],"where":[{"column":"order_id","op":"in","values":[]}]}}`,
		`{"op":"select","params":{"table":"order","columns":["order_id"],"limit":"1; DROP TABLE oc_order"}}`,
		`{"op":"select","params":{"table":"order","columns":["order_id"],"orderBy":["order_id DESC; DROP TABLE oc_order"]}}`,
		`{"op":"select","prefix":"oc_order; DROP TABLE oc_order; -- ","params":{"table":"order","columns":["order_id"]}}`,
		`{"op":"select","prefix":"../","params":{"table":"order","columns":["order_id"]}}`,
		// Another prefix than the shop's: oc_order_ + product is oc_order_product.
		`{"op":"select","prefix":"oc_order_","params":{"table":"product","columns":["product_id"]}}`,
		`{"op":"select","prefix":"other_","params":{"table":"order","columns":["order_id"]}}`,
		// setting: only named keys of the model, only its columns.
		`{"op":"select","params":{"table":"setting","columns":["key","value"]}}`,
		`{"op":"select","params":{"table":"setting","columns":["key","value"],"where":[{"column":"store_id","op":"=","values":[0]}]}}`,
		`{"op":"select","params":{"table":"setting","columns":["key","value"],"where":[{"column":"key","op":"=","values":["config_encryption"]}]}}`,
		`{"op":"select","params":{"table":"setting","columns":["key","value"],"where":[{"column":"key","op":"in","values":["config_name","config_mail_smtp_password"]}]}}`,
		`{"op":"select","params":{"table":"setting","columns":["key","value"],"where":[{"column":"key","op":">","values":["config_name"]}]}}`,
		`{"op":"select","params":{"table":"setting","columns":["key","value"],"where":[{"column":"key","op":"<>","values":["config_name"]}]}}`,
		`{"op":"select","params":{"table":"setting","columns":["setting_id","code"],"where":[{"column":"key","op":"=","values":["config_name"]}]}}`,
		`{"op":"select","params":{"table":"setting","columns":["key","value"],"where":[{"column":"key","op":"in","values":["shipping_flat_tax_class_id","config_mail_smtp_password_tax_class_id2"]}]}}`,
		`{"op":"select","params":{"table":"setting","columns":["key","value"],"where":[{"column":"key","op":"=","values":["Config_Encryption_tax_class_id"]}]}}`,
		// Columns outside the model.
		`{"op":"select","params":{"table":"order","columns":["ip","user_agent"]}}`,
		`{"op":"select","params":{"table":"product","columns":["image"]}}`,
		`{"op":"select","params":{"table":"customer","columns":["customer_id","email"]}}`,
		// No more than the row cap, whatever the limit says.
		`{"op":"select","params":{"table":"order","columns":["order_id"],"limit":10001}}`,
		`{"op":"select","params":{"table":"order","columns":["order_id"],"limit":-1}}`,
		`{"op":"updateQuantities","params":{"table":"setting","changes":[{"id":1,"from":0,"to":0}]}}`,
		`{"op":"updateQuantities","params":{"table":"product","changes":[{"id":"1 OR 1=1","from":0,"to":0}]}}`,
		`{"op":"updateQuantities","params":{"table":"product","changes":[{"id":1,"from":0,"to":"0, status = 0"}]}}`,
		`{"op":"updateQuantities","params":{"table":"product","changes":[{"id":1,"from":"0 OR 1=1","to":5}]}}`,
		`{"op":"setQuantities","params":{"table":"product","updates":[{"id":1,"quantity":0}]}}`, // the old, unconditional write is gone
		`not json`,
	}
	for _, b := range bad {
		body := []byte(b)
		code, reply := send(t, url, body, bridge.Sign(secret, path, body, time.Now(), next()))
		if code == 200 || !strings.Contains(reply, `"error"`) || strings.Contains(reply, "GEHEIM") {
			t.Errorf("%s: %d %s, want refused", b, code, reply)
		}
	}
	// A value is only ever data.
	body := []byte(`{"op":"select","params":{"table":"order","columns":["order_id"],"where":[{"column":"email","op":"=","values":["x' OR '1'='1"]}]}}`)
	if code, reply := send(t, url, body, bridge.Sign(secret, path, body, time.Now(), next())); code != 200 || reply != `{"result":[]}` {
		t.Errorf("quoted value: %d %s", code, reply)
	}
	// What the model reads still works: named setting keys (and no other
	// row, whatever else matches), a full page, and a read without a limit
	// that would be cut short is refused.
	for body, want := range map[string]string{
		`{"op":"select","params":{"table":"setting","columns":["key","value"],"where":[{"column":"key","op":"in","values":["config_name"]},{"column":"store_id","op":"=","values":[0]}]}}`: `{"result":[{"key":"config_name","value":"Wijnhandel ’t Vaatje"}]}`,
		`{"op":"select","params":{"table":"order_status","columns":["order_status_id"],"where":[{"column":"language_id","op":"=","values":[99]}]}}`:                                        `{"error":"too many rows"}`,
		`{"op":"select","params":{"table":"order_status","columns":["order_status_id"],"where":[{"column":"language_id","op":"=","values":[99]}],"limit":0}}`:                              `{"error":"too many rows"}`,
		// The tax-class settings of the fee and shipping extensions, by pattern.
		`{"op":"select","params":{"table":"setting","columns":["key"],"where":[{"column":"key","op":"in","values":["shipping_flat_tax_class_id","total_handling_tax_class_id"]}]}}`: `{"result":[{"key":"shipping_flat_tax_class_id"}]}`,
	} {
		b := []byte(body)
		if _, reply := send(t, url, b, bridge.Sign(secret, path, b, time.Now(), next())); reply != want {
			t.Errorf("%s: %s, want %s", body, reply, want)
		}
	}
	rows, err := in.client.Select(context.Background(), opencart.Query{Table: "order_status", Columns: []string{"order_status_id"},
		Where: []opencart.Cond{opencart.Eq("language_id", 99)}, Limit: opencart.MaxLimit})
	if err != nil || len(rows) != opencart.MaxLimit {
		t.Errorf("a full page: %d rows, %v", len(rows), err)
	}
	if _, err := in.client.Select(context.Background(), opencart.Query{Table: "order_status", Columns: []string{"order_status_id"},
		Where: []opencart.Cond{opencart.Eq("language_id", 99)}}); !errors.Is(err, opencart.ErrTooManyRows) {
		t.Errorf("no limit, too many rows: %v", err)
	}
	if after := checksum(); after != before {
		t.Fatalf("the database changed: %s → %s", before, after)
	}
}

// sendSigned posts and returns the answer with its signature header.
func sendSigned(t *testing.T, url string, body []byte, h http.Header) (int, string, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	for k, v := range h {
		req.Header[k] = v
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), resp.Header.Get("X-SC-Reply")
}

func TestBridgeScriptIsLintClean(t *testing.T) {
	f := filepath.Join(t.TempDir(), "bridge.php")
	os.WriteFile(f, []byte(bridge.Script()), 0o644)
	out, err := exec.Command("php", "-l", f).CombinedOutput()
	if err != nil {
		t.Fatalf("php -l: %v %s", err, out)
	}
}

func TestRedirectIsReportedWithItsTarget(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "https://www.winkel.example.nl"+r.URL.Path, http.StatusMovedPermanently)
	}))
	defer srv.Close()
	_, err := bridge.Open(context.Background(), bridge.Config{ShopURL: srv.URL, Path: "sc-x/y.php", Secret: strings.Repeat("a", 64), AllowHTTP: true})
	var re *bridge.RedirectError
	if !errors.As(err, &re) || re.Status != 301 || re.Location != "https://www.winkel.example.nl/sc-x/y.php" {
		t.Fatalf("redirect: %v", err)
	}
}

// config.php's DB_HOSTNAME may carry the port ("host:port") or be a Unix
// socket ("localhost:/path/mysqld.sock"), as hosting companies write it.
func TestConfigHostForms(t *testing.T) {
	in := install(t, "3.0", 3)
	config := filepath.Join(in.h.Local, "config.php")
	orig, _ := os.ReadFile(config)
	m := testsvc.StartMariaDB(t)
	for name, host := range map[string]string{
		"host:port": "127.0.0.1:" + strconv.Itoa(in.h.DBPort),
		"socket":    "localhost:" + m.Socket(),
	} {
		text := strings.Replace(string(orig), "define('DB_HOSTNAME', '127.0.0.1');", "define('DB_HOSTNAME', '"+host+"');", 1)
		text = strings.Replace(text, "define('DB_PORT', '"+strconv.Itoa(in.h.DBPort)+"');", "define('DB_PORT', '1');", 1)
		if text == string(orig) {
			t.Fatal("config.php not rewritten")
		}
		os.WriteFile(config, []byte(text), 0o644)
		c, err := bridge.Open(context.Background(), bridge.Config{ShopURL: in.h.URL, Path: in.inst.Path(), Secret: in.inst.Secret, AllowHTTP: true})
		if err != nil {
			t.Fatalf("%s (%s): %v", name, host, err)
		}
		if s, _ := c.Schema(context.Background()); s.Prefix != "oc_" || !s.HasTable("order") {
			t.Fatalf("%s: schema %+v", name, s)
		}
	}
}

// A proxy between S-Connect and the shop (an HTTP shop URL) that changes
// the bridge's answers: every change is refused, nothing of it is used.
func TestForgedAnswerIsRefused(t *testing.T) {
	in := install(t, "3.0", 5)
	target, _ := neturl.Parse(in.h.URL)
	var rewrite func(resp *http.Response, body []byte) []byte
	proxy := httputil.NewSingleHostReverseProxy(target)
	proxy.ModifyResponse = func(resp *http.Response) error {
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			return err
		}
		if rewrite != nil {
			body = rewrite(resp, body)
		}
		resp.Body = io.NopCloser(bytes.NewReader(body))
		resp.ContentLength = int64(len(body))
		resp.Header.Set("Content-Length", strconv.Itoa(len(body)))
		return nil
	}
	srv := httptest.NewServer(proxy)
	defer srv.Close()
	cfg := bridge.Config{ShopURL: srv.URL, Path: in.inst.Path(), Secret: in.inst.Secret, AllowHTTP: true}
	ctx := context.Background()
	read := func() ([]opencart.Order, error) {
		c, err := bridge.Open(ctx, cfg)
		if err != nil {
			return nil, err
		}
		shop, err := opencart.NewShop(ctx, c, opencart.Options{})
		if err != nil {
			return nil, err
		}
		orders, _, err := shop.Orders(ctx, opencart.OrderQuery{Limit: 10})
		return orders, err
	}
	// Untouched, the proxy passes the answers through.
	orders, err := read()
	if err != nil || len(orders) == 0 {
		t.Fatalf("through an honest proxy: %d orders, %v", len(orders), err)
	}
	email := orders[0].Email
	var lastSig string
	for name, rw := range map[string]func(*http.Response, []byte) []byte{
		"e-mail changed": func(_ *http.Response, b []byte) []byte {
			return bytes.ReplaceAll(b, []byte(email), []byte("aanvaller@example.com"))
		},
		"totals changed": func(_ *http.Response, b []byte) []byte {
			return regexp.MustCompile(`"total":"[0-9.]+"`).ReplaceAll(b, []byte(`"total":"0.0100"`))
		},
		"signature removed": func(r *http.Response, b []byte) []byte { r.Header.Del("X-SC-Reply"); return b },
		"an older answer's signature": func(r *http.Response, b []byte) []byte {
			if lastSig != "" {
				r.Header.Set("X-SC-Reply", lastSig)
			}
			lastSig = r.Header.Get("X-SC-Reply")
			return b
		},
		"status changed": func(r *http.Response, b []byte) []byte { r.StatusCode = 201; return b },
	} {
		rewrite = rw
		got, err := read()
		if !errors.Is(err, bridge.ErrForged) {
			t.Errorf("%s: %v (%d orders)", name, err, len(got))
		}
	}
}

// The installer finds the strictest permissions the web server allows:
// owner only when PHP runs as the FTP user (TestInstallAndRemove), the
// group too when it runs as another account in the FTP user's group, and
// no bridge at all when only every account could read the secret.
func TestPermissionsFollowTheWebServer(t *testing.T) {
	ctx := context.Background()
	ftp := testsvc.StartFTP(t)
	for _, c := range []struct {
		name, group string
		perms       string
	}{
		{"group", ftp.User, "group"},
		{"other", "", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			web := testsvc.WebUser(t, "scweb"+c.name, c.group)
			h := fixturetest.NewHostedAs(t, "4.0", 2, web)
			fsys, err := remotefs.Dial(ctx, remotefs.Config{Protocol: remotefs.FTPSExplicit, Host: "127.0.0.1", Port: h.FTP.Explicit,
				User: h.FTP.User, Password: h.FTP.Password, CertFingerprint: remotefs.CertFingerprint(h.FTP.Cert)})
			if err != nil {
				t.Fatal(err)
			}
			defer fsys.Close()
			inst, client, perms, err := bridge.Setup(ctx, fsys, h.Dir, bridge.Config{ShopURL: h.URL, AllowHTTP: true})
			if c.perms == "" {
				if !errors.Is(err, bridge.ErrPermissions) {
					t.Fatalf("PHP as another account: %+v %v", perms, err)
				}
				if _, err := os.Stat(filepath.Join(h.Local, inst.Dir)); !os.IsNotExist(err) {
					t.Fatal("the bridge was left on the server")
				}
				return
			}
			if err != nil || perms.Name != c.perms {
				t.Fatalf("permissions %+v, %v", perms, err)
			}
			if _, err := opencart.NewShop(ctx, client, opencart.Options{}); err != nil {
				t.Fatal(err)
			}
			local := filepath.Join(h.Local, inst.Dir)
			for f, want := range map[string]os.FileMode{".": 0o750, inst.File: 0o640, "secret.php": 0o640, "nonces.php": 0o660} {
				if fi, err := os.Stat(filepath.Join(local, f)); err != nil || fi.Mode().Perm() != want {
					t.Errorf("%s: %v, want %v", f, fi.Mode().Perm(), want)
				}
			}
		})
	}
}

// The refunded returns read the same through the bridge as directly, in
// every version; and a column of return the model does not read (the
// customer's e-mail) is refused by both.
func TestReturnsParityWithTheDirectTransport(t *testing.T) {
	for _, version := range fixture.Versions {
		t.Run(version, func(t *testing.T) {
			in := install(t, version, 80)
			ctx := context.Background()
			var ids []int
			for _, o := range in.h.Shop.Orders {
				ids = append(ids, o.ID)
			}
			// The returns' watermark reads by return.date_modified, and a
			// watermark run looks for new orders dated before it (a "<").
			since := fixture.MiddleModified(in.h.Shop.Returns)
			var got, changed [2][]opencart.Return
			var early [2][]int
			for i, tr := range []opencart.Transport{in.client, in.direct} {
				shop, err := opencart.NewShop(ctx, tr, opencart.Options{})
				if err != nil {
					t.Fatal(err)
				}
				if got[i], err = shop.Returns(ctx, ids); err != nil {
					t.Fatal(err)
				}
				if changed[i], err = shop.ReturnsChangedSince(ctx, since); err != nil {
					t.Fatal(err)
				}
				if early[i], err = shop.OrderIDs(ctx, opencart.OrderQuery{AfterID: 10, ModifiedBefore: since, AnyStatus: true}); err != nil {
					t.Fatal(err)
				}
				q := opencart.Query{Table: "return", Columns: []string{"email"}, Where: []opencart.Cond{opencart.In("order_id", ids)}}
				if _, err := tr.Select(ctx, q); err == nil {
					t.Fatalf("transport %d read return.email", i)
				}
			}
			if len(got[0]) == 0 || asJSON(got[0]) != asJSON(got[1]) || asJSON(got[1]) != asJSON(in.h.Shop.Returns) {
				t.Fatalf("returns differ:\nbridge %s\ndirect %s", asJSON(got[0]), asJSON(got[1]))
			}
			if len(changed[0]) == 0 || len(changed[0]) == len(got[0]) || asJSON(changed[0]) != asJSON(changed[1]) {
				t.Fatalf("returns changed since %v differ:\nbridge %s\ndirect %s", since, asJSON(changed[0]), asJSON(changed[1]))
			}
			if len(early[0]) == 0 || asJSON(early[0]) != asJSON(early[1]) {
				t.Fatalf("orders dated before %v differ: bridge %v, direct %v", since, early[0], early[1])
			}
		})
	}
}
