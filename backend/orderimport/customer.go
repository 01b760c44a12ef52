package orderimport

import (
	"strconv"
	"strings"
	"time"

	"github.com/s-connect/s-connect/backend/config"
	"github.com/s-connect/s-connect/backend/opencart"
	"github.com/s-connect/s-connect/backend/snelstart"
)

// amsterdam is SnelStart's day: an order's date is the Dutch date of the
// moment it was placed, whatever zone the shop runs in.
var amsterdam = func() *time.Location {
	if loc, err := time.LoadLocation("Europe/Amsterdam"); err == nil {
		return loc
	}
	return time.UTC
}()

// usable: an address with a street or a place.
func usable(a opencart.Address) bool { return strings.TrimSpace(a.Address1+a.Address2+a.City) != "" }

// billing is the address to invoice: the payment address, or, when the
// shop has the billing address switched off (OpenCart 4.0.2+ then stores
// it empty), the shipping address; the name from the customer's own fields
// when the address has none.
func billing(o opencart.Order) (opencart.Address, bool) {
	a, fallback := o.Payment, false
	if !usable(a) && usable(o.Shipping) {
		a, fallback = o.Shipping, true
	}
	if strings.TrimSpace(a.FirstName+a.LastName) == "" {
		a.FirstName, a.LastName = o.FirstName, o.LastName
	}
	return a, fallback
}

// delivery is where the order goes: the shipping address, else the billing one.
func delivery(o opencart.Order) opencart.Address {
	if usable(o.Shipping) {
		a := o.Shipping
		if strings.TrimSpace(a.FirstName+a.LastName) == "" {
			a.FirstName, a.LastName = o.FirstName, o.LastName
		}
		return a
	}
	a, _ := billing(o)
	return a
}

// checkAddress holds an order that has no address at all when the
// verkooporder must carry the webshop's addresses.
func checkAddress(o opencart.Order, s Settings) *Hold {
	if s.Addresses != "klantkaart" && !usable(o.Payment) && !usable(o.Shipping) {
		return &Hold{"no_address", ""}
	}
	return nil
}

func customerName(o opencart.Order) string {
	if a, _ := billing(o); strings.TrimSpace(a.Company) != "" {
		return strings.TrimSpace(a.Company)
	}
	return strings.TrimSpace(o.FirstName + " " + o.LastName)
}

// Memo tags a relatie with the OpenCart customer, for Herkenning op klantnummer.
func customerMemo(o opencart.Order) string {
	if o.CustomerID == 0 {
		return "OpenCart-gast, order " + strconv.Itoa(o.ID)
	}
	return "OpenCart-klantnummer: " + strconv.Itoa(o.CustomerID)
}

func normPostcode(s string) string { return strings.ToUpper(strings.ReplaceAll(s, " ", "")) }

func billingPostcode(o opencart.Order) string { a, _ := billing(o); return a.Postcode }

// findCustomer looks among the known relaties the way Herkenning says.
func findCustomer(o opencart.Order, s Settings, k *Knowledge) *snelstart.Relatie {
	for i := range k.Relaties {
		r := &k.Relaties[i]
		switch s.MatchBy {
		case "klantnummer":
			if o.CustomerID > 0 && strings.Contains(r.Memo, customerMemo(o)) {
				return r
			}
		case "naam-postcode":
			if r.VestigingsAdres != nil && strings.EqualFold(r.Naam, customerName(o)) &&
				normPostcode(r.VestigingsAdres.Postcode) == normPostcode(billingPostcode(o)) {
				return r
			}
		case "btw-nummer":
			// OpenCart has no VAT number of its own; a shop that keeps one in
			// a custom field is not read yet, so nothing matches here.
		default:
			if o.Email != "" && strings.EqualFold(strings.TrimSpace(r.Email), strings.TrimSpace(o.Email)) {
				return r
			}
		}
	}
	return nil
}

func planCustomer(o opencart.Order, s Settings, k *Knowledge, p *Plan) (CustomerPlan, *Hold) {
	if r := findCustomer(o, s, k); r != nil {
		return CustomerPlan{Match: s.MatchBy, Existing: r, Update: s.CustomerProcessing == "aanmaken-bijwerken"}, nil
	}
	if s.CustomerProcessing == "handmatig" {
		if k.DefaultRelatie == nil {
			return CustomerPlan{}, &Hold{"default_customer_unknown", strconv.Itoa(s.DefaultCustomer)}
		}
		return CustomerPlan{Match: "default", Existing: k.DefaultRelatie}, nil
	}
	return CustomerPlan{Match: "new", New: newRelatie(o, k, p)}, nil
}

