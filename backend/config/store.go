package config

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"time"

	"gorm.io/driver/sqlite"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"
	"gorm.io/gorm/logger"
)

// Errors the app layer turns into messages for the user.
var (
	ErrNotFound      = errors.New("not found")
	ErrLastProfile   = errors.New("the last profile cannot be deleted")
	ErrNewerDatabase = errors.New("settings were written by a newer version")
)

// ValidationError lists the settings that stop a save; nothing was saved.
type ValidationError struct{ Issues []Issue }

func (e *ValidationError) Error() string {
	parts := make([]string, len(e.Issues))
	for i, is := range e.Issues {
		parts[i] = is.Key + ": " + is.Code
	}
	return "invalid settings: " + strings.Join(parts, ", ")
}

// Profile is one shop–administration pair with its own settings (F12).
type Profile struct {
	ID        uint      `json:"id" gorm:"primaryKey"`
	Name      string    `json:"name" gorm:"size:60;not null;uniqueIndex"`
	CreatedAt time.Time `json:"createdAt"`
	UpdatedAt time.Time `json:"updatedAt"`
}

type setting struct {
	ProfileID uint   `gorm:"primaryKey;autoIncrement:false"`
	Key       string `gorm:"primaryKey;size:100"`
	Value     string `gorm:"not null"`
	Secret    bool   `gorm:"not null"`
}

// upsertSetting writes a setting row, replacing the one with the same key.
var upsertSetting = clause.OnConflict{
	Columns:   []clause.Column{{Name: "profile_id"}, {Name: "key"}},
	DoUpdates: clause.AssignmentColumns([]string{"value", "secret"}),
}

// programID is the profile id under which program-wide settings are kept.
const programID = 0

// Store is the SQLite settings database in the user's configuration folder.
type Store struct {
	db  *gorm.DB
	dir string
	sec *secrets
	now func() time.Time
}

// DefaultDir is the configuration folder: %APPDATA%\S-Connect on Windows,
// $XDG_CONFIG_HOME/s-connect (~/.config/s-connect) elsewhere.
func DefaultDir() (string, error) {
	base, err := os.UserConfigDir()
	if err != nil {
		return "", err
	}
	if filepath.Separator == '\\' {
		return filepath.Join(base, "S-Connect"), nil
	}
	return filepath.Join(base, "s-connect"), nil
}

// Dir is the settings folder the store lives in.
func (s *Store) Dir() string { return s.dir }

// Open opens (creating when needed) the store in dir and migrates it to the
// latest version.
func Open(dir string) (*Store, error) { return openAt(dir, LatestVersion) }

func openAt(dir string, version int) (*Store, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("configuration folder: %w", err)
	}
	path := filepath.Join(dir, "settings.db")
	if err := ownerOnly(path); err != nil {
		return nil, fmt.Errorf("settings database: %w", err)
	}
	// WAL: readers never wait for the writer, and a crash leaves the last
	// committed state.
	dsn := "file:" + path + "?_busy_timeout=5000&_journal_mode=WAL&_foreign_keys=1"
	// GORM's logger prints statements with their values: it stays silent so
	// that no secret reaches a log.
	db, err := gorm.Open(sqlite.Open(dsn), &gorm.Config{Logger: logger.Default.LogMode(logger.Silent)})
	if err != nil {
		return nil, classifyOpen(dir, fmt.Errorf("open settings database: %w", err))
	}
	sqlDB, err := db.DB()
	if err != nil {
		return nil, err
	}
	sqlDB.SetMaxOpenConns(1) // SQLite writes one at a time; one connection avoids SQLITE_BUSY
	s := &Store{db: db, dir: dir, now: time.Now}
	if err := s.prepare(version); err != nil {
		sqlDB.Close()
		return nil, err
	}
	return s, nil
}

