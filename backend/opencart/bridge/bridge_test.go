package bridge_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/s-connect/s-connect/backend/opencart"
	"github.com/s-connect/s-connect/backend/opencart/bridge"
	"github.com/s-connect/s-connect/backend/opencart/fixture"
	"github.com/s-connect/s-connect/backend/opencart/mysql"
	"github.com/s-connect/s-connect/backend/remotefs"
	"github.com/s-connect/s-connect/backend/testsvc"
)

func TestMain(m *testing.M) { testsvc.Main(m) }

type installed struct {
	h      *fixture.Hosted
	fs     remotefs.FS
	inst   bridge.Installation
	client *bridge.Client
	direct *mysql.Transport
}

func install(t *testing.T, version string, orders int) *installed {
	t.Helper()
	h := fixture.NewHosted(t, version, orders)
	ctx := context.Background()
	fsys, err := remotefs.Dial(ctx, remotefs.Config{Protocol: remotefs.FTP, Host: "127.0.0.1", Port: h.FTP.Plain, User: h.FTP.User, Password: h.FTP.Password})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { fsys.Close() })
	root, err := bridge.Detect(ctx, fsys, h.Dir)
	if err != nil {
		t.Fatalf("detect: %v", err)
	}
	if root.Prefix != "oc_" || !strings.HasPrefix(root.Version, version) {
		t.Fatalf("detected %+v", root)
	}
	inst, err := bridge.Install(ctx, fsys, h.Dir)
	if err != nil {
		t.Fatal(err)
	}
	client, err := bridge.Open(ctx, bridge.Config{ShopURL: h.URL, Path: inst.Path(), Secret: inst.Secret, AllowHTTP: true})
	if err != nil {
		t.Fatalf("open bridge: %v", err)
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
			fixture.CheckStockWrites(t, shopB, in.h.DB, "oc_")
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
	for _, f := range []string{in.inst.File, "secret.php", "nonces.php", ".htaccess", "index.html"} {
		fi, err := os.Stat(filepath.Join(local, f))
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		if fi.Mode().Perm()&0o002 != 0 {
			t.Fatalf("%s is world-writable", f)
		}
	}
	if len(in.inst.Secret) != 64 || !strings.HasPrefix(in.inst.Dir, "sc-") || len(in.inst.File) != 20 {
		t.Fatalf("installation %+v", in.inst)
	}
	// Nothing in the folder tells anything without a signature.
	for _, p := range []string{in.inst.Path(), in.inst.Dir + "/secret.php", in.inst.Dir + "/nonces.php"} {
		resp, err := http.Get(in.h.URL + "/" + p)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if len(body) != 0 || (p == in.inst.Path() && resp.StatusCode != 404) {
			t.Fatalf("GET %s: %d %q", p, resp.StatusCode, body)
		}
	}
	// A second install rotates the secret; the old one is refused.
	second, err := bridge.Install(ctx, in.fs, in.h.Dir)
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
	if _, err := bridge.Open(ctx, bridge.Config{ShopURL: in.h.URL, Path: second.Path(), Secret: in.inst.Secret, AllowHTTP: true}); !errors.Is(err, bridge.ErrRefused) {
		t.Fatalf("old secret on the new bridge: %v", err)
	}
	if _, err := bridge.Open(ctx, bridge.Config{ShopURL: in.h.URL, Path: second.Path(), Secret: second.Secret, AllowHTTP: true}); err != nil {
		t.Fatalf("new bridge: %v", err)
	}
	if err := bridge.Remove(ctx, in.fs, in.h.Dir, "../.."); err == nil {
		t.Fatal("Remove accepted a path outside the bridge folder")
	}
	if _, err := bridge.Open(ctx, bridge.Config{ShopURL: in.h.URL, Path: second.Path(), Secret: second.Secret}); !errors.Is(err, bridge.ErrNeedHTTPS) {
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

// send posts a request with the given headers and body to the bridge.
func send(t *testing.T, url string, body []byte, h http.Header) (int, string) {
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
	return resp.StatusCode, string(b)
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
	before := checksum()
	schemaBody := []byte(`{"op":"schema"}`)

	// Refused without a trace: bare 404, no body.
	refused := map[string]func() (int, string){
		"no signature": func() (int, string) { return send(t, url, schemaBody, http.Header{}) },
		"wrong signature": func() (int, string) {
			return send(t, url, schemaBody, bridge.Sign(strings.Repeat("0", 64), path, schemaBody, time.Now(), next()))
		},
		"tampered body": func() (int, string) {
			h := bridge.Sign(secret, path, schemaBody, time.Now(), next())
			return send(t, url, []byte(`{"op":"select","params":{"table":"order","columns":["email"]}}`), h)
		},
		"old timestamp": func() (int, string) {
			return send(t, url, schemaBody, bridge.Sign(secret, path, schemaBody, time.Now().Add(-10*time.Minute), next()))
		},
		"future timestamp": func() (int, string) {
			return send(t, url, schemaBody, bridge.Sign(secret, path, schemaBody, time.Now().Add(10*time.Minute), next()))
		},
		"other path": func() (int, string) {
			return send(t, url, schemaBody, bridge.Sign(secret, "/elders.php", schemaBody, time.Now(), next()))
		},
		"short nonce": func() (int, string) {
			return send(t, url, schemaBody, bridge.Sign(secret, path, schemaBody, time.Now(), "kort"))
		},
	}
	for name, try := range refused {
		if code, body := try(); code != 404 || body != "" {
			t.Errorf("%s: %d %q, want a bare 404", name, code, body)
		}
	}
	// A replayed request: the first passes, the copy is refused.
	h := bridge.Sign(secret, path, schemaBody, time.Now(), next())
	if code, _ := send(t, url, schemaBody, h); code != 200 {
		t.Fatalf("signed request: %d", code)
	}
	if code, body := send(t, url, schemaBody, h); code != 404 || body != "" {
		t.Errorf("replay: %d %q", code, body)
	}
	if resp, err := http.Get(url); err != nil || resp.StatusCode != 404 {
		t.Errorf("GET: %v %v", resp, err)
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
		`{"op":"setQuantities","params":{"table":"setting","updates":[{"id":1,"quantity":0}]}}`,
		`{"op":"setQuantities","params":{"table":"product","updates":[{"id":"1 OR 1=1","quantity":0}]}}`,
		`{"op":"setQuantities","params":{"table":"product","updates":[{"id":1,"quantity":"0, status = 0"}]}}`,
		`not json`,
	}
	for _, b := range bad {
		body := []byte(b)
		code, reply := send(t, url, body, bridge.Sign(secret, path, body, time.Now(), next()))
		if code == 200 || !strings.Contains(reply, `"error"`) {
			t.Errorf("%s: %d %s, want refused", b, code, reply)
		}
	}
	// A value is only ever data.
	body := []byte(`{"op":"select","params":{"table":"order","columns":["order_id"],"where":[{"column":"email","op":"=","values":["x' OR '1'='1"]}]}}`)
	if code, reply := send(t, url, body, bridge.Sign(secret, path, body, time.Now(), next())); code != 200 || reply != `{"result":[]}` {
		t.Errorf("quoted value: %d %s", code, reply)
	}
	if after := checksum(); after != before {
		t.Fatalf("the database changed: %s → %s", before, after)
	}
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
