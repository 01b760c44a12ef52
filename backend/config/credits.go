package config

import (
	"time"

	"gorm.io/gorm/clause"
)

// CreditEntry is what S-Connect knows of one credit verkooporder (B7): a
// refunded order, or one refunded return of it. It is kept apart from the
// order's own entry, keyed by its reference, so the original booking stays
// as it was and each credit is booked once. States are the ledger's.
type CreditEntry struct {
	ProfileID      uint       `json:"profileId" gorm:"primaryKey;autoIncrement:false"`
	Reference      string     `json:"reference" gorm:"primaryKey"` // betalingskenmerk of the credit order
	OrderID        int        `json:"orderId"`
	ReturnID       int        `json:"returnId"` // 0: the whole order
	State          string     `json:"state"`
	Attempts       int        `json:"attempts"`
	Customer       string     `json:"customer"`
	Relatiecode    int        `json:"relatiecode"`
	VerkooporderID string     `json:"verkooporderId"`
	Nummer         int        `json:"nummer"`
	Total          string     `json:"total"`
	Reason         string     `json:"reason"`
	Payload        string     `json:"-"`
	Answer         string     `json:"-"`
	UpdatedAt      time.Time  `json:"updatedAt"`
	BookedAt       *time.Time `json:"bookedAt"`
}

// TableName keeps the table name of the migration's type.
func (CreditEntry) TableName() string { return "credit_entries" }

// Credits returns the credit entries of these orders, by reference.
func (s *Store) Credits(profileID uint, orderIDs []int) (map[string]CreditEntry, error) {
	out := map[string]CreditEntry{}
	for start := 0; start < len(orderIDs); start += 500 {
		var rows []CreditEntry
		end := min(start+500, len(orderIDs))
		if err := s.db.Where("profile_id = ? AND order_id IN ?", profileID, orderIDs[start:end]).Find(&rows).Error; err != nil {
			return nil, err
		}
		for _, r := range rows {
			out[r.Reference] = r
		}
	}
	return out, nil
}

// PutCredit writes a credit entry.
func (s *Store) PutCredit(e CreditEntry) error {
	now := s.now()
	e.UpdatedAt = now
	if e.State == LedgerConfirmed && e.BookedAt == nil {
		e.BookedAt = &now
	}
	return s.db.Clauses(clause.OnConflict{UpdateAll: true}).Create(&e).Error
}

// UnsettledReturnCredits lists the orders with a return's credit not done
// with (held, failed, uncertain, sending): a watermark run reads them again,
// as it does the open orders.
func (s *Store) UnsettledReturnCredits(profileID uint) ([]int, error) {
	var ids []int
	err := s.db.Model(&CreditEntry{}).Where("profile_id = ? AND return_id > 0 AND state IN ?", profileID, append([]string{LedgerSending}, OpenStates...)).
		Distinct("order_id").Order("order_id").Pluck("order_id", &ids).Error
	return ids, err
}
