package indicator_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"skillrecord/internal/errs"
	"skillrecord/internal/indicator"
)

func TestParsePeriod(t *testing.T) {
	for _, tc := range []struct {
		from, to string
		code     string // "" = valid
	}{
		{"2025-01-01", "2025-12-31", ""},
		{"2025-06-30", "2025-06-30", ""},
		{"", "2025-12-31", "required"},
		{"2025-01-01", "", "required"},
		{"2025-02-29", "2025-12-31", "invalid_date"},
		{"2025/01/01", "2025-12-31", "invalid_date"},
		{"2025-12-31", "2025-01-01", "invalid_period"},
	} {
		p, err := indicator.ParsePeriod(tc.from, tc.to)
		if tc.code == "" {
			require.NoError(t, err, tc)
			assert.Equal(t, tc.from, p.From.String())
			continue
		}
		assert.Equal(t, errs.KindInvalid, errs.KindOf(err), tc)
		assert.Equal(t, tc.code, errs.CodeOf(err), tc)
	}
}

func TestPeriod_EndsAtMidnightChinaTimeAfterTheLastDay(t *testing.T) {
	p, err := indicator.ParsePeriod("2025-01-01", "2025-12-31")
	require.NoError(t, err)
	assert.Equal(t, time.Date(2025, 12, 31, 16, 0, 0, 0, time.UTC), p.EndsAt())
}
