package app

import (
	"errors"
	"time"

	"github.com/s-connect/s-connect/backend/config"
)

// Orders lists the orders S-Connect handled, newest order first: created
// ones with their customer and klantnummer (to find them in SnelStart's
// Verkopen window), held and failed ones with the reason (F9).
func (t *Tasks) Orders(profileID uint, f config.OrderFilter) (config.OrderPage, error) {
	if _, err := t.s.store.Profile(profileID); err != nil {
		return config.OrderPage{}, err
	}
	return t.s.store.FindOrders(profileID, f)
}

// OrderDetail is one order with every attempt to send it: what was sent
// and SnelStart's answer (B9).
type OrderDetail struct {
	Order    config.LedgerEntry `json:"order"`
	Attempts []config.Attempt   `json:"attempts"`
}

// Order returns one order's detail.
func (t *Tasks) Order(profileID uint, orderID int) (*OrderDetail, error) {
	e, err := t.s.store.LedgerEntryOf(profileID, orderID)
	if err != nil {
		return nil, err
	}
	attempts, err := t.s.store.Attempts(profileID, orderID)
	if err != nil {
		return nil, err
	}
	if attempts == nil {
		attempts = []config.Attempt{}
	}
	return &OrderDetail{Order: e, Attempts: attempts}, nil
}

// Retry tries one held or failed order again now (*Opnieuw proberen*), with
// the settings as they are now and only when a run would read it: an order
// cancelled in the shop since is not booked this way. It returns the order
// as the ledger has it after.
func (t *Tasks) Retry(profileID uint, orderID int) (*config.LedgerEntry, error) {
	e, err := t.s.store.LedgerEntryOf(profileID, orderID)
	if err != nil {
		return nil, err
	}
	if !config.IsOpen(e.State) {
		return nil, config.ErrNotOpen
	}
	if err := t.s.License.require(profileID, config.TaskOrders); err != nil {
		return nil, err
	}
	unlock, err := t.s.lockRuns(profileID)
	if err != nil {
		return nil, err
	}
	defer unlock()
	if e.State == config.LedgerUncertain && e.Reference == "" {
		// The user looked in SnelStart by hand and did not find it: their
		// word is the proof of absence the order waited for.
		e.State, e.Reason = config.LedgerFailed, ""
		if err := t.s.store.PutLedger(e); err != nil {
			return nil, err
		}
	}
	rep, _, err := t.importOrders(profileID, config.TaskOrders, importMode{only: []int{orderID}})
	if err != nil {
		return nil, err
	}
	if len(rep.Results) == 0 {
		return nil, errNotSelected
	}
	after, err := t.s.store.LedgerEntryOf(profileID, orderID)
	if err != nil {
		return nil, err
	}
	t.s.events.Emit(EventSettingsSaved, profileID) // the overview changed
	return &after, nil
}

// errNotSelected: the order is not among those a run reads now (deleted or
// unfinished in the shop, or outside Vanaf datum/tijd, Orderstatussen or
// Winkels), so it was not sent.
var errNotSelected = errors.New("the order is not among the orders a run reads")

// Handled marks a held or failed order handled by hand (*Handmatig
// afgehandeld*) with the user's note: no run imports it after.
func (t *Tasks) Handled(profileID uint, orderID int, note string) error {
	return t.settle(profileID, orderID, config.LedgerHandled, note)
}

// Ignore marks a held or failed order as not for SnelStart (*Negeren*, a
// test order): no run imports it after.
func (t *Tasks) Ignore(profileID uint, orderID int) error {
	return t.settle(profileID, orderID, config.LedgerIgnored, "")
}

// settle waits for no run: a run that read the order as held before the
// user settled it would still send it, and an order booked by hand would
// then be in SnelStart twice. While a run goes on, the user is told so.
func (t *Tasks) settle(profileID uint, orderID int, state, note string) error {
	unlock, err := t.s.lockRuns(profileID)
	if err != nil {
		return err
	}
	defer unlock()
	if err := t.s.store.SettleOrder(profileID, orderID, state, note); err != nil {
		return err
	}
	t.s.events.Emit(EventSettingsSaved, profileID)
	return nil
}

// chartDays is how far back the Uitvoering chart looks.
const chartDays = 30

// Overview is the top of Uitvoering: booked today and this week, held
// now, and orders and revenue per day.
func (t *Tasks) Overview(profileID uint) (config.Overview, error) {
	if _, err := t.s.store.Profile(profileID); err != nil {
		return config.Overview{}, err
	}
	return t.s.store.Overview(profileID, time.Now(), chartDays)
}
