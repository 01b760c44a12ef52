package app

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/s-connect/s-connect/backend/config"
	"github.com/s-connect/s-connect/backend/license"
)

// mapping are the Verkopen and Artikelen settings the simulator's
// administration works with.
var mapping = map[string]string{"sales.template": "Webshop", "sales.shippingArticle": "VERZEND",
	"sales.discountArticle": "KORTING", "sales.discountArticleByVat": "9=KORTING-LAAG\n0=KORTING-GEEN", "sales.voucherArticle": "CADEAUBON",
	"sales.paymentFeeArticle": "BETAALKOSTEN", "sales.differenceArticle": "VERSCHIL",
	"articles.revenueGroup": "Omzet hoog", "articles.revenueGroupByVat": "9=Omzet laag\n0=Omzet vrijgesteld"}

// licensed gives the services a licence for the orders, for shopURL.
func licensed(t *testing.T, s *Services, id uint, shopURL string) {
	t.Helper()
	priv := testKey(t)
	text, err := license.Issue(license.License{ID: "t2", Licensee: "Test", Shops: []string{shopURL},
		Modules: []string{license.ModuleOrders}, ValidFrom: time.Now().AddDate(0, -1, 0), ValidUntil: time.Now().AddDate(1, 0, 0)}, priv)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.License.Import(id, text); err != nil {
		t.Fatal(err)
	}
}

// failedRun runs the orders task, which must fail, and checks that the
// run history and the error say the same, with where to fix it.
func failedRun(t *testing.T, s *Services, id uint, fix string) string {
	t.Helper()
	_, err := s.Tasks.RunNow(id, config.TaskOrders)
	if err == nil {
		t.Fatal("the run did not fail")
	}
	e := s.userError(err)
	if e.Fix != fix {
		t.Errorf("%q: fix %q, want %q", e.Message, e.Fix, fix)
	}
	hist, _ := s.Tasks.History(id)
	if len(hist) == 0 || hist[0].State != config.RunFailed || hist[0].Fix != fix || hist[0].Message != "Mislukt — "+e.Message {
		t.Errorf("history %+v, error %q", hist[0], e.Message)
	}
	if got := s.FailedText(err); got != "Mislukt — "+e.Message {
		t.Errorf("command line says %q", got)
	}
	return e.Message
}

// A failed run gives the cause Verbinding testen gives for the same fault,
// through the bridge: a redirecting Webshop URL, a wrong Tabel-prefix, the
// shop down; and a bridge removed from the server.
func TestFailedRunThroughTheBridgeSaysWhy(t *testing.T) {
	s := newTestServices(t)
	id, h := trustedProfile(t, s)
	simProfile(t, s, nil)
	if _, err := s.store.Save(id, mapping, nil); err != nil {
		t.Fatal(err)
	}
	licensed(t, s, id, h.URL)
	if rep, _ := s.Connections.TestOpenCart(id); !rep.OK {
		t.Fatalf("test: %+v", rep)
	}
	redirect := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "https://www.winkel.example.nl"+r.URL.Path, http.StatusMovedPermanently)
	}))
	defer redirect.Close()
	for _, c := range []struct {
		name   string
		change map[string]string
		fix    string
		text   string
	}{
		{"redirect", map[string]string{"shop.url": redirect.URL}, "shop.url", "stuurt door naar https://www.winkel.example.nl/"},
		{"prefix", map[string]string{"shop.url": h.URL, "shop.tablePrefix": "xx_"}, "shop.tablePrefix", "Tabel-prefix"},
		{"down", map[string]string{"shop.tablePrefix": "", "shop.url": "http://127.0.0.1:1/"}, "shop.url", "niet bereikbaar op 127.0.0.1:1"},
	} {
		t.Run(c.name, func(t *testing.T) {
			if _, err := s.store.Save(id, c.change, nil); err != nil {
				t.Fatal(err)
			}
			msg := failedRun(t, s, id, c.fix)
			if !strings.Contains(msg, c.text) {
				t.Errorf("message %q, want %q in it", msg, c.text)
			}
			if rep, _ := s.Connections.TestOpenCart(id); rep.OK || rep.Summary != msg {
				t.Errorf("Verbinding testen says %q, the run %q", rep.Summary, msg)
			}
		})
	}
	// Someone removed S-Connect's folder from the server.
	if _, err := s.store.Save(id, map[string]string{"shop.url": h.URL}, nil); err != nil {
		t.Fatal(err)
	}
	v, _ := s.store.Values(id)
	dir, _, _ := strings.Cut(v["shop.bridge.path"], "/")
	if err := os.RemoveAll(filepath.Join(h.Local, dir)); err != nil {
		t.Fatal(err)
	}
	if msg := failedRun(t, s, id, "opencart"); !strings.Contains(msg, "koppelbestand") {
		t.Errorf("bridge removed: %q", msg)
	}
	if rep, _ := s.Connections.TestOpenCart(id); !rep.OK {
		t.Errorf("a test places it again: %+v", rep)
	}
	res, err := s.Tasks.RunNow(id, config.TaskOrders)
	if err != nil || res.Run.State == config.RunFailed || res.Counts["created"] == 0 {
		t.Fatalf("after the test: %+v %v", res, err)
	}
}

