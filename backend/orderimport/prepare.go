package orderimport

import (
	"context"
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/s-connect/s-connect/backend/config"
	"github.com/s-connect/s-connect/backend/opencart"
	"github.com/s-connect/s-connect/backend/snelstart"
)

// pendingCreate is a customer or article whose create may have reached
// SnelStart (the answer was lost). The orders that need it wait for it,
// without holding up the others, until a lookup finds it or two prove it
// absent (ledger.go, rule 2) and it is made again.
type pendingCreate struct {
	key     string                // "relatie:<memo line>" or "artikel:<code>"
	orderID int                   // the order that sent it
	ours    bool                  // sent and its answer lost (not "already exists")
	relatie *snelstart.Relatie    // the relatie sent, or
	artikel *snelstart.NewArtikel // the article sent
	since   time.Time
	looks   int // lookups that found nothing
	tries   int // creates sent
	waiting []send
}

// prepare creates (or updates) the customer and the new articles an order
// needs and fills in their ids. It returns a hold when the order cannot
// go, or the create it has to wait for.
func (r *runner) prepare(ctx context.Context, o opencart.Order, p *Plan) (*Hold, *pendingCreate) {
	k := r.k
	switch {
	case p.Customer.New != nil:
		nr := p.Customer.New
		if h := r.failedCreates["relatie:"+nr.Memo]; h != nil {
			return h, nil // made ahead, and refused
		}
		if made := r.madeRelaties[nr.Memo]; made != nil && r.madeFor[nr.Memo] == o.ID {
			p.Customer = CustomerPlan{Match: "new", Existing: made} // made ahead for this order
			break
		}
		// Another order of this run may have made this customer already.
		if found := findCustomer(o, r.Settings, k); found != nil {
			p.Customer = CustomerPlan{Match: r.Settings.MatchBy, Existing: found, Update: r.Settings.CustomerProcessing == "aanmaken-bijwerken"}
			if p.Customer.Update {
				if h := r.updateCustomer(ctx, o, p); h != nil {
					return h, nil
				}
			}
			break
		}
		if made := r.madeRelaties[nr.Memo]; made != nil {
			p.Customer = CustomerPlan{Match: "new", Existing: made}
			break
		}
		if pc := r.pending["relatie:"+nr.Memo]; pc != nil {
			return nil, pc
		}
		if pc := r.recordedCreate(o, nr); pc != nil {
			return nil, pc // an earlier run may have made it: look first
		}
		made, err := r.createRelatie(ctx, o.ID, nr)
		if errors.Is(err, snelstart.ErrMaybeWritten) {
			return nil, r.newPending(&pendingCreate{key: "relatie:" + nr.Memo, orderID: o.ID, relatie: nr, tries: 1})
		}
		if err != nil {
			return failure(err), nil
		}
		r.addRelatie(nr.Memo, made)
		p.Customer = CustomerPlan{Match: "new", Existing: made}
	case p.Customer.Update:
		if h := r.updateCustomer(ctx, o, p); h != nil {
			return h, nil
		}
	}
	for _, a := range p.NewArticles {
		code := strings.ToLower(a.Artikelcode)
		if _, ok := k.Artikelen[code]; ok {
			continue // made for an earlier order of this run
		}
		if h := r.failedCreates["artikel:"+code]; h != nil {
			return h, nil // made ahead, and refused
		}
		if pc := r.pending["artikel:"+code]; pc != nil {
			return nil, pc
		}
		made, err := r.Client.Artikelen.Create(ctx, &a)
		var ae *snelstart.APIError
		if errors.Is(err, snelstart.ErrMaybeWritten) || errors.As(err, &ae) && ae.Has("ART-0005") {
			// Stored, or there already (perhaps not yet to be seen): look.
			return nil, r.newPending(&pendingCreate{key: "artikel:" + code, orderID: o.ID, artikel: &a, tries: 1,
				ours: errors.Is(err, snelstart.ErrMaybeWritten)})
		}
		if err != nil {
			return failure(err), nil
		}
		if h := r.remember(made); h != nil {
			return h, nil
		}
		k.Artikelen[code] = made
		r.track.created(o.ID, made.Artikelcode)
	}
	p.Order.Relatie = &snelstart.Ref{ID: p.Customer.Existing.ID}
	for i, l := range p.Lines {
		if l.ArticleID == "" {
			a := k.Artikelen[strings.ToLower(l.Code)]
			if a == nil {
				return &Hold{"article_unknown", l.Code}, nil
			}
			p.Order.Regels[i].Artikel = &snelstart.Ref{ID: a.ID}
		}
	}
	return nil, nil
}

