package sqlstore

import (
	"context"
	"database/sql"
	"strings"
	"sync/atomic"
	"time"
)

// A batch write builds its multi-row statements here, as plain SQL with one placeholder per
// value, instead of through gorm's CreateInBatches: gorm walks every field of every row by
// reflection and builds the statement a value at a time, which for a 1,000-row batch costs
// more CPU than the server spends on the insert. The driver interpolates the values
// (interpolateParams on MySQL), so a statement is still one round trip.

// exec runs one statement built here in the caller's transaction (or on the pool), straight
// on the connection: gorm's raw-SQL builder would re-parse the statement and spread a []byte
// value that follows a parenthesis into one value per byte.
func (db *DB) exec(ctx context.Context, query string, args []any) (sql.Result, error) {
	ctx, cancel := db.bound(ctx)
	defer cancel()
	db.counted()
	res, err := db.conn(ctx).Statement.ConnPool.ExecContext(ctx, query, args...)
	return res, translate(err)
}

// query runs one read built here and hands each row to scan.
func (db *DB) query(ctx context.Context, query string, args []any, scan func(*sql.Rows) error) error {
	ctx, cancel := db.bound(ctx)
	defer cancel()
	db.counted()
	rows, err := db.conn(ctx).Statement.ConnPool.QueryContext(ctx, query, args...)
	if err != nil {
		return translate(err)
	}
	defer rows.Close()
	for rows.Next() {
		if err := scan(rows); err != nil {
			return translate(err)
		}
	}
	return translate(rows.Err())
}

// bound gives a statement the query timeout, as boundStatements does for gorm's.
func (db *DB) bound(ctx context.Context) (context.Context, context.CancelFunc) {
	if db.queryTimeout <= 0 {
		return ctx, func() {}
	}
	if dl, ok := ctx.Deadline(); ok && time.Until(dl) <= db.queryTimeout {
		return ctx, func() {}
	}
	return context.WithTimeout(ctx, db.queryTimeout)
}

// counted counts a statement run outside gorm when a test asked for it (CountStatements).
func (db *DB) counted() {
	if n := db.statements.Load(); n != nil {
		n.Add(1)
	}
}

// statementCounter is where CountStatements counts (tests only).
type statementCounter = atomic.Pointer[atomic.Int64]

// multiRow is a multi-row statement being built: its SQL and its values.
type multiRow struct {
	sql  strings.Builder
	args []any
}

// newInsert starts "INSERT INTO table (cols) VALUES" for rows rows of len(cols) values each.
func newInsert(table string, cols []string, rows int) *multiRow {
	m := &multiRow{args: make([]any, 0, rows*len(cols))}
	tuple := 2 + 2*len(cols) // "(?,?,…?)," per row
	m.sql.Grow(len("INSERT INTO  () VALUES ") + len(table) + len(cols)*16 + rows*tuple + 128)
	m.sql.WriteString("INSERT INTO ")
	m.sql.WriteString(table)
	m.sql.WriteString(" (")
	m.sql.WriteString(strings.Join(cols, ", "))
	m.sql.WriteString(") VALUES ")
	return m
}

// row appends one row's values, which must be as many as the statement's columns.
func (m *multiRow) row(values ...any) {
	if len(m.args) > 0 {
		m.sql.WriteByte(',')
	}
	m.sql.WriteByte('(')
	for i := range values {
		if i > 0 {
			m.sql.WriteByte(',')
		}
		m.sql.WriteByte('?')
	}
	m.sql.WriteByte(')')
	m.args = append(m.args, values...)
}

// upsert ends the statement with the dialect's "on a clash of key, set cols to the new row's
// values" clause (cols empty: leave the existing row as it is).
func (m *multiRow) upsert(d Dialect, key string, cols []string) {
	if d == MySQL {
		m.sql.WriteString(" ON DUPLICATE KEY UPDATE ")
		if len(cols) == 0 {
			// Not INSERT IGNORE: this takes the existing row's exclusive lock at once (IGNORE
			// would take a shared one, and two of them upgrading deadlock).
			m.sql.WriteString(key + " = " + key)
			return
		}
		for i, c := range cols {
			if i > 0 {
				m.sql.WriteString(", ")
			}
			m.sql.WriteString(c + " = VALUES(" + c + ")")
		}
		return
	}
	m.sql.WriteString(" ON CONFLICT (" + key + ") DO ")
	if len(cols) == 0 {
		m.sql.WriteString("NOTHING")
		return
	}
	m.sql.WriteString("UPDATE SET ")
	for i, c := range cols {
		if i > 0 {
			m.sql.WriteString(", ")
		}
		m.sql.WriteString(c + " = excluded." + c)
	}
}

// inList returns "(?,?,…)" for n values.
func inList(n int) string {
	var b strings.Builder
	b.Grow(2 * n)
	b.WriteByte('(')
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteByte('?')
	}
	b.WriteByte(')')
	return b.String()
}

// anys returns ids as a []any, for a statement's values.
func anys[T any](ids []T) []any {
	out := make([]any, len(ids))
	for i, id := range ids {
		out[i] = id
	}
	return out
}
