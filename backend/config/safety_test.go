package config

import (
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestDatabaseIsWALAndOwnerOnly(t *testing.T) {
	s, dir := openTest(t)
	var mode string
	s.db.Raw("PRAGMA journal_mode").Scan(&mode)
	if mode != "wal" {
		t.Fatalf("journal mode %q", mode)
	}
	p, _ := s.CreateProfile("P")
	s.Save(p.ID, map[string]string{"shop.ftp.host": "ftp.nl"}, nil)
	for _, f := range []string{"settings.db", "settings.db-wal", "settings.db-shm"} {
		fi, err := os.Stat(filepath.Join(dir, f))
		if err != nil || fi.Mode().Perm() != 0o600 {
			t.Errorf("%s: %v %v", f, fi.Mode(), err)
		}
	}
	// A crash leaves -wal (with the last changes) and -shm behind; those of
	// an earlier version, readable by others, are closed on the next open.
	crashed := t.TempDir()
	for _, f := range []string{"settings.db", "settings.db-wal", "settings.db-shm", "secret.key"} {
		b, err := os.ReadFile(filepath.Join(dir, f))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(crashed, f), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	s2, err := Open(crashed)
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	if v, _ := s2.View(p.ID); v.Values["shop.ftp.host"] != "ftp.nl" {
		t.Fatal("the last change, in the WAL, was not read")
	}
	for _, f := range []string{"settings.db", "settings.db-wal", "settings.db-shm"} {
		if fi, err := os.Stat(filepath.Join(crashed, f)); err != nil || fi.Mode().Perm() != 0o600 {
			t.Errorf("after the crash, %s: %v %v", f, fi.Mode(), err)
		}
	}
}

// Before a migration the database is copied, consistently, and the copy
// is the old version with its data.
func TestBackupBeforeMigration(t *testing.T) {
	dir := t.TempDir()
	old, err := openAt(dir, 3)
	if err != nil {
		t.Fatal(err)
	}
	p, _ := old.CreateProfile("Voor de migratie")
	old.Close()
	if list, _ := Backups(dir); len(list) != 0 {
		t.Fatalf("backups before any migration: %v", list)
	}
	s, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	list, _ := Backups(dir)
	if len(list) != 1 || !strings.HasSuffix(list[0], "-before-v4.db") {
		t.Fatalf("backups %v", list)
	}
	if fi, _ := os.Stat(list[0]); fi.Mode().Perm() != 0o600 {
		t.Fatalf("backup mode %v", fi.Mode())
	}
	db, err := sql.Open("sqlite3", list[0])
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var name string
	var version int
	db.QueryRow("SELECT name FROM profiles WHERE id = ?", p.ID).Scan(&name)
	db.QueryRow("SELECT MAX(version) FROM schema_versions").Scan(&version)
	if name != "Voor de migratie" || version != 3 {
		t.Fatalf("backup holds %q at version %d", name, version)
	}
	// Opening again migrates nothing and copies nothing.
	s.Close()
	s2, _ := Open(dir)
	s2.Close()
	if again, _ := Backups(dir); len(again) != 1 {
		t.Fatalf("backups after a second open: %v", again)
	}
}

func TestDailyBackupKeepsTheNewest(t *testing.T) {
	s, dir := openTest(t)
	now := time.Now()
	s.now = func() time.Time { return now }
	for i := 0; i < 2; i++ {
		if err := s.BackupIfDue(); err != nil {
			t.Fatal(err)
		}
	}
	if list, _ := Backups(dir); len(list) != 1 {
		t.Fatalf("two backups on one day: %v", list)
	}
	for i := 1; i <= KeepBackups+3; i++ {
		now = now.Add(25 * time.Hour)
		os.Chtimes(mustNewest(t, dir), now.Add(-25*time.Hour), now.Add(-25*time.Hour))
		if err := s.BackupIfDue(); err != nil {
			t.Fatal(err)
		}
	}
	list, _ := Backups(dir)
	if len(list) != KeepBackups || !strings.Contains(list[0], now.UTC().Format("20060102-150405")) {
		t.Fatalf("kept %d backups, newest %s", len(list), list[0])
	}
}

func mustNewest(t *testing.T, dir string) string {
	list, _ := Backups(dir)
	if len(list) == 0 {
		t.Fatal("no backup")
	}
	return list[0]
}

// A damaged settings.db stops the start with a clear error that names the
// backups, and Restore puts the newest back.
func TestCorruptDatabaseAndTheWayBack(t *testing.T) {
	s, dir := openTest(t)
	p, _ := s.CreateProfile("Bewaard")
	if _, err := s.Backup("daily"); err != nil {
		t.Fatal(err)
	}
	s.Close()
	os.Remove(filepath.Join(dir, "settings.db-wal"))
	os.Remove(filepath.Join(dir, "settings.db-shm"))
	if err := os.WriteFile(filepath.Join(dir, "settings.db"), []byte(strings.Repeat("kapot ", 2000)), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := Open(dir)
	var de *DatabaseError
	if !errors.As(err, &de) || de.Problem != "corrupt" || len(de.Backups) != 1 {
		t.Fatalf("open a damaged database: %v", err)
	}
	used, err := Restore(dir, "")
	if err != nil || used != de.Backups[0] {
		t.Fatalf("restore: %s %v", used, err)
	}
	broken, _ := filepath.Glob(filepath.Join(dir, "settings.db.broken-*"))
	if len(broken) != 1 {
		t.Fatalf("the damaged file was not kept: %v", broken)
	}
	s2, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	if got, err := s2.Profile(p.ID); err != nil || got.Name != "Bewaard" {
		t.Fatalf("after restore: %+v %v", got, err)
	}
}

// Another program holding the database: a clear error, not a hang.
func TestLockedDatabase(t *testing.T) {
	s, dir := openTest(t)
	s.Close()
	other, err := sql.Open("sqlite3", "file:"+filepath.Join(dir, "settings.db")+"?_busy_timeout=0")
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	other.SetMaxOpenConns(1)
	if _, err := other.Exec("PRAGMA locking_mode=EXCLUSIVE"); err != nil {
		t.Fatal(err)
	}
	if _, err := other.Exec("BEGIN EXCLUSIVE"); err != nil {
		t.Fatal(err)
	}
	defer other.Exec("ROLLBACK")
	_, err = Open(dir)
	var de *DatabaseError
	if !errors.As(err, &de) || de.Problem != "locked" {
		t.Fatalf("open a locked database: %v", err)
	}
}

// Direct database profiles made before TLS existed keep working without it;
// new ones get TLS.
func TestMigrationKeepsOldDatabaseProfilesWithoutTLS(t *testing.T) {
	dir := t.TempDir()
	old, err := openAt(dir, 4)
	if err != nil {
		t.Fatal(err)
	}
	p, _ := old.CreateProfile("Direct")
	old.Save(p.ID, map[string]string{"shop.transport": "mysql", "shop.db.host": "db.nl", "shop.db.name": "oc", "shop.db.user": "u"}, nil)
	q, _ := old.CreateProfile("Bridge")
	old.Close()
	s, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	vp, _ := s.View(p.ID)
	vq, _ := s.View(q.ID)
	if vp.Values["shop.db.tls"] != "false" || vq.Values["shop.db.tls"] != "true" {
		t.Fatalf("after the migration: direct %q, other %q", vp.Values["shop.db.tls"], vq.Values["shop.db.tls"])
	}
}
