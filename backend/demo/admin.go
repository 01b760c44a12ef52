package demo

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"sync"
	"time"

	"github.com/shopspring/decimal"

	"github.com/s-connect/s-connect/backend/opencart"
	"github.com/s-connect/s-connect/backend/opencart/fixture"
	"github.com/s-connect/s-connect/backend/snelstart/sim"
)

// The demo administration's keys: the simulator accepts only these, and it
// listens on loopback alone.
const (
	ClientKey       = "demo-koppelsleutel"
	SubscriptionKey = "demo-abonnement"
)

// Articles is how many artikelen with stock the administration has.
const Articles = 200

// Relaties is how many customers it knows before the first order.
const Relaties = 50

// seedAdmin is the administration of the demo shop's owner: the simulator's
// default (VAT rates, omzetgroepen hoog/laag/geen, the Standaard and
// Webshop sjablonen, the fee articles, a recipe), the shop's products as
// artikelen with their own stock (SnelStart's figures, which the stock
// export brings to the shop), a second recipe, and the customers who
// bought before.
func seedAdmin(shop *fixture.Shop) *sim.Server {
	s := newAdmin()
	s.SeedDefault()
	s.SetCompany(map[string]any{"administratieNaam": "Demo Wijnhandel ’t Vaatje", "bedrijfsnaam": "Wijnhandel ’t Vaatje B.V."})
	r := rand.New(rand.NewPCG(2026, 15))
	groups := map[string]map[string]any{}
	for _, g := range s.All("artikelomzetgroepen") {
		groups[fmt.Sprint(g["verkoopNederlandBtwSoort"])] = g
	}
	withStock := 0
	for _, a := range s.All("artikelen") {
		if a["voorraadControle"] == true {
			withStock++
		}
	}
	var recipe []map[string]any
	for _, p := range shop.Products {
		if withStock >= Articles-1 { // the tasting box below is the last
			break
		}
		rate := shop.Rates[p.ID]
		group := groups["Hoog"]
		switch {
		case rate.IsZero():
			group = groups["Geen"]
		case rate.LessThan(decimal.NewFromInt(21)):
			group = groups["Laag"]
		}
		// SnelStart's count differs a little from the shop's: deliveries
		// and sales in the shop's own till since the last export.
		stock := max(1, p.Quantity+r.IntN(12)-3)
		incl := p.Price.Mul(decimal.NewFromInt(100).Add(rate)).Div(decimal.NewFromInt(100)).Round(2)
		a := s.Insert("artikelen", map[string]any{"artikelcode": p.Model, "omschrijving": p.Name, "artikelOmzetgroep": sim.Ref(group),
			"verkoopprijs": json.Number(incl.StringFixed(2)), "eenheid": "stuk", "isNonActief": false, "voorraadControle": true,
			"technischeVoorraad": stock, "vrijeVoorraad": stock, "isHoofdartikel": false, "subartikelen": []any{}})
		withStock++
		if len(recipe) < 3 && p.MasterID == 0 && len(p.Options) == 0 {
			recipe = append(recipe, a)
		}
	}
	// The second recipe (samengesteld artikel): a tasting box of three.
	sub := []any{}
	for _, a := range recipe {
		sub = append(sub, map[string]any{"id": a["id"], "uri": a["uri"], "artikelcode": a["artikelcode"], "aantal": 1})
	}
	s.Insert("artikelen", map[string]any{"artikelcode": "PROEFDOOS", "omschrijving": "Proefdoos (3 producten)", "artikelOmzetgroep": sim.Ref(groups["Hoog"]),
		"verkoopprijs": json.Number("39.95"), "eenheid": "doos", "isNonActief": false, "voorraadControle": true,
		"technischeVoorraad": 8, "vrijeVoorraad": 8, "isHoofdartikel": true, "subartikelen": sub})
	seedRelaties(s, shop, r)
	return s
}

