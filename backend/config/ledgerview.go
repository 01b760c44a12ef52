package config

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/shopspring/decimal"
	"gorm.io/gorm"
)

// OrderFilter selects the orders of the Uitvoering table.
type OrderFilter struct {
	Search string `json:"search"` // order number, customer, klantnummer or verkoopordernummer
	State  string `json:"state"`  // a ledger state, "open" (OpenStates), or "" for all
	Limit  int    `json:"limit"`  // at most this many; 0 = all
}

// OrderPage is a selection of orders, newest first, and how many matched.
type OrderPage struct {
	Orders []LedgerEntry `json:"orders"`
	Total  int64         `json:"total"`
}

// FindOrders lists a profile's orders matching f, newest order first.
func (s *Store) FindOrders(profileID uint, f OrderFilter) (OrderPage, error) {
	q := s.db.Model(&LedgerEntry{}).Where("profile_id = ?", profileID)
	switch f.State {
	case "":
	case "open":
		q = q.Where("state IN ?", OpenStates)
	default:
		q = q.Where("state = ?", f.State)
	}
	if term := strings.TrimSpace(f.Search); term != "" {
		like := "%" + strings.NewReplacer(`\`, `\\`, "%", `\%`, "_", `\_`).Replace(term) + "%"
		q = q.Where(`CAST(order_id AS TEXT) LIKE ? ESCAPE '\' OR customer LIKE ? ESCAPE '\' OR `+
			`CAST(relatiecode AS TEXT) LIKE ? ESCAPE '\' OR CAST(nummer AS TEXT) LIKE ? ESCAPE '\'`, like, like, like, like)
	}
	var page OrderPage
	if err := q.Count(&page.Total).Error; err != nil {
		return page, err
	}
	q = q.Order("shop_added DESC, order_id DESC")
	if f.Limit > 0 {
		q = q.Limit(f.Limit)
	}
	page.Orders = []LedgerEntry{}
	if err := q.Find(&page.Orders).Error; err != nil {
		return page, err
	}
	return page, s.attachCredits(profileID, page.Orders)
}

// attachCredits adds to each order its credit orders, in one read.
func (s *Store) attachCredits(profileID uint, orders []LedgerEntry) error {
	ids := make([]int, len(orders))
	at := make(map[int]int, len(orders))
	for i, o := range orders {
		ids[i], at[o.OrderID] = o.OrderID, i
	}
	credits, err := s.Credits(profileID, ids)
	if err != nil {
		return err
	}
	for _, c := range credits {
		orders[at[c.OrderID]].Credits = append(orders[at[c.OrderID]].Credits, c)
	}
	for i := range orders {
		slices.SortFunc(orders[i].Credits, func(a, b CreditEntry) int { return strings.Compare(a.Reference, b.Reference) })
	}
	return nil
}

// LedgerEntryOf returns one order's entry.
func (s *Store) LedgerEntryOf(profileID uint, orderID int) (LedgerEntry, error) {
	var e LedgerEntry
	err := s.db.Where("profile_id = ? AND order_id = ?", profileID, orderID).Take(&e).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return e, fmt.Errorf("order %d: %w", orderID, ErrNotFound)
	}
	return e, err
}

// ErrNotOpen means an order is not held or failed, so it cannot be marked
// handled or ignored (it is in SnelStart, or being sent).
var ErrNotOpen = errors.New("the order is not held or failed")

// MaxNoteLen is the longest note an order may get.
const MaxNoteLen = 500

// SettleOrder marks a held or failed order handled by hand (with the
// user's note) or ignored: no run imports it after this.
func (s *Store) SettleOrder(profileID uint, orderID int, state, note string) error {
	if state != LedgerHandled && state != LedgerIgnored {
		return fmt.Errorf("settle as %q: %w", state, ErrNotOpen)
	}
	note = strings.TrimSpace(note)
	if utf8.RuneCountInString(note) > MaxNoteLen {
		return &ValidationError{[]Issue{{Key: "note", Code: "too_long", Arg: fmt.Sprint(MaxNoteLen)}}}
	}
	return s.db.Transaction(func(tx *gorm.DB) error {
		var e LedgerEntry
		err := tx.Where("profile_id = ? AND order_id = ?", profileID, orderID).Take(&e).Error
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return fmt.Errorf("order %d: %w", orderID, ErrNotFound)
		}
		if err != nil {
			return err
		}
		if !IsOpen(e.State) {
			return fmt.Errorf("order %d is %s: %w", orderID, e.State, ErrNotOpen)
		}
		return tx.Model(&e).Where("profile_id = ? AND order_id = ?", profileID, orderID).
			Updates(map[string]any{"state": state, "note": note, "updated_at": s.now()}).Error
	})
}

// Overview is the Uitvoering tab at a glance: what was booked, what waits
// for the user, and orders and revenue per day.
type Overview struct {
	BookedToday int   `json:"bookedToday"`
	BookedWeek  int   `json:"bookedWeek"` // since Monday
	HeldNow     int64 `json:"heldNow"`    // held or failed: waiting for the user or the next run
	Days        []Day `json:"days"`       // oldest first, one per day, empty days included
}

// Day is one day of the chart.
type Day struct {
	Date    string `json:"date"` // 2006-01-02, local
	Orders  int    `json:"orders"`
	Revenue string `json:"revenue"` // incl. VAT, two decimals
}

// Overview counts the orders booked in the days up to now (in now's zone).
func (s *Store) Overview(profileID uint, now time.Time, days int) (Overview, error) {
	var out Overview
	loc := now.Location()
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, loc)
	first := today.AddDate(0, 0, -(days - 1))
	monday := today.AddDate(0, 0, -((int(today.Weekday()) + 6) % 7))
	var rows []struct {
		BookedAt time.Time
		Total    string
	}
	err := s.db.Model(&LedgerEntry{}).Select("booked_at, total").
		Where("profile_id = ? AND state = ? AND booked_at >= ?", profileID, LedgerConfirmed, first).Scan(&rows).Error
	if err != nil {
		return out, err
	}
	orders := map[string]int{}
	revenue := map[string]decimal.Decimal{}
	for _, r := range rows {
		at := r.BookedAt.In(loc)
		if at.Before(first) { // stored with another UTC offset (summer time)
			continue
		}
		day := at.Format("2006-01-02")
		orders[day]++
		if d, err := decimal.NewFromString(r.Total); err == nil {
			revenue[day] = revenue[day].Add(d)
		}
		if !at.Before(today) {
			out.BookedToday++
		}
		if !at.Before(monday) {
			out.BookedWeek++
		}
	}
	for d := first; !d.After(today); d = d.AddDate(0, 0, 1) {
		key := d.Format("2006-01-02")
		out.Days = append(out.Days, Day{Date: key, Orders: orders[key], Revenue: revenue[key].StringFixed(2)})
	}
	err = s.db.Model(&LedgerEntry{}).Where("profile_id = ? AND state IN ?", profileID, OpenStates).
		Count(&out.HeldNow).Error
	return out, err
}
