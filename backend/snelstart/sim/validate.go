package sim

import (
	"encoding/json"
	"net/mail"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/shopspring/decimal"
)

// The checks SnelStart makes on writes, with the codes of reference §4–5.
// Where the reference names a range of codes without saying which is which,
// the split below is ours and marked [I].

func tooLong(v any, n int) bool { s, _ := v.(string); return utf8.RuneCountInString(s) > n }

// checkAdres checks an address; codes holds the codes for contactpersoon,
// straat, postcode, plaats and land in that order.
func (s *Server) checkAdres(a any, codes [5]string) [][2]string {
	m, ok := a.(map[string]any)
	if !ok {
		return nil
	}
	var errs [][2]string
	for i, f := range []string{"contactpersoon", "straat", "postcode", "plaats"} {
		max := 50
		if f == "postcode" {
			max = 25
		}
		if tooLong(m[f], max) {
			errs = append(errs, [2]string{codes[i], f + " is te lang (maximaal " + strconv.Itoa(max) + " tekens)."})
		}
	}
	if land, ok := m["land"].(map[string]any); ok {
		if _, exists := s.coll["landen"].get(str(land, "id")); !exists {
			errs = append(errs, [2]string{codes[4], "Het land bestaat niet."})
		}
	}
	return errs
}

var btwNummerRE = regexp.MustCompile(`^[A-Za-z0-9]+$`)

func (s *Server) checkRelatie(r map[string]any, id string) [][2]string {
	var errs [][2]string
	soorten, _ := r["relatiesoort"].([]any)
	klant, leverancier := false, false
	for _, x := range soorten {
		switch strings.ToLower(asString(x)) {
		case "klant":
			klant = true
		case "leverancier":
			leverancier = true
		case "eigen":
			errs = append(errs, [2]string{"REL-0048", "Relatiesoort Eigen kan niet worden aangemaakt."})
		}
	}
	if !klant && !leverancier && len(errs) == 0 {
		errs = append(errs, [2]string{"REL-0001", "Relatiesoort moet gevuld zijn."})
	}
	if klant && leverancier {
		errs = append(errs, [2]string{"REL-0065", "Een relatie kan niet zowel klant als leverancier zijn."})
	}
	if strings.TrimSpace(str(r, "naam")) == "" {
		errs = append(errs, [2]string{"REL-0007", "Naam moet gevuld zijn."})
	}
	errs = append(errs, s.checkAdres(r["vestigingsAdres"], [5]string{"REL-0020", "REL-0021", "REL-0022", "REL-0023", "REL-0055"})...)
	errs = append(errs, s.checkAdres(r["correspondentieAdres"], [5]string{"REL-0025", "REL-0026", "REL-0027", "REL-0028", "REL-0056"})...)
	if v, ok := r["vestigingsAdres"].(map[string]any); ok {
		filled := str(v, "straat") != "" || str(v, "postcode") != "" || str(v, "plaats") != ""
		if filled && (str(v, "straat") == "" || str(v, "plaats") == "") {
			errs = append(errs, [2]string{"REL-0060", "Vul het vestigingsadres volledig in (straat en plaats)."})
		}
	}
	if email := str(r, "email"); email != "" {
		if tooLong(email, 250) {
			errs = append(errs, [2]string{"REL-0084", "E-mailadres is te lang."})
		}
		for _, part := range strings.Split(email, ";") {
			if a, err := mail.ParseAddress(strings.TrimSpace(part)); err != nil || a.Address != strings.TrimSpace(part) {
				errs = append(errs, [2]string{"REL-0061", "E-mailadres is ongeldig."})
				break
			}
		}
	}
	if tooLong(r["telefoon"], 25) || tooLong(r["mobieleTelefoon"], 25) {
		errs = append(errs, [2]string{"REL-0029", "Telefoonnummer is te lang."}) // [I]
	}
	if btw := str(r, "btwNummer"); btw != "" {
		switch {
		case len(btw) < 2:
			errs = append(errs, [2]string{"REL-0057", "Btw-nummer is te kort."})
		case len(btw) > 50:
			errs = append(errs, [2]string{"REL-0058", "Btw-nummer is te lang."})
		case !btwNummerRE.MatchString(btw):
			errs = append(errs, [2]string{"REL-0059", "Btw-nummer bevat ongeldige tekens."})
		}
	}
	if kt, ok := r["krediettermijn"].(json.Number); ok {
		if n, err := kt.Int64(); err != nil || n < -365 || n > 1000 {
			errs = append(errs, [2]string{"REL-0003", "Krediettermijn moet tussen -365 en 1000 liggen."})
		}
	}
	code, _ := r["relatiecode"].(json.Number)
	n, _ := code.Int64()
	if n == 0 && id == "" {
		r["relatiecode"] = json.Number(strconv.FormatInt(s.nextRelatiecode(), 10))
	} else if n != 0 {
		for _, other := range s.coll["relaties"].items {
			if oc, _ := other["relatiecode"].(json.Number); string(oc) == strconv.FormatInt(n, 10) && !strings.EqualFold(str(other, "id"), id) {
				errs = append(errs, [2]string{"REL-0008", "Relatiecode bestaat al."})
				break
			}
		}
	}
	return errs
}

