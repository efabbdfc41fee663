package text

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Clean trims s and reports whether the result is valid UTF-8 of at most limit runes without
// control, format or line/paragraph-separator characters. An empty result is "" with ok true,
// so that callers can tell "missing" from "bad".
func Clean(s string, limit int) (clean string, ok bool) {
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
