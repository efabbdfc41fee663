package sqlstore

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"strings"
	"sync/atomic"
	"time"

	"skillrecord/internal/errs"
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
	if err := awaitBackground(ctx); err != nil {
		return nil, err
	}
	ctx, cancel := db.bound(ctx)
	defer cancel()
	db.counted()
	res, err := db.conn(ctx).Statement.ConnPool.ExecContext(ctx, query, args...)
	return res, translate(err)
}

// query runs one read built here and hands each row to scan.
func (db *DB) query(ctx context.Context, query string, args []any, scan func(*sql.Rows) error) error {
	if err := awaitBackground(ctx); err != nil {
		return err
	}
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
	// literal writes the values into the SQL text (appendLiteral) instead of placeholders,
	// for MySQL: the driver's interpolation of a 1,000-row statement converts and copies
	// every value twice more (see newLiteralInsert).
	literal bool
	rows    int    // literal mode: the rows written so far
	buf     []byte // literal mode: a row's text, before it goes into sql
	err     error  // literal mode: a value that has no literal form
}

// execRows runs the statement m built (see exec).
func (db *DB) execRows(ctx context.Context, m *multiRow) (sql.Result, error) {
	if m.err != nil {
		return nil, m.err
	}
	return db.exec(ctx, m.sql.String(), m.args)
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

// newLiteralInsert is newInsert for the statements of a batch ingest (the records, their
// ledger entries and accounts, the day counts): on MySQL their values are written into the
// statement's text as literals (appendLiteral) as rows are added, instead of as placeholders
// that the driver then fills in, which for a 1,000-row statement converted every value to a
// driver value, escaped it into a second buffer and copied the statement once more (about a
// fifth of the batch's allocations, 2026-12-07). On SQLite the values stay parameters.
func (db *DB) newLiteralInsert(table string, cols []string, rows int) *multiRow {
	m := newInsert(table, cols, rows)
	if db.dialect == MySQL {
		m.literal = true
		m.args = nil
		m.sql.Grow(rows * len(cols) * 12)
	}
	return m
}

// row appends one row's values, which must be as many as the statement's columns.
func (m *multiRow) row(values ...any) {
	if m.literal {
		m.literalRow(values)
		return
	}
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

// literalRow appends one row with its values as literals. A value of a type appendLiteral
// does not know is first converted as database/sql would (driver.DefaultParameterConverter);
// one that still has no literal form fails the statement (execRows), never a placeholder: the
// driver would take a '?' inside a string literal for one.
func (m *multiRow) literalRow(values []any) {
	b := m.buf[:0]
	if m.rows > 0 {
		b = append(b, ',')
	}
	m.rows++
	b = append(b, '(')
	for i, v := range values {
		if i > 0 {
			b = append(b, ',')
		}
		var ok bool
		if b, ok = appendLiteral(b, v); !ok {
			cv, err := driver.DefaultParameterConverter.ConvertValue(v)
			if err == nil {
				b, ok = appendLiteral(b, cv)
			}
			if !ok && m.err == nil {
				m.err = errs.Internal(fmt.Errorf("sqlstore: no SQL literal for a %T", v), "database error")
			}
		}
	}
	b = append(b, ')')
	m.sql.Write(b)
	m.buf = b
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

// inStrings returns "(…)" for ids and the statement's values: on MySQL the ids written as
// literals (appendStringLiteral) and no values, as newLiteralInsert does for rows; on SQLite
// one placeholder per id.
func (db *DB) inStrings(ids []string) (string, []any) {
	if db.dialect != MySQL {
		return inList(len(ids)), anys(ids)
	}
	b := make([]byte, 0, 2+len(ids)*40)
	b = append(b, '(')
	for i, id := range ids {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendStringLiteral(b, id)
	}
	return string(append(b, ')')), nil
}

// anys returns ids as a []any, for a statement's values.
func anys[T any](ids []T) []any {
	out := make([]any, len(ids))
	for i, id := range ids {
		out[i] = id
	}
	return out
}
