package identity_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"skillrecord/internal/identity"
)

const exampleSSN = "11010519491231002X"

func TestParseSSNValid(t *testing.T) {
	foreigner := withCheck("93384019850612001")
	tests := []struct {
		name, raw, want string
	}{
		{"design example", exampleSSN, exampleSSN},
		{"lower-case x", "11010519491231002x", exampleSSN},
		{"surrounding ascii spaces", " \t11010519491231002X \n", exampleSSN},
		{"surrounding ideographic spaces", "\u300011010519491231002X\u3000", exampleSSN},
		{"surrounding nbsp", "\u00a011010519491231002x\u00a0", exampleSSN},
		{"foreigner 9-prefix", foreigner, foreigner},
		{"province 71", withCheck("71000019800101123"), withCheck("71000019800101123")},
		{"province 83", withCheck("83000020000229123"), withCheck("83000020000229123")},
		{"first day accepted", withCheck("37040019000101001"), withCheck("37040019000101001")},
		{"born today", withCheck("37040020261127001"), withCheck("37040020261127001")},
		{"leap day 2024", withCheck("37040020240229001"), withCheck("37040020240229001")},
		{"digit check char", withCheck("37040219880808123"), withCheck("37040219880808123")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := identity.ParseSSN(tt.raw, today)
			require.NoError(t, err)
			assert.Equal(t, identity.SSN(tt.want), got)
			assert.Equal(t, tt.want, got.String())
		})
	}
}

func TestParseSSNInvalid(t *testing.T) {
	tests := []struct {
		name, raw string
	}{
		{"empty", ""},
		{"only spaces", "   "},
		{"wrong check char", "110105194912310021"},
		{"wrong check char x", wrongCheck("37040219880808123")},
		{"province 16", withCheck("16010519491231002")},
		{"province 10", withCheck("10010519491231002")},
		{"province 00", withCheck("00010519491231002")},
		{"province 72", withCheck("72010519491231002")},
		{"province 84", withCheck("84010519491231002")},
		{"province 19", withCheck("19010519491231002")},
		{"february 31", withCheck("11010519000231002")},
		{"february 29 of 1900", withCheck("11010519000229002")},
		{"february 29 of 2023", withCheck("11010520230229002")},
		{"month 13", withCheck("11010519491331002")},
		{"month 00", withCheck("11010519490031002")},
		{"day 00", withCheck("11010519491200002")},
		{"april 31", withCheck("11010519490431002")},
		{"born tomorrow", withCheck("11010520261128002")},
		{"born next year", withCheck("11010520270101002")},
		{"born before 1900", withCheck("11010518991231002")},
		{"year 0000", withCheck("11010500000101002")},
		{"15-digit legacy", "110105491231002"},
		{"17 digits", "11010519491231002"},
		{"19 characters", "11010519491231002X1"},
		{"inner space", "110105 19491231002X"},
		{"inner space keeping length", "110105 9491231002X"},
		{"full-width digit", "１1010519491231002X"},
		{"all full-width", "１１０１０５１９４９１２３１００２Ｘ"},
		{"full-width X", "11010519491231002Ｘ"},
		{"X inside", "1101051949123100X2"},
		{"other letter at end", "11010519491231002Y"},
		{"foreigner wrong check", wrongCheck("93384019850612001")},
		{"foreigner bad date", withCheck("93384019851312001")},
		{"zero-width space prefix", "\u200b11010519491231002X"},
		{"dash separated", "110105-19491231-002X"},
		{"arabic-indic digit", "\u06611010519491231002X"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := identity.ParseSSN(tt.raw, today)
			assertInvalid(t, err, identity.CodeInvalidSSN, tt.raw)
			assert.Empty(t, got)
		})
	}
}

