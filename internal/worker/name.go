package worker

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"skillrecord/internal/errs"
)

// CodeInvalidName is the code of an error from ParseName.
const CodeInvalidName = "invalid_name"

// MaxNameLen is the longest name accepted, in runes.
const MaxNameLen = 64

// middleDot is the one separator kept between the parts of a name (买买提·艾力).
const middleDot = '·'

// ParseName validates a person's name and returns its normal form, the one every real-name
// comparison and the name's blind index use: Unicode NFC (so that "e" + U+0301 and "é" are the
// same name; CJK compatibility ideographs become their unified forms), surrounding white
// space trimmed, each run of inner white space (including
// the ideographic space U+3000) turned into one ASCII space, and the look-alike separators
// ・ • ‧ ･ turned into the middle dot U+00B7. Letters are kept as they are (no case folding).
// The result must be valid UTF-8 of 1 to 64 runes that starts with a letter and holds only
// letters, combining marks, spaces, the middle dot, '-', '.' and apostrophes. The error is an
// *errs.Error of kind Invalid and code invalid_name whose message never contains the input.
func ParseName(raw string) (string, error) {
	if !utf8.ValidString(raw) {
		return "", invalidName()
	}
	raw = norm.NFC.String(raw)
	var b strings.Builder
	b.Grow(len(raw))
	n, space := 0, false
	for _, r := range strings.TrimSpace(raw) {
		switch {
		case unicode.IsSpace(r):
			space = true
			continue
		case r == '・' || r == '•' || r == '‧' || r == '･':
			r = middleDot
		}
		if space {
			b.WriteByte(' ')
			n++
			space = false
		}
		if n == 0 && !unicode.IsLetter(r) {
			return "", invalidName()
		}
		if !unicode.IsLetter(r) && !unicode.IsMark(r) && r != middleDot && r != '-' && r != '.' && r != '\'' {
			return "", invalidName()
		}
		b.WriteRune(r)
		n++
		if n > MaxNameLen {
			return "", invalidName()
		}
	}
	if n == 0 {
		return "", invalidName()
	}
	return b.String(), nil
}

func invalidName() *errs.Error {
	return errs.Invalid(CodeInvalidName, "name must be 1 to %d letters, optionally separated by spaces, '·', '-', '.' or apostrophes", MaxNameLen)
}