// prepare checks the database, backs it up before a migration, migrates
// it and opens where the secrets are.
func (s *Store) prepare(version int) error {
	if err := checkIntegrity(s.db); err != nil {
		return classifyOpen(s.dir, err)
	}
	if err := s.db.AutoMigrate(&schemaVersion{}); err != nil {
		return classifyOpen(s.dir, fmt.Errorf("schema versions: %w", err))
	}
	var current int
	if err := s.db.Model(&schemaVersion{}).Select("COALESCE(MAX(version), 0)").Scan(&current).Error; err != nil {
		return classifyOpen(s.dir, err)
	}
	if current > 0 && current < min(version, LatestVersion) {
		if _, err := s.Backup(fmt.Sprintf("before-v%d", current+1)); err != nil {
			return err
		}
	}
	if err := migrate(s.db, version); err != nil {
		return classifyOpen(s.dir, err)
	}
	var err error
	s.sec, err = openSecrets(s.db, s.dir)
	if err != nil {
		return err
	}
	return s.moveSecretsToKeyring()
}

// Close closes the database.
func (s *Store) Close() error {
	sqlDB, err := s.db.DB()
	if err != nil {
		return err
	}
	return sqlDB.Close()
}

// Profiles lists the profiles by name.
func (s *Store) Profiles() ([]Profile, error) {
	var ps []Profile
	err := s.db.Order("name COLLATE NOCASE").Find(&ps).Error
	return ps, err
}

// Profile returns one profile.
func (s *Store) Profile(id uint) (Profile, error) {
	var p Profile
	err := s.db.First(&p, id).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return p, fmt.Errorf("profile %d: %w", id, ErrNotFound)
	}
	return p, err
}

// checkName validates a profile name with profile.name's declaration and
// checks that no other profile (other than except) has it.
func (s *Store) checkName(tx *gorm.DB, name string, except uint) (string, error) {
	decl := Lookup("profile.name")
	name = Normalize(decl, name)
	if name == "" {
		return "", &ValidationError{[]Issue{{Key: decl.Key, Code: CodeRequired}}}
	}
	if code, arg := checkValue(decl, name); code != "" {
		return "", &ValidationError{[]Issue{{Key: decl.Key, Code: code, Arg: arg}}}
	}
	var n int64
	if err := tx.Model(&Profile{}).Where("name = ? COLLATE NOCASE AND id <> ?", name, except).Count(&n).Error; err != nil {
		return "", err
	}
	if n > 0 {
		return "", &ValidationError{[]Issue{{Key: decl.Key, Code: "name_taken"}}}
	}
	return name, nil
}

// CreateProfile adds a profile with the default settings. Defaults that
// depend on the moment (Vanaf datum/tijd) are stored now, so they stay put.
func (s *Store) CreateProfile(name string) (Profile, error) {
	var p Profile
	err := s.db.Transaction(func(tx *gorm.DB) error {
		n, err := s.checkName(tx, name, 0)
		if err != nil {
			return err
		}
		p = Profile{Name: n}
		if err := tx.Create(&p).Error; err != nil {
			return err
		}
		now := s.now()
		for _, st := range Settings {
			if st.defaultFunc != nil {
				row := setting{ProfileID: p.ID, Key: st.Key, Value: st.defaultFunc(now)}
				if err := tx.Create(&row).Error; err != nil {
					return err
				}
			}
		}
		return nil
	})
	return p, err
}

// RenameProfile gives a profile another name.
func (s *Store) RenameProfile(id uint, name string) (Profile, error) {
	var p Profile
	err := s.db.Transaction(func(tx *gorm.DB) error {
		if err := tx.First(&p, id).Error; err != nil {
			return notFound(err, id)
		}
		n, err := s.checkName(tx, name, id)
		if err != nil {
			return err
		}
		p.Name = n
		return tx.Save(&p).Error
	})
	return p, err
}

// CopyProfile makes a new profile with all settings of another, secrets
// included (a second shop on the same hosting usually shares them), but
// not its Local settings: the copy installs a bridge of its own.
func (s *Store) CopyProfile(id uint, name string) (Profile, error) {
	var p Profile
	err := s.db.Transaction(func(tx *gorm.DB) error {
		var src Profile
		if err := tx.First(&src, id).Error; err != nil {
			return notFound(err, id)
		}
		n, err := s.checkName(tx, name, 0)
		if err != nil {
			return err
		}
		p = Profile{Name: n}
		if err := tx.Create(&p).Error; err != nil {
			return err
		}
		var all, rows []setting
		if err := tx.Where("profile_id = ?", id).Find(&all).Error; err != nil {
			return err
		}
		for _, r := range all {
			if d := Lookup(r.Key); d != nil && d.Local {
				continue
			}
			if r.Secret {
				// Its own copy of the secret: changing one profile's
				// password must not change the other's.
				plain, err := s.sec.get(r.Key, r.Value)
				if err != nil {
					return err
				}
				if r.Value, err = s.sec.put(p.ID, r.Key, plain); err != nil {
					return err
				}
			}
			r.ProfileID = p.ID
			rows = append(rows, r)
		}
		if len(rows) == 0 {
			return nil
		}
		return tx.Create(&rows).Error
	})
	return p, err
}

