package credit_test

import (
	"encoding/json"
	"math"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"skillrecord/internal/credit"
	"skillrecord/internal/errs"
)

func validConversion() credit.Conversion {
	return credit.Conversion{ExternalID: "COL-2026:0042", Credits: 125, Program: "机械制造及自动化（专科）", AcademicCredits: 4.5}
}

func TestConversion_ValidIsNormalised(t *testing.T) {
	var c credit.Conversion
	require.NoError(t, json.Unmarshal([]byte(`{"external_id":" COL-1 ","credits":12.5,"program":" 焊接 ","academic_credits":3}`), &c))
	got, fields := c.Validate()
	require.Empty(t, fields)
	assert.Equal(t, credit.Conversion{ExternalID: "COL-1", Credits: 125, Program: "焊接", AcademicCredits: 3}, got)
}

func TestConversion_RefusesEachBadField(t *testing.T) {
	tests := []struct {
		name   string
		change func(*credit.Conversion)
		field  string
		code   string
	}{
		{"missing external id", func(c *credit.Conversion) { c.ExternalID = "" }, "external_id", "required"},
		{"external id with slash", func(c *credit.Conversion) { c.ExternalID = "a/b" }, "external_id", "invalid_external_id"},
		{"long external id", func(c *credit.Conversion) { c.ExternalID = strings.Repeat("a", 65) }, "external_id", "invalid_external_id"},
		{"zero credits", func(c *credit.Conversion) { c.Credits = 0 }, "credits", "invalid_credits"},
		{"negative credits", func(c *credit.Conversion) { c.Credits = -10 }, "credits", "invalid_credits"},
		{"missing program", func(c *credit.Conversion) { c.Program = " " }, "program", "required"},
		{"long program", func(c *credit.Conversion) { c.Program = strings.Repeat("课", 201) }, "program", "invalid_program"},
		{"program with tab", func(c *credit.Conversion) { c.Program = "a\tb" }, "program", "invalid_program"},
		{"zero academic credits", func(c *credit.Conversion) { c.AcademicCredits = 0 }, "academic_credits", "invalid_academic_credits"},
		{"too many academic credits", func(c *credit.Conversion) { c.AcademicCredits = 1000.5 }, "academic_credits", "invalid_academic_credits"},
		{"NaN academic credits", func(c *credit.Conversion) { c.AcademicCredits = math.NaN() }, "academic_credits", "invalid_academic_credits"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := validConversion()
			tt.change(&c)
			got, fields := c.Validate()
			assert.Equal(t, credit.Conversion{}, got)
			require.Len(t, fields, 1)
			assert.Equal(t, tt.field, fields[0].Field)
			assert.Equal(t, tt.code, fields[0].Code)
		})
	}
	_, fields := credit.Conversion{}.Validate()
	assert.Len(t, fields, 4, "every bad field at once")
}

func TestConversion_BoundariesAreAccepted(t *testing.T) {
	c := validConversion()
	c.Credits, c.AcademicCredits, c.Program = 1, 1000, strings.Repeat("课", 200)
	_, fields := c.Validate()
	assert.Empty(t, fields)
}

func TestCanDebit(t *testing.T) {
	tests := []struct {
		name            string
		balance, amount credit.Tenths
		code            string
	}{
		{"covered", 125, 100, ""},
		{"exactly the balance", 125, 125, ""},
		{"short by a tenth", 124, 125, "insufficient_credits"},
		{"negative balance", -30, 10, "insufficient_credits"},
		{"zero amount", 100, 0, "invalid_credits"},
		{"negative amount", 100, -10, "invalid_credits"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := credit.CanDebit(tt.balance, tt.amount)
			if tt.code == "" {
				assert.NoError(t, err)
				return
			}
			e := errs.As(err)
			require.NotNil(t, e)
			assert.Equal(t, errs.KindInvalid, e.Kind)
			assert.Equal(t, tt.code, e.Code)
			assert.NotContains(t, e.Message, tt.balance.String(), "the balance is not disclosed")
		})
	}
}
