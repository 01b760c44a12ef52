package config

import (
	"bytes"
	"compress/gzip"
	"errors"
	"io"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// CreatedArticle is an article S-Connect created in SnelStart. SnelStart
// starts it without stock; until someone gives it stock (or changes it)
// its 0 says nothing, and the stock export leaves its products alone.
type CreatedArticle struct {
	ProfileID  uint       `json:"-" gorm:"primaryKey;autoIncrement:false"`
	Code       string     `json:"code" gorm:"primaryKey"` // artikelcode, lower case
	ArticleID  string     `json:"articleId"`
	ModifiedOn time.Time  `json:"modifiedOn"` // SnelStart's modifiedOn as created
	CreatedAt  time.Time  `json:"createdAt"`
	ReleasedAt *time.Time `json:"releasedAt"` // stock was given since: exported from then on
}

// RememberArticle records an article S-Connect created (once: a second
// call for the same code keeps the first).
func (s *Store) RememberArticle(profileID uint, code, articleID string, modifiedOn time.Time) error {
	a := CreatedArticle{ProfileID: profileID, Code: strings.ToLower(strings.TrimSpace(code)), ArticleID: articleID,
		ModifiedOn: modifiedOn, CreatedAt: s.now()}
	return s.db.Clauses(clause.OnConflict{DoNothing: true}).Create(&a).Error
}

// CreatedArticles returns the articles S-Connect created for a profile, by
// lower-case code.
func (s *Store) CreatedArticles(profileID uint) (map[string]CreatedArticle, error) {
	var rows []CreatedArticle
	if err := s.db.Where("profile_id = ?", profileID).Find(&rows).Error; err != nil {
		return nil, err
	}
	out := make(map[string]CreatedArticle, len(rows))
	for _, r := range rows {
		out[r.Code] = r
	}
	return out, nil
}

// ReleaseArticles marks created articles as given stock.
func (s *Store) ReleaseArticles(profileID uint, codes []string) error {
	now := s.now()
	for start := 0; start < len(codes); start += 500 {
		part := codes[start:min(start+500, len(codes))]
		if err := s.db.Model(&CreatedArticle{}).Where("profile_id = ? AND code IN ? AND released_at IS NULL", profileID, part).
			Update("released_at", now).Error; err != nil {
			return err
		}
	}
	return nil
}

// StockState is what the stock export keeps between runs of a profile.
type StockState struct {
	ProfileID uint `gorm:"primaryKey;autoIncrement:false"`
	// Watermark is the newest modifiedOn among the articles read (SnelStart's
	// clock): the next incremental pass reads what changed after it.
	Watermark   time.Time
	LastFull    *time.Time // the last full pass
	Fingerprint string     // the settings an incremental pass depends on
	Managed     int        // products and option values the last full pass managed
	Total       int        // and their total stock
	ConfirmedAt *time.Time // the user allowed the next run past the guard
}

// StockState returns a profile's export state (zero when it never ran).
func (s *Store) StockState(profileID uint) (StockState, error) {
	st := StockState{ProfileID: profileID}
	err := s.db.Where("profile_id = ?", profileID).Take(&st).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return StockState{ProfileID: profileID}, nil
	}
	return st, err
}

// SaveStockState writes a profile's export state.
func (s *Store) SaveStockState(st StockState) error {
	return s.db.Clauses(clause.OnConflict{UpdateAll: true}).Create(&st).Error
}

// ConfirmStock lets the next stock export past the guard, once.
func (s *Store) ConfirmStock(profileID uint) error {
	st, err := s.StockState(profileID)
	if err != nil {
		return err
	}
	now := s.now()
	st.ConfirmedAt = &now
	return s.SaveStockState(st)
}

type stockResult struct {
	RunID     uint `gorm:"primaryKey;autoIncrement:false"`
	ProfileID uint
	Data      []byte
}

// keepStockResults is how many runs keep their stock detail.
const keepStockResults = 50

// PutStockResult keeps the stock detail of a run (JSON, stored gzipped),
// and drops the detail of a profile's older runs.
func (s *Store) PutStockResult(profileID, runID uint, data []byte) error {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if _, err := zw.Write(data); err != nil {
		return err
	}
	if err := zw.Close(); err != nil {
		return err
	}
	return s.db.Transaction(func(tx *gorm.DB) error {
		if err := tx.Clauses(clause.OnConflict{UpdateAll: true}).Create(&stockResult{RunID: runID, ProfileID: profileID, Data: buf.Bytes()}).Error; err != nil {
			return err
		}
		return tx.Where("profile_id = ? AND run_id NOT IN (?)", profileID,
			tx.Model(&stockResult{}).Select("run_id").Where("profile_id = ?", profileID).Order("run_id DESC").Limit(keepStockResults)).
			Delete(&stockResult{}).Error
	})
}

// StockResult returns the stock detail of a run, nil when it has none.
func (s *Store) StockResult(profileID, runID uint) ([]byte, error) {
	var r stockResult
	err := s.db.Where("profile_id = ? AND run_id = ?", profileID, runID).Take(&r).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	zr, err := gzip.NewReader(bytes.NewReader(r.Data))
	if err != nil {
		return nil, err
	}
	return io.ReadAll(zr)
}
