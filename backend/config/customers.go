package config

import (
	"errors"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// States of a customer create, kept like an order's: "sending" is written
// before the create leaves, "confirmed" (with the relatie's id) after it.
// A run that finds "sending" looks the card up before making it again: the
// create may have reached SnelStart before the program stopped.
const (
	CustomerSending   = "sending"
	CustomerConfirmed = "confirmed"
)

// CustomerCreate is a customer card S-Connect creates or created, by the
// memo line that identifies it (one per shop customer, or per guest order).
type CustomerCreate struct {
	ProfileID uint   `gorm:"primaryKey;autoIncrement:false"`
	Key       string `gorm:"primaryKey"` // the memo line
	State     string
	RelatieID string
	OrderID   int // the order that needed it
	UpdatedAt time.Time
}

// TableName keeps the table name GORM would give the migration's type.
func (CustomerCreate) TableName() string { return "customer_creates" }

// CustomerCreates returns the creates recorded under these keys.
func (s *Store) CustomerCreates(profileID uint, keys []string) (map[string]CustomerCreate, error) {
	out := map[string]CustomerCreate{}
	for start := 0; start < len(keys); start += 500 {
		var rows []CustomerCreate
		if err := s.db.Where("profile_id = ? AND key IN ?", profileID, keys[start:min(start+500, len(keys))]).Find(&rows).Error; err != nil {
			return nil, err
		}
		for _, r := range rows {
			out[r.Key] = r
		}
	}
	return out, nil
}

// PutCustomerCreate records a customer create (UpdatedAt: now).
func (s *Store) PutCustomerCreate(c CustomerCreate) error {
	c.UpdatedAt = s.now()
	return s.db.Clauses(clause.OnConflict{UpdateAll: true}).Create(&c).Error
}

// OrderState is what the order import keeps between runs of a profile, for
// incremental runs (backend/orderimport/watermark.go).
type OrderState struct {
	ProfileID uint `gorm:"primaryKey;autoIncrement:false"`
	// Watermark: the next run reads the orders changed at or after it (the
	// shop's clock), besides the orders above MaxOrderID.
	Watermark  time.Time
	MaxOrderID int
	Selection  string     // the selection the watermark holds for
	LastFull   *time.Time // the last full pass (this machine's clock)
	// ReturnWatermark: with refunds as credit orders, the next run reads
	// the refunded returns changed at or after it (the shop's clock). Zero:
	// refunds were off, or returns cannot be read by date: a full pass.
	ReturnWatermark time.Time
}

// TableName keeps the table name GORM would give the migration's type.
func (OrderState) TableName() string { return "order_states" }

// OrderState returns a profile's import state (zero when it never ran).
func (s *Store) OrderState(profileID uint) (OrderState, error) {
	st := OrderState{ProfileID: profileID}
	err := s.db.Where("profile_id = ?", profileID).Take(&st).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return OrderState{ProfileID: profileID}, nil
	}
	return st, err
}

// SaveOrderState writes a profile's import state.
func (s *Store) SaveOrderState(st OrderState) error {
	return s.db.Clauses(clause.OnConflict{UpdateAll: true}).Create(&st).Error
}

// UnsettledOrders lists the orders of a profile a run must take up again
// whatever changed in the shop: open (held, failed, uncertain) or left
// "sending".
func (s *Store) UnsettledOrders(profileID uint) ([]int, error) {
	var ids []int
	err := s.db.Model(&LedgerEntry{}).Where("profile_id = ? AND state IN ?", profileID, append([]string{LedgerSending}, OpenStates...)).
		Order("order_id").Pluck("order_id", &ids).Error
	return ids, err
}
