package training

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Limits of the free-text and key fields, in runes (characters) for text and bytes for keys.
const (
	maxExternalID     = 64
	maxName           = 50
	maxCourseName     = 200
	maxOccupationName = 100
	maxReason         = 500
)

// cleanText trims s and reports whether the result is valid UTF-8 of 1 to limit runes without
// control, format or line/paragraph-separator characters. An empty result is reported by the
// first return value being "" with ok true, so that callers can tell "missing" from "bad".
func cleanText(s string, limit int) (clean string, ok bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", true
	}
	if !utf8.ValidString(s) {
		return s, false
	}
	n := 0
	for _, r := range s {
		n++
		if n > limit || unicode.IsControl(r) || unicode.In(r, unicode.Cf, unicode.Zl, unicode.Zp) {
			return s, false
		}
	}
	return s, true
}

// validExternalID reports whether s (already trimmed) is 1–64 characters of [A-Za-z0-9._:-].
func validExternalID(s string) bool {
	if s == "" || len(s) > maxExternalID {
		return false
	}
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9',
			c == '.', c == '_', c == ':', c == '-':
		default:
			return false
		}
	}
	return true
}