// DeleteProfile removes a profile with its settings and history. The last
// profile stays: the program always has one to show.
func (s *Store) DeleteProfile(id uint) error {
	old := s.secretRows(id)
	err := s.db.Transaction(func(tx *gorm.DB) error {
		var p Profile
		if err := tx.First(&p, id).Error; err != nil {
			return notFound(err, id)
		}
		var n int64
		if err := tx.Model(&Profile{}).Count(&n).Error; err != nil {
			return err
		}
		if n <= 1 {
			return ErrLastProfile
		}
		if err := tx.Where("profile_id = ?", id).Delete(&setting{}).Error; err != nil {
			return err
		}
		if err := tx.Where("profile_id = ?", id).Delete(&Run{}).Error; err != nil {
			return err
		}
		if err := tx.Where("profile_id = ?", id).Delete(&LedgerEntry{}).Error; err != nil {
			return err
		}
		if err := tx.Where("profile_id = ?", id).Delete(&Attempt{}).Error; err != nil {
			return err
		}
		if err := tx.Where("profile_id = ?", id).Delete(&CustomerCreate{}).Error; err != nil {
			return err
		}
		if err := tx.Where("profile_id = ?", id).Delete(&OrderState{}).Error; err != nil {
			return err
		}
		return tx.Delete(&p).Error
	})
	if err == nil {
		s.dropAll(old)
	}
	return err
}

func notFound(err error, id uint) error {
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return fmt.Errorf("profile %d: %w", id, ErrNotFound)
	}
	return err
}

// View is a profile's settings as the UI may see them: every setting with
// its value (defaults filled in), secrets left empty and flagged in Set.
type View struct {
	ProfileID uint              `json:"profileId"`
	Values    map[string]string `json:"values"`
	Set       map[string]bool   `json:"secretsSet"`
	Missing   []Issue           `json:"missing"`
}

// rows reads the stored rows of a profile and of the program.
func (s *Store) rows(tx *gorm.DB, id uint) (map[string]setting, error) {
	var rows []setting
	if err := tx.Where("profile_id IN ?", []uint{programID, id}).Find(&rows).Error; err != nil {
		return nil, err
	}
	m := make(map[string]setting, len(rows))
	for _, r := range rows {
		decl := Lookup(r.Key)
		if decl == nil { // a setting a newer or older version had: ignore, keep
			continue
		}
		if (decl.Scope == ScopeProgram) == (r.ProfileID == programID) {
			m[r.Key] = r
		}
	}
	return m, nil
}

// merged returns defaults overlaid with stored values; secrets are left
// empty, with set telling which are stored.
func (s *Store) merged(tx *gorm.DB, p Profile) (vals map[string]string, set map[string]bool, err error) {
	rows, err := s.rows(tx, p.ID)
	if err != nil {
		return nil, nil, err
	}
	vals = Defaults(p.CreatedAt)
	set = map[string]bool{}
	for k, r := range rows {
		if r.Secret {
			set[k] = true
			vals[k] = ""
			continue
		}
		vals[k] = r.Value
	}
	vals["profile.name"] = p.Name
	return vals, set, nil
}

// View returns a profile's settings for the UI.
func (s *Store) View(id uint) (View, error) {
	p, err := s.Profile(id)
	if err != nil {
		return View{}, err
	}
	vals, set, err := s.merged(s.db, p)
	if err != nil {
		return View{}, err
	}
	_, missing := Check(vals, func(k string) bool { return set[k] })
	return View{ProfileID: id, Values: vals, Set: set, Missing: missing}, nil
}

