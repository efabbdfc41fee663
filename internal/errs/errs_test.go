package errs_test

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"skillrecord/internal/errs"
)

func TestKindAndCode_SurviveWrapping(t *testing.T) {
	base := errs.Invalid("invalid_ssn", "ssn is not valid").WithFields(errs.Field("ssn", "invalid_ssn", "bad"))
	var err error = base
	errs.Wrap(&err, "training.Post(%q)", "T-1")
	wrapped := fmt.Errorf("handler: %w", err)

	assert.Equal(t, errs.KindInvalid, errs.KindOf(wrapped))
	assert.Equal(t, "invalid_ssn", errs.CodeOf(wrapped))
	assert.Same(t, base, errs.As(wrapped))
	assert.True(t, errors.Is(wrapped, &errs.Error{Kind: errs.KindInvalid}), "a bare kind matches any code")
	assert.True(t, errors.Is(wrapped, errs.Invalid("invalid_ssn", "")))
	assert.False(t, errors.Is(wrapped, errs.Invalid("name_mismatch", "")))
	assert.False(t, errors.Is(wrapped, errs.NotFound("", "")))
}

func TestUnclassifiedErrorsAreInternal(t *testing.T) {
	plain := errors.New("driver exploded")
	assert.Equal(t, errs.KindInternal, errs.KindOf(plain))
	assert.Equal(t, "internal", errs.CodeOf(plain))
	assert.Nil(t, errs.As(plain))
	var none error
	errs.Wrap(&none, "op")
	assert.NoError(t, none, "Wrap leaves nil alone")
}

func TestConstructors_SetKindDefaultsAndCause(t *testing.T) {
	cause := errors.New("db")
	cases := map[errs.Kind]*errs.Error{
		errs.KindMalformed:       errs.Malformed("", "x"),
		errs.KindInvalid:         errs.Invalid("", "x"),
		errs.KindUnauthenticated: errs.Unauthenticated("", "x"),
		errs.KindForbidden:       errs.Forbidden("", "x"),
		errs.KindNotFound:        errs.NotFound("", "x"),
		errs.KindConflict:        errs.Conflict("", "x"),
		errs.KindTooLarge:        errs.TooLarge("", "x"),
		errs.KindUnsupported:     errs.Unsupported("", "x"),
		errs.KindRateLimited:     errs.RateLimited("", time.Minute, "x"),
		errs.KindUnavailable:     errs.Unavailable("", "x"),
		errs.KindInternal:        errs.Internal(cause, "x"),
	}
	for kind, e := range cases {
		assert.Equal(t, kind, e.Kind)
		assert.NotEmpty(t, e.Code, "an empty code defaults to the kind's name")
	}
	assert.Equal(t, time.Minute, cases[errs.KindRateLimited].RetryAfter)
	assert.ErrorIs(t, cases[errs.KindInternal], cause)
	assert.Equal(t, "row 3 bad", errs.Invalid("c", "row %d bad", 3).Message)
	i := 4
	assert.Equal(t, &i, errs.RowField(4, "hours", "invalid_hours", "1 to 2000").Index)
}
