package sqlstore

import (
	"database/sql/driver"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

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