// Values returns a profile's settings with secrets decrypted, for the parts
// of the program that connect to SnelStart and the shop. Never hand these to
// the UI or a log.
func (s *Store) Values(id uint) (map[string]string, error) {
	p, err := s.Profile(id)
	if err != nil {
		return nil, err
	}
	rows, err := s.rows(s.db, id)
	if err != nil {
		return nil, err
	}
	vals, _, err := s.merged(s.db, p)
	if err != nil {
		return nil, err
	}
	for k, r := range rows {
		if r.Secret {
			if vals[k], err = s.sec.get(k, r.Value); err != nil {
				return nil, err
			}
		}
	}
	return vals, nil
}

// ProgramValue returns one program-wide setting (such as ui.language).
func (s *Store) ProgramValue(key string) (string, error) {
	decl := Lookup(key)
	if decl == nil || decl.Scope != ScopeProgram {
		return "", fmt.Errorf("program setting %q: %w", key, ErrNotFound)
	}
	var r setting
	err := s.db.Where("profile_id = ? AND key = ?", programID, key).Take(&r).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return decl.Default, nil
	}
	return r.Value, err
}

// SaveResult tells what a save left to do: required settings still empty.
type SaveResult struct {
	Missing []Issue `json:"missing"`
}

// Save validates and stores changes to a profile's settings (program-wide
// settings among them go to the program). An empty secret in changes keeps
// the stored one; clear lists secrets to remove. Either everything is saved
// or, on a *ValidationError, nothing.
func (s *Store) Save(id uint, changes map[string]string, clear []string) (SaveResult, error) {
	var res SaveResult
	before := map[string]string{}
	var rows []setting
	s.db.Where("profile_id = ? AND secret", id).Find(&rows)
	for _, r := range rows {
		before[r.Key] = r.Value
	}
	var added []string
	err := s.db.Transaction(func(tx *gorm.DB) error {
		var p Profile
		if err := tx.First(&p, id).Error; err != nil {
			return notFound(err, id)
		}
		vals, set, err := s.merged(tx, p)
		if err != nil {
			return err
		}
		var unknown []Issue
		keys := make([]string, 0, len(changes))
		for k := range changes {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			decl := Lookup(k)
			switch {
			case decl == nil:
				unknown = append(unknown, Issue{Key: k, Code: "unknown_setting"})
			case decl.ReadOnly:
				// filled by the program, never by the client
			default:
				vals[k] = Normalize(decl, changes[k])
			}
		}
		for _, k := range clear {
			if !IsSecret(k) || Lookup(k).ReadOnly {
				unknown = append(unknown, Issue{Key: k, Code: "not_secret"})
			}
			delete(set, k)
		}
		if len(unknown) > 0 {
			return &ValidationError{unknown}
		}
		applyFollowers(vals)
		invalid, missing := Check(vals, func(k string) bool { return set[k] })
		if name, err := s.checkName(tx, vals["profile.name"], id); err != nil {
			var ve *ValidationError
			if errors.As(err, &ve) {
				invalid = append(invalid, ve.Issues...)
			} else {
				return err
			}
		} else if name != p.Name {
			p.Name = name
			if err := tx.Save(&p).Error; err != nil {
				return err
			}
		}
		if len(invalid) > 0 {
			return &ValidationError{invalid}
		}
		res.Missing = missing
		return s.write(tx, id, vals, changes, clear, &added)
	})
	if err != nil {
		s.dropAll(added)
		return res, err
	}
	// The secrets replaced or cleared: nothing points at them any more.
	for k, old := range before {
		if v, ok := changes[k]; (ok && v != "") || slices.Contains(clear, k) {
			s.sec.drop(old)
		}
	}
	return res, nil
}

// applyFollowers sets the read-only settings that follow a choice.
func applyFollowers(vals map[string]string) {
	for _, st := range Settings {
		for _, c := range st.Choices {
			if c.Value != vals[st.Key] {
				continue
			}
			for k, v := range c.Sets {
				if Lookup(k).ReadOnly {
					vals[k] = v
				}
			}
		}
	}
}

