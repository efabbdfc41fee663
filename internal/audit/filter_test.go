package audit_test

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"skillrecord/internal/audit"
	"skillrecord/internal/errs"
)

func TestParseFilter_DatesAreChinaDaysAndTimesAreInclusive(t *testing.T) {
	for name, c := range map[string]struct {
		from, to     string
		since, until time.Time
	}{
		"dates": {"2026-03-01", "2026-03-31",
			time.Date(2026, 2, 28, 16, 0, 0, 0, time.UTC), time.Date(2026, 3, 31, 16, 0, 0, 0, time.UTC)},
		"times": {"2026-03-01T08:00:00+08:00", "2026-03-01T10:00:00.5Z",
			time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 3, 1, 10, 0, 0, 500001000, time.UTC)},
		"open": {"", "", time.Time{}, time.Time{}},
	} {
		f, err := audit.ParseFilter(audit.Query{From: c.from, To: c.to, Actor: "a", Action: "b", WorkerID: "w"})
		require.NoError(t, err, name)
		assert.True(t, c.since.Equal(f.Since), "%s: since %s", name, f.Since)
		assert.True(t, c.until.Equal(f.Until), "%s: until %s", name, f.Until)
		assert.Equal(t, audit.Filter{ActorID: "a", Action: "b", WorkerID: "w", Since: f.Since, Until: f.Until}, f)
	}
}

func TestParseFilter_RefusesBadValues(t *testing.T) {
	for name, c := range map[string]struct {
		q    audit.Query
		code string
	}{
		"bad from":        {audit.Query{From: "2026/03/01"}, "invalid_date"},
		"bad to":          {audit.Query{To: "yesterday"}, "invalid_date"},
		"impossible date": {audit.Query{From: "2026-02-30"}, "invalid_date"},
		"from after to":   {audit.Query{From: "2026-03-02", To: "2026-03-01"}, "invalid_range"},
		"long actor":      {audit.Query{Actor: strings.Repeat("a", 65)}, "invalid_filter"},
		"long worker":     {audit.Query{WorkerID: strings.Repeat("w", 37)}, "invalid_filter"},
	} {
		_, err := audit.ParseFilter(c.q)
		require.Error(t, err, name)
		assert.Equal(t, errs.KindInvalid, errs.KindOf(err), name)
		assert.Equal(t, c.code, errs.CodeOf(err), name)
	}
	_, err := audit.ParseFilter(audit.Query{From: "2026-03-01", To: "2026-03-01"})
	assert.NoError(t, err, "one whole day")
}
