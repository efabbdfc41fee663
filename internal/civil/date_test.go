package civil_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"skillrecord/internal/civil"
)

func TestParseDate_AcceptsRealDates(t *testing.T) {
	tests := []struct {
		in   string
		want civil.Date
	}{
		{"2026-03-01", civil.Date{Y: 2026, M: time.March, D: 1}},
		{"2024-02-29", civil.Date{Y: 2024, M: time.February, D: 29}},
		{"2000-02-29", civil.Date{Y: 2000, M: time.February, D: 29}},
		{"0001-01-01", civil.Date{Y: 1, M: time.January, D: 1}},
		{"9999-12-31", civil.Date{Y: 9999, M: time.December, D: 31}},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := civil.ParseDate(tt.in)
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
			assert.Equal(t, tt.in, got.String())
		})
	}
}

func TestParseDate_RefusesAnythingElse(t *testing.T) {
	for _, in := range []string{
		"", "2026-02-29", "1900-02-29", "2026-04-31", "2026-13-01", "2026-00-10", "2026-01-00",
		"2026-4-01", "2026-04-1", "26-04-01", "2026/04/01", "20260401", " 2026-04-01", "2026-04-01 ",
		"2026-04-01T00:00:00Z", "０026-04-01", "0000-01-01", "+026-04-01", "2026-0a-01",
	} {
		_, err := civil.ParseDate(in)
		assert.Error(t, err, "%q", in)
		if err != nil && in != "" {
			assert.NotContains(t, err.Error(), in)
		}
	}
}

func TestDateOf_UsesTheLocationOfTheTime(t *testing.T) {
	// 2026-11-27 01:00 in CST is still 2026-11-26 in UTC.
	early := time.Date(2026, 11, 27, 1, 0, 0, 0, cst)
	assert.Equal(t, civil.Date{Y: 2026, M: 11, D: 27}, civil.DateOf(early))
	assert.Equal(t, civil.Date{Y: 2026, M: 11, D: 26}, civil.DateOf(early.UTC()))
}

func TestDate_Compare(t *testing.T) {
	a := civil.Date{Y: 2026, M: 3, D: 1}
	b := civil.Date{Y: 2026, M: 2, D: 28}
	c := civil.Date{Y: 2025, M: 12, D: 31}
	assert.Equal(t, 1, a.Compare(b))
	assert.Equal(t, -1, c.Compare(b))
	assert.Equal(t, 0, a.Compare(a))
	assert.True(t, b.Before(a))
	assert.True(t, a.After(c))
	assert.False(t, a.Before(a))
	assert.True(t, civil.Date{}.IsZero())
	assert.False(t, a.IsZero())
	assert.Equal(t, time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC), a.Time())
}

func TestDate_JSONRoundTrip(t *testing.T) {
	type doc struct {
		On  civil.Date  `json:"on"`
		Opt *civil.Date `json:"opt"`
	}
	in := doc{On: civil.Date{Y: 2026, M: 3, D: 1}}
	b, err := json.Marshal(in)
	require.NoError(t, err)
	assert.JSONEq(t, `{"on":"2026-03-01","opt":null}`, string(b))
	var out doc
	require.NoError(t, json.Unmarshal(b, &out))
	assert.Equal(t, in, out)

	zero, err := json.Marshal(civil.Date{})
	require.NoError(t, err)
	assert.Equal(t, "null", string(zero))

	for _, bad := range []string{`{"on":"2026-02-30"}`, `{"on":20260301}`, `{"on":"2026-3-1"}`} {
		assert.Error(t, json.Unmarshal([]byte(bad), &out), bad)
	}
}

// cst is China Standard Time without needing the tz database.
var cst = time.FixedZone("CST", 8*60*60)