// seedRelaties adds the shop's registered customers who ordered before (by
// e-mail, so the import finds them), and other customers of the shop's
// owner, up to Relaties.
func seedRelaties(s *sim.Server, shop *fixture.Shop, r *rand.Rand) {
	seen := map[string]bool{}
	for _, x := range s.All("relaties") {
		seen[fmt.Sprint(x["email"])] = true
	}
	code := 1000 + len(seen)
	add := func(naam, email string, a opencart.Address) {
		code++
		seen[email] = true
		land := s.LandID(a.CountryISO)
		if land == "" {
			land = s.LandID("NL")
		}
		s.Insert("relaties", map[string]any{"relatiesoort": []string{"Klant"}, "relatiecode": code, "naam": naam, "email": email,
			"nonactief": false, "vestigingsAdres": map[string]any{"straat": a.Address1, "postcode": a.Postcode, "plaats": a.City,
				"land": map[string]any{"id": land, "uri": "/landen/" + land}}})
	}
	for _, o := range shop.Orders {
		if len(seen) >= Relaties || o.CustomerID == 0 || seen[o.Email] || o.Payment.Address1 == "" {
			continue
		}
		naam := o.FirstName + " " + o.LastName
		if o.Payment.Company != "" {
			naam = o.Payment.Company
		}
		add(naam, o.Email, o.Payment)
	}
	firms := []string{"Restaurant De Kade", "Slijterij Van Dam", "Hotel Het Anker", "Bistro ’t Pleintje", "Catering Smaak & Zo",
		"Delicatessen Bos", "Wijnbar Rood", "Eetcafé De Brug", "Lunchroom Zon", "Kaashandel Visser"}
	cities := []string{"Utrecht", "Amersfoort", "Zwolle", "Haarlem", "Delft", "Gouda", "Breda", "Arnhem"}
	for i := 0; len(seen) < Relaties; i++ {
		naam := fmt.Sprintf("%s %s", firms[i%len(firms)], cities[r.IntN(len(cities))])
		add(naam, fmt.Sprintf("inkoop%d@voorbeeld.nl", i+1), opencart.Address{Address1: fmt.Sprintf("Havenstraat %d", 1+r.IntN(120)),
			Postcode: fmt.Sprintf("%04d %c%c", 1000+r.IntN(9000), 'A'+rune(r.IntN(26)), 'A'+rune(r.IntN(26))), City: cities[r.IntN(len(cities))], CountryISO: "NL"})
	}
}

func newAdmin() *sim.Server {
	return sim.New(sim.Options{ClientKeys: map[string][]string{ClientKey: nil}, SubscriptionKeys: []string{SubscriptionKey},
		Seed: uint64(time.Now().UnixNano())})
}

// saveAdmin writes the administration to path through a temporary file.
func saveAdmin(s *sim.Server, path string) error {
	var b bytes.Buffer
	if err := s.Save(&b); err != nil {
		return err
	}
	tmp := path + ".new"
	if err := os.WriteFile(tmp, b.Bytes(), 0o600); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

// admin serves the administration saved at path. Every process of the
// settings folder (the window, the background program, `s-connect run`)
// serves its own copy, so each request first reads the file again when
// another process saved it since, and a request that changed something
// saves at once. Writes of one profile never overlap: its runs hold the
// profile's lock.
type admin struct {
	mu    sync.Mutex
	path  string
	srv   *sim.Server
	stamp stamp
	url   string
}

type stamp struct {
	mod  time.Time
	size int64
}

func stampOf(path string) (stamp, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return stamp{}, err
	}
	return stamp{fi.ModTime(), fi.Size()}, nil
}

func (a *admin) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if err := a.reload(); err != nil {
		http.Error(w, "demo administration: "+err.Error(), http.StatusServiceUnavailable)
		return
	}
	before := a.srv.Writes()
	a.srv.ServeHTTP(w, r)
	if a.srv.Writes() != before {
		if err := saveAdmin(a.srv, a.path); err == nil {
			a.stamp, _ = stampOf(a.path)
		}
	}
}

// reload reads the file when it changed since it was last read or written.
func (a *admin) reload() error {
	st, err := stampOf(a.path)
	if err != nil {
		return err
	}
	if a.srv != nil && st == a.stamp {
		return nil
	}
	f, err := os.Open(a.path)
	if err != nil {
		return err
	}
	defer f.Close()
	s := newAdmin()
	if err := s.Load(f); err != nil {
		return err
	}
	a.srv, a.stamp = s, st
	return nil
}

var (
	adminsMu sync.Mutex
	admins   = map[string]*admin{}
)

// SnelStartURL is the base URL of the demo administration of folder, served
// on loopback by this process from the first call until it ends.
func SnelStartURL(folder string) (string, error) {
	adminsMu.Lock()
	defer adminsMu.Unlock()
	if a, ok := admins[folder]; ok {
		return a.url, nil
	}
	a := &admin{path: AdminPath(folder)}
	if err := a.reload(); err != nil {
		return "", fmt.Errorf("demo administration: %w", err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	a.url = "http://" + ln.Addr().String() + "/"
	srv := &http.Server{Handler: a, ReadHeaderTimeout: 10 * time.Second}
	go srv.Serve(ln) //nolint:errcheck // lives as long as the process
	admins[folder] = a
	return a.url, nil
}

// forget makes a running administration of folder read its file again.
func forget(folder string) {
	adminsMu.Lock()
	a := admins[folder]
	adminsMu.Unlock()
	if a != nil {
		a.mu.Lock()
		a.srv = nil
		a.mu.Unlock()
	}
}
