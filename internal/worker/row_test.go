package worker_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"skillrecord/internal/identity"
	"skillrecord/internal/worker"
)

// now is the tests' clock: 2026-11-27 15:04 in China, still the 27th in UTC.
var now = time.Date(2026, 11, 27, 7, 4, 5, 0, time.UTC)

const exampleSSN = "11010519491231002X"

func goodRow() worker.ImportRow {
	return worker.ImportRow{SSN: exampleSSN, Name: "张三", CardNumber: "A12345678", IssueArea: "370400", CardStatus: "active", IssuedOn: "2021-03-15"}
}

func TestImportRowParse_ValidRowIsCanonical(t *testing.T) {
	r := worker.ImportRow{SSN: " 11010519491231002x ", Name: " 买买提・艾力 ", CardNumber: "a12345678", IssueArea: "370400", CardStatus: " LOST ", IssuedOn: " 2021-03-15 "}
	c, bad := r.Parse(now)
	require.Empty(t, bad)
	assert.Equal(t, worker.Cardholder{
		SSN: identity.SSN(exampleSSN), Name: "买买提·艾力", CardNumber: "A12345678", IssueArea: "370400",
		CardStatus: worker.CardLost, IssuedOn: worker.Date{Y: 2021, M: 3, D: 15},
	}, c)
}

func TestImportRowParse_EmptyStatusIsActiveAndEmptyDateIsUnknown(t *testing.T) {
	r := goodRow()
	r.CardStatus, r.IssuedOn = "", ""
	c, bad := r.Parse(now)
	require.Empty(t, bad)
	assert.Equal(t, worker.CardActive, c.CardStatus)
	assert.True(t, c.IssuedOn.IsZero())
}

func TestImportRowParse_EachBadFieldHasItsCode(t *testing.T) {
	cases := []struct {
		name  string
		edit  func(*worker.ImportRow)
		field string
		code  string
	}{
		{"missing ssn", func(r *worker.ImportRow) { r.SSN = " " }, "ssn", "required"},
		{"bad check char", func(r *worker.ImportRow) { r.SSN = "110105194912310021" }, "ssn", "invalid_ssn"},
		{"15-digit ssn", func(r *worker.ImportRow) { r.SSN = "110105491231002" }, "ssn", "invalid_ssn"},
		{"missing name", func(r *worker.ImportRow) { r.Name = "" }, "name", "required"},
		{"digits in name", func(r *worker.ImportRow) { r.Name = "张三3" }, "name", "invalid_name"},
		{"missing card", func(r *worker.ImportRow) { r.CardNumber = "" }, "card_number", "required"},
		{"short card", func(r *worker.ImportRow) { r.CardNumber = "A1234567" }, "card_number", "invalid_card_number"},
		{"missing area", func(r *worker.ImportRow) { r.IssueArea = "" }, "issue_area", "required"},
		{"bad area", func(r *worker.ImportRow) { r.IssueArea = "990000" }, "issue_area", "invalid_area_code"},
		{"bad status", func(r *worker.ImportRow) { r.CardStatus = "expired" }, "card_status", "invalid_card_status"},
		{"bad date", func(r *worker.ImportRow) { r.IssuedOn = "2021-02-29" }, "issued_on", "invalid_date"},
		{"date format", func(r *worker.ImportRow) { r.IssuedOn = "2021/03/15" }, "issued_on", "invalid_date"},
		{"future date", func(r *worker.ImportRow) { r.IssuedOn = "2026-11-28" }, "issued_on", "invalid_date"},
		{"ancient date", func(r *worker.ImportRow) { r.IssuedOn = "1899-12-31" }, "issued_on", "invalid_date"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := goodRow()
			tc.edit(&r)
			_, bad := r.Parse(now)
			require.Len(t, bad, 1)
			assert.Equal(t, tc.field, bad[0].Field)
			assert.Equal(t, tc.code, bad[0].Code)
			if len(r.SSN) > 4 {
				assert.NotContains(t, bad[0].Message, r.SSN)
			}
		})
	}
}

func TestImportRowParse_TodayIsTheDateInChina(t *testing.T) {
	r := goodRow()
	r.IssuedOn = "2026-11-28"
	// 2026-11-27 17:00 UTC is already the 28th in China.
	_, bad := r.Parse(time.Date(2026, 11, 27, 17, 0, 0, 0, time.UTC))
	assert.Empty(t, bad)
}

func TestImportRowParse_ReportsEveryBadFieldInColumnOrder(t *testing.T) {
	_, bad := worker.ImportRow{Name: "x1", IssuedOn: "nope", CardStatus: "gone"}.Parse(now)
	var got []string
	for _, fe := range bad {
		got = append(got, fe.Field+":"+fe.Code)
	}
	assert.Equal(t, []string{
		"ssn:required", "name:invalid_name", "card_number:required", "issue_area:required",
		"card_status:invalid_card_status", "issued_on:invalid_date",
	}, got)
}

func TestParseName(t *testing.T) {
	valid := []struct{ raw, want string }{
		{"张三", "张三"},
		{"  欧阳 娜娜\u3000", "欧阳 娜娜"},
		{"买买提•艾力", "买买提·艾力"},
		{"John  O'Neil-Smith Jr.", "John O'Neil-Smith Jr."},
		{"José", "José"},
		{"李", "李"},
	}
	for _, tt := range valid {
		got, err := worker.ParseName(tt.raw)
		require.NoError(t, err, "%q", tt.raw)
		assert.Equal(t, tt.want, got)
	}
	for _, raw := range []string{"", "   ", "张三1", "·张三", "张<三>", "张\x00三", "\xff\xfe", "-abc", string(make([]rune, 65))} {
		_, err := worker.ParseName(raw)
		require.Error(t, err, "%q", raw)
		assert.Equal(t, worker.CodeInvalidName, codeOf(err))
	}
	long := ""
	for range worker.MaxNameLen {
		long += "张"
	}
	_, err := worker.ParseName(long)
	assert.NoError(t, err)
	_, err = worker.ParseName(long + "三")
	assert.Error(t, err)
}

func TestParseDate(t *testing.T) {
	d, err := worker.ParseDate("2024-02-29")
	require.NoError(t, err)
	assert.Equal(t, "2024-02-29", d.String())
	assert.Equal(t, time.Date(2024, 2, 29, 0, 0, 0, 0, time.UTC), d.Time())
	for _, s := range []string{"", "2023-02-29", "2024-13-01", "2024-1-01", "24-01-01", "2024-01-0a", "0000-01-01"} {
		_, err := worker.ParseDate(s)
		assert.Error(t, err, "%q", s)
	}
}

// TestParseName_ComposedAndDecomposedFormsAreOneName checks that a name is compared in NFC:
// "e" + U+0301 and "é" give the same normal form (and so the same blind index), and Chinese
// names pass unchanged.
func TestParseName_ComposedAndDecomposedFormsAreOneName(t *testing.T) {
	composed, err := worker.ParseName("Jos\u00e9 Andr\u00e9")
	require.NoError(t, err)
	decomposed, err := worker.ParseName("Jose\u0301 Andre\u0301")
	require.NoError(t, err)
	assert.Equal(t, composed, decomposed)
	assert.Equal(t, "Jos\u00e9 Andr\u00e9", decomposed)

	for _, name := range []string{"张三", "欧阳娜娜", "买买提·艾力", "龘靐"} {
		got, err := worker.ParseName(name)
		require.NoError(t, err)
		assert.Equal(t, name, got)
	}
}
