package httpapi

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"skillrecord/internal/errs"
)

func TestPrefersChinese_RespectsQValues(t *testing.T) {
	for header, want := range map[string]bool{
		"zh-CN": true, "zh": true, "zh-Hans": true, "zh-Hans-CN": true, "zh-TW": true,
		"zh-CN,zh;q=0.9,en;q=0.8": true, "en;q=0.5, zh-CN;q=0.9": true,
		"en-US,en;q=0.9,zh-CN;q=0.8": false, "zh;q=0": false, "": false, "fr, zh;q=0.1": true, "*": false,
		"not a header;;": false,
	} {
		assert.Equal(t, want, prefersChinese(header), "%q", header)
	}
}

func TestLocalize_KeepsCodesAndFallsBackToEnglish(t *testing.T) {
	row := 5
	p := Problem{Status: 422, Title: "Unprocessable Entity", Detail: "2 of 3 records are invalid", Code: "invalid_batch",
		Errors: []errs.FieldError{
			{Index: ptr(2), Field: "hours", Code: "wrong_type", Message: "row 5, 学时: must be a whole number", Row: &row, Column: "学时"},
			{Field: "result", Code: "invalid_result", Message: "result is not one of the allowed values"},
			{Field: "x", Code: "some_new_code", Message: "in English"},
		}}
	localize(&p)
	assert.Equal(t, "数据不符合规则", p.Title)
	assert.Contains(t, p.Detail, "整批未写入")
	assert.Equal(t, "invalid_batch", p.Code)
	assert.Equal(t, "第5行 学时：学时须为整数，如 40", p.Errors[0].Message)
	assert.Equal(t, "不是可选值，可填：合格、不合格", p.Errors[1].Message)
	assert.Equal(t, "in English", p.Errors[2].Message, "no translation: the English stays")
	assert.Equal(t, "wrong_type", p.Errors[0].Code)
}

func ptr[T any](v T) *T { return &v }
