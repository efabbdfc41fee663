package identity

import "skillrecord/internal/errs"

// cardNumberLen is the length of a social security card number.
const cardNumberLen = 9

// ParseCardNumber validates raw as a social security card number (卡号) and returns its
// canonical form: surrounding white space trimmed, ASCII letters upper-cased, exactly 9 ASCII
// letters or digits. The error is an *errs.Error of kind errs.KindInvalid and code
// "invalid_card_number" whose message never contains the input.
func ParseCardNumber(raw string) (string, error) {
	s := upperASCII(trim(raw))
	if len(s) != cardNumberLen {
		return "", errs.Invalid(CodeInvalidCardNumber, "card number must be 9 letters or digits")
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !isDigit(c) && (c < 'A' || c > 'Z') {
			return "", errs.Invalid(CodeInvalidCardNumber, "card number must be 9 letters or digits")
		}
	}
	return s, nil
}

// ParseAreaCode validates raw as a 6-digit administrative area code (e.g. the card-issuing area
// 370400) and returns it with surrounding white space trimmed. Its first two digits must be a
// province code (11–15, 21–23, 31–37, 41–46, 50–54, 61–65, 71, 81–83). The error is an
// *errs.Error of kind errs.KindInvalid and code "invalid_area_code" whose message never contains
// the input.
func ParseAreaCode(raw string) (string, error) {
	s := trim(raw)
	if len(s) != 6 || !allDigits(s) {
		return "", errs.Invalid(CodeInvalidAreaCode, "area code must be 6 digits")
	}
	if !validProvince(atoi(s[:2])) {
		return "", errs.Invalid(CodeInvalidAreaCode, "area code does not start with a valid province code")
	}
	return s, nil
}

// ParseOccupationCode validates raw as a code of the national occupational classification
// (国家职业分类大典) in the form d-dd-dd-dd with a major group 1–8 (e.g. 6-18-01-01) and returns
// it with surrounding white space trimmed. The error is an *errs.Error of kind
// errs.KindInvalid and code "invalid_occupation_code" whose message never contains the input.
func ParseOccupationCode(raw string) (string, error) {
	s := trim(raw)
	if !occupationShape(s) {
		return "", errs.Invalid(CodeInvalidOccupationCode,
			"occupation code must be a major group digit and three two-digit groups separated by hyphens")
	}
	if s[0] < '1' || s[0] > '8' {
		return "", errs.Invalid(CodeInvalidOccupationCode, "occupation code major group must be from one to eight")
	}
	return s, nil
}

// occupationShape reports whether s has the form d-dd-dd-dd with ASCII digits.
func occupationShape(s string) bool {
	const pattern = "d-dd-dd-dd"
	if len(s) != len(pattern) {
		return false
	}
	for i := 0; i < len(pattern); i++ {
		if pattern[i] == '-' {
			if s[i] != '-' {
				return false
			}
		} else if !isDigit(s[i]) {
			return false
		}
	}
	return true
}
