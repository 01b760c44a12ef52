package orderimport

import (
	"context"
	"errors"
	"strings"
	"sync"

	"github.com/s-connect/s-connect/backend/snelstart"
)

// createAhead starts making the new customers and articles a page of
// orders needs: the distinct ones side by side (through the client's
// write places, shared with the verkooporders), each once,
// however many orders need it. A shop new to SnelStart (its first import)
// has mostly new customers and articles; made one at a time they would
// cost a round trip each, in a row. It returns at once: made tells, by
// key ("relatie:<memo>", "artikel:<code>"), when a create is over, so that
// an order waits only for its own (two orders of one new customer wait
// for its one card); all waits for every create. What a create leaves
// open — an answer lost, a refusal — prepare finds as it would have found
// it itself: pending (its orders wait for the lookups) or failed (its
// orders fail with the reason). A customer an earlier run recorded as
// sent is left to prepare, which looks it up.
func (r *runner) createAhead(ctx context.Context, items []item, plans []Plan) (made map[string]chan struct{}, all func()) {
	type job struct {
		done chan struct{}
		run  func()
	}
	var jobs []job
	made = map[string]chan struct{}{}
	add := func(key string, run func()) {
		done := make(chan struct{})
		made[key] = done
		jobs = append(jobs, job{done, run})
	}
	for i, it := range items {
		p := &plans[i]
		if p.Held != nil {
			continue
		}
		if nr := p.Customer.New; nr != nil {
			key := "relatie:" + nr.Memo
			_, recorded := r.intents[nr.Memo]
			if made[key] == nil && !recorded && r.madeRelaties[nr.Memo] == nil && r.pending[key] == nil && findCustomer(it.order, r.Settings, r.k) == nil {
				orderID := it.order.ID
				add(key, func() { r.aheadRelatie(ctx, orderID, key, nr) })
			}
		}
		for _, a := range p.NewArticles {
			code := strings.ToLower(a.Artikelcode)
			key := "artikel:" + code
			if _, ok := r.k.Artikelen[code]; ok || made[key] != nil || r.pending[key] != nil {
				continue
			}
			orderID, a := it.order.ID, a
			add(key, func() { r.aheadArtikel(ctx, orderID, key, &a) })
		}
	}
	var wg sync.WaitGroup
	if len(jobs) > 0 {
		next := make(chan job, len(jobs)) // in the orders' order: the first orders' creates go first
		for _, j := range jobs {
			next <- j
		}
		close(next)
		for range min(2*r.Concurrency, len(jobs)) { // the client lets 4 writes go at once; the others write the ledger meanwhile
			wg.Add(1)
			go func() {
				defer wg.Done()
				for j := range next {
					j.run()
					close(j.done)
				}
			}()
		}
	}
	return made, wg.Wait
}

// waitMade waits until the creates made ahead that this plan needs are over.
func waitMade(made map[string]chan struct{}, p *Plan) {
	if nr := p.Customer.New; nr != nil {
		if done := made["relatie:"+nr.Memo]; done != nil {
			<-done
		}
	}
	for _, a := range p.NewArticles {
		if done := made["artikel:"+strings.ToLower(a.Artikelcode)]; done != nil {
			<-done
		}
	}
}

func (r *runner) aheadRelatie(ctx context.Context, orderID int, key string, nr *snelstart.Relatie) {
	made, err := r.createRelatie(ctx, orderID, nr)
	r.kmu.Lock()
	defer r.kmu.Unlock()
	switch {
	case errors.Is(err, snelstart.ErrMaybeWritten):
		r.newPending(&pendingCreate{key: key, orderID: orderID, relatie: nr, tries: 1})
	case err != nil:
		r.aheadFailed(key, failure(err))
	default:
		r.addRelatie(nr.Memo, made)
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
