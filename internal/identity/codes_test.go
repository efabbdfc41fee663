package identity_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"skillrecord/internal/identity"
)

func TestParseCardNumber(t *testing.T) {
	valid := []struct{ raw, want string }{
		{"A12345678", "A12345678"},
		{"a12345678", "A12345678"},
		{"123456789", "123456789"},
		{"ABCDEFGHI", "ABCDEFGHI"},
		{" zz0000001\u3000", "ZZ0000001"},
	}
	for _, tt := range valid {
		got, err := identity.ParseCardNumber(tt.raw)
		require.NoError(t, err, "%q", tt.raw)
		assert.Equal(t, tt.want, got)
	}
	invalid := []string{
		"", "A1234567", "A123456789", "A1234-678", "A1234 678", "A１2345678", "A12345６78",
		"ＡＢＣＤＥＦＧＨＩ", "A1234567ſ", "ı12345678", "A1234567\u00e9", "A12345678\x00",
	}
	for _, raw := range invalid {
		got, err := identity.ParseCardNumber(raw)
		assertInvalid(t, err, identity.CodeInvalidCardNumber, raw)
		assert.Empty(t, got, "%q", raw)
	}
}

func TestParseAreaCode(t *testing.T) {
	valid := []struct{ raw, want string }{
		{"370400", "370400"},
		{"370402", "370402"},
		{"110000", "110000"},
		{"710000", "710000"},
		{"830000", "830000"},
		{" 650100\t", "650100"},
	}
	for _, tt := range valid {
		got, err := identity.ParseAreaCode(tt.raw)
		require.NoError(t, err, "%q", tt.raw)
		assert.Equal(t, tt.want, got)
	}
	invalid := []string{
		"", "37040", "3704000", "37040a", "370 40", "３70400", "160000", "000000", "100000",
		"910000", "933840", "720000", "840000", "-37040", "370400\u200b",
	}
	for _, raw := range invalid {
		got, err := identity.ParseAreaCode(raw)
		assertInvalid(t, err, identity.CodeInvalidAreaCode, raw)
		assert.Empty(t, got, "%q", raw)
	}
}

func TestParseOccupationCode(t *testing.T) {
	valid := []struct{ raw, want string }{
		{"6-18-01-01", "6-18-01-01"},
		{"1-01-00-01", "1-01-00-01"},
		{"8-00-00-00", "8-00-00-00"},
		{" 4-01-02-03\n", "4-01-02-03"},
	}
	for _, tt := range valid {
		got, err := identity.ParseOccupationCode(tt.raw)
		require.NoError(t, err, "%q", tt.raw)
		assert.Equal(t, tt.want, got)
	}
	invalid := []string{
		"", "0-18-01-01", "9-18-01-01", "6-18-01", "6-18-01-011", "61-8-01-01", "6_18_01_01",
		"6-18-01-0a", "6\u201418-01-01", "６-18-01-01", "6-18-01-01-01", "6180101", "6-18-01 01",
		"6 -18-01-01", "x-18-01-01", "6-1８-01-01",
	}
	for _, raw := range invalid {
		got, err := identity.ParseOccupationCode(raw)
		assertInvalid(t, err, identity.CodeInvalidOccupationCode, raw)
		assert.Empty(t, got, "%q", raw)
	}
}
