// Package sqlite is a transport to an OpenCart database kept in a SQLite
// file: the demo shop. It reads and writes through the same SQL as the MySQL
// transport (backend/opencart/sqlquery), so the model, the whitelist and the
// conditional stock writes behave as they do against a real shop; only the
// tables are created from OpenCart's MySQL DDL translated to SQLite (DDL).
package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"regexp"
	"strings"
	"time"

	_ "github.com/mattn/go-sqlite3" // the SQLite driver the settings store uses too

	"github.com/s-connect/s-connect/backend/opencart"
	"github.com/s-connect/s-connect/backend/opencart/sqlquery"
)

// OpenDB opens the SQLite file (made when missing). WAL and a busy timeout:
// the demo's order generator writes while a run reads, maybe from another
// process of the program.
func OpenDB(path string) (*sql.DB, error) {
	db, err := sql.Open("sqlite3", "file:"+path+"?_busy_timeout=10000&_journal_mode=WAL")
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(1) // one writer at a time; one connection avoids SQLITE_BUSY inside the process
	return db, nil
}

// Transport is an open SQLite shop database.
type Transport struct {
	db     *sql.DB
	schema opencart.Schema
	zone   *time.Location
}

var _ opencart.Transport = (*Transport)(nil)

// Open opens the shop in the file at path, whose tables carry prefix.
func Open(ctx context.Context, path, prefix string) (*Transport, error) {
	db, err := OpenDB(path)
	if err != nil {
		return nil, err
	}
	t := &Transport{db: db}
	if err := t.probe(ctx, prefix); err != nil {
		db.Close()
		return nil, err
	}
	return t, nil
}

func (t *Transport) probe(ctx context.Context, prefix string) error {
	rows, err := t.db.QueryContext(ctx, `SELECT m.name, p.name FROM sqlite_master m JOIN pragma_table_info(m.name) p
		WHERE m.type = 'table' ORDER BY m.name, p.cid`)
	if err != nil {
		return err
	}
	defer rows.Close()
	s := opencart.Schema{Prefix: prefix, Columns: map[string][]string{}}
	for rows.Next() {
		var table, col string
		if err := rows.Scan(&table, &col); err != nil {
			return err
		}
		name, ok := strings.CutPrefix(table, prefix)
		allowed, known := opencart.Whitelist[name]
		if !ok || !known {
			continue
		}
		if _, seen := s.Columns[name]; !seen {
			s.Columns[name] = []string{}
		}
		for _, a := range allowed {
			if a == col {
				s.Columns[name] = append(s.Columns[name], col)
			}
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if !s.HasTable("order") || !s.HasTable("setting") {
		return fmt.Errorf("%w: no %sorder and %ssetting tables", opencart.ErrNotOpenCart, prefix, prefix)
	}
	t.schema = s
	t.zone, _ = time.LoadLocation("Europe/Amsterdam")
	var zone string
	err = t.db.QueryRowContext(ctx, "SELECT `value` FROM `"+prefix+"setting` WHERE store_id = 0 AND `key` = 'config_timezone' LIMIT 1").Scan(&zone)
	if loc, lerr := time.LoadLocation(zone); err == nil && lerr == nil && zone != "" {
		t.zone = loc
	}
	return nil
}

// Schema implements opencart.Transport.
func (t *Transport) Schema(context.Context) (opencart.Schema, error) { return t.schema, nil }

// Select implements opencart.Transport.
func (t *Transport) Select(ctx context.Context, q opencart.Query) ([]opencart.Row, error) {
	return sqlquery.Select(ctx, t.db, t.schema, q)
}

// UpdateQuantities implements opencart.Transport.
func (t *Transport) UpdateQuantities(ctx context.Context, table string, changes []opencart.QuantityChange) (opencart.StockResult, error) {
	return sqlquery.UpdateQuantities(ctx, t.db, t.schema, table, changes, time.Now().In(t.zone).Format("2006-01-02 15:04:05"))
}

// Close closes the file.
func (t *Transport) Close() error { return t.db.Close() }

var (
	tableOptions  = regexp.MustCompile(`\)\s*ENGINE=[^;]*$`)
	indexLine     = regexp.MustCompile("(?m)^\\s*(UNIQUE )?KEY `[^`]*` \\([^)]*\\),?\\n")
	autoIncrement = regexp.MustCompile("(?m)^(\\s*)(`[a-z_]+`) [a-z]+\\([0-9]+\\) NOT NULL AUTO_INCREMENT")
	// Amounts and dates stay text, as MySQL hands them out: "12.5000", not
	// the 12.5 a NUMERIC column would make of it.
	textTypes   = regexp.MustCompile(`\bdecimal\([0-9]+,[0-9]+\)|\bdatetime\b|\bdate\b`) // no \b after ")": none is there
	danglingCom = regexp.MustCompile(`,(\s*)\)\s*$`)
)

// DDL translates one CREATE TABLE of OpenCart's MySQL installer into
// SQLite: the auto-increment key becomes the INTEGER PRIMARY KEY SQLite
// numbers itself, indexes and table options go (a demo shop needs neither),
// decimals and dates are kept as text. Columns, their order, NULL-ability
// and defaults stay as OpenCart has them.
func DDL(stmt string) string {
	stmt = tableOptions.ReplaceAllString(stmt, ")")
	stmt = indexLine.ReplaceAllString(stmt, "")
	if m := autoIncrement.FindStringSubmatch(stmt); m != nil {
		// Only a key of its own can be SQLite's numbered key; in a composite
		// key (order_status) the ids are always given.
		own := regexp.MustCompile("(?m),\\n\\s*PRIMARY KEY \\(" + regexp.QuoteMeta(m[2]) + "\\)")
		if own.MatchString(stmt) {
			stmt = autoIncrement.ReplaceAllString(stmt, "${1}${2} INTEGER PRIMARY KEY AUTOINCREMENT")
			stmt = own.ReplaceAllString(stmt, "")
		} else {
			stmt = strings.Replace(stmt, " AUTO_INCREMENT", "", 1)
		}
	}
	stmt = textTypes.ReplaceAllString(stmt, "TEXT")
	return danglingCom.ReplaceAllString(stmt, "$1)")
}
