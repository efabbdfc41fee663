package text_test

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"skillrecord/internal/text"
)

func TestAppendJSON_IsValidJSONOfTheSameText(t *testing.T) {
	for _, s := range []string{"", "plain", `quo"te\back`, "tab\tnl\ncr\r\x00\x1f", "<&>", "培训机构", "line\u2028para\u2029"} {
		b := text.AppendJSON([]byte("x"), s)
		require.Equal(t, byte('x'), b[0], "appends")
		var got string
		require.NoError(t, json.Unmarshal(b[1:], &got), "%q", s)
		assert.Equal(t, s, got)
	}
	var got string
	require.NoError(t, json.Unmarshal(text.AppendJSON(nil, "bad\xffbyte"), &got))
	assert.Equal(t, "bad\ufffdbyte", got, "invalid UTF-8 as U+FFFD")
	assert.Equal(t, `"a\u2028b"`, string(text.AppendJSON(nil, "a\u2028b")), "line separators escaped, as slog does")
}
