package config

import (
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// Ledger states of an order (B2): written before and after every write to
// SnelStart, so that a crash or an uncertain answer never leads to a second
// booking.
const (
	LedgerSending   = "sending"   // being sent; after a crash: look it up before sending again
	LedgerConfirmed = "confirmed" // in SnelStart (VerkooporderID, Nummer)
	LedgerFailed    = "failed"    // not in SnelStart (refused, or not sent); tried again on the next run
	LedgerHeld      = "held"      // not sent: needs the user (Reason)
	LedgerHandled   = "handled"   // booked by hand in SnelStart (Note): never imported
	LedgerIgnored   = "ignored"   // not for SnelStart (a test order): never imported
	// LedgerUncertain: sent, and SnelStart's answer was lost. Never sent
	// again until lookups by Reference prove it absent; without a
	// Reference it waits for the user.
	LedgerUncertain = "uncertain"
)

// LedgerStates lists the states, for their labels ("ledger.<state>").
var LedgerStates = []string{LedgerSending, LedgerConfirmed, LedgerFailed, LedgerHeld, LedgerHandled, LedgerIgnored, LedgerUncertain}

// OpenStates are the states that wait for the user or the next run: the
// orders Uitvoering lists as open, and the ones the user may retry, mark
// handled by hand or ignore.
var OpenStates = []string{LedgerHeld, LedgerFailed, LedgerUncertain}

// IsOpen reports whether state is one of OpenStates.
func IsOpen(state string) bool {
	return state == LedgerHeld || state == LedgerFailed || state == LedgerUncertain
}

// Settled reports whether an order in this state is done with: in
// SnelStart, handled by hand or ignored. A run skips it, and stock is not
// reserved for it.
func Settled(state string) bool {
	return state == LedgerConfirmed || state == LedgerHandled || state == LedgerIgnored
}

// LedgerEntry is what S-Connect knows of one webshop order.
type LedgerEntry struct {
	ProfileID      uint       `json:"profileId" gorm:"primaryKey;autoIncrement:false"`
	OrderID        int        `json:"orderId" gorm:"primaryKey;autoIncrement:false"`
	State          string     `json:"state"`
	Reference      string     `json:"reference"` // betalingskenmerk / orderreferentie
	Attempts       int        `json:"attempts"`
	Customer       string     `json:"customer"`
	Relatiecode    int        `json:"relatiecode"`
	VerkooporderID string     `json:"verkooporderId"`
	Nummer         int        `json:"nummer"`
	Total          string     `json:"total"`
	Reason         string     `json:"reason"` // code(arg) of a hold or failure
	Payload        string     `json:"-"`      // the verkooporder as sent (JSON)
	Answer         string     `json:"-"`      // SnelStart's answer or error
	ShopModified   time.Time  `json:"shopModified"`
	UpdatedAt      time.Time  `json:"updatedAt"`
	ShopAdded      time.Time  `json:"shopAdded"`   // the order's date in the shop
	BookedAt       *time.Time `json:"bookedAt"`    // when it was confirmed in SnelStart
	Note           string     `json:"note"`        // the user's note (handled by hand)
	NewCustomer    bool       `json:"newCustomer"` // this order created its relatie
	NewArticles    string     `json:"newArticles"` // artikelcodes this order created, comma-separated
	// Credits are the order's credit orders (refunds, B7), for Uitvoering.
	Credits []CreditEntry `json:"credits,omitempty" gorm:"-"`
}

// TableName keeps the table name GORM would give the migration's type.
func (LedgerEntry) TableName() string { return "ledger_entries" }

// Ledger returns the entries of a profile's orders, by order id.
func (s *Store) Ledger(profileID uint, orderIDs []int) (map[int]LedgerEntry, error) {
	var rows []LedgerEntry
	out := make(map[int]LedgerEntry, len(orderIDs))
	for start := 0; start < len(orderIDs); start += 500 {
		end := min(start+500, len(orderIDs))
		if err := s.db.Where("profile_id = ? AND order_id IN ?", profileID, orderIDs[start:end]).Find(&rows).Error; err != nil {
			return nil, err
		}
		for _, r := range rows {
			out[r.OrderID] = r
		}
	}
	return out, nil
}

// PutLedger writes an entry, and its attempt: a payload in state sending
// opens an attempt, the state after it closes it with SnelStart's answer
// (B9). Both in one transaction.
func (s *Store) PutLedger(e LedgerEntry) error {
	now := s.now()
	e.UpdatedAt = now
	if e.State == LedgerConfirmed && e.BookedAt == nil {
		e.BookedAt = &now
	}
	return s.db.Transaction(func(tx *gorm.DB) error {
		if err := recordAttempt(tx, e, now); err != nil {
			return err
		}
		return tx.Clauses(clause.OnConflict{UpdateAll: true}).Create(&e).Error
	})
}