func newRelatie(o opencart.Order, k *Knowledge, p *Plan) *snelstart.Relatie {
	r := &snelstart.Relatie{Relatiesoort: []string{snelstart.RelatieKlant}, Naam: truncate(customerName(o), 100, p, "naam"),
		Email: truncate(o.Email, snelstart.MaxEmail, p, "e-mail"), Telefoon: truncate(o.Telephone, snelstart.MaxTelefoon, p, "telefoon"),
		Memo: customerMemo(o)}
	if a, _ := billing(o); usable(a) {
		r.VestigingsAdres = address(a, k, p, false)
	}
	return r
}

// address makes a SnelStart address within its limits.
func address(a opencart.Address, k *Knowledge, p *Plan, withContact bool) *snelstart.Adres {
	out := &snelstart.Adres{
		Straat:   truncate(strings.TrimSpace(a.Address1+" "+a.Address2), snelstart.MaxAdresLine, p, "straat"),
		Postcode: truncate(a.Postcode, snelstart.MaxPostcode, p, "postcode"),
		Plaats:   truncate(a.City, snelstart.MaxAdresLine, p, "plaats"),
	}
	if withContact {
		out.Contactpersoon = truncate(strings.TrimSpace(a.FirstName+" "+a.LastName), snelstart.MaxAdresLine, p, "contactpersoon")
	}
	if id := k.Landen[strings.ToUpper(a.CountryISO)]; id != "" {
		out.Land = &snelstart.Ref{ID: id}
	} else if a.CountryISO != "" {
		p.Notes = append(p.Notes, Note{"country_unknown", a.CountryISO})
	}
	return out
}

// buildOrder is the verkooporder to create; relatie and new articles get
// their ids at apply time.
func buildOrder(o opencart.Order, s Settings, k *Knowledge, p *Plan, exclusive bool) snelstart.Verkooporder {
	bill, fallback := billing(o)
	day := o.Added.In(amsterdam)
	fields := map[string]string{"ordernummer": strconv.Itoa(o.ID), "klantnaam": strings.TrimSpace(o.FirstName + " " + o.LastName),
		"bedrijf": bill.Company, "winkelnaam": k.ShopName, "datum": day.Format("02-01-2006"),
		"betaalmethode": o.PaymentMethod.Name, "verzendmethode": o.ShippingMethod.Name}
	vo := snelstart.Verkooporder{ProcesStatus: s.ProcesStatus, Datum: snelstart.Time{Time: day},
		Omschrijving: truncate(config.ExpandTemplate(s.DescriptionTemplate, fields), 200, p, "omschrijving"),
		Memo:         o.Comment, VerkooporderBtwIngaveModel: snelstart.BtwInclusief}
	if vo.ProcesStatus == "" {
		vo.ProcesStatus = "Order"
	}
	if exclusive {
		vo.VerkooporderBtwIngaveModel = snelstart.BtwExclusief
	}
	if s.PaymentReference {
		vo.Betalingskenmerk, vo.Orderreferentie = p.Reference, p.Reference
	}
	if s.Addresses != "klantkaart" {
		vo.Factuuradres = address(bill, k, p, true)
		vo.Afleveradres = address(delivery(o), k, p, true)
		if fallback {
			p.Notes = append(p.Notes, Note{"billing_from_shipping", ""})
		}
	}
	if k.Sjabloon != nil {
		vo.Verkoopordersjabloon = &snelstart.Ref{ID: k.Sjabloon.ID}
	}
	if k.Kostenplaats != nil {
		vo.Kostenplaats = &snelstart.Ref{ID: k.Kostenplaats.ID}
	}
	if p.Customer.Existing != nil {
		vo.Relatie = &snelstart.Ref{ID: p.Customer.Existing.ID}
	}
	for _, l := range p.Lines {
		r := snelstart.Regel{Omschrijving: truncate(l.Description, snelstart.MaxOmschrijving, p, "regel"),
			Stuksprijs: snelstart.NumberOf(l.Price), Aantal: snelstart.NumberOf(l.Quantity)}
		if l.ArticleID != "" {
			r.Artikel = &snelstart.Ref{ID: l.ArticleID}
		}
		vo.Regels = append(vo.Regels, r)
	}
	return vo
}
