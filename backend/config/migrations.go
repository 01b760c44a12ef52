package config

import (
	"fmt"
	"time"

	"gorm.io/gorm"
)

// A migration moves the database one version on. Migrations are never edited
// once released: each declares the tables as they were at its version (the
// snapshot types below), so a later change of a model cannot change history.
type migration struct {
	version int
	name    string
	up      func(tx *gorm.DB) error
}

var migrations = []migration{
	{1, "profiles and settings", func(tx *gorm.DB) error {
		type profile struct {
			ID        uint   `gorm:"primaryKey"`
			Name      string `gorm:"size:60;not null;uniqueIndex"`
			CreatedAt time.Time
			UpdatedAt time.Time
		}
		type setting struct {
			ProfileID uint   `gorm:"primaryKey;autoIncrement:false"`
			Key       string `gorm:"primaryKey;size:100"`
			Value     string `gorm:"not null"`
			Secret    bool   `gorm:"not null"`
		}
		return tx.Migrator().AutoMigrate(&profile{}, &setting{})
	}},
	{2, "run history for Uitvoering", func(tx *gorm.DB) error {
		type run struct {
			ID         uint      `gorm:"primaryKey"`
			ProfileID  uint      `gorm:"not null;index:idx_runs_profile_task"`
			Task       string    `gorm:"size:40;not null;index:idx_runs_profile_task"`
			Trigger    string    `gorm:"size:20;not null"`
			StartedAt  time.Time `gorm:"not null"`
			FinishedAt *time.Time
			State      string `gorm:"size:20;not null"`
			Summary    string `gorm:"not null;default:''"`
		}
		return tx.Migrator().AutoMigrate(&run{})
	}},
	{3, "the order ledger", func(tx *gorm.DB) error {
		type ledgerEntry struct {
			ProfileID      uint   `gorm:"primaryKey;autoIncrement:false"`
			OrderID        int    `gorm:"primaryKey;autoIncrement:false"`
			State          string `gorm:"size:20;not null;index"`
			Reference      string `gorm:"size:50;not null;default:''"`
			Attempts       int    `gorm:"not null;default:0"`
			Customer       string `gorm:"not null;default:''"`
			Relatiecode    int    `gorm:"not null;default:0"`
			VerkooporderID string `gorm:"size:40;not null;default:''"`
			Nummer         int    `gorm:"not null;default:0"`
			Total          string `gorm:"size:20;not null;default:''"`
			Reason         string `gorm:"not null;default:''"`
			Payload        string `gorm:"not null;default:''"`
			Answer         string `gorm:"not null;default:''"`
			ShopModified   time.Time
			UpdatedAt      time.Time `gorm:"index"`
		}
		return tx.Migrator().AutoMigrate(&ledgerEntry{})
	}},
	{4, "Uitvoering: run outcome, order date, settled orders, attempts", func(tx *gorm.DB) error {
		type run struct {
			Held     int    `gorm:"not null;default:0"`
			Cause    string `gorm:"size:80;not null;default:''"`
			CauseArg string `gorm:"not null;default:''"`
			Fix      string `gorm:"size:100;not null;default:''"`
		}
		type ledgerEntry struct {
			ShopAdded   time.Time `gorm:"index"`
			BookedAt    *time.Time
			Note        string `gorm:"not null;default:''"`
			NewCustomer bool   `gorm:"not null;default:false"`
			NewArticles string `gorm:"not null;default:''"`
		}
		for _, c := range []struct {
			model any
			cols  []string
		}{
			{&run{}, []string{"Held", "Cause", "CauseArg", "Fix"}},
			{&ledgerEntry{}, []string{"ShopAdded", "BookedAt", "Note", "NewCustomer", "NewArticles"}},
		} {
			for _, col := range c.cols {
				if err := tx.Migrator().AddColumn(c.model, col); err != nil {
					return err
				}
			}
		}
		// Adding a column makes no index: the order table is sorted by date.
		if err := tx.Migrator().CreateIndex(&ledgerEntry{}, "ShopAdded"); err != nil {
			return err
		}
		type ledgerAttempt struct {
			ID         uint      `gorm:"primaryKey"`
			ProfileID  uint      `gorm:"not null;index:idx_attempts_order"`
			OrderID    int       `gorm:"not null;index:idx_attempts_order"`
			Attempt    int       `gorm:"not null"`
			SentAt     time.Time `gorm:"not null"`
			Payload    string    `gorm:"not null;default:''"`
			Outcome    string    `gorm:"size:20;not null;default:''"`
			Answer     string    `gorm:"not null;default:''"`
			AnsweredAt *time.Time
		}
		return tx.Migrator().AutoMigrate(&ledgerAttempt{})
	}},
	{5, "this settings folder's identity, which names its items in the credential store", func(tx *gorm.DB) error {
		if err := tx.Exec("CREATE TABLE store_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)").Error; err != nil {
			return err
		}
		return tx.Exec("INSERT INTO store_meta (key, value) VALUES ('id', ?)", randomHex(8)).Error
	}},
	{6, "database TLS stays off for direct connections made before it existed", func(tx *gorm.DB) error {
		// TLS is the default for new direct-database profiles; existing ones
		// keep working as they did until the user turns it on.
		return tx.Exec(`INSERT INTO settings (profile_id, key, value, secret)
			SELECT profile_id, 'shop.db.tls', 'false', false FROM settings s
			WHERE key = 'shop.transport' AND value = 'mysql'
			AND NOT EXISTS (SELECT 1 FROM settings t WHERE t.profile_id = s.profile_id AND t.key = 'shop.db.tls')`).Error
	}},
	{7, "stock export: created articles, export state, results per run", func(tx *gorm.DB) error {
		type createdArticle struct {
			ProfileID  uint   `gorm:"primaryKey;autoIncrement:false"`
			Code       string `gorm:"primaryKey;size:100"`
			ArticleID  string `gorm:"size:40;not null;default:''"`
			ModifiedOn time.Time
			CreatedAt  time.Time
			ReleasedAt *time.Time
		}
		type stockState struct {
			ProfileID   uint `gorm:"primaryKey;autoIncrement:false"`
			Watermark   time.Time
			LastFull    *time.Time
			Fingerprint string `gorm:"size:100;not null;default:''"`
			Managed     int    `gorm:"not null;default:0"`
			Total       int    `gorm:"not null;default:0"`
			ConfirmedAt *time.Time
		}
		type stockResult struct {
			RunID     uint `gorm:"primaryKey;autoIncrement:false"`
			ProfileID uint `gorm:"not null;index"`
			Data      []byte
		}
		return tx.Migrator().AutoMigrate(&createdArticle{}, &stockState{}, &stockResult{})
	}},
	{8, "refunds as credit orders: their own ledger, keyed by the credit reference", func(tx *gorm.DB) error {
		type creditEntry struct {
			ProfileID      uint   `gorm:"primaryKey;autoIncrement:false"`
			Reference      string `gorm:"primaryKey;size:60"`
			OrderID        int    `gorm:"not null;index"`
			ReturnID       int    `gorm:"not null;default:0"`
			State          string `gorm:"size:20;not null"`
			Attempts       int    `gorm:"not null;default:0"`
			Customer       string `gorm:"not null;default:''"`
			Relatiecode    int    `gorm:"not null;default:0"`
			VerkooporderID string `gorm:"size:40;not null;default:''"`
			Nummer         int    `gorm:"not null;default:0"`
			Total          string `gorm:"size:20;not null;default:''"`
			Reason         string `gorm:"not null;default:''"`
			Payload        string `gorm:"not null;default:''"`
			Answer         string `gorm:"not null;default:''"`
			UpdatedAt      time.Time
			BookedAt       *time.Time
		}
		return tx.Migrator().AutoMigrate(&creditEntry{})
	}},
	{9, "order import: customer creates under the ledger, the watermark of incremental runs", func(tx *gorm.DB) error {
		type customerCreate struct {
			ProfileID uint   `gorm:"primaryKey;autoIncrement:false"`
			Key       string `gorm:"primaryKey;size:200"`
			State     string `gorm:"size:20;not null;default:''"`
			RelatieID string `gorm:"size:40;not null;default:''"`
			OrderID   int    `gorm:"not null;default:0"`
			UpdatedAt time.Time
		}
		type orderState struct {
			ProfileID  uint `gorm:"primaryKey;autoIncrement:false"`
			Watermark  time.Time
			MaxOrderID int    `gorm:"not null;default:0"`
			Selection  string `gorm:"size:500;not null;default:''"`
			LastFull   *time.Time
		}
		return tx.Migrator().AutoMigrate(&customerCreate{}, &orderState{})
	}},
	{10, "run history: whether a run read every order or only the new and changed ones", func(tx *gorm.DB) error {
		type run struct {
			Mode string `gorm:"size:20;not null;default:''"`
		}
		return tx.Migrator().AddColumn(&run{}, "Mode")
	}},
	{11, "order import: the watermark of refunded returns", func(tx *gorm.DB) error {
		type orderState struct {
			ProfileID       uint `gorm:"primaryKey;autoIncrement:false"`
			Watermark       time.Time
			MaxOrderID      int    `gorm:"not null;default:0"`
			Selection       string `gorm:"size:500;not null;default:''"`
			LastFull        *time.Time
			ReturnWatermark time.Time
		}
		// The profiles that ran before have none yet (NULL reads as zero).
		if err := tx.Migrator().AutoMigrate(&orderState{}); err != nil {
			return err
		}
		// A development build numbered this step 10, before the run mode
		// took that number: its databases are at 10 without runs.mode.
		type run struct {
			Mode string `gorm:"size:20;not null;default:''"`
		}
		if tx.Migrator().HasColumn(&run{}, "Mode") {
			return nil
		}
		return tx.Migrator().AddColumn(&run{}, "Mode")
	}},
}

