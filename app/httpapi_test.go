package app

import (
	"bufio"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/s-connect/s-connect/backend/config"
)

const testToken = "test-token-123"

func newTestServices(t *testing.T) *Services {
	t.Helper()
	store, err := config.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	msgs, err := LoadMessages()
	if err != nil {
		t.Fatal(err)
	}
	s := NewServices(Options{Store: store, Messages: msgs, Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Mode: "serve"})
	if err := s.EnsureProfile(); err != nil {
		t.Fatal(err)
	}
	leaveDemo(t, s)
	return s
}

// leaveDemo turns the first-start demo profile into an ordinary one, as a
// user setting up their own shop does: the tests give it their shop and
// administration.
func leaveDemo(t testing.TB, s *Services) {
	t.Helper()
	ps, err := s.store.Profiles()
	if err != nil || len(ps) == 0 {
		t.Fatal(ps, err)
	}
	if _, err := s.Settings.Save(ps[0].ID, map[string]string{"snelstart.type": "online", "shop.transport": "bridge"}, nil); err != nil {
		t.Fatal(err)
	}
}

func newTestServer(t *testing.T) (*Services, *httptest.Server, *Broker) {
	s := newTestServices(t)
	broker := NewBroker()
	s.SetEmitter(broker)
	ui := fstest.MapFS{"index.html": {Data: []byte("<!doctype html><title>S-Connect</title>")}, "assets/app.js": {Data: []byte("1")}}
	srv := httptest.NewServer(NewHTTPHandler(s, HTTPOptions{Token: testToken, Static: ui, Broker: broker}))
	t.Cleanup(srv.Close)
	return s, srv, broker
}

type reply struct {
	Result json.RawMessage `json:"result"`
	Error  *Error          `json:"error"`
}

func call(t *testing.T, srv *httptest.Server, token, name string, args ...any) (int, reply) {
	t.Helper()
	if args == nil {
		args = []any{}
	}
	body, _ := json.Marshal(map[string]any{"name": name, "args": args})
	req, _ := http.NewRequest("POST", srv.URL+"/api/call", strings.NewReader(string(body)))
	if token != "" {
		req.Header.Set("X-SConnect-Token", token)
	}
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var r reply
	if err := json.NewDecoder(resp.Body).Decode(&r); err != nil {
		t.Fatalf("%s: decode reply: %v", name, err)
	}
	return resp.StatusCode, r
}

func TestTokenRequired(t *testing.T) {
	_, srv, _ := newTestServer(t)
	for _, tok := range []string{"", "wrong", testToken + "x"} {
		if code, r := call(t, srv, tok, "app.Profiles.List"); code != http.StatusUnauthorized || r.Error == nil || r.Error.Code != "unauthorized" {
			t.Errorf("token %q: status %d, error %+v; want 401", tok, code, r.Error)
		}
	}
	resp, err := http.Get(srv.URL + "/api/events")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("events without token: %d, want 401", resp.StatusCode)
	}
	if code, _ := call(t, srv, testToken, "app.Profiles.List"); code != http.StatusOK {
		t.Errorf("with the token: %d, want 200", code)
	}
	// The UI itself is served without a token: it holds no data.
	resp, err = http.Get(srv.URL + "/some/page")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(b), "S-Connect") || resp.Header.Get("Referrer-Policy") != "no-referrer" {
		t.Errorf("static fallback: %d %q", resp.StatusCode, b)
	}
}

func TestForeignHostRefused(t *testing.T) {
	_, srv, _ := newTestServer(t)
	req, _ := http.NewRequest("POST", srv.URL+"/api/call", strings.NewReader(`{"name":"app.Profiles.List","args":[]}`))
	req.Host = "evil.example.com"
	req.Header.Set("X-SConnect-Token", testToken)
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Fatalf("foreign Host header: %d, want 403", resp.StatusCode)
	}
}

func TestUnknownMethodIs404(t *testing.T) {
	_, srv, _ := newTestServer(t)
	for _, name := range []string{"app.Nope.List", "app.Profiles.list", "os.Exit", ""} {
		if code, r := call(t, srv, testToken, name); code != http.StatusNotFound || r.Error == nil || r.Error.Code != "unknown_method" {
			t.Errorf("%q: %d %+v, want 404 unknown_method", name, code, r.Error)
		}
	}
	req, _ := http.NewRequest("GET", srv.URL+"/api/nothing", nil)
	req.Header.Set("X-SConnect-Token", testToken)
	resp, _ := srv.Client().Do(req)
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("GET /api/nothing: %d", resp.StatusCode)
	}
}

