package config

import (
	"errors"
	"time"

	"gorm.io/gorm"
)

// The scheduled tasks of the Planning tab (F8), in the manual's order.
const (
	TaskOrders      = "orders"      // Importeren orders
	TaskOrdersStock = "ordersStock" // Importeren orders + exporteren voorraad
)

// Tasks lists the task kinds every profile has.
var Tasks = []string{TaskOrders, TaskOrdersStock}

// Run is one execution of a task, shown on the Uitvoering tab (F9).
type Run struct {
	ID         uint       `json:"id" gorm:"primaryKey"`
	ProfileID  uint       `json:"profileId"`
	Task       string     `json:"task"`
	Trigger    string     `json:"trigger"` // "schedule", "manual" or "tray"
	StartedAt  time.Time  `json:"startedAt"`
	FinishedAt *time.Time `json:"finishedAt"`
	State      string     `json:"state"` // running, ok, held (ok, with Held orders needing the user), failed
	Summary    string     `json:"summary"`
	Held       int        `json:"held"`     // orders held or refused in this run
	Cause      string     `json:"cause"`    // a failed run: the message key of why it stopped
	CauseArg   string     `json:"causeArg"` // and what it is about
	Fix        string     `json:"fix"`      // where to fix it: a setting key or a tab id
	// Mode is how the run read the orders: "full" (every order of the
	// selection, Volledige controle) or "incremental" (only what is new or
	// changed since the run before); empty when it read none.
	Mode string `json:"mode"`
}

// Run states besides "running".
const (
	RunOK     = "ok"
	RunHeld   = "held"
	RunFailed = "failed"
	// RunSkipped: a scheduled run that did not start because a run of the
	// profile was still going on (Cause says which program ran it).
	RunSkipped = "skipped"
)

// LastRunIn returns the newest run of a task in one of states, or nil.
func (s *Store) LastRunIn(profileID uint, task string, states ...string) (*Run, error) {
	var r Run
	err := s.db.Where("profile_id = ? AND task = ? AND state IN ?", profileID, task, states).
		Order("started_at DESC, id DESC").Take(&r).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return &r, nil
}

// LastRun returns the newest run of a task, or nil when it never ran.
func (s *Store) LastRun(profileID uint, task string) (*Run, error) {
	var r Run
	err := s.db.Where("profile_id = ? AND task = ?", profileID, task).Order("started_at DESC, id DESC").Take(&r).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return &r, nil
}

// LastSuccess returns a profile's newest run that went through (orders
// held in it or not), or nil.
func (s *Store) LastSuccess(profileID uint) (*Run, error) {
	var r Run
	err := s.db.Where("profile_id = ? AND state IN ?", profileID, []string{RunOK, RunHeld}).Order("started_at DESC, id DESC").Take(&r).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return &r, nil
}

// Runs lists a profile's newest runs, at most limit.
func (s *Store) Runs(profileID uint, limit int) ([]Run, error) {
	var rs []Run
	err := s.db.Where("profile_id = ?", profileID).Order("started_at DESC, id DESC").Limit(limit).Find(&rs).Error
	return rs, err
}

// AddRun records a run (the task runner of a later issue writes these).
func (s *Store) AddRun(r *Run) error { return s.db.Create(r).Error }

// SaveRun updates a run (its end, state and summary).
func (s *Store) SaveRun(r *Run) error { return s.db.Save(r).Error }
