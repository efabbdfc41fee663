package identity_test

import (
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"

	"skillrecord/internal/identity"
)

func TestMaskSSN(t *testing.T) {
	tests := []struct{ in, want string }{
		{"11010519491231002X", "110105********002X"},
		{" 11010519491231002X ", "110105********002X"},
		{"12345678901", "123456*8901"},
		{"1234567890", "**********"},
		{"123", "***"},
		{"", ""},
		{"一二三四五六七八九十壹", "一二三四五六*八九十壹"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, identity.MaskSSN(tt.in), "%q", tt.in)
	}
}

func TestMaskName(t *testing.T) {
	tests := []struct{ in, want string }{
		{"张三", "张*"},
		{"张三丰", "张**"},
		{"欧阳娜娜", "欧阳**"},
		{"欧阳修", "欧阳*"},
		{"欧阳", "欧*"},
		{"司马相如", "司马**"},
		{"诸葛亮", "诸葛*"},
		{"上官婉儿", "上官**"},
		{"歐陽修", "歐陽*"},
		{"东方不败", "东方**"},
		{"王", "*"},
		{"", ""},
		{"   ", ""},
		{" 李四 ", "李*"},
		{"John Smith", "J*********"},
		{"  John Smith\t", "J*********"},
		{"阿依古丽·买买提", "阿*******"},
		{"王欧阳", "王**"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, identity.MaskName(tt.in), "%q", tt.in)
	}
}

func TestMaskCard(t *testing.T) {
	tests := []struct{ in, want string }{
		{"A12345678", "******678"},
		{"1234", "*234"},
		{"123", "***"},
		{"12", "**"},
		{"", ""},
		{" A12345678 ", "******678"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, identity.MaskCard(tt.in), "%q", tt.in)
	}
}

func TestMaskPhone(t *testing.T) {
	tests := []struct{ in, want string }{
		{"13812345678", "138****5678"},
		{"+8613812345678", "+86*******5678"},
		{"12345678", "123*5678"},
		{"1234567", "*******"},
		{"", ""},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, identity.MaskPhone(tt.in), "%q", tt.in)
	}
}

func TestMaskKeepsRuneLength(t *testing.T) {
	for _, in := range []string{"11010519491231002X", "张三丰", "欧阳娜娜", "A12345678", "13812345678", "x"} {
		n := utf8.RuneCountInString(in)
		assert.Equal(t, n, utf8.RuneCountInString(identity.MaskSSN(in)))
		assert.Equal(t, n, utf8.RuneCountInString(identity.MaskName(in)))
		assert.Equal(t, n, utf8.RuneCountInString(identity.MaskCard(in)))
		assert.Equal(t, n, utf8.RuneCountInString(identity.MaskPhone(in)))
	}
}
