package config

import (
	"encoding/json"
	"errors"
	"time"

	"gorm.io/gorm"
)

// Attempt is one sending of an order to SnelStart: what was sent and what
// SnelStart answered (B9). Secrets are never part of either: the payload is
// the verkooporder, the answer SnelStart's reply or error.
type Attempt struct {
	ID         uint       `json:"-" gorm:"primaryKey"`
	ProfileID  uint       `json:"-"`
	OrderID    int        `json:"orderId"`
	Attempt    int        `json:"attempt"` // 1, 2, … as LedgerEntry.Attempts counts them
	SentAt     time.Time  `json:"sentAt"`
	Payload    string     `json:"payload"`    // the verkooporder as sent (JSON)
	Outcome    string     `json:"outcome"`    // the ledger state after it: confirmed, failed, held; sending while open
	Answer     string     `json:"answer"`     // SnelStart's answer
	AnsweredAt *time.Time `json:"answeredAt"` // nil while open (or after a crash)
}

// TableName keeps the table name of the migration's type.
func (Attempt) TableName() string { return "ledger_attempts" }

// recordAttempt opens an attempt when an entry is written as sending with
// a payload, and closes the open one when it leaves sending.
func recordAttempt(tx *gorm.DB, e LedgerEntry, now time.Time) error {
	if e.State == LedgerSending {
		if e.Payload == "" {
			return nil
		}
		return tx.Create(&Attempt{ProfileID: e.ProfileID, OrderID: e.OrderID, Attempt: e.Attempts, SentAt: now,
			Payload: e.Payload, Outcome: LedgerSending}).Error
	}
	var open Attempt
	err := tx.Where("profile_id = ? AND order_id = ? AND answered_at IS NULL", e.ProfileID, e.OrderID).
		Order("id DESC").Take(&open).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	open.Outcome, open.AnsweredAt = e.State, &now
	open.Answer = e.Answer
	if e.State == LedgerConfirmed {
		// What SnelStart gave back for the created verkooporder.
		b, _ := json.Marshal(struct {
			ID     string `json:"id"`
			Nummer int    `json:"nummer"`
			Totaal string `json:"totaalInclusiefBtw"`
		}{e.VerkooporderID, e.Nummer, e.Total})
		open.Answer = string(b)
	}
	return tx.Save(&open).Error
}

// Attempts lists the attempts of one order, first first.
func (s *Store) Attempts(profileID uint, orderID int) ([]Attempt, error) {
	var out []Attempt
	err := s.db.Where("profile_id = ? AND order_id = ?", profileID, orderID).Order("id").Find(&out).Error
	return out, err
}