func (r *runner) newPending(pc *pendingCreate) *pendingCreate {
	if pc.since.IsZero() {
		pc.since = time.Now()
	}
	if r.pending == nil {
		r.pending = map[string]*pendingCreate{}
	}
	r.pending[pc.key] = pc
	return pc
}

// remember records an article the import created, for the stock export
// (SnelStart starts it without stock).
func (r *runner) remember(a *snelstart.Artikel) *Hold {
	if r.Articles == nil || a == nil {
		return nil
	}
	if err := r.Articles.RememberArticle(r.ProfileID, a.Artikelcode, a.ID, a.ModifiedOn.Time); err != nil {
		return &Hold{"ledger", err.Error()}
	}
	return nil
}

// addRelatie makes a relatie made (or found) in this run known to the
// orders after it, by its memo line. While creates made ahead go on
// (ahead.go) the caller holds kmu.
func (r *runner) addRelatie(memo string, made *snelstart.Relatie) {
	r.k.Relaties = append(r.k.Relaties, *made)
	if r.madeRelaties == nil {
		r.madeRelaties = map[string]*snelstart.Relatie{}
	}
	r.madeRelaties[memo] = made
}

// settleCreates looks up the pending creates whose lookup is due: found
// ones, and ones made again after two lookups found nothing, let their
// orders go on. It returns false when SnelStart could not be asked.
func (r *runner) settleCreates(ctx context.Context, due []*pendingCreate) bool {
	for _, pc := range due {
		found, err := r.lookUpCreate(ctx, pc)
		if err != nil {
			return false
		}
		if !found {
			if pc.looks++; pc.looks < lookups {
				continue
			}
			if !r.createAgain(ctx, pc) {
				continue // pending again, or given up
			}
		}
		delete(r.pending, pc.key)
		if pc.artikel != nil && (pc.ours || !found) {
			if h := r.remember(r.k.Artikelen[strings.ToLower(pc.artikel.Artikelcode)]); h != nil {
				for _, s := range pc.waiting {
					r.set(s.slot, r.record(s.order, s.entry, config.LedgerFailed, h, customerName(s.order)))
				}
				continue
			}
			r.track.created(pc.orderID, pc.artikel.Artikelcode)
		}
		r.resume(ctx, pc.waiting)
	}
	return true
}

// lookUpCreate looks for a pending relatie by its memo line (unique per
// shop customer, or per guest order), for an article by its code.
func (r *runner) lookUpCreate(ctx context.Context, pc *pendingCreate) (bool, error) {
	if a := pc.artikel; a != nil {
		err := r.k.loadArticles(ctx, r.Client, []string{a.Artikelcode})
		return r.k.Artikelen[strings.ToLower(a.Artikelcode)] != nil, err
	}
	nr := pc.relatie
	list, err := snelstart.Collect(r.Client.Relaties.List(ctx, snelstart.ListOptions{Filter: snelstart.SubstringOf(nr.Memo, "Memo")}))
	if err != nil {
		return false, err
	}
	for i := range list {
		if memoHasLine(list[i].Memo, nr.Memo) && list[i].Naam == nr.Naam {
			r.addRelatie(nr.Memo, &list[i])
			return true, nil
		}
	}
	return false, nil
}