// write stores the settings of a checked save.
func (s *Store) write(tx *gorm.DB, id uint, vals, changes map[string]string, clear []string, added *[]string) error {
	for _, st := range Settings {
		if st.Key == "profile.name" || (st.Kind == KindReadOnly) {
			continue
		}
		owner := id
		if st.Scope == ScopeProgram {
			owner = programID
		}
		_, changed := changes[st.Key]
		row := setting{ProfileID: owner, Key: st.Key, Value: vals[st.Key]}
		if st.IsSecret() {
			if !changed || vals[st.Key] == "" {
				continue
			}
			sealed, err := s.sec.put(owner, st.Key, vals[st.Key])
			if err != nil {
				return err
			}
			*added = append(*added, sealed)
			row.Value, row.Secret = sealed, true
		} else if !changed && !st.ReadOnly {
			continue
		}
		if err := tx.Clauses(upsertSetting).Create(&row).Error; err != nil {
			return fmt.Errorf("save %s: %w", st.Key, err)
		}
	}
	if len(clear) > 0 {
		if err := tx.Where("profile_id = ? AND key IN ?", id, clear).Delete(&setting{}).Error; err != nil {
			return err
		}
	}
	return tx.Model(&Profile{}).Where("id = ?", id).Update("updated_at", s.now()).Error
}

// SetSecret stores a secret the program made (the bridge's), encrypted.
func (s *Store) SetSecret(id uint, key, value string) error {
	decl := Lookup(key)
	if decl == nil || !decl.IsSecret() || !decl.ReadOnly {
		return fmt.Errorf("%s is not a program secret", key)
	}
	old := s.secretRows(id, key)
	sealed, err := s.sec.put(id, key, value)
	if err != nil {
		return err
	}
	if err := s.db.Clauses(upsertSetting).Create(&setting{ProfileID: id, Key: key, Value: sealed, Secret: true}).Error; err != nil {
		s.sec.drop(sealed)
		return err
	}
	s.dropAll(old)
	return nil
}

// secretRows returns the stored values of a profile's secret rows (of keys,
// or all when none are named), to drop from the credential store.
func (s *Store) secretRows(id uint, keys ...string) []string {
	q := s.db.Model(&setting{}).Where("profile_id = ? AND secret", id)
	if len(keys) > 0 {
		q = q.Where("key IN ?", keys)
	}
	var vals []string
	q.Pluck("value", &vals)
	return vals
}

// dropAll deletes kept secrets that no row points at any more.
func (s *Store) dropAll(stored []string) {
	for _, v := range stored {
		s.sec.drop(v)
	}
}

// Forget removes values the program stored (the bridge's place and secret
// after the bridge was removed).
func (s *Store) Forget(id uint, keys ...string) error {
	for _, k := range keys {
		if d := Lookup(k); d == nil || !d.ReadOnly || d.Scope != ScopeProfile {
			return fmt.Errorf("%s is not a program-kept profile setting", k)
		}
	}
	old := s.secretRows(id, keys...)
	if err := s.db.Where("profile_id = ? AND key IN ?", id, keys).Delete(&setting{}).Error; err != nil {
		return err
	}
	s.dropAll(old)
	return nil
}

// SetReadOnly stores a value the program found (the administration's name
// after a connection test, a server fingerprint on first connect).
func (s *Store) SetReadOnly(id uint, key, value string) error {
	decl := Lookup(key)
	if decl == nil || decl.Kind != KindReadOnly {
		return fmt.Errorf("%s is not a read-only setting", key)
	}
	if decl.Scope == ScopeProgram {
		id = programID
	}
	row := setting{ProfileID: id, Key: key, Value: value}
	return s.db.Clauses(upsertSetting).Create(&row).Error
}

// SetProgram validates and stores one program-wide setting.
func (s *Store) SetProgram(key, value string) error {
	decl := Lookup(key)
	if decl == nil || decl.Scope != ScopeProgram {
		return &ValidationError{[]Issue{{Key: key, Code: "unknown_setting"}}}
	}
	value = Normalize(decl, value)
	if code, arg := checkValue(decl, value); code != "" || value == "" {
		if code == "" {
			code = CodeRequired
		}
		return &ValidationError{[]Issue{{Key: key, Code: code, Arg: arg}}}
	}
	row := setting{ProfileID: programID, Key: key, Value: value}
	return s.db.Clauses(upsertSetting).Create(&row).Error
}