// LatestVersion is the schema version this build writes.
var LatestVersion = migrations[len(migrations)-1].version

type schemaVersion struct {
	Version   int `gorm:"primaryKey;autoIncrement:false"`
	Name      string
	AppliedAt time.Time
}

// migrate brings the database up to version upTo, each step in its own
// transaction. A database newer than this build is refused rather than
// risked.
func migrate(db *gorm.DB, upTo int) error {
	if err := db.AutoMigrate(&schemaVersion{}); err != nil {
		return fmt.Errorf("schema versions: %w", err)
	}
	var current int
	if err := db.Model(&schemaVersion{}).Select("COALESCE(MAX(version), 0)").Scan(&current).Error; err != nil {
		return fmt.Errorf("read schema version: %w", err)
	}
	if current > LatestVersion {
		return fmt.Errorf("%w: database version %d, this program knows up to %d", ErrNewerDatabase, current, LatestVersion)
	}
	for _, m := range migrations {
		if m.version <= current || m.version > upTo {
			continue
		}
		err := db.Transaction(func(tx *gorm.DB) error {
			if err := m.up(tx); err != nil {
				return err
			}
			return tx.Create(&schemaVersion{Version: m.version, Name: m.name, AppliedAt: time.Now().UTC()}).Error
		})
		if err != nil {
			return fmt.Errorf("migration %d (%s): %w", m.version, m.name, err)
		}
	}
	return nil
}
