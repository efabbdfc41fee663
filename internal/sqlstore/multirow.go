package sqlstore

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
	"unicode/utf8"

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

// appendLiteral appends v to b as a MySQL literal and reports whether it could: NULL; integers
// and booleans (1 or 0) in decimal; floats as the driver writes them; times in UTC as
// 'YYYY-MM-DD HH:MM:SS[.ffffff]' (the connection's time zone is UTC, see Open); []byte as a
// hexadecimal literal; a string of valid UTF-8 without a backslash between single quotes, its
// quotes doubled, and any other string as a hexadecimal literal of the connection's character
// set. Both forms mean the same whether or not the server's sql_mode has NO_BACKSLASH_ESCAPES,
// so no byte of a value can end its literal. A driver.Valuer is written as its value.
func appendLiteral(b []byte, v any) ([]byte, bool) {
	switch x := v.(type) {
	case nil:
		return append(b, "NULL"...), true
	case string:
		return appendStringLiteral(b, x), true
	case int:
		return strconv.AppendInt(b, int64(x), 10), true
	case int64:
		return strconv.AppendInt(b, x, 10), true
	case int32:
		return strconv.AppendInt(b, int64(x), 10), true
	case bool:
		if x {
			return append(b, '1'), true
		}
		return append(b, '0'), true
	case float64:
		return strconv.AppendFloat(b, x, 'g', -1, 64), true
	case time.Time:
		return appendTimeLiteral(b, x), true
	case []byte:
		if x == nil {
			return append(b, "NULL"...), true
		}
		return appendHex(append(b, "X'"...), x), true
	case driver.Valuer:
		dv, err := x.Value()
		if err != nil {
			return b, false
		}
		if _, again := dv.(driver.Valuer); again {
			return b, false
		}
		return appendLiteral(b, dv)
	}
	return b, false
}

// appendStringLiteral appends s as a character string literal (see appendLiteral).
func appendStringLiteral(b []byte, s string) []byte {
	if strings.IndexByte(s, '\\') >= 0 || !utf8.ValidString(s) {
		b = append(b, "_utf8mb4 X'"...)
		return appendHex(b, []byte(s))
	}
	b = append(b, '\'')
	for {
		i := strings.IndexByte(s, '\'')
		if i < 0 {
			break
		}
		b = append(b, s[:i+1]...)
		b = append(b, '\'')
		s = s[i+1:]
	}
	b = append(b, s...)
	return append(b, '\'')
}

// appendHex appends the hexadecimal digits of p and the closing quote of an X'…' literal.
func appendHex(b, p []byte) []byte {
	const digits = "0123456789ABCDEF"
	for _, c := range p {
		b = append(b, digits[c>>4], digits[c&0x0f])
	}
	return append(b, '\'')
}

// appendTimeLiteral appends t in UTC as the driver writes a time: '0000-00-00' for the zero
// time, the date alone at midnight, else the date and time with the nanoseconds that are not 0
// (trailing zeros dropped), which a DATETIME(6) column truncates to microseconds.
func appendTimeLiteral(b []byte, t time.Time) []byte {
	if t.IsZero() {
		return append(b, "'0000-00-00'"...)
	}
	t = t.UTC()
	b = append(b, '\'')
	ns := t.Nanosecond()
	if h, m, s := t.Clock(); h == 0 && m == 0 && s == 0 && ns == 0 {
		b = t.AppendFormat(b, "2006-01-02")
		return append(b, '\'')
	}
	b = t.AppendFormat(b, "2006-01-02 15:04:05")
	if ns != 0 {
		var frac [10]byte
		frac[0] = '.'
		for i := 9; i >= 1; i-- {
			frac[i] = byte('0' + ns%10)
			ns /= 10
		}
		n := 10
		for frac[n-1] == '0' {
			n--
		}
		b = append(b, frac[:n]...)
	}
	return append(b, '\'')
}
