// Package mysql is the direct transport to an OpenCart database: the same
// row operations as the PHP bridge, as bound SQL from Go, with OpenCart's own
// session settings. It moves rows; backend/opencart makes orders of them.
package mysql

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net"
	"regexp"
	"strconv"
	"strings"
	"time"

	driver "github.com/go-sql-driver/mysql"

	"github.com/s-connect/s-connect/backend/opencart"
	"github.com/s-connect/s-connect/backend/tlspin"
)

// Config says where the shop's database is.
type Config struct {
	Host     string
	Port     int // default 3306
	Database string
	User     string
	Password string
	Prefix   string // "" = find it (the tables ending in order_product)
	// Dial, when set, opens the connection (through an SSH tunnel).
	Dial func(ctx context.Context, addr string) (net.Conn, error)
	// TLS asks for an encrypted connection; a certificate that does not
	// verify is accepted only with CertFingerprint (trust on first use).
	TLS             bool
	CertFingerprint string
	// Zone is the shop's time zone when it records none (2.3).
	Zone    *time.Location
	Timeout time.Duration // per statement; default 60 s
}

// Transport is an open connection pool to one shop.
type Transport struct {
	db     *sql.DB
	schema opencart.Schema
	zone   *time.Location
	cfg    Config
}

var _ opencart.Transport = (*Transport)(nil)

var prefixRE = regexp.MustCompile(`^[A-Za-z0-9_]{0,32}$`)

// Open connects, finds the prefix (when not given) and reads the schema.
func Open(ctx context.Context, cfg Config) (*Transport, error) {
	if !prefixRE.MatchString(cfg.Prefix) {
		return nil, fmt.Errorf("opencart/mysql: prefix %q: only letters, digits and _", cfg.Prefix)
	}
	if cfg.Port == 0 {
		cfg.Port = 3306
	}
	if cfg.Timeout == 0 {
		cfg.Timeout = 60 * time.Second
	}
	dc := driver.NewConfig()
	dc.User, dc.Passwd, dc.DBName = cfg.User, cfg.Password, cfg.Database
	dc.Net, dc.Addr = "tcp", net.JoinHostPort(cfg.Host, strconv.Itoa(cfg.Port))
	if cfg.Dial != nil {
		// The connector's own dial function, not the driver's global
		// registry: a registered dialer would keep the SSH client (and
		// everything it holds) alive after the run that opened it.
		dc.DialFunc = func(ctx context.Context, _, addr string) (net.Conn, error) { return cfg.Dial(ctx, addr) }
	}
	var certErr tlspin.Seen
	if cfg.TLS {
		dc.TLS = tlspin.Config(cfg.Host, cfg.CertFingerprint, &certErr)
	}
	dc.Timeout, dc.ReadTimeout, dc.WriteTimeout = 15*time.Second, cfg.Timeout, cfg.Timeout
	dc.Collation = "utf8mb4_general_ci"
	dc.InterpolateParams = false
	// OpenCart's own session: relaxed NOT NULL handling as its mysqli driver sets it.
	dc.Params = map[string]string{"sql_mode": "'NO_ZERO_IN_DATE,NO_ENGINE_SUBSTITUTION'"}
	connector, err := driver.NewConnector(dc)
	if err != nil {
		return nil, err
	}
	db := sql.OpenDB(connector)
	db.SetMaxOpenConns(4)
	db.SetConnMaxLifetime(10 * time.Minute)
	t := &Transport{db: db, cfg: cfg, zone: cfg.Zone}
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		switch {
		case certErr.Err() != nil:
			return nil, &StepError{StepTLS, certErr.Err()}
		case errors.Is(err, driver.ErrNoTLS):
			return nil, &StepError{StepTLS, err}
		}
		return nil, classify(err)
	}
	if err := t.probe(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return t, nil
}

// Close closes the pool.
func (t *Transport) Close() error { return t.db.Close() }

// Step names a stage of connecting, for a connection test that says where
// it failed.
type Step string

const (
	StepConnect  Step = "connect"  // DNS/TCP
	StepTLS      Step = "security" // TLS: offered, certificate known
	StepLogin    Step = "login"    // user and password
	StepDatabase Step = "database" // the database exists and may be used
	StepTables   Step = "tables"   // OpenCart's tables with the prefix
)

// StepError tells which step failed.
type StepError struct {
	Step Step
	Err  error
}

func (e *StepError) Error() string { return "opencart/mysql: " + string(e.Step) + ": " + e.Err.Error() }
func (e *StepError) Unwrap() error { return e.Err }

func classify(err error) error {
	var me *driver.MySQLError
	if errors.As(err, &me) {
		switch me.Number {
		case 1045:
			return &StepError{StepLogin, err}
		case 1044, 1049:
			return &StepError{StepDatabase, err}
		}
	}
	var ne net.Error
	var oe *net.OpError
	if errors.As(err, &oe) || errors.As(err, &ne) || errors.Is(err, driver.ErrInvalidConn) {
		return &StepError{StepConnect, err}
	}
	return err
}

