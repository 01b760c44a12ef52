package orderimport

import (
	"context"
	"encoding/json"
	"maps"
	"sync"
	"time"

	"github.com/s-connect/s-connect/backend/snelstart"
)

// staticFor is how long a process reuses what loadStatic read (company
// info, omzetgroepen, VAT rates, countries, template, cost centre, default
// customer, fee articles) for the next runs of the same profile settings
// against the same administration. A run every five minutes then asks
// SnelStart only about its own orders. What the cache misses is still
// looked up: an article it does not have is asked for per page, and other
// settings (another template) are another key.
const staticFor = time.Hour

var statics struct {
	sync.Mutex
	m map[string]staticEntry
}

type staticEntry struct {
	k  *Knowledge
	ci *snelstart.CompanyInfo
	at time.Time
}

// staticKnowledge is loadStatic, read at most once per staticFor.
func staticKnowledge(ctx context.Context, j *Job) (*Knowledge, *snelstart.CompanyInfo, error) {
	settings, _ := json.Marshal(j.Settings)
	key := j.Client.Identity() + "\x00" + j.Shop.Name + "\x00" + string(settings)
	statics.Lock()
	e, ok := statics.m[key]
	statics.Unlock()
	if ok && time.Since(e.at) < staticFor {
		return e.k.clone(), e.ci, nil
	}
	k, ci, err := loadStatic(ctx, j.Client, j.Settings, j.Shop.Name)
	if err != nil {
		return nil, nil, err
	}
	statics.Lock()
	if statics.m == nil {
		statics.m = map[string]staticEntry{}
	}
	statics.m[key] = staticEntry{k: k.clone(), ci: ci, at: time.Now()}
	statics.Unlock()
	return k, ci, nil
}

// clone copies the knowledge a run adds to, so that runs share nothing.
func (k *Knowledge) clone() *Knowledge {
	c := *k
	c.Artikelen = maps.Clone(k.Artikelen)
	c.Omzetgroepen = maps.Clone(k.Omzetgroepen)
	c.Rates = maps.Clone(k.Rates)
	c.Landen = maps.Clone(k.Landen)
	c.Relaties, c.Products = nil, nil
	return &c
}
