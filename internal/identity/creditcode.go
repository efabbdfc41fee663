package identity

import (
	"strings"

	"skillrecord/internal/errs"
)

// CreditCode is a validated unified social credit code (统一社会信用代码, GB 32100-2015) in
// canonical form: 18 upper-case characters of the code alphabet, the last being the check
// character. Obtain one from ParseCreditCode (or MakeCreditCode in tests).
type CreditCode string

// creditAlphabet is the GB 32100 code alphabet; a character's value is its index. I, O, Z, S
// and V are not used.
const creditAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"

// creditLen is the length of a credit code.
const creditLen = 18

// creditWeights are the GB 32100 weights of the first 17 characters (3^i mod 31).
var creditWeights = [17]int{1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28}

// creditValue returns the value of c in the code alphabet, or -1.
func creditValue(c byte) int {
	return strings.IndexByte(creditAlphabet, c)
}

// creditCheck computes the check character of 17 alphabet characters (not checked).
func creditCheck(first17 string) byte {
	sum := 0
	for i := 0; i < 17; i++ {
		sum += creditValue(first17[i]) * creditWeights[i]
	}
	c := 31 - sum%31
	if c == 31 {
		c = 0
	}
	return creditAlphabet[c]
}

// ParseCreditCode validates raw as a unified social credit code and returns its canonical form.
// Surrounding white space is trimmed and ASCII letters are upper-cased; the result must be 18
// characters of 0-9A-HJ-NPQRTUWXY whose last is the GB 32100 check character (modulus 31). The
// error is an *errs.Error of kind errs.KindInvalid and code "invalid_credit_code" whose message
// never contains the input.
func ParseCreditCode(raw string) (CreditCode, error) {
	s := upperASCII(trim(raw))
	if len(s) != creditLen {
		return "", errs.Invalid(CodeInvalidCreditCode,
			"credit code is not a valid 18-character unified social credit code")
	}
	for i := 0; i < creditLen; i++ {
		if creditValue(s[i]) < 0 {
			return "", errs.Invalid(CodeInvalidCreditCode,
				"credit code contains a character outside its alphabet")
		}
	}
	if creditCheck(s[:17]) != s[17] {
		return "", errs.Invalid(CodeInvalidCreditCode, "credit code check character does not match")
	}
	return CreditCode(s), nil
}

// MakeCreditCode appends the GB 32100 check character to first17 and returns the code. It is a
// helper for tests and seeders and panics if first17 is not exactly 17 characters of the code
// alphabet (upper-case).
func MakeCreditCode(first17 string) CreditCode {
	if len(first17) != 17 {
		panic("identity.MakeCreditCode: want 17 characters")
	}
	for i := 0; i < 17; i++ {
		if creditValue(first17[i]) < 0 {
			panic("identity.MakeCreditCode: character outside the code alphabet")
		}
	}
	return CreditCode(first17 + string(creditCheck(first17)))
}

// String returns the code itself.
func (c CreditCode) String() string { return string(c) }
