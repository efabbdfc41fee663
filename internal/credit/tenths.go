package credit

import (
	"bytes"
	"errors"
	"strconv"
	"strings"

	"skillrecord/internal/errs"
)

// Tenths is an amount of skill credits in integer tenths of a credit: 125 is 12.5 credits.
// Every credit amount of the ledger is a Tenths, so that sums are exact. Its JSON form is a
// number with at most one decimal (12.5, 5, -15).
type Tenths int64

// Credits returns the amount of whole credits n as Tenths (Credits(5) is 50).
func Credits(n int64) Tenths { return Tenths(n * 10) }

// String returns t in credits with at most one decimal: 125 → "12.5", 50 → "5", -5 → "-0.5".
func (t Tenths) String() string {
	neg := t < 0
	u := uint64(t) //nolint:gosec // the magnitude is taken in two's complement below
	if neg {
		u = -u // two's complement: correct for the most negative value too
	}
	s := strconv.FormatUint(u/10, 10)
	if d := u % 10; d != 0 {
		s += "." + strconv.FormatUint(d, 10)
	}
	if neg {
		s = "-" + s
	}
	return s
}

// MarshalJSON writes t as a JSON number with at most one decimal.
func (t Tenths) MarshalJSON() ([]byte, error) { return []byte(t.String()), nil }

// UnmarshalJSON reads a JSON number that is a multiple of 0.1 (12.5, 12.50, 5, 1.5e1); null
// leaves t unchanged. A string, a finer amount such as 1.25 and an amount beyond the range of
// Tenths are refused with errs.Invalid, code invalid_credits.
func (t *Tenths) UnmarshalJSON(data []byte) error {
	if bytes.Equal(data, []byte("null")) {
		return nil
	}
	v, err := ParseTenths(string(data))
	if err != nil {
		return errs.Invalid(CodeInvalidCredits, "credits must be a number with at most one decimal").WithCause(err)
	}
	*t = v
	return nil
}

// Errors of ParseTenths. They never contain the input.
var (
	errNotNumber = errors.New("not a decimal number")
	errTooFine   = errors.New("not a multiple of 0.1")
	errRange     = errors.New("out of range")
)

// ParseTenths parses a decimal number in JSON syntax (optional '-', digits, optional fraction,
// optional exponent) that is an exact multiple of 0.1: "12.5" → 125, "1.5e1" → 150, "2.50" → 25.
// "1.25" is refused (errTooFine), as is anything outside the range of Tenths. It never builds
// huge intermediate values, whatever the exponent.
func ParseTenths(s string) (Tenths, error) {
	neg := strings.HasPrefix(s, "-")
	if neg {
		s = s[1:]
	}
	mant, rest := leadingDigits(s)
	if mant == "" || (len(mant) > 1 && mant[0] == '0') {
		return 0, errNotNumber
	}
	scale := 1 // the value in tenths is mant × 10^scale
	if strings.HasPrefix(rest, ".") {
		frac, r := leadingDigits(rest[1:])
		if frac == "" {
			return 0, errNotNumber
		}
		mant, scale, rest = mant+frac, scale-len(frac), r
	}
	zero := strings.TrimLeft(mant, "0") == ""
	if rest != "" {
		exp, err := exponent(rest)
		switch {
		case errors.Is(err, errRange) && zero:
		case err != nil:
			return 0, err
		}
		scale += exp
	}
	if zero {
		return 0, nil
	}
	mant = strings.TrimLeft(mant, "0")
	if scale < 0 {
		if -scale >= len(mant) || strings.TrimRight(mant[len(mant)+scale:], "0") != "" {
			return 0, errTooFine
		}
		mant = mant[:len(mant)+scale]
	} else if scale > 0 {
		if len(mant)+scale > 19 {
			return 0, errRange
		}
		mant += strings.Repeat("0", scale)
	}
	if neg {
		mant = "-" + mant
	}
	n, err := strconv.ParseInt(mant, 10, 64)
	if err != nil {
		return 0, errRange
	}
	return Tenths(n), nil
}

// leadingDigits splits s after its leading ASCII digits.
func leadingDigits(s string) (digits, rest string) {
	i := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	return s[:i], s[i:]
}

// exponent parses "e±ddd"; exponents beyond ±400 are refused, since no Tenths needs them.
func exponent(s string) (int, error) {
	if s[0] != 'e' && s[0] != 'E' {
		return 0, errNotNumber
	}
	s = s[1:]
	sign := 1
	if s != "" && (s[0] == '+' || s[0] == '-') {
		if s[0] == '-' {
			sign = -1
		}
		s = s[1:]
	}
	d, rest := leadingDigits(s)
	if d == "" || rest != "" {
		return 0, errNotNumber
	}
	if d = strings.TrimLeft(d, "0"); len(d) > 3 {
		return 0, errRange
	}
	n, _ := strconv.Atoi("0" + d)
	return sign * n, nil
}
