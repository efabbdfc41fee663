package text_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"skillrecord/internal/text"
)

func TestClean(t *testing.T) {
	cases := []struct {
		in, want string
		limit    int
		ok       bool
	}{
		{"  焊工培训 ", "焊工培训", 10, true},
		{"", "", 10, true},
		{"   ", "", 10, true},
		{"四个汉字", "四个汉字", 4, true},
		{"五个汉字啊", "五个汉字啊", 4, false},
		{"line\nbreak", "line\nbreak", 50, false},
		{"zero\u200bwidth", "zero\u200bwidth", 50, false},
		{"para\u2029sep", "para\u2029sep", 50, false},
		{"bad\xffutf8", "bad\xffutf8", 50, false},
	}
	for _, c := range cases {
		got, ok := text.Clean(c.in, c.limit)
		assert.Equalf(t, c.ok, ok, "%q", c.in)
		assert.Equalf(t, c.want, got, "%q", c.in)
	}
}
