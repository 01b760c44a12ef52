package config

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/pem"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/ssh"
)

func openTest(t *testing.T) (*Store, string) {
	t.Helper()
	dir := t.TempDir()
	s, err := Open(dir)
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s, dir
}

func sshKey(t *testing.T) string {
	t.Helper()
	_, priv, _ := ed25519.GenerateKey(rand.Reader)
	block, err := ssh.MarshalPrivateKey(priv, "")
	if err != nil {
		t.Fatal(err)
	}
	return string(pem.EncodeToMemory(block))
}

// sample returns a valid value for a setting that differs from its default,
// so a round trip proves the value was stored and not defaulted.
func sample(t *testing.T, s Setting) string {
	switch s.Kind {
	case KindText:
		if s.Key == "shop.tablePrefix" {
			return "oc_shop2_"
		}
		return "waarde " + s.Key + " ‘é’"
	case KindSecret:
		return "geheim-" + s.Key + "-'\"%"
	case KindSecretFile:
		return sshKey(t)
	case KindBool:
		if s.Default == "true" {
			return "false"
		}
		return "true"
	case KindInt:
		return "7"
	case KindPort:
		return "2222"
	case KindChoice:
		return s.Choices[len(s.Choices)-1].Value
	case KindDateTime:
		return "2026-03-04T05:06"
	case KindTime:
		return "23:45"
	case KindURL:
		return "https://winkel.example.nl/shop/"
	case KindHost:
		return "ftp.example.nl"
	case KindPath:
		return "/public_html/"
	case KindMoney:
		return "0.10"
	case KindTemplate:
		return "Order {ordernummer} van {bedrijf}"
	case KindArticle:
		return "ART-" + strings.ToUpper(s.Key[6:9])
	case KindPick:
		return "Keuze voor " + s.Key
	case KindIDList:
		return "1,2,5"
	case KindRateMap:
		return "9=Omzet laag\n21=Omzet hoog"
	case KindOptionMap:
		return "12=SHIRT-S\n13=SHIRT-M"
	case KindRelCode:
		return "1043"
	case KindReadOnly:
		return ""
	}
	t.Fatalf("no sample for kind %s", s.Kind)
	return ""
}

func TestEverySettingRoundTrips(t *testing.T) {
	s, dir := openTest(t)
	p, err := s.CreateProfile("Winkel één")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{}
	for _, st := range Settings {
		if st.ReadOnly || st.Key == "shop.ftp.protocol" {
			continue
		}
		want[st.Key] = sample(t, st)
	}
	// Choose values that show every setting that has a condition.
	want["shop.ftp.protocol"] = "sftp"
	want["shop.ftp.port"] = "22"
	want["shop.transport"] = "mysql"
	want["shop.db.viaSSH"] = "true"
	want["shop.url"] = "https://winkel.example.nl/"
	want["planning.orders.interval"] = "daily"
	want["planning.ordersStock.interval"] = "15m"
	want["customers.processing"] = "handmatig"
	want["app.notify"] = "true"
	want["profile.name"] = "Winkel twee"

	if _, err := s.Save(p.ID, want, nil); err != nil {
		t.Fatalf("save: %v", err)
	}
	// Reopen, as the program does after a restart.
	s.Close()
	s2, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	view, err := s2.View(p.ID)
	if err != nil {
		t.Fatal(err)
	}
	vals, err := s2.Values(p.ID)
	if err != nil {
		t.Fatal(err)
	}
	for k, w := range want {
		decl := Lookup(k)
		if decl.IsSecret() {
			if view.Values[k] != "" {
				t.Errorf("%s: secret returned to the UI", k)
			}
			if !view.Set[k] {
				t.Errorf("%s: secret not flagged as set", k)
			}
			if vals[k] != Normalize(decl, w) {
				t.Errorf("%s: stored secret %q, want %q", k, vals[k], w)
			}
			continue
		}
		if view.Values[k] != w {
			t.Errorf("%s = %q, want %q", k, view.Values[k], w)
		}
	}
	if view.Values["shop.ftp.tls"] != "ssh" {
		t.Errorf("Versleuteling follows the protocol: got %q, want ssh", view.Values["shop.ftp.tls"])
	}
	if len(view.Missing) != 0 {
		t.Errorf("missing after filling everything: %v", view.Missing)
	}
	// No secret appears in the database file in clear.
	raw, _ := os.ReadFile(filepath.Join(dir, "settings.db"))
	wal, _ := os.ReadFile(filepath.Join(dir, "settings.db-wal"))
	for k, w := range want {
		if IsSecret(k) && (bytes.Contains(raw, []byte(w[:20])) || bytes.Contains(wal, []byte(w[:20]))) {
			t.Errorf("%s is stored in clear text", k)
		}
	}
}

