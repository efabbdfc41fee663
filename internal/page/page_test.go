package page_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"skillrecord/internal/errs"
	"skillrecord/internal/page"
)

func TestParse_DefaultsLimitsAndCursors(t *testing.T) {
	r, err := page.Parse("", "")
	require.NoError(t, err)
	assert.Equal(t, page.Request{Limit: 20}, r)

	r, err = page.Parse("100", page.Cursor("0190-abc"))
	require.NoError(t, err)
	assert.Equal(t, page.Request{Limit: 100, After: "0190-abc"}, r)

	for _, bad := range [][2]string{{"0", ""}, {"101", ""}, {"-1", ""}, {"ten", ""}, {"", "not-a-cursor!"}, {"", "djI6eA"}} {
		_, err := page.Parse(bad[0], bad[1])
		require.Errorf(t, err, "%q", bad)
		assert.Equal(t, errs.KindInvalid, errs.KindOf(err))
	}
}

func TestTrim_GivesANextCursorOnlyWhenThereIsMore(t *testing.T) {
	key := func(s string) string { return s }
	res := page.Trim([]string{"a", "b", "c"}, 2, key)
	assert.Equal(t, []string{"a", "b"}, res.Items)
	next, err := page.Parse("", res.NextCursor)
	require.NoError(t, err)
	assert.Equal(t, "b", next.After, "the next page starts after the last item kept")

	res = page.Trim([]string{"a", "b"}, 2, key)
	assert.Empty(t, res.NextCursor)
	assert.Len(t, res.Items, 2)
}
