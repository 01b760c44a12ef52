package main

import (
	"bytes"
	"io"
	"log/slog"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/s-connect/s-connect/app"
	"github.com/s-connect/s-connect/backend/config"
	"github.com/s-connect/s-connect/backend/opencart/fixture"
	"github.com/s-connect/s-connect/backend/opencart/fixture/fixturetest"
	"github.com/s-connect/s-connect/backend/snelstart/sim"
	"github.com/s-connect/s-connect/backend/testsvc"
	"github.com/s-connect/s-connect/backend/tlspin"
)

// `s-connect check` prints the findings in Dutch, writes the CSV file,
// exits 3 on differences, 1 with a Dutch reason for a bad period, 2 on a
// wrong command line — and writes nothing to SnelStart.
func TestCheckCommand(t *testing.T) {
	sdb := fixturetest.NewShopDB(t, fixture.Config{Version: "3.0", Prefix: "oc_", Orders: 12, Products: 10, Customers: 8, Seed: 4})
	sm := sim.New(sim.Options{ClientKeys: map[string][]string{"k": nil}, SubscriptionKeys: []string{"s"}})
	sm.SeedDefault()
	srv := httptest.NewServer(sm)
	defer srv.Close()
	store, err := config.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	msgs, err := app.LoadMessages()
	if err != nil {
		t.Fatal(err)
	}
	svc := app.NewServices(app.Options{Store: store, Messages: msgs, Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Mode: "check"})
	p, _ := store.CreateProfile("Winkel")
	if _, err := store.Save(p.ID, map[string]string{
		"snelstart.clientKey": "k", "snelstart.subscriptionKey": "s", "snelstart.apiBaseURL": srv.URL + "/v2/", "snelstart.authBaseURL": srv.URL + "/",
		"shop.transport": "mysql", "shop.db.host": "127.0.0.1", "shop.db.port": strconv.Itoa(sdb.Port), "shop.db.name": sdb.Database,
		"shop.db.user": "root", "shop.url": "https://winkel.example.nl/", "shop.since": "2020-01-01T00:00", "sales.referencePrefix": "WS",
		"sales.template": "Webshop", "sales.shippingArticle": "VERZEND", "sales.discountArticle": "KORTING",
		"sales.discountArticleByVat": "9=KORTING-LAAG\n0=KORTING-GEEN", "sales.voucherArticle": "CADEAUBON",
		"sales.paymentFeeArticle": "BETAALKOSTEN", "sales.differenceArticle": "VERSCHIL",
		"articles.revenueGroup": "Omzet hoog", "articles.revenueGroupByVat": "9=Omzet laag\n0=Omzet vrijgesteld",
	}, nil); err != nil {
		t.Fatal(err)
	}
	if err := store.SetReadOnly(p.ID, "shop.db.certFingerprint", tlspin.Fingerprint(testsvc.StartMariaDB(t).Cert)); err != nil {
		t.Fatal(err)
	}
	check := func(from, to, csv string) (int, string, string) {
		var out, errOut bytes.Buffer
		code := checkTask(svc, p.ID, from, to, csv, &out, &errOut)
		return code, out.String(), errOut.String()
	}

	if code, _, errOut := check("2026-11-30", "2026-11-01", ""); code != exitFailed || !strings.Contains(errOut, "De periode klopt niet") {
		t.Errorf("to before from: exit %d, %q", code, errOut)
	}
	if code, _, errOut := check("2025-01-01", "2026-06-30", ""); code != exitFailed || !strings.Contains(errOut, "De periode is te lang") {
		t.Errorf("a year and a half: exit %d, %q", code, errOut)
	}
	if code, _, _ := check("", "2026-11-30", ""); code != exitUsage {
		t.Errorf("no --from: exit %d", code)
	}

	// Nothing booked yet: every sale of the shop is missing in SnelStart.
	csv := filepath.Join(t.TempDir(), "controle.csv")
	code, out, errOut := check("2026-09-01", "2026-11-30", csv)
	sales := len(sdb.Shop.Sales())
	if code != exitDifferences || !strings.Contains(out, "Afwijkingen: "+strconv.Itoa(sales)) ||
		strings.Count(out, "Ontbreekt in SnelStart · WS") != sales {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	raw, err := os.ReadFile(csv)
	if err != nil {
		t.Fatal(err)
	}
	text := string(raw)
	if !strings.HasPrefix(text, "\ufeffControle webshop – SnelStart, periode 2026-09-01 – 2026-11-30\r\nSoort;Ordernummer;Betalingskenmerk;") ||
		strings.Count(text, "\r\nOntbreekt in SnelStart;") != sales || !strings.Contains(text, "\r\nTotaal;") {
		t.Errorf("CSV:\n%s", text)
	}
	if sm.Writes() != 0 {
		t.Errorf("the check wrote %d times to SnelStart", sm.Writes())
	}

	// Vanaf datum/tijd in the period: the orders before it are never
	// imported, so they are not missing; the output and the CSV say why.
	all := sdb.Shop.Sales()
	sort.Slice(all, func(i, j int) bool { return all[i].Added.Before(all[j].Added) })
	since := all[len(all)/2].Added.In(time.Local).Truncate(time.Minute)
	later := 0
	for _, o := range all {
		if !o.Added.Before(since) {
			later++
		}
	}
	if _, err := store.Save(p.ID, map[string]string{"shop.since": since.Format(config.DateTimeLayout)}, nil); err != nil {
		t.Fatal(err)
	}
	code, out, errOut = check("2026-09-01", "2026-11-30", csv)
	note := "De periode begint vóór ‘Vanaf datum/tijd’ (" + since.Format("2006-01-02 15:04") + "): orders van vóór dat moment leest S-Connect bewust niet in"
	if code != exitDifferences || later == sales || strings.Count(out, "Ontbreekt in SnelStart · WS") != later || !strings.Contains(out, note) {
		t.Fatalf("with Vanaf datum/tijd %s: exit %d, %d of %d missing expected, stdout %q, stderr %q", since, code, later, sales, out, errOut)
	}
	if raw, err = os.ReadFile(csv); err != nil {
		t.Fatal(err)
	}
	if text := string(raw); !strings.HasPrefix(text, "\ufeffControle webshop – SnelStart, periode 2026-09-01 – 2026-11-30\r\n"+note) ||
		strings.Count(text, "\r\nOntbreekt in SnelStart;") != later {
		t.Errorf("CSV with Vanaf datum/tijd:\n%s", text)
	}

	// Without Betalingskenmerk uniek there is nothing to find the orders by.
	if _, err := store.Save(p.ID, map[string]string{"sales.paymentReference": "false"}, nil); err != nil {
		t.Fatal(err)
	}
	if code, _, errOut := check("2026-09-01", "2026-11-30", ""); code != exitFailed || !strings.Contains(errOut, "Betalingskenmerk uniek") {
		t.Errorf("no reference: exit %d, %q", code, errOut)
	}
}