// The same over the direct database connection: a wrong password, a wrong
// Tabel-prefix and the database down; and a refused koppelsleutel.
func TestFailedRunOverTheDatabaseSaysWhy(t *testing.T) {
	s := newTestServices(t)
	id, db := shopProfile(t, s)
	simProfile(t, s, nil)
	if _, err := s.store.Save(id, mapping, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := s.store.Save(id, map[string]string{"shop.url": "https://www.voorbeeldwinkel.nl/"}, nil); err != nil {
		t.Fatal(err)
	}
	licensed(t, s, id, "https://winkel.example.nl") // the address the shop's orders carry
	for _, c := range []struct {
		name   string
		change map[string]string
		fix    string
		text   string
	}{
		{"password", map[string]string{"shop.db.password": "fout"}, "shop.db.password", "weigert de gebruikersnaam of het wachtwoord"},
		{"prefix", map[string]string{"shop.tablePrefix": "xx_"}, "shop.tablePrefix", "Tabel-prefix"},
		{"down", map[string]string{"shop.tablePrefix": "", "shop.db.port": "1"}, "shop.db.host", "niet bereikbaar"},
	} {
		t.Run(c.name, func(t *testing.T) {
			var clear []string
			if c.name == "prefix" {
				clear = []string{"shop.db.password"}
			}
			if _, err := s.store.Save(id, c.change, clear); err != nil {
				t.Fatal(err)
			}
			msg := failedRun(t, s, id, c.fix)
			if !strings.Contains(msg, c.text) {
				t.Errorf("message %q, want %q in it", msg, c.text)
			}
			if rep, _ := s.Connections.TestOpenCart(id); rep.OK || rep.Summary != msg {
				t.Errorf("Verbinding testen says %q, the run %q", rep.Summary, msg)
			}
		})
	}
	if _, err := s.store.Save(id, map[string]string{"shop.db.port": db["shop.db.port"], "snelstart.clientKey": "een-oude-sleutel"}, nil); err != nil {
		t.Fatal(err)
	}
	msg := failedRun(t, s, id, "snelstart.clientKey")
	if rep, _ := s.Connections.TestSnelStart(id); rep.OK || rep.Summary != msg {
		t.Errorf("Verbinding testen says %q, the run %q", rep.Summary, msg)
	}
}

// Nu uitvoeren after a run reads only what is new or changed since; with
// Volledige controle (RunFull) it reads every order of the selection.
func TestVolledigeControleReadsEveryOrder(t *testing.T) {
	s := newTestServices(t)
	id, _ := shopProfile(t, s)
	simProfile(t, s, nil)
	if _, err := s.store.Save(id, mapping, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := s.store.Save(id, map[string]string{"shop.url": "https://www.voorbeeldwinkel.nl/"}, nil); err != nil {
		t.Fatal(err)
	}
	licensed(t, s, id, "https://winkel.example.nl")
	total := func(c map[string]int) int {
		n := 0
		for _, v := range c {
			n += v
		}
		return n
	}
	first, err := s.Tasks.RunNow(id, config.TaskOrders)
	if err != nil || first.Counts["created"] == 0 {
		t.Fatalf("first run: %v %v", first, err)
	}
	all := total(first.Counts)
	again, err := s.Tasks.RunNow(id, config.TaskOrders)
	if err != nil || total(again.Counts) >= all || again.Counts["created"] != 0 {
		t.Fatalf("second run read %v of %d orders: %v", again.Counts, all, err)
	}
	full, err := s.Tasks.RunFull(id, config.TaskOrders)
	if err != nil || total(full.Counts) != all || full.Counts["skipped"] != first.Counts["created"] {
		t.Fatalf("Volledige controle read %v, the first run %v: %v", full.Counts, first.Counts, err)
	}
	// Each run records how it read, for Uitvoering: the first run and
	// Volledige controle every order, the run between only what changed.
	runs, err := s.Tasks.History(id)
	if err != nil || len(runs) != 3 {
		t.Fatalf("history %v %v", runs, err)
	}
	for i, want := range []string{"full", "incremental", "full"} { // newest first
		if r := runs[len(runs)-1-i]; r.Mode != want {
			t.Errorf("run %d: mode %q, want %q", i+1, r.Mode, want)
		}
	}
	if full.Run.Mode != "full" {
		t.Errorf("Volledige controle's result: mode %q", full.Run.Mode)
	}
}
