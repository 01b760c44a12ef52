package orderimport

import (
	"context"
	"errors"
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

// Memo tags a relatie with the OpenCart customer, for Herkenning op
// klantnummer: a line of its own in the memo (see memoHasLine).
func customerMemo(o opencart.Order, s Settings) string {
	if o.CustomerID == 0 {
		return "OpenCart-gast, order " + refOf(o, s)
	}
	return "OpenCart-klantnummer: " + s.ReferencePrefix + strconv.Itoa(o.CustomerID)
}

func normPostcode(s string) string { return strings.ToUpper(strings.ReplaceAll(s, " ", "")) }

func billingPostcode(o opencart.Order) string { a, _ := billing(o); return a.Postcode }

// findCustomer looks among the known relaties the way Herkenning says.
func findCustomer(o opencart.Order, s Settings, k *Knowledge) *snelstart.Relatie {
	for i := range k.Relaties {
		r := &k.Relaties[i]
		switch s.MatchBy {
		case "klantnummer":
			if o.CustomerID > 0 && memoHasLine(r.Memo, customerMemo(o, s)) {
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
	return CustomerPlan{Match: "new", New: newRelatie(o, s, k, p)}, nil
}

func newRelatie(o opencart.Order, s Settings, k *Knowledge, p *Plan) *snelstart.Relatie {
	r := &snelstart.Relatie{Relatiesoort: []string{snelstart.RelatieKlant}, Naam: truncate(customerName(o), 100, p, "naam"),
		Email: truncate(o.Email, snelstart.MaxEmail, p, "e-mail"), Telefoon: truncate(o.Telephone, snelstart.MaxTelefoon, p, "telefoon"),
		Memo: customerMemo(o, s)}
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

// Customer creates follow the ledger's rules for orders (ledger.go): a
// create is recorded as "sending" before it leaves and "confirmed" after,
// so a program stopped in between — the card may be in SnelStart, perhaps
// not yet to be seen — does not make the card again on its next run: that
// run looks the card up by its memo line, Settle and 2×Settle after the
// create could last have landed, before it creates it.

// loadIntents reads the customer creates earlier runs recorded for these
// orders' customers.
func (r *runner) loadIntents(orders []opencart.Order) error {
	if r.Preview {
		return nil
	}
	keys := make([]string, 0, len(orders))
	for _, o := range orders {
		keys = append(keys, customerMemo(o, r.Settings))
	}
	found, err := r.Ledger.CustomerCreates(r.ProfileID, keys)
	if err != nil {
		return err
	}
	if r.intents == nil {
		r.intents = map[string]config.CustomerCreate{}
	}
	for k, c := range found {
		r.intents[k] = c
	}
	return nil
}

// recordedCreate is the create an earlier run recorded for a customer that
// Herkenning did not find: the orders that need it wait for its lookups
// (settleCreates), and it is made again only when both find nothing.
func (r *runner) recordedCreate(o opencart.Order, nr *snelstart.Relatie) *pendingCreate {
	c, ok := r.intents[nr.Memo]
	if !ok || c.State != config.CustomerSending && c.State != config.CustomerConfirmed {
		return nil
	}
	delete(r.intents, nr.Memo) // looked up once per run
	since := c.UpdatedAt
	if c.State == config.CustomerSending {
		// The program stopped while sending: the create may have been on its
		// way for as long as a request may take.
		since = since.Add(r.Client.RequestTimeout())
	}
	return r.newPending(&pendingCreate{key: "relatie:" + nr.Memo, orderID: o.ID, relatie: nr, since: since})
}

// createRelatie creates a customer card under the ledger: "sending"
// before, "confirmed" after. A create that certainly failed clears the
// record; one whose answer was lost keeps "sending". The caller makes
// what it made known (addRelatie), under kmu while creates go side by side.
func (r *runner) createRelatie(ctx context.Context, orderID int, nr *snelstart.Relatie) (*snelstart.Relatie, error) {
	c := config.CustomerCreate{ProfileID: r.ProfileID, Key: nr.Memo, State: config.CustomerSending, OrderID: orderID}
	if err := r.Ledger.PutCustomerCreate(c); err != nil {
		return nil, &ledgerError{err}
	}
	made, err := r.Client.Relaties.Create(ctx, nr)
	switch {
	case err == nil:
		c.State, c.RelatieID = config.CustomerConfirmed, made.ID
		_ = r.Ledger.PutCustomerCreate(c) // when this fails, the next run looks the card up first
	case !errors.Is(err, snelstart.ErrMaybeWritten):
		c.State = "" // not in SnelStart
		_ = r.Ledger.PutCustomerCreate(c)
	}
	return made, err
}

// ledgerError is a ledger write that failed before a create: nothing was sent.
type ledgerError struct{ err error }

func (e *ledgerError) Error() string { return "ledger: " + e.err.Error() }
func (e *ledgerError) Unwrap() error { return e.err }