func (t *Transport) probe(ctx context.Context) error {
	prefix := t.cfg.Prefix
	if prefix == "" {
		var err error
		if prefix, err = t.findPrefix(ctx); err != nil {
			return &StepError{StepTables, err}
		}
	}
	like := strings.ReplaceAll(prefix, "_", `\_`) + "%"
	rows, err := t.db.QueryContext(ctx, `SELECT TABLE_NAME, COLUMN_NAME FROM information_schema.COLUMNS
		WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME LIKE ? ORDER BY TABLE_NAME, ORDINAL_POSITION`, like)
	if err != nil {
		return classify(err)
	}
	defer rows.Close()
	s := opencart.Schema{Prefix: prefix, Columns: map[string][]string{}}
	for rows.Next() {
		var table, col string
		if err := rows.Scan(&table, &col); err != nil {
			return err
		}
		name := strings.TrimPrefix(table, prefix)
		allowed, ok := opencart.Whitelist[name]
		if !ok {
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
		return &StepError{StepTables, fmt.Errorf("%w: no %sorder and %ssetting tables", opencart.ErrNotOpenCart, prefix, prefix)}
	}
	t.schema = s
	if t.zone == nil {
		t.zone, _ = time.LoadLocation("Europe/Amsterdam")
	}
	var zone string
	err = t.db.QueryRowContext(ctx, "SELECT `value` FROM `"+prefix+"setting` WHERE store_id = 0 AND `key` = 'config_timezone' LIMIT 1").Scan(&zone)
	if err == nil {
		if loc, lerr := time.LoadLocation(zone); lerr == nil && zone != "" {
			t.zone = loc
		}
	}
	return nil
}

// findPrefix looks for the one prefix with OpenCart's order tables.
func (t *Transport) findPrefix(ctx context.Context) (string, error) {
	rows, err := t.db.QueryContext(ctx, `SELECT TABLE_NAME FROM information_schema.TABLES
		WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME LIKE '%order\_product'`)
	if err != nil {
		return "", classify(err)
	}
	defer rows.Close()
	var found []string
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			return "", err
		}
		if p := strings.TrimSuffix(name, "order_product"); prefixRE.MatchString(p) {
			found = append(found, p)
		}
	}
	switch len(found) {
	case 0:
		return "", opencart.ErrNotOpenCart
	case 1:
		return found[0], nil
	}
	return "", fmt.Errorf("opencart/mysql: several shops in this database (prefixes %s): fill in the Tabel-prefix", strings.Join(found, ", "))
}

// Schema implements opencart.Transport.
func (t *Transport) Schema(context.Context) (opencart.Schema, error) { return t.schema, nil }

func quote(name string) string { return "`" + name + "`" }

// Select implements opencart.Transport: the query is checked against the
// whitelist and the schema, names are quoted, every value is bound.
func (t *Transport) Select(ctx context.Context, q opencart.Query) ([]opencart.Row, error) {
	if err := q.Check(t.schema); err != nil {
		return nil, err
	}
	var b strings.Builder
	args := make([]any, 0, 8)
	b.WriteString("SELECT ")
	for i, c := range q.Columns {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(quote(c))
	}
	b.WriteString(" FROM " + quote(t.schema.Prefix+q.Table))
	for i, w := range q.Where {
		if i == 0 {
			b.WriteString(" WHERE ")
		} else {
			b.WriteString(" AND ")
		}
		if w.Op == "in" {
			b.WriteString(quote(w.Column) + " IN (" + strings.TrimSuffix(strings.Repeat("?,", len(w.Values)), ",") + ")")
		} else {
			b.WriteString(quote(w.Column) + " " + w.Op + " ?")
		}
		args = append(args, w.Values...)
	}
	for i, c := range q.OrderBy {
		if i == 0 {
			b.WriteString(" ORDER BY ")
		} else {
			b.WriteString(", ")
		}
		b.WriteString(quote(c))
	}
	b.WriteString(" LIMIT " + strconv.Itoa(q.Checked()))
	ctx, cancel := context.WithTimeout(ctx, t.cfg.Timeout)
	defer cancel()
	rows, err := t.db.QueryContext(ctx, b.String(), args...)
	if err != nil {
		return nil, classify(err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return nil, err
	}
	raw := make([]sql.RawBytes, len(cols))
	ptrs := make([]any, len(cols))
	for i := range raw {
		ptrs[i] = &raw[i]
	}
	var out []opencart.Row
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return nil, err
		}
		r := make(opencart.Row, len(cols))
		for i, c := range cols {
			r[c] = string(raw[i]) // NULL reads as ""
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return out, q.CheckRows(len(out))
}
