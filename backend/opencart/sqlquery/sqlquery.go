// Package sqlquery is the SQL that opencart's structured reads and stock
// writes become, for the transports that hold a database/sql connection
// (MySQL, and the demo shop's SQLite). Both dialects take the same text:
// names quoted with backticks, every value bound, LIMIT, CASE and COALESCE.
package sqlquery

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"

	"github.com/s-connect/s-connect/backend/opencart"
)

func quote(name string) string { return "`" + name + "`" }

func marks(n int) string { return strings.TrimSuffix(strings.Repeat("?,", n), ",") }

// Select reads the rows of q, checked against the whitelist and the schema
// first; NULL reads as "".
func Select(ctx context.Context, db *sql.DB, s opencart.Schema, q opencart.Query) ([]opencart.Row, error) {
	if err := q.Check(s); err != nil {
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
	b.WriteString(" FROM " + quote(s.Prefix+q.Table))
	for i, w := range q.Where {
		if i == 0 {
			b.WriteString(" WHERE ")
		} else {
			b.WriteString(" AND ")
		}
		if w.Op == "in" {
			b.WriteString(quote(w.Column) + " IN (" + marks(len(w.Values)) + ")")
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
	rows, err := db.QueryContext(ctx, b.String(), args...)
	if err != nil {
		return nil, err
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

// UpdateQuantities changes a batch in three statements: one UPDATE whose
// WHERE holds each row to the quantity it was read with (so a sale that
// came in between is kept: the row no longer matches), a read of what the
// rows hold now, and the products' date_modified. now is a DATETIME in the
// shop's zone.
func UpdateQuantities(ctx context.Context, db *sql.DB, s opencart.Schema, table string, changes []opencart.QuantityChange, now string) (opencart.StockResult, error) {
	var res opencart.StockResult
	key, ok := opencart.StockTables[table]
	if !ok || !s.HasTable(table) {
		return res, fmt.Errorf("opencart: no stock in %q", table)
	}
	want := make(map[int]int, len(changes))
	ids := make([]any, 0, len(changes))
	var b strings.Builder
	args := make([]any, 0, 4*len(changes)+1)
	b.WriteString("UPDATE " + quote(s.Prefix+table) + " SET `quantity` = CASE " + quote(key))
	var from strings.Builder
	var condArgs []any
	for _, c := range changes {
		if _, dup := want[c.ID]; dup {
			continue // one change per row in a batch: the first
		}
		want[c.ID] = c.To
		ids = append(ids, c.ID)
		b.WriteString(" WHEN ? THEN ?")
		args = append(args, c.ID, c.To)
		from.WriteString(" WHEN ? THEN ?")
		condArgs = append(condArgs, c.ID, c.From)
	}
	if len(ids) == 0 {
		return res, nil
	}
	b.WriteString(" END")
	if table == "product" {
		b.WriteString(", `date_modified` = ?")
		args = append(args, now)
	}
	// The key range finds the rows; the CASE holds each to what was read
	// (4.1's NULL reads as 0, as everywhere else).
	b.WriteString(" WHERE " + quote(key) + " IN (" + marks(len(ids)) + ") AND COALESCE(`quantity`, 0) = CASE " + quote(key) + from.String() + " END")
	args = append(append(args, ids...), condArgs...)
	r, err := db.ExecContext(ctx, b.String(), args...)
	if err != nil {
		return res, err
	}
	n, err := r.RowsAffected()
	if err != nil {
		return res, err
	}
	res.Changed = int(n)
	rows, err := db.QueryContext(ctx, "SELECT "+quote(key)+", COALESCE(`quantity`, 0) FROM "+quote(s.Prefix+table)+" WHERE "+quote(key)+" IN ("+marks(len(ids))+")", ids...)
	if err != nil {
		return res, err
	}
	var written []any
	for rows.Next() {
		var id, qty int
		if err := rows.Scan(&id, &qty); err != nil {
			rows.Close()
			return res, err
		}
		res.Matched++
		if qty == want[id] {
			written = append(written, id)
		} else {
			res.Moved = append(res.Moved, opencart.Quantity{ID: id, Quantity: qty})
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil || table != "product_option_value" || len(written) == 0 {
		return res, err
	}
	// The product changed too, for anything that syncs on date_modified.
	_, err = db.ExecContext(ctx, "UPDATE "+quote(s.Prefix+"product")+" SET `date_modified` = ? WHERE `product_id` IN (SELECT `product_id` FROM "+
		quote(s.Prefix+table)+" WHERE `product_option_value_id` IN ("+marks(len(written))+"))", append([]any{now}, written...)...)
	return res, err
}