func TestSaveKeepsAndClearsSecrets(t *testing.T) {
	s, _ := openTest(t)
	p, _ := s.CreateProfile("A")
	if _, err := s.Save(p.ID, map[string]string{"snelstart.clientKey": "k1"}, nil); err != nil {
		t.Fatal(err)
	}
	// An empty value from the UI (which never had the secret) keeps it.
	if _, err := s.Save(p.ID, map[string]string{"snelstart.clientKey": "", "shop.ftp.user": "u"}, nil); err != nil {
		t.Fatal(err)
	}
	if v, _ := s.Values(p.ID); v["snelstart.clientKey"] != "k1" {
		t.Fatalf("secret lost by a save without it: %q", v["snelstart.clientKey"])
	}
	if _, err := s.Save(p.ID, nil, []string{"snelstart.clientKey"}); err != nil {
		t.Fatal(err)
	}
	view, _ := s.View(p.ID)
	if view.Set["snelstart.clientKey"] {
		t.Fatal("secret still set after clearing")
	}
	var ve *ValidationError
	if _, err := s.Save(p.ID, nil, []string{"shop.ftp.user"}); !errors.As(err, &ve) {
		t.Fatalf("clearing a non-secret: got %v, want a validation error", err)
	}
}

func TestValidation(t *testing.T) {
	cases := []struct {
		key, value, code string
	}{
		{"shop.ftp.port", "70000", "port"},
		{"shop.ftp.port", "0", "port"},
		{"shop.ftp.port", "21a", "port"},
		{"shop.url", "www.winkel.nl", "url_scheme"},
		{"shop.url", "ftp://winkel.nl", "url_scheme"},
		{"shop.url", "http://winkel.nl", "url_https"},
		{"shop.url", "https://user:pw@winkel.nl", "url_userinfo"},
		{"shop.url", "https://winkel.nl/?route=x", "url_query"},
		{"shop.ftp.host", "ftp://ftp.winkel.nl", "host_scheme"},
		{"shop.ftp.host", "ftp.winkel.nl:21", "host_port"},
		{"shop.ftp.host", "ftp winkel", "host"},
		{"shop.tablePrefix", "oc_; DROP TABLE", "pattern_shop_tablePrefix"},
		{"shop.tablePrefix", "oc-", "pattern_shop_tablePrefix"},
		{"shop.since", "28-11-2026", "datetime"},
		{"shop.orderStatuses", "0,1", "status_zero"},
		{"shop.storeIDs", "1;2", "id_list"},
		{"shop.ftp.root", "/public_html/../etc", "path_dots"},
		{"sales.differenceThreshold", "-1", "money"},
		{"sales.differenceThreshold", "0.001", "money"},
		{"sales.differenceThreshold", "abc", "money"},
		{"sales.descriptionTemplate", "Order {nummer}", "template_unknown"},
		{"sales.descriptionTemplate", "Order {ordernummer", "template_braces"},
		{"sales.processStatus", "Verzonden", "choice"},
		{"stock.buffer", "-3", "int_range"},
		{"app.staleHours", "0", "int_range"},
		{"planning.orders.interval", "3m", "choice"},
		{"articles.revenueGroupByVat", "21", "rate_map"},
		{"profile.name", strings.Repeat("x", 61), "too_long"},
		{"shop.ftp.user", "a\x00b", "control_chars"},
		{"shop.ssh.privateKey", "not a key", "ssh_key_invalid"},
	}
	for _, c := range cases {
		t.Run(c.key+"="+c.value, func(t *testing.T) {
			s, _ := openTest(t)
			p, _ := s.CreateProfile("P")
			changes := map[string]string{c.key: c.value, "shop.ftp.protocol": "sftp"}
			_, err := s.Save(p.ID, changes, nil)
			var ve *ValidationError
			if !errors.As(err, &ve) {
				t.Fatalf("got %v, want a validation error", err)
			}
			found := false
			for _, is := range ve.Issues {
				found = found || (is.Key == c.key && is.Code == c.code)
			}
			if !found {
				t.Fatalf("issues %v, want %s on %s", ve.Issues, c.code, c.key)
			}
			// Nothing was saved, not even the valid protocol change.
			view, _ := s.View(p.ID)
			if view.Values["shop.ftp.protocol"] != "ftps-explicit" {
				t.Fatal("a rejected save changed the profile")
			}
		})
	}
}

