package stockexport

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"time"

	"github.com/s-connect/s-connect/backend/config"
	"github.com/s-connect/s-connect/backend/opencart"
	"github.com/s-connect/s-connect/backend/snelstart"
)

// Store is what the export keeps in the settings database
// (backend/config.Store): which orders SnelStart has, which articles
// S-Connect created, and the export's own state.
type Store interface {
	Ledger(profileID uint, orderIDs []int) (map[int]config.LedgerEntry, error)
	CreatedArticles(profileID uint) (map[string]config.CreatedArticle, error)
	ReleaseArticles(profileID uint, codes []string) error
	StockState(profileID uint) (config.StockState, error)
	SaveStockState(config.StockState) error
}

// Job is one stock export.
type Job struct {
	ProfileID uint
	Shop      *opencart.Shop
	Client    *snelstart.Client
	Store     Store
	Settings  Settings
	Since     time.Time // Vanaf datum/tijd: older orders are not S-Connect's
	Preview   bool      // plan only: nothing is written anywhere
	// Pending is what the order import before it will do, for the preview
	// of the combined task (nil: the import has run, or there is none).
	Pending *Pending
	Now     func() time.Time // default time.Now
}

// Report is what an export found and did.
type Report struct {
	Mode    string         `json:"mode"` // full or incremental
	Rows    []Row          `json:"rows"` // every product and mapped option value read
	Counts  map[string]int `json:"counts"`
	Guard   Guard          `json:"guard"`
	Blocked bool           `json:"blocked"` // the guard stopped the run: nothing was written
	Written int            `json:"written"` // rows written
	Retried int            `json:"retried"` // rows a sale changed in between, planned and written again
}

// retries is how often rows that a sale changed between read and write are
// read and written again before they are left to the next run.
const retries = 3

// confirmValid is how long the user's "allow once" waits for the run.
const confirmValid = 24 * time.Hour

// overlap is read again before the watermark: an article changed in the
// second of the watermark, or saved late, is not missed.
const overlap = 10 * time.Minute

// Run reads SnelStart's articles (all of them on a full pass, else those
// changed since the last pass) and the shop's products, plans, checks the
// guard and writes the changed stock. Nothing is written unless every list
// was read whole.
func Run(ctx context.Context, j Job) (*Report, error) {
	if j.Now == nil {
		j.Now = time.Now
	}
	now := j.Now()
	st, err := j.Store.StockState(j.ProfileID)
	if err != nil {
		return nil, err
	}
	created, err := j.Store.CreatedArticles(j.ProfileID)
	if err != nil {
		return nil, err
	}
	full := st.LastFull == nil || st.Watermark.IsZero() || st.Fingerprint != fingerprint(j.Settings) ||
		now.Sub(*st.LastFull) >= time.Duration(max(j.Settings.FullPassHours, 1))*time.Hour
	rep := &Report{Mode: "incremental", Counts: map[string]int{}}
	if full {
		rep.Mode = "full"
	}
	filter := snelstart.Eq("IsNonActief", false)
	if !full {
		filter = snelstart.And(filter, "", snelstart.Gt("ModifiedOn", st.Watermark.Add(-overlap)))
	}
	articles, err := snelstart.Collect(j.Client.Artikelen.List(ctx, snelstart.ListOptions{Filter: filter}))
	if err != nil {
		return nil, fmt.Errorf("stockexport: SnelStart articles: %w", err)
	}
	watermark := st.Watermark
	for _, a := range articles {
		if a.ModifiedOn.After(watermark) {
			watermark = a.ModifiedOn.Time
		}
	}
	var products []opencart.Product
	if full {
		products, err = j.allProducts(ctx)
	} else {
		// The products of the articles that changed (and of those the
		// import will create), then every other article those products
		// need: a total is planned whole.
		codes := j.Pending.newCodes()
		for _, a := range articles {
			codes = append(codes, a.Artikelcode)
		}
		if products, err = j.touchedProducts(ctx, codes); err == nil {
			articles, err = j.complete(ctx, articles, products)
		}
	}
	if err != nil {
		return nil, err
	}
	articles, created = j.Pending.apply(articles, created, now)
	reserved, err := j.reservations(ctx)
	if err != nil {
		return nil, err
	}
	plan := Plan(Input{Products: products, Articles: articles, Reserved: reserved, Created: created}, j.Settings)
	rep.Guard = Check(plan.Rows, j.Settings, st.Managed, st.Total, !full)
	confirmed := st.ConfirmedAt != nil && now.Sub(*st.ConfirmedAt) < confirmValid
	if rep.Guard.Tripped != "" {
		rep.Guard.Confirmed = confirmed
		rep.Blocked = !confirmed
	}
	rep.Rows = plan.Rows
	if !j.Preview && !rep.Blocked {
		if err := j.write(ctx, rep, Input{Articles: articles, Created: created}); err != nil {
			rep.finish()
			return rep, err
		}
	}
	rep.finish()
	if j.Preview {
		return rep, nil
	}
	// Remember what this pass learnt.
	if err := j.Store.ReleaseArticles(j.ProfileID, plan.Given); err != nil {
		return rep, err
	}
	if rep.Blocked {
		return rep, nil // the same changes wait for the user: nothing moves on
	}
	if confirmed {
		st.ConfirmedAt = nil // used: the next run is guarded again
	}
	if rep.Counts["moved"] == 0 {
		st.Watermark = watermark
	}
	if full {
		st.LastFull, st.Fingerprint = &now, fingerprint(j.Settings)
		st.Managed, st.Total = rep.Guard.Managed, rep.Guard.NewTotal
	}
	return rep, j.Store.SaveStockState(st)
}

// finish counts the rows.
func (r *Report) finish() {
	r.Counts = map[string]int{}
	for _, row := range r.Rows {
		switch {
		case row.Outcome == "gone" || row.Outcome == "moved":
			r.Counts[row.Outcome]++
		case row.Skip != "":
			r.Counts[row.Skip]++
		case row.New != row.Old && r.Blocked:
			r.Counts["blocked"]++ // held back by the guard
		case row.New != row.Old:
			r.Counts["changed"]++
		default:
			r.Counts["same"]++
		}
	}
}

// fingerprint is what an incremental pass must not see change: with
// another code field or option mapping, every product has to be read.
func fingerprint(s Settings) string {
	ids := make([]int, 0, len(s.OptionMap))
	for id := range s.OptionMap {
		ids = append(ids, id)
	}
	sort.Ints(ids)
	f := s.CodeField + "|" + strconv.FormatBool(s.Technical) + "|" + strconv.Itoa(s.Buffer) + "|" + strconv.FormatBool(s.ReserveOpenOrders)
	h := uint64(14695981039346656037)
	for _, id := range ids {
		for _, b := range []byte(strconv.Itoa(id) + "=" + s.OptionMap[id] + ";") {
			h = (h ^ uint64(b)) * 1099511628211
		}
	}
	return f + "|" + strconv.FormatUint(h, 36)
}
