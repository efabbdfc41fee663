package strictjson

import (
	"io"
	"unicode/utf8"

	"skillrecord/internal/errs"
)

// CodeInvalidUTF8 is the code of a body that is not valid UTF-8 (errs Malformed, 400).
const CodeInvalidUTF8 = "invalid_utf8"

// ErrInvalidUTF8 returns the error of a body that is not valid UTF-8.
func ErrInvalidUTF8() *errs.Error {
	return errs.Malformed(CodeInvalidUTF8, "the request body is not valid UTF-8")
}

// CheckUTF8 refuses a body that is not valid UTF-8.
func CheckUTF8(body []byte) error {
	if !utf8.Valid(body) {
		return ErrInvalidUTF8()
	}
	return nil
}

// UTF8Reader passes on only bytes it has checked to be valid UTF-8, for bodies read as a
// stream: the read that meets a bad sequence fails with ErrInvalidUTF8 instead of returning
// it, so that a decoder never sees it. A rune split across reads is held back until complete.
func UTF8Reader(r io.Reader) io.Reader { return &utf8Reader{r: r} }

type utf8Reader struct {
	r     io.Reader
	chunk []byte // buffer of the underlying reads
	ready []byte // checked bytes not handed out yet
	carry []byte // the start of a rune the last read split
	err   error
}

func (u *utf8Reader) Read(p []byte) (int, error) {
	for len(u.ready) == 0 {
		if u.err != nil {
			return 0, u.err
		}
		u.fill()
	}
	n := copy(p, u.ready)
	u.ready = u.ready[n:]
	return n, nil
}

// fill reads once from the underlying reader and checks what it got.
func (u *utf8Reader) fill() {
	if u.chunk == nil {
		u.chunk = make([]byte, 32<<10)
	}
	k := copy(u.chunk, u.carry)
	n, err := u.r.Read(u.chunk[k:])
	n += k
	end := n
	if err == nil {
		// Hold back an incomplete rune at the end until the next read completes it.
		for i := n - 1; i >= 0 && i > n-utf8.UTFMax; i-- {
			if utf8.RuneStart(u.chunk[i]) {
				if !utf8.FullRune(u.chunk[i:n]) {
					end = i
				}
				break
			}
		}
	}
	if !utf8.Valid(u.chunk[:end]) {
		u.err = ErrInvalidUTF8()
		return
	}
	u.carry = append(u.carry[:0], u.chunk[end:n]...)
	u.ready = u.chunk[:end]
	if err != nil {
		u.err = err
	}
}
