package cached

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"skillrecord/internal/cache"
)

func TestBoolCodec_ReadsAndWritesWhatTheJSONCodecDid(t *testing.T) {
	for _, v := range []bool{true, false} {
		old, err := cache.JSONCodec[bool]{}.Encode(v)
		require.NoError(t, err)
		got, err := boolCodec{}.Decode(old)
		require.NoError(t, err)
		assert.Equal(t, v, got, "an entry stored before reads the same")
		b, err := boolCodec{}.Encode(v)
		require.NoError(t, err)
		assert.Equal(t, string(old), string(b), "entries are stored as before")
	}
}

func TestBoolCodec_OtherJSONSpellingsAndGarbage(t *testing.T) {
	got, err := boolCodec{}.Decode([]byte(" true\n"))
	require.NoError(t, err)
	assert.True(t, got)
	for _, bad := range []string{"", "1", "tru", `"true"`, "null x"} {
		_, err := boolCodec{}.Decode([]byte(bad))
		assert.Error(t, err, "%q is not a stored answer", bad)
	}
}
