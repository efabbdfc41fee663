package identity

import (
	"fmt"
	"time"

	"skillrecord/internal/errs"
)

// SSN is a validated 18-character social security number (社会保障号码, GB 11643) in canonical
// form: 17 ASCII digits and a check character 0–9 or upper-case X. Obtain one from ParseSSN
// (or MakeSSN in tests and seeders); a plain conversion skips validation.
type SSN string

// ssnLen is the length of an SSN in bytes (all ASCII).
const ssnLen = 18

// ssnWeights are the GB 11643 / ISO 7064 MOD 11-2 weights of the first 17 digits.
var ssnWeights = [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}

// ssnCheckChars maps the weighted sum modulo 11 to the check character.
const ssnCheckChars = "10X98765432"

// minBirth is the earliest birth date accepted, as YYYYMMDD.
const minBirth = 19000101

func invalidSSN(msg string) *errs.Error {
	return errs.Invalid(CodeInvalidSSN, "ssn "+msg)
}

// ParseSSN validates raw as a social security number and returns its canonical form.
//
// Surrounding white space is trimmed and a final lower-case x becomes X. The rest must be 17
// ASCII digits and a check character; the first two digits must be a province code, unless the
// first digit is 9 (foreigners' permanent-residence ID, 2023 format); digits 7–14 must be a real
// calendar date between 1900-01-01 and the civil date of today in today's location, inclusive;
// the check character must match SSNCheckChar. Fifteen-digit legacy numbers, full-width digits
// and inner spaces are refused. The error is an *errs.Error of kind errs.KindInvalid and code
// "invalid_ssn" whose message never contains the input.
func ParseSSN(raw string, today time.Time) (SSN, error) {
	s := trim(raw)
	if len(s) != ssnLen || !allDigits(s[:17]) {
		return "", invalidSSN("is not a valid 18-character social security number")
	}
	last := s[17]
	switch {
	case last == 'x':
		s = s[:17] + "X"
	case last == 'X', isDigit(last):
	default:
		return "", invalidSSN("is not a valid 18-character social security number")
	}
	if s[0] != '9' && !validProvince(atoi(s[:2])) {
		return "", invalidSSN("does not start with a valid province code")
	}
	if !validBirth(s[6:14], today) {
		return "", invalidSSN("does not contain a valid birth date")
	}
	if checkChar(s[:17]) != s[17] {
		return "", invalidSSN("check character does not match")
	}
	return SSN(s), nil
}

// validBirth reports whether ymd (8 ASCII digits) is a real calendar date between 1900-01-01 and
// the civil date of today, inclusive.
func validBirth(ymd string, today time.Time) bool {
	y, m, d := atoi(ymd[:4]), atoi(ymd[4:6]), atoi(ymd[6:8])
	if m < 1 || m > 12 || d < 1 || d > daysIn(y, time.Month(m)) {
		return false
	}
	ty, tm, td := today.Date()
	n := y*10000 + m*100 + d
	return n >= minBirth && n <= ty*10000+int(tm)*100+td
}

// daysIn returns the number of days of month m in year y (proleptic Gregorian calendar).
func daysIn(y int, m time.Month) int {
	return time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// checkChar computes the check character of 17 ASCII digits (not checked).
func checkChar(first17 string) byte {
	sum := 0
	for i := 0; i < 17; i++ {
		sum += int(first17[i]-'0') * ssnWeights[i]
	}
	return ssnCheckChars[sum%11]
}

// SSNCheckChar returns the GB 11643 check character ('0'–'9' or 'X') of the first 17 digits of
// an SSN. It panics if first17 is not exactly 17 ASCII digits: it is meant for code that builds
// numbers, not for validating input (use ParseSSN for that).
func SSNCheckChar(first17 string) byte {
	if len(first17) != 17 || !allDigits(first17) {
		panic("identity.SSNCheckChar: want 17 ASCII digits")
	}
	return checkChar(first17)
}

// MakeSSN builds an SSN from a 6-digit area code, a birth date (its civil date in its own
// location) and a sequence number (taken modulo 1000, negative values wrapped), appending the
// check character. It is for tests and the synthetic-data seeder. It panics if area is not 6
// ASCII digits or the birth year is outside 0–9999; it does not check the province or the date
// range, so the result is accepted by ParseSSN only when those are valid too.
func MakeSSN(area string, birth time.Time, seq int) SSN {
	if len(area) != 6 || !allDigits(area) {
		panic("identity.MakeSSN: area must be 6 ASCII digits")
	}
	y, m, d := birth.Date()
	if y < 0 || y > 9999 {
		panic("identity.MakeSSN: birth year out of range")
	}
	seq %= 1000
	if seq < 0 {
		seq += 1000
	}
	first17 := fmt.Sprintf("%s%04d%02d%02d%03d", area, y, int(m), d, seq)
	return SSN(first17 + string(checkChar(first17)))
}

// String returns the number itself. It is personal data: do not log it; use Masked for display.
func (s SSN) String() string { return string(s) }

// BirthDate returns the birth date encoded in digits 7–14, as midnight UTC of that day. It
// returns the zero time if s is not a well-formed SSN (e.g. the zero value).
func (s SSN) BirthDate() time.Time {
	if len(s) != ssnLen || !allDigits(string(s[6:14])) {
		return time.Time{}
	}
	y, m, d := atoi(string(s[6:10])), atoi(string(s[10:12])), atoi(string(s[12:14]))
	if m < 1 || m > 12 || d < 1 || d > daysIn(y, time.Month(m)) {
		return time.Time{}
	}
	return time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
}

// Masked returns the display form of the number: MaskSSN(s), e.g. 110105********002X.
func (s SSN) Masked() string { return MaskSSN(string(s)) }
