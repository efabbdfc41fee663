package identity

import "strings"

// Stable error codes returned by the parsers of this package (the `code` word of the API
// contract).
const (
	// CodeInvalidSSN is the code of an error from ParseSSN.
	CodeInvalidSSN = "invalid_ssn"
	// CodeInvalidCreditCode is the code of an error from ParseCreditCode.
	CodeInvalidCreditCode = "invalid_credit_code"
	// CodeInvalidCardNumber is the code of an error from ParseCardNumber.
	CodeInvalidCardNumber = "invalid_card_number"
	// CodeInvalidAreaCode is the code of an error from ParseAreaCode.
	CodeInvalidAreaCode = "invalid_area_code"
	// CodeInvalidOccupationCode is the code of an error from ParseOccupationCode.
	CodeInvalidOccupationCode = "invalid_occupation_code"
)

// trim removes surrounding ASCII and Unicode white space (U+3000 ideographic space, NBSP, ...).
func trim(s string) string {
	return strings.TrimSpace(s)
}

// isDigit reports whether b is an ASCII decimal digit.
func isDigit(b byte) bool {
	return b >= '0' && b <= '9'
}

// allDigits reports whether s is non-empty and consists only of ASCII decimal digits.
func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return true
}

// atoi converts a string of ASCII digits (already checked) to an int.
func atoi(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		n = n*10 + int(s[i]-'0')
	}
	return n
}

// upperASCII upper-cases the ASCII letters of s and leaves every other byte alone. Unlike
// strings.ToUpper it never turns a non-ASCII rune into an ASCII one (ı → I, ſ → S), so a
// later ASCII-only check cannot be fooled.
func upperASCII(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'a' && c <= 'z' {
			b[i] = c - 'a' + 'A'
		}
	}
	return string(b)
}

// validProvince reports whether p (the first two digits of an SSN or area code) is a
// province-level division code: 11–15, 21–23, 31–37, 41–46, 50–54, 61–65, 71, 81–83.
func validProvince(p int) bool {
	switch {
	case p >= 11 && p <= 15,
		p >= 21 && p <= 23,
		p >= 31 && p <= 37,
		p >= 41 && p <= 46,
		p >= 50 && p <= 54,
		p >= 61 && p <= 65,
		p == 71,
		p >= 81 && p <= 83:
		return true
	}
	return false
}