func (s *Server) nextRelatiecode() int64 {
	var max int64
	for _, r := range s.coll["relaties"].items {
		if c, ok := r["relatiecode"].(json.Number); ok {
			if n, _ := c.Int64(); n > max {
				max = n
			}
		}
	}
	return max + 1
}

func (s *Server) checkArtikel(a map[string]any, id string) [][2]string {
	var errs [][2]string
	code := strings.TrimSpace(str(a, "artikelcode"))
	maxLen, _ := s.company["artikelcodeMaxLengte"].(json.Number).Int64()
	switch {
	case code == "":
		errs = append(errs, [2]string{"ART-0002", "Artikelcode moet gevuld zijn."})
	case s.company["artikelcodeSoort"] == "Numeriek" && !regexp.MustCompile(`^\d+$`).MatchString(code):
		errs = append(errs, [2]string{"ART-0003", "Artikelcode moet een nummer zijn."})
	case maxLen > 0 && int64(utf8.RuneCountInString(code)) > maxLen:
		errs = append(errs, [2]string{"ART-0004", "Artikelcode is te lang."})
	}
	for _, other := range s.coll["artikelen"].items {
		if code != "" && strings.EqualFold(str(other, "artikelcode"), code) && !strings.EqualFold(str(other, "id"), id) {
			errs = append(errs, [2]string{"ART-0005", "Artikelcode bestaat al."})
			break
		}
	}
	switch om := str(a, "omschrijving"); {
	case strings.TrimSpace(om) == "":
		errs = append(errs, [2]string{"ART-0006", "Omschrijving moet gevuld zijn."})
	case tooLong(om, 250):
		errs = append(errs, [2]string{"ART-0007", "Omschrijving is te lang."})
	}
	grp, _ := a["artikelOmzetgroep"].(map[string]any)
	if grp == nil || str(grp, "id") == "" {
		errs = append(errs, [2]string{"ART-0008", "Artikelomzetgroep moet gevuld zijn."})
	} else if _, ok := s.coll["artikelomzetgroepen"].get(str(grp, "id")); !ok {
		errs = append(errs, [2]string{"ART-0009", "Artikelomzetgroep bestaat niet."})
	}
	if id == "" { // stock is not set through the API
		a["technischeVoorraad"], a["vrijeVoorraad"] = json.Number("0"), json.Number("0")
		a["isHoofdartikel"], a["subartikelen"] = false, []any{}
		if _, ok := a["isNonActief"]; !ok {
			a["isNonActief"] = false
		}
	}
	return errs
}

func validProcesStatus(s string) bool {
	for _, v := range []string{"Order", "Offerte", "Bevestiging", "Werkbon", "Pakbon", "Afhaalbon", "Contantbon", "Factuur"} {
		if v == s {
			return true
		}
	}
	return false
}