func TestParseSSNTodayIsCivilDateInItsLocation(t *testing.T) {
	born := withCheck("11010520261127002")
	// 00:30 on 27 November in Beijing is still 26 November in UTC: the number is valid.
	early := time.Date(2026, 11, 27, 0, 30, 0, 0, cst)
	_, err := identity.ParseSSN(born, early)
	require.NoError(t, err)
	// The same instant seen in UTC is 26 November: the birth date is in the future.
	_, err = identity.ParseSSN(born, early.UTC())
	assertInvalid(t, err, identity.CodeInvalidSSN, born)
	// The last instant of the day still counts as today.
	_, err = identity.ParseSSN(born, time.Date(2026, 11, 27, 23, 59, 59, 999999999, cst))
	require.NoError(t, err)
}

func TestSSNMethods(t *testing.T) {
	s, err := identity.ParseSSN(exampleSSN, today)
	require.NoError(t, err)
	assert.Equal(t, time.Date(1949, 12, 31, 0, 0, 0, 0, time.UTC), s.BirthDate())
	assert.Equal(t, "110105********002X", s.Masked())
	assert.Equal(t, identity.MaskSSN(exampleSSN), s.Masked())
	assert.True(t, identity.SSN("").BirthDate().IsZero())
	assert.True(t, identity.SSN("garbage").BirthDate().IsZero())
}

func TestSSNCheckChar(t *testing.T) {
	assert.Equal(t, byte('X'), identity.SSNCheckChar("11010519491231002"))
	for _, bad := range []string{"", "1101051949123100", "110105194912310021", "1101051949123100X", "１101051949123100"} {
		assert.Panics(t, func() { identity.SSNCheckChar(bad) }, "%q", bad)
	}
}

func TestMakeSSN(t *testing.T) {
	assert.Equal(t, identity.SSN(exampleSSN),
		identity.MakeSSN("110105", time.Date(1949, 12, 31, 0, 0, 0, 0, time.UTC), 2))
	areas := []string{"110105", "370400", "370402", "650100", "810000", "933840"}
	births := []time.Time{
		time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Date(1970, 6, 15, 12, 0, 0, 0, cst),
		time.Date(2000, 2, 29, 0, 0, 0, 0, time.UTC),
		time.Date(2026, 11, 27, 23, 0, 0, 0, cst),
	}
	for _, area := range areas {
		for _, birth := range births {
			for _, seq := range []int{0, 1, 7, 42, 999, 1000, 12345, -1} {
				s := identity.MakeSSN(area, birth, seq)
				got, err := identity.ParseSSN(string(s), today)
				require.NoError(t, err, "%s %v %d", area, birth, seq)
				assert.Equal(t, s, got)
				y, m, d := birth.Date()
				assert.Equal(t, time.Date(y, m, d, 0, 0, 0, 0, time.UTC), got.BirthDate())
			}
		}
	}
	b := time.Date(1990, 1, 2, 0, 0, 0, 0, time.UTC)
	assert.Equal(t, identity.MakeSSN("370400", b, 234), identity.MakeSSN("370400", b, 1234))
	assert.Equal(t, identity.MakeSSN("370400", b, 999), identity.MakeSSN("370400", b, -1))
	assert.Equal(t, "999", string(identity.MakeSSN("370400", b, -1))[14:17])
	assert.Panics(t, func() { identity.MakeSSN("37040", b, 1) })
	assert.Panics(t, func() { identity.MakeSSN("37040a", b, 1) })
	assert.Panics(t, func() { identity.MakeSSN("370400", time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC), 1) })
}

// Every single-character substitution of a valid number must be refused: MOD 11-2 detects them.
func TestParseSSNDetectsSingleSubstitutions(t *testing.T) {
	valid := []string{exampleSSN, withCheck("37040219880808123"), withCheck("93384019850612001")}
	for _, v := range valid {
		for i := 0; i < len(v); i++ {
			for _, c := range []byte("0123456789X") {
				if c == v[i] {
					continue
				}
				mutated := v[:i] + string(c) + v[i+1:]
				_, err := identity.ParseSSN(mutated, today)
				assertInvalid(t, err, identity.CodeInvalidSSN, mutated)
			}
		}
	}
}
