package cached

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"skillrecord/internal/auth"
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

func TestStandingCodec_ReadsAndWritesWhatTheJSONCodecDid(t *testing.T) {
	for _, v := range []auth.OrgStanding{
		{Type: "employer", Status: "active"}, {Type: "evaluation_org", Status: "suspended"}, {},
		{Type: `a"b`, Status: "x\\y"}, {Type: "机构", Status: "active"},
	} {
		old, err := cache.JSONCodec[auth.OrgStanding]{}.Encode(v)
		require.NoError(t, err)
		got, err := standingCodec{}.Decode(old)
		require.NoError(t, err)
		assert.Equal(t, v, got, "an entry stored before reads the same")
		b, err := standingCodec{}.Encode(v)
		require.NoError(t, err)
		back, err := cache.JSONCodec[auth.OrgStanding]{}.Decode(b)
		require.NoError(t, err)
		assert.Equal(t, v, back, "an earlier release reads the new entry the same")
		got, err = standingCodec{}.Decode(b)
		require.NoError(t, err)
		assert.Equal(t, v, got)
	}
	for _, bad := range []string{``, `{"type":"employer","status":"active"`, `{"type":"employer","status":"active"}x`, `[]`} {
		_, err := standingCodec{}.Decode([]byte(bad))
		assert.Error(t, err, "%q", bad)
	}
	got, err := standingCodec{}.Decode([]byte(` {"status":"active", "type":"employer"}`))
	require.NoError(t, err)
	assert.Equal(t, auth.OrgStanding{Type: "employer", Status: "active"}, got, "another spelling of the JSON")
}