// prepareOrder checks a verkooporder and fills in what SnelStart does: the
// number, line totals, omschrijving from the article and the order totals
// (vatOf).
func (s *Server) prepareOrder(o map[string]any) [][2]string {
	var errs [][2]string
	creating := o["nummer"] == nil || o["nummer"] == json.Number("0")
	if !creating && o["id"] == nil {
		errs = append(errs, [2]string{"VOR-0005", "Het ordernummer moet leeg zijn bij het aanmaken."})
	}
	rel, _ := o["relatie"].(map[string]any)
	relatie, ok := s.coll["relaties"].get(str(rel, "id"))
	isKlant := false
	if ok {
		for _, x := range relatie["relatiesoort"].([]any) {
			isKlant = isKlant || strings.EqualFold(asString(x), "Klant")
		}
	}
	if !isKlant {
		errs = append(errs, [2]string{"VOR-0002", "De relatie moet een bestaande klant zijn."})
	}
	if o["procesStatus"] == nil || o["procesStatus"] == "" {
		o["procesStatus"] = "Order"
	} else if !validProcesStatus(str(o, "procesStatus")) {
		errs = append(errs, [2]string{"VOR-0004", "Ongeldige processtatus."}) // [I]
	}
	if d := str(o, "datum"); d == "" {
		o["datum"] = time.Now().Format("2006-01-02T00:00:00")
	} else if _, err := parseTime(d); err != nil {
		errs = append(errs, [2]string{"VOR-0003", "Ongeldige datum."}) // [I]
	}
	if tooLong(o["orderreferentie"], 50) {
		errs = append(errs, [2]string{"VOR-0011", "Orderreferentie is te lang (maximaal 50 tekens)."})
	}
	for _, k := range []string{"afleveradres", "factuuradres"} {
		errs = append(errs, s.checkAdres(o[k], [5]string{"VOR-0006", "VOR-0007", "VOR-0008", "VOR-0009", "VOR-0010"})...)
	}
	model := str(o, "verkooporderBtwIngaveModel")
	switch model {
	case "":
		model = "Exclusief"
		o["verkooporderBtwIngaveModel"] = model
	case "Inclusief", "Exclusief":
	default:
		errs = append(errs, [2]string{"ALG-0102", "Ongeldig btw-ingavemodel."})
	}
	for _, ref := range []struct{ key, coll string }{{"kostenplaats", "kostenplaatsen"}, {"verkoopordersjabloon", "verkoopordersjablonen"}} {
		if m, ok := o[ref.key].(map[string]any); ok && str(m, "id") != "" {
			if _, exists := s.coll[ref.coll].get(str(m, "id")); !exists {
				errs = append(errs, [2]string{"ALG-0102", ref.key + " bestaat niet."})
			}
		}
	}
	regels, _ := o["regels"].([]any)
	for i, rv := range regels {
		r, _ := rv.(map[string]any)
		if r == nil {
			continue
		}
		artRef, _ := r["artikel"].(map[string]any)
		art, ok := s.coll["artikelen"].get(str(artRef, "id"))
		if !ok {
			errs = append(errs, [2]string{"ALG-0102", "Regel " + strconv.Itoa(i+1) + ": het artikel bestaat niet."})
			continue
		}
		if str(r, "omschrijving") == "" {
			r["omschrijving"] = art["omschrijving"]
		}
	}
	vat := s.vatOf(o)
	excl, incl := vat.excl, vat.incl
	if len(errs) > 0 {
		return errs
	}
	o["totaalExclusiefBtw"] = json.Number(excl.StringFixed(2))
	o["totaalInclusiefBtw"] = json.Number(incl.StringFixed(2))
	o["verkoopOrderStatus"] = "InBehandeling"
	o["geblokkeerd"] = false
	if creating {
		next := s.company["volgendVerkoopordernummer"].(json.Number)
		n, _ := next.Int64()
		o["nummer"] = next
		s.company["volgendVerkoopordernummer"] = json.Number(strconv.FormatInt(n+1, 10))
	}
	return nil
}

// orderVAT is what SnelStart makes of an order's lines: per VAT rate (from
// each line's article's omzetgroep) the lines' amount, and the VAT over that
// sum, rounded once per rate [I: a verkoopboeking holds its VAT per
// btwSoort; not documented, so Options.VATPerLine rounds each line instead];
// then the order's totals.
type orderVAT struct {
	excl, incl decimal.Decimal
	perRate    map[string]decimal.Decimal // rate ("21") → VAT
}

