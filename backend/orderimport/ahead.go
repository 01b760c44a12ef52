package orderimport

import (
	"context"
	"errors"
	"strings"
	"sync"

	"github.com/s-connect/s-connect/backend/snelstart"
)

// createAhead makes the new customers and articles a page of orders needs
// before the orders are prepared one by one: the distinct ones side by
// side (Concurrency at once), each once, however many orders need it. A
// shop new to SnelStart (its first import) has mostly new customers and
// articles; made one at a time they would cost a round trip each, in a
// row. What a create leaves open — an answer lost, a refusal — prepare
// finds as it would have found it itself: pending (its orders wait for
// the lookups) or failed (its orders fail with the reason). A customer
// an earlier run recorded as sent is left to prepare, which looks it up.
func (r *runner) createAhead(ctx context.Context, items []item, plans []Plan) {
	var jobs []func()
	want := map[string]bool{}
	for i, it := range items {
		p := &plans[i]
		if p.Held != nil {
			continue
		}
		if nr := p.Customer.New; nr != nil {
			key := "relatie:" + nr.Memo
			_, recorded := r.intents[nr.Memo]
			if !want[key] && !recorded && r.madeRelaties[nr.Memo] == nil && r.pending[key] == nil && findCustomer(it.order, r.Settings, r.k) == nil {
				want[key] = true
				orderID := it.order.ID
				jobs = append(jobs, func() { r.aheadRelatie(ctx, orderID, key, nr) })
			}
		}
		for _, a := range p.NewArticles {
			code := strings.ToLower(a.Artikelcode)
			key := "artikel:" + code
			if _, ok := r.k.Artikelen[code]; ok || want[key] || r.pending[key] != nil {
				continue
			}
			want[key] = true
			orderID, a := it.order.ID, a
			jobs = append(jobs, func() { r.aheadArtikel(ctx, orderID, key, &a) })
		}
	}
	if len(jobs) == 0 {
		return
	}
	next := make(chan func())
	var wg sync.WaitGroup
	for range min(2*r.Concurrency, len(jobs)) { // the client lets Concurrency go at once; the others write the ledger meanwhile
		wg.Add(1)
		go func() {
			defer wg.Done()
			for job := range next {
				job()
			}
		}()
	}
	for _, job := range jobs {
		next <- job
	}
	close(next)
	wg.Wait()
}

func (r *runner) aheadRelatie(ctx context.Context, orderID int, key string, nr *snelstart.Relatie) {
	_, err := r.createRelatie(ctx, orderID, nr) // what it made is known through addRelatie
	r.kmu.Lock()
	defer r.kmu.Unlock()
	switch {
	case errors.Is(err, snelstart.ErrMaybeWritten):
		r.newPending(&pendingCreate{key: key, orderID: orderID, relatie: nr, tries: 1})
	case err != nil:
		r.aheadFailed(key, failure(err))
	default:
		r.madeFor[nr.Memo] = orderID
	}
}

func (r *runner) aheadArtikel(ctx context.Context, orderID int, key string, a *snelstart.NewArtikel) {
	made, err := r.Client.Artikelen.Create(ctx, a)
	var h *Hold
	if err == nil {
		h = r.remember(made)
	}
	r.kmu.Lock()
	defer r.kmu.Unlock()
	var ae *snelstart.APIError
	switch {
	case errors.Is(err, snelstart.ErrMaybeWritten) || errors.As(err, &ae) && ae.Has("ART-0005"):
		r.newPending(&pendingCreate{key: key, orderID: orderID, artikel: a, tries: 1, ours: errors.Is(err, snelstart.ErrMaybeWritten)})
	case err != nil:
		r.aheadFailed(key, failure(err))
	case h != nil:
		r.aheadFailed(key, h)
	default:
		r.k.Artikelen[strings.ToLower(made.Artikelcode)] = made
		r.track.created(orderID, made.Artikelcode)
	}
}

// aheadFailed keeps why a create made ahead failed, for the orders that
// need it (prepare): they fail with it instead of sending it again.
func (r *runner) aheadFailed(key string, h *Hold) {
	if r.failedCreates == nil {
		r.failedCreates = map[string]*Hold{}
	}
	r.failedCreates[key] = h
}
