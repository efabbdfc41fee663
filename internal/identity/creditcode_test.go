package identity_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"skillrecord/internal/identity"
)

const exampleCreditCode = "91350100M000100Y43"

func TestParseCreditCodeValid(t *testing.T) {
	tests := []struct {
		name, raw, want string
	}{
		{"design example", exampleCreditCode, exampleCreditCode},
		{"lower case", "91350100m000100y43", exampleCreditCode},
		{"surrounding spaces", "\t 91350100M000100Y43\u3000", exampleCreditCode},
		{"check value 31 maps to 0", "000000000000000000", "000000000000000000"},
		{"letter check char", string(identity.MakeCreditCode("12370400MB0000001")), string(identity.MakeCreditCode("12370400MB0000001"))},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := identity.ParseCreditCode(tt.raw)
			require.NoError(t, err)
			assert.Equal(t, identity.CreditCode(tt.want), got)
			assert.Equal(t, tt.want, got.String())
		})
	}
}

func TestParseCreditCodeInvalid(t *testing.T) {
	tests := []struct {
		name, raw string
	}{
		{"empty", ""},
		{"wrong check char", "91350100M000100Y44"},
		{"wrong check char letter", "91350100M000100Y4A"},
		{"17 characters", "91350100M000100Y4"},
		{"19 characters", "91350100M000100Y430"},
		{"letter I", "91350100I000100Y43"},
		{"letter O", "91350100O000100Y43"},
		{"letter Z", "91350100Z000100Y43"},
		{"letter S", "91350100S000100Y43"},
		{"letter V", "91350100V000100Y43"},
		{"inner space", "91350100 M000100Y43"},
		{"inner space keeping length", "9135010 M000100Y43"},
		{"hyphen", "91350100-M000100Y4"},
		{"full-width digit", "９1350100M000100Y43"},
		{"full-width letter", "91350100Ｍ000100Y43"},
		{"dotless i is not upper-cased to I", "91350100ı000100Y4"},
		{"all zeros wrong check", "000000000000000001"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := identity.ParseCreditCode(tt.raw)
			assertInvalid(t, err, identity.CodeInvalidCreditCode, tt.raw)
			assert.Empty(t, got)
		})
	}
}

func TestMakeCreditCode(t *testing.T) {
	assert.Equal(t, identity.CreditCode(exampleCreditCode), identity.MakeCreditCode("91350100M000100Y4"))
	for _, first17 := range []string{
		"91350100M000100Y4", "12370400MB0000001", "52370402MJ1234567", "Y1370400XYWUTRQPN",
		"00000000000000000", "YYYYYYYYYYYYYYYYY", "11111111111111111",
	} {
		c := identity.MakeCreditCode(first17)
		got, err := identity.ParseCreditCode(string(c))
		require.NoError(t, err, first17)
		assert.Equal(t, c, got)
		assert.True(t, strings.HasPrefix(string(c), first17))
	}
	for _, bad := range []string{"", "91350100M000100Y", "91350100M000100Y43", "91350100m000100Y4", "91350100I000100Y4"} {
		assert.Panics(t, func() { identity.MakeCreditCode(bad) }, "%q", bad)
	}
}

// Every single-character substitution of a valid code must be refused: the modulus 31 is prime
// and no weight is a multiple of it.
func TestParseCreditCodeDetectsSingleSubstitutions(t *testing.T) {
	const alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
	for _, v := range []string{exampleCreditCode, "000000000000000000", string(identity.MakeCreditCode("Y1370400XYWUTRQPN"))} {
		for i := 0; i < len(v); i++ {
			for _, c := range []byte(alphabet) {
				if c == v[i] {
					continue
				}
				mutated := v[:i] + string(c) + v[i+1:]
				_, err := identity.ParseCreditCode(mutated)
				assertInvalid(t, err, identity.CodeInvalidCreditCode, mutated)
			}
		}
	}
}
