package training

// Limits of the free-text and key fields, in runes (characters) for text and bytes for keys.
const (
	maxExternalID     = 64
	maxName           = 50
	maxCourseName     = 200
	maxOccupationName = 100
	maxReason         = 500
)

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
