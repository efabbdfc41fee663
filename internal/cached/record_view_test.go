package cached

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"skillrecord/internal/record"
)

func TestRecordCodec_RoundTripsTheRenderedAnswerAndTheSummary(t *testing.T) {
	in := recordEntry{
		view:    record.View{Body: []byte(`{"worker":{"name":"张三"}}`), ETag: `"abc"`, From: "2026-12-06", Until: "2027-01-31"},
		summary: []byte(`{"worker_id":"w1","name":"张三"}`),
	}
	b, err := recordCodec{}.Encode(in)
	require.NoError(t, err)
	out, err := recordCodec{}.Decode(b)
	require.NoError(t, err)
	assert.Equal(t, in.view, out.view)
	assert.Equal(t, in.summary, out.summary)
	s, err := out.decodeSummary()
	require.NoError(t, err)
	assert.Equal(t, "张三", s.Name)
}

func TestRecordCodec_RefusesAnEntryOfAnotherLayout(t *testing.T) {
	good, err := recordCodec{}.Encode(recordEntry{view: record.View{Body: []byte("{}"), ETag: `"e"`, From: "2026-01-01"}})
	require.NoError(t, err)
	for name, b := range map[string][]byte{
		"empty":               nil,
		"an old JSON value":   []byte(`{"worker_id":"w1"}`),
		"truncated":           good[:len(good)-1],
		"length past the end": append([]byte{recordEntryVersion, 0x7f}, 'x'),
	} {
		_, err := recordCodec{}.Decode(b)
		assert.ErrorIs(t, err, errBadRecordEntry, name)
	}
}

func TestRecordView_HoldsFromItsDayUntilItsLastValidDay(t *testing.T) {
	v := record.View{From: "2026-12-06", Until: "2026-12-07"}
	assert.False(t, v.HoldsOn("2026-12-05"))
	assert.True(t, v.HoldsOn("2026-12-06"))
	assert.True(t, v.HoldsOn("2026-12-07"))
	assert.False(t, v.HoldsOn("2026-12-08"))
	assert.True(t, record.View{From: "2026-12-06"}.HoldsOn("2099-01-01"), "no certificate to expire: holds on")
}
