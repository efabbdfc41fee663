package identity_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"skillrecord/internal/errs"
	"skillrecord/internal/identity"
)

// cst is China Standard Time without needing the tz database.
var cst = time.FixedZone("CST", 8*60*60)

// today is the fixed "today" of the tests (the design document's measurement date).
var today = time.Date(2026, 11, 27, 15, 4, 5, 0, cst)

// withCheck appends the correct GB 11643 check character to 17 digits.
func withCheck(first17 string) string {
	return first17 + string(identity.SSNCheckChar(first17))
}

// wrongCheck appends a check character that is not the correct one.
func wrongCheck(first17 string) string {
	c := identity.SSNCheckChar(first17)
	for _, w := range []byte("0123456789X") {
		if w != c {
			return first17 + string(w)
		}
	}
	panic("unreachable")
}

// assertInvalid checks that err is an *errs.Error of kind Invalid with the given code, and that
// neither its message nor its full text contains the (trimmed) input.
func assertInvalid(t *testing.T, err error, code, raw string) {
	t.Helper()
	require.Error(t, err)
	e := errs.As(err)
	require.NotNil(t, e, "want *errs.Error, got %T", err)
	assert.Equal(t, errs.KindInvalid, e.Kind)
	assert.Equal(t, code, e.Code)
	assert.True(t, errors.Is(err, &errs.Error{Kind: errs.KindInvalid, Code: code}))
	assert.NotEmpty(t, e.Message)
	if in := strings.TrimSpace(raw); len(in) >= 4 {
		assert.NotContains(t, e.Message, in, "message leaks the input")
		assert.NotContains(t, err.Error(), in, "error text leaks the input")
	}
}