func TestErrorsAreMapped(t *testing.T) {
	s, srv, _ := newTestServer(t)
	ps, _ := s.store.Profiles()
	id := ps[0].ID

	// A validation error: Dutch messages per field, nothing saved.
	code, r := call(t, srv, testToken, "app.Settings.Save", id, map[string]string{"shop.ftp.port": "70000", "shop.url": "www.winkel.nl"}, []string{})
	if code != http.StatusUnprocessableEntity || r.Error == nil || r.Error.Code != "invalid" {
		t.Fatalf("invalid save: %d %+v", code, r.Error)
	}
	msgs := map[string]string{}
	for _, f := range r.Error.Fields {
		msgs[f.Key] = f.Message
	}
	if msgs["shop.ftp.port"] != "Vul een poort in van 1 tot 65535." || !strings.Contains(msgs["shop.url"], "https://") {
		t.Fatalf("field messages: %v", msgs)
	}
	// In English after the switch.
	if code, r := call(t, srv, testToken, "app.Program.SetLanguage", "en"); code != 200 {
		t.Fatalf("set language: %d %+v", code, r.Error)
	}
	_, r = call(t, srv, testToken, "app.Settings.Save", id, map[string]string{"shop.ftp.port": "0"}, []string{})
	if r.Error == nil || r.Error.Fields[0].Message != "Enter a port from 1 to 65535." {
		t.Fatalf("English message: %+v", r.Error)
	}
	call(t, srv, testToken, "app.Program.SetLanguage", "nl")

	// An action that needs settings names them.
	code, r = call(t, srv, testToken, "app.Tasks.Preview", id, "orders")
	if code != http.StatusUnprocessableEntity || r.Error.Code != "import_not_set" || !strings.Contains(r.Error.Message, "Koppelsleutel") {
		t.Fatalf("not available: %d %+v", code, r.Error)
	}
	// Wrong argument types and counts are a bad request, not a crash.
	if code, r := call(t, srv, testToken, "app.Settings.Get", "x"); code != http.StatusBadRequest || r.Error.Code != "bad_request" {
		t.Fatalf("bad argument: %d %+v", code, r.Error)
	}
	if code, _ := call(t, srv, testToken, "app.Settings.Get"); code != http.StatusBadRequest {
		t.Fatalf("missing argument: %d", code)
	}
	if code, r := call(t, srv, testToken, "app.Settings.Get", 9999); code != http.StatusUnprocessableEntity || r.Error.Code != "not_found" {
		t.Fatalf("unknown profile: %d %+v", code, r.Error)
	}
	if _, r := call(t, srv, testToken, "app.Profiles.Delete", id); r.Error == nil || r.Error.Code != "last_profile" {
		t.Fatalf("delete last profile: %+v", r.Error)
	}
}

// zeroArg returns a JSON value that decodes into t.
func zeroArg(t reflect.Type) any {
	switch t.Kind() {
	case reflect.String:
		return "orders"
	case reflect.Map:
		return map[string]string{}
	case reflect.Slice:
		return []string{}
	case reflect.Struct:
		return map[string]any{}
	default:
		return 1
	}
}

func TestEveryBoundMethodIsReachable(t *testing.T) {
	s, srv, _ := newTestServer(t)
	methods := BoundMethods(s.Bound())
	if len(methods) < 15 {
		t.Fatalf("only %d bound methods: %v", len(methods), methods.Names())
	}
	for _, name := range methods.Names() {
		fn := methods[name]
		args := make([]any, fn.Type().NumIn())
		for i := range args {
			args[i] = zeroArg(fn.Type().In(i))
		}
		if name == "app.Profiles.Delete" || name == "app.Program.SetLanguage" {
			continue // destructive or language-changing; covered above
		}
		if name == "app.Connections.ShopOptions" { // a list of the shop's
			args[1] = "stores"
		}
		if name == "app.Connections.Trust" { // it checks what it trusts
			args[1], args[2] = "ssh", "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl"
		}
		code, r := call(t, srv, testToken, name, args...)
		if code == http.StatusNotFound || code == http.StatusUnauthorized || code == http.StatusBadRequest {
			t.Errorf("%s: status %d %+v", name, code, r.Error)
		}
		if code == http.StatusInternalServerError {
			t.Errorf("%s: internal error", name)
		}
	}
}

func TestEventsReachTheBrowser(t *testing.T) {
	_, srv, _ := newTestServer(t)
	resp, err := http.Get(srv.URL + "/api/events?token=" + testToken)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if ct := resp.Header.Get("Content-Type"); ct != "text/event-stream" {
		t.Fatalf("content type %q", ct)
	}
	lines := make(chan string, 16)
	go func() {
		sc := bufio.NewScanner(resp.Body)
		for sc.Scan() {
			lines <- sc.Text()
		}
	}()
	<-lines // ": connected"
	if code, r := call(t, srv, testToken, "app.Profiles.Create", "Tweede winkel"); code != 200 {
		t.Fatalf("create: %d %+v", code, r.Error)
	}
	deadline := time.After(5 * time.Second)
	for {
		select {
		case l := <-lines:
			if strings.HasPrefix(l, "data: ") && strings.Contains(l, EventProfilesChanged) && strings.Contains(l, "Tweede winkel") {
				return
			}
		case <-deadline:
			t.Fatal("no profiles:changed event")
		}
	}
}