// vatOf computes the line totals (stored in each regel) and the VAT.
func (s *Server) vatOf(o map[string]any) orderVAT {
	out := orderVAT{perRate: map[string]decimal.Decimal{}}
	inclusive := str(o, "verkooporderBtwIngaveModel") == "Inclusief"
	sums, lineVAT := map[string]decimal.Decimal{}, map[string]decimal.Decimal{}
	var rates []decimal.Decimal
	regels, _ := o["regels"].([]any)
	for _, rv := range regels {
		r, _ := rv.(map[string]any)
		if r == nil {
			continue
		}
		artRef, _ := r["artikel"].(map[string]any)
		art, ok := s.coll["artikelen"].get(str(artRef, "id"))
		if !ok {
			continue
		}
		price, _ := asDecimal(orZero(r["stuksprijs"]))
		qty, _ := asDecimal(orZero(r["aantal"]))
		disc, _ := asDecimal(orZero(r["kortingsPercentage"]))
		total := price.Mul(qty).Mul(decimal.NewFromInt(100).Sub(disc)).Div(decimal.NewFromInt(100)).Round(2)
		r["totaal"] = json.Number(total.StringFixed(2))
		rate := s.vatRate(art)
		if _, seen := sums[rate.String()]; !seen {
			rates = append(rates, rate)
		}
		sums[rate.String()] = sums[rate.String()].Add(total)
		lineVAT[rate.String()] = lineVAT[rate.String()].Add(vatOver(total, rate, inclusive))
	}
	for _, rate := range rates {
		sum, vat := sums[rate.String()], vatOver(sums[rate.String()], rate, inclusive)
		if s.opt.VATPerLine {
			vat = lineVAT[rate.String()]
		}
		if inclusive {
			out.excl, out.incl = out.excl.Add(sum.Sub(vat)), out.incl.Add(sum)
		} else {
			out.excl, out.incl = out.excl.Add(sum), out.incl.Add(sum).Add(vat)
		}
		out.perRate[rate.String()] = vat
	}
	return out
}

// vatOver is the VAT in (incl.) or on (excl.) an amount, to the cent.
func vatOver(amount, rate decimal.Decimal, inclusive bool) decimal.Decimal {
	hundred := decimal.NewFromInt(100)
	if inclusive {
		return amount.Mul(rate).Div(hundred.Add(rate)).Round(2)
	}
	return amount.Mul(rate).Div(hundred).Round(2)
}

// VATPerRate is the VAT SnelStart books for a stored verkooporder, per rate
// ("21", "9", "0"), computed from its lines as on create.
func (s *Server) VATPerRate(order map[string]any) map[string]decimal.Decimal {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.vatOf(deepCopy(order).(map[string]any)).perRate
}

func orZero(v any) any {
	if v == nil {
		return json.Number("0")
	}
	return v
}

// vatRate is the Dutch VAT percentage of an article's omzetgroep.
func (s *Server) vatRate(art map[string]any) decimal.Decimal {
	grpRef, _ := art["artikelOmzetgroep"].(map[string]any)
	grp, ok := s.coll["artikelomzetgroepen"].get(str(grpRef, "id"))
	if !ok {
		return decimal.Zero
	}
	soort := str(grp, "verkoopNederlandBtwSoort")
	for _, t := range s.btwtarieven {
		m := t.(map[string]any)
		if str(m, "btwSoort") == soort {
			d, _ := asDecimal(m["btwPercentage"])
			return d
		}
	}
	return decimal.Zero
}

// reserveStock lowers vrijeVoorraad of the ordered articles (and of a
// recipe's components) [I: reference §4.8]. A negative quantity (a credit
// order) raises it the same way; the reference says nothing of negative
// quantities, so this is an assumption (docs/refunds.md).
func (s *Server) reserveStock(o map[string]any) {
	regels, _ := o["regels"].([]any)
	for _, rv := range regels {
		r, _ := rv.(map[string]any)
		ref, _ := r["artikel"].(map[string]any)
		art, ok := s.coll["artikelen"].get(str(ref, "id"))
		if !ok {
			continue
		}
		qty, _ := asDecimal(orZero(r["aantal"]))
		lower(art, qty)
		if subs, ok := art["subartikelen"].([]any); ok {
			for _, sv := range subs {
				sub, _ := sv.(map[string]any)
				if part, ok := s.coll["artikelen"].get(str(sub, "id")); ok {
					per, _ := asDecimal(orZero(sub["aantal"]))
					lower(part, qty.Mul(per))
				}
			}
		}
	}
}

func lower(art map[string]any, qty decimal.Decimal) {
	if art["voorraadControle"] != true {
		return
	}
	free, _ := asDecimal(orZero(art["vrijeVoorraad"]))
	art["vrijeVoorraad"] = json.Number(free.Sub(qty).String())
}