func TestNormalizeAndAccept(t *testing.T) {
	s, _ := openTest(t)
	p, _ := s.CreateProfile("P")
	_, err := s.Save(p.ID, map[string]string{
		"sales.differenceThreshold": " 0,1 ",
		"shop.orderStatuses":        "2, 5 ,15",
		"shop.url":                  "http://localhost:8080/shop",
		"shop.allowHTTP":            "true",
		"shop.ftp.host":             "2001:db8::1",
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	v, _ := s.View(p.ID)
	if v.Values["sales.differenceThreshold"] != "0.10" || v.Values["shop.orderStatuses"] != "2,5,15" {
		t.Fatalf("not normalized: %q %q", v.Values["sales.differenceThreshold"], v.Values["shop.orderStatuses"])
	}
}

func TestRequiredIsReportedNotBlocking(t *testing.T) {
	s, _ := openTest(t)
	p, _ := s.CreateProfile("P")
	res, err := s.Save(p.ID, map[string]string{"customers.processing": "handmatig"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	keys := map[string]bool{}
	for _, m := range res.Missing {
		keys[m.Key] = true
	}
	for _, k := range []string{"customers.defaultCode", "snelstart.clientKey", "shop.ftp.host", "shop.url", "articles.revenueGroup"} {
		if !keys[k] {
			t.Errorf("%s not reported missing: %v", k, res.Missing)
		}
	}
	if keys["shop.db.host"] {
		t.Error("a hidden setting (database, with the bridge chosen) was reported missing")
	}
}

func TestProfiles(t *testing.T) {
	s, _ := openTest(t)
	a, err := s.CreateProfile("Winkel A")
	if err != nil {
		t.Fatal(err)
	}
	var ve *ValidationError
	if _, err := s.CreateProfile("winkel a"); !errors.As(err, &ve) || ve.Issues[0].Code != "name_taken" {
		t.Fatalf("duplicate name (other case): %v", err)
	}
	if _, err := s.CreateProfile("  "); !errors.As(err, &ve) || ve.Issues[0].Code != CodeRequired {
		t.Fatalf("empty name: %v", err)
	}
	if err := s.DeleteProfile(a.ID); !errors.Is(err, ErrLastProfile) {
		t.Fatalf("deleting the last profile: %v", err)
	}
	if _, err := s.Save(a.ID, map[string]string{"shop.ftp.host": "ftp.a.nl", "shop.ftp.password": "pw"}, nil); err != nil {
		t.Fatal(err)
	}
	s.SetSecret(a.ID, "shop.bridge.secret", "bridge-geheim")
	s.SetReadOnly(a.ID, "shop.bridge.path", "sc-1/2.php")
	b, err := s.CopyProfile(a.ID, "Winkel B")
	if err != nil {
		t.Fatal(err)
	}
	vb, _ := s.Values(b.ID)
	if vb["shop.ftp.host"] != "ftp.a.nl" || vb["shop.ftp.password"] != "pw" {
		t.Fatalf("copy lost settings: %q %q", vb["shop.ftp.host"], vb["shop.ftp.password"])
	}
	// The bridge is the original's alone.
	if vb["shop.bridge.secret"] != "" || vb["shop.bridge.path"] != "" {
		t.Fatalf("the copy took the bridge: %q %q", vb["shop.bridge.path"], vb["shop.bridge.secret"])
	}
	if va, _ := s.Values(a.ID); va["shop.bridge.secret"] != "bridge-geheim" {
		t.Fatal("the original lost its bridge")
	}
	va, _ := s.Values(a.ID)
	if vb["shop.since"] != va["shop.since"] {
		t.Fatal("copy did not take Vanaf datum/tijd")
	}
	if _, err := s.RenameProfile(b.ID, "Winkel A"); !errors.As(err, &ve) {
		t.Fatalf("rename to a taken name: %v", err)
	}
	if _, err := s.RenameProfile(b.ID, "Winkel C"); err != nil {
		t.Fatal(err)
	}
	// Program settings are shared; profile settings are not.
	if _, err := s.Save(b.ID, map[string]string{"ui.language": "en", "shop.ftp.host": "ftp.c.nl"}, nil); err != nil {
		t.Fatal(err)
	}
	va2, _ := s.View(a.ID)
	if va2.Values["ui.language"] != "en" || va2.Values["shop.ftp.host"] != "ftp.a.nl" {
		t.Fatalf("scopes mixed: language %q host %q", va2.Values["ui.language"], va2.Values["shop.ftp.host"])
	}
	if lang, _ := s.ProgramValue("ui.language"); lang != "en" {
		t.Fatalf("program language %q", lang)
	}
	if err := s.DeleteProfile(b.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.View(b.ID); !errors.Is(err, ErrNotFound) {
		t.Fatalf("deleted profile still there: %v", err)
	}
	ps, _ := s.Profiles()
	if len(ps) != 1 || ps[0].ID != a.ID {
		t.Fatalf("profiles after delete: %v", ps)
	}
}

func TestSinceDefaultIsCreationMoment(t *testing.T) {
	s, _ := openTest(t)
	s.now = func() time.Time { return time.Date(2026, 5, 1, 9, 30, 0, 0, time.Local) }
	p, _ := s.CreateProfile("P")
	s.now = time.Now
	v, _ := s.View(p.ID)
	if v.Values["shop.since"] != "2026-05-01T09:30" {
		t.Fatalf("Vanaf datum/tijd = %q, want the creation moment", v.Values["shop.since"])
	}
}

func TestMigrationKeepsData(t *testing.T) {
	dir := t.TempDir()
	old, err := openAt(dir, 1) // the store as the first version wrote it
	if err != nil {
		t.Fatal(err)
	}
	if old.db.Migrator().HasTable("runs") {
		t.Fatal("version 1 should not have the runs table")
	}
	p, err := old.CreateProfile("Oud")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := old.Save(p.ID, map[string]string{"shop.ftp.host": "ftp.oud.nl", "snelstart.clientKey": "sleutel"}, nil); err != nil {
		t.Fatal(err)
	}
	old.Close()

	s, err := Open(dir)
	if err != nil {
		t.Fatalf("open an old store: %v", err)
	}
	defer s.Close()
	v, err := s.Values(p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if v["shop.ftp.host"] != "ftp.oud.nl" || v["snelstart.clientKey"] != "sleutel" || v["profile.name"] != "Oud" {
		t.Fatalf("data lost in migration: %v", v)
	}
	if err := s.AddRun(&Run{ProfileID: p.ID, Task: TaskOrders, Trigger: "manual", StartedAt: time.Now(), State: "ok"}); err != nil {
		t.Fatalf("new table after migration: %v", err)
	}
	if r, err := s.LastRun(p.ID, TaskOrders); err != nil || r == nil || r.State != "ok" {
		t.Fatalf("last run: %v %v", r, err)
	}
}

func TestNewerDatabaseIsRefused(t *testing.T) {
	dir := t.TempDir()
	s, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	s.db.Create(&schemaVersion{Version: LatestVersion + 1, Name: "future"})
	s.Close()
	if _, err := Open(dir); !errors.Is(err, ErrNewerDatabase) {
		t.Fatalf("got %v, want ErrNewerDatabase", err)
	}
}

func TestLostKeyFileIsReported(t *testing.T) {
	s, dir := openTest(t)
	p, _ := s.CreateProfile("P")
	s.Save(p.ID, map[string]string{"shop.db.password": "pw"}, nil)
	s.Close()
	os.Remove(filepath.Join(dir, "secret.key"))
	s2, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	if _, err := s2.Values(p.ID); !errors.Is(err, ErrSecretUnreadable) {
		t.Fatalf("got %v, want ErrSecretUnreadable", err)
	}
}

func TestDeclarationIsConsistent(t *testing.T) {
	placed := map[string]int{}
	var walk func(tabs []Tab)
	walk = func(tabs []Tab) {
		for _, tab := range tabs {
			for _, sec := range tab.Sections {
				for _, k := range sec.Keys {
					if Lookup(k) == nil {
						t.Errorf("tab %s places unknown setting %s", tab.ID, k)
					}
					placed[k]++
				}
			}
			walk(tab.Sub)
		}
	}
	walk(Tabs)
	for _, st := range Settings {
		if st.Hidden {
			if placed[st.Key] != 0 {
				t.Errorf("hidden %s is on a tab", st.Key)
			}
			continue
		}
		if placed[st.Key] != 1 {
			t.Errorf("%s is on %d tabs, want exactly 1", st.Key, placed[st.Key])
		}
		if st.Kind == KindChoice && st.Default != "" {
			if code, _ := checkValue(&st, st.Default); code != "" {
				t.Errorf("%s: default %q is invalid (%s)", st.Key, st.Default, code)
			}
		}
		for _, c := range st.Choices {
			for k := range c.Sets {
				if Lookup(k) == nil {
					t.Errorf("%s choice %s sets unknown %s", st.Key, c.Value, k)
				}
			}
		}
	}
	want := []string{"snelstart", "opencart", "mapping", "planning", "execution", "program"}
	for i, tab := range Tabs {
		if tab.ID != want[i] {
			t.Fatalf("tab %d is %s, want %s (the manual's order)", i, tab.ID, want[i])
		}
	}
}