// createAgain sends a create proven absent once more. It reports whether
// it is made; if not, it is pending again or its orders failed.
func (r *runner) createAgain(ctx context.Context, pc *pendingCreate) bool {
	var err error
	if a := pc.artikel; a != nil {
		var made *snelstart.Artikel
		if made, err = r.Client.Artikelen.Create(ctx, a); err == nil {
			r.k.Artikelen[strings.ToLower(made.Artikelcode)] = made
		}
	} else {
		var made *snelstart.Relatie
		if made, err = r.createRelatie(ctx, pc.orderID, pc.relatie); err == nil {
			r.addRelatie(pc.relatie.Memo, made)
		}
	}
	pc.tries++
	var ae *snelstart.APIError
	switch {
	case err == nil:
		return true
	case (errors.Is(err, snelstart.ErrMaybeWritten) || errors.As(err, &ae) && ae.Has("ART-0005")) && pc.tries < maxSends:
		pc.since, pc.looks = time.Now(), 0
		return false
	}
	delete(r.pending, pc.key)
	for _, s := range pc.waiting {
		r.set(s.slot, r.record(s.order, s.entry, config.LedgerFailed, failure(err), customerName(s.order)))
	}
	return false
}

// resume takes up orders that waited for a create: prepared on, and sent.
func (r *runner) resume(ctx context.Context, waiting []send) {
	var sends []send
	for _, s := range waiting {
		h, pc := r.prepare(ctx, s.order, &s.plan)
		switch {
		case pc != nil:
			pc.waiting = append(pc.waiting, s)
		case h != nil:
			r.set(s.slot, r.record(s.order, s.entry, config.LedgerFailed, h, customerName(s.order)))
		default:
			sends = append(sends, s)
		}
	}
	r.sendAll(ctx, sends)
}

// updateCustomer is Aanmaken en bijwerken: the fields S-Connect owns —
// the address, telephone and e-mail of the order — are written on the
// card as SnelStart has it now; every other field stays as the bookkeeper
// left it. A card that is already right is not written at all.
func (r *runner) updateCustomer(ctx context.Context, o opencart.Order, p *Plan) *Hold {
	cur := p.Customer.Existing
	want := customerFields(newRelatie(o, r.Settings, r.k, p))
	if len(cur.Changes(want)) == 0 {
		return nil
	}
	fresh, err := r.Client.Relaties.Get(ctx, cur.ID)
	if err != nil {
		return failure(err)
	}
	updated := fresh
	if ch := fresh.Changes(want); len(ch) > 0 {
		updated, err = r.Client.Relaties.Update(ctx, fresh, ch)
		if errors.Is(err, snelstart.ErrMaybeWritten) {
			return nil // writing the same fields again is harmless: the next order of this customer does
		}
		if err != nil {
			return failure(err)
		}
	}
	// A new list, not the old one written over: the plans of orders being
	// sent point into it, and their senders read them meanwhile.
	rels := slices.Clone(r.k.Relaties)
	for i := range rels {
		if rels[i].ID == updated.ID {
			rels[i] = *updated
		}
	}
	r.k.Relaties = rels
	p.Customer.Existing = updated
	return nil
}

// customerFields are the fields of a customer card S-Connect owns, as a
// patch; an empty value in the order leaves the card's value alone.
func customerFields(n *snelstart.Relatie) snelstart.Patch {
	out := snelstart.Patch{}
	set := func(path, v string) {
		if v != "" {
			out[path] = v
		}
	}
	set("telefoon", n.Telefoon)
	set("email", n.Email)
	if a := n.VestigingsAdres; a != nil {
		set("vestigingsAdres/straat", a.Straat)
		set("vestigingsAdres/postcode", a.Postcode)
		set("vestigingsAdres/plaats", a.Plaats)
		if a.Land != nil {
			set("vestigingsAdres/land/id", a.Land.ID)
		}
	}
	return out
}
