package config

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"gorm.io/gorm"
)

// KeepBackups is how many backups of settings.db are kept.
const KeepBackups = 7

// BackupDir is where the backups of the settings folder dir are.
func BackupDir(dir string) string { return filepath.Join(dir, "backups") }

// DatabaseError is a settings database that cannot be used: damaged, or
// held by another program. It names the file and the backups to go back to.
type DatabaseError struct {
	Problem string // "corrupt" or "locked"
	Path    string
	Backups []string // newest first
	Err     error
}

func (e *DatabaseError) Error() string {
	return fmt.Sprintf("settings database %s is %s: %v", e.Path, e.Problem, e.Err)
}
func (e *DatabaseError) Unwrap() error { return e.Err }

// errDamaged is a quick_check that found damage.
var errDamaged = errors.New("database disk image is malformed")

// classifyOpen turns SQLite's "damaged" (SQLITE_CORRUPT, SQLITE_NOTADB) and
// "busy" (SQLITE_BUSY, SQLITE_LOCKED) into a DatabaseError. It reads
// SQLite's own messages, which every build of the driver carries.
func classifyOpen(dir string, err error) error {
	if err == nil {
		return nil
	}
	msg := err.Error()
	problem := ""
	switch {
	case errors.Is(err, errDamaged), strings.Contains(msg, "database disk image is malformed"),
		strings.Contains(msg, "file is not a database"):
		problem = "corrupt"
	case strings.Contains(msg, "database is locked"), strings.Contains(msg, "database table is locked"):
		problem = "locked"
	default:
		return err
	}
	backups, _ := Backups(dir)
	return &DatabaseError{Problem: problem, Path: filepath.Join(dir, "settings.db"), Backups: backups, Err: err}
}

// checkIntegrity reads the whole database once, so damage shows at start
// rather than in the middle of a run.
func checkIntegrity(db *gorm.DB) error {
	var result string
	if err := db.Raw("PRAGMA quick_check").Scan(&result).Error; err != nil {
		return err
	}
	if result != "ok" {
		return errDamaged
	}
	return nil
}

// ownerOnly makes the database file readable by the user alone before
// SQLite opens it; the -wal and -shm files SQLite makes take the same
// permissions, and those an earlier version left behind (after a crash)
// are closed too.
func ownerOnly(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return err
	}
	f.Close()
	for _, suffix := range []string{"-wal", "-shm"} {
		if err := os.Chmod(path+suffix, 0o600); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
	}
	return os.Chmod(path, 0o600)
}

// backup writes a consistent copy of the database (VACUUM INTO, safe while
// it is in use) as backups/settings-<time>-<why>.db, readable by the user
// alone, and keeps the newest KeepBackups.
func backup(db *gorm.DB, dir, why string, now time.Time) (string, error) {
	bdir := BackupDir(dir)
	if err := os.MkdirAll(bdir, 0o700); err != nil {
		return "", err
	}
	path := filepath.Join(bdir, "settings-"+now.UTC().Format("20060102-150405.000")+"-"+why+".db")
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return "", err
	}
	f.Close()
	if err := db.Exec("VACUUM INTO ?", path).Error; err != nil {
		os.Remove(path)
		return "", fmt.Errorf("backup: %w", err)
	}
	list, _ := Backups(dir)
	for _, old := range list[min(len(list), KeepBackups):] {
		os.Remove(old)
	}
	return path, nil
}

// Backups lists the backups of the settings folder dir, newest first.
func Backups(dir string) ([]string, error) {
	list, err := filepath.Glob(filepath.Join(BackupDir(dir), "settings-*.db"))
	sort.Sort(sort.Reverse(sort.StringSlice(list)))
	return list, err
}

// Backup makes a backup now.
func (s *Store) Backup(why string) (string, error) { return backup(s.db, s.dir, why, s.now()) }

// BackupIfDue makes the daily backup when the newest is a day old or more.
func (s *Store) BackupIfDue() error {
	list, _ := Backups(s.dir)
	for _, b := range list {
		if strings.HasSuffix(b, "-daily.db") || strings.Contains(b, "-before-") {
			if fi, err := os.Stat(b); err == nil && s.now().Sub(fi.ModTime()) < 24*time.Hour {
				return nil
			}
			break
		}
	}
	_, err := s.Backup("daily")
	return err
}

// Restore puts a backup in place of settings.db (the store must not be
// open): the file it replaces is kept beside it as settings.db.broken-<time>.
// backup "" takes the newest.
func Restore(dir, backupPath string) (string, error) {
	if backupPath == "" {
		list, _ := Backups(dir)
		if len(list) == 0 {
			return "", fmt.Errorf("no backups in %s", BackupDir(dir))
		}
		backupPath = list[0]
	}
	src, err := os.Open(backupPath)
	if err != nil {
		return "", err
	}
	defer src.Close()
	db := filepath.Join(dir, "settings.db")
	stamp := time.Now().UTC().Format("20060102-150405")
	for _, suffix := range []string{"", "-wal", "-shm"} {
		if _, err := os.Stat(db + suffix); err == nil {
			if err := os.Rename(db+suffix, db+suffix+".broken-"+stamp); err != nil {
				return "", err
			}
		}
	}
	dst, err := os.OpenFile(db, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return "", err
	}
	if _, err := io.Copy(dst, src); err != nil {
		dst.Close()
		return "", err
	}
	return backupPath, dst.Close()
}
