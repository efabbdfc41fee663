package identity_test

import (
	"strings"
	"testing"

	"skillrecord/internal/errs"
	"skillrecord/internal/identity"
)

// checkRefusal fails unless err is an Invalid *errs.Error with the given code.
func checkRefusal(t *testing.T, err error, code string) {
	t.Helper()
	if errs.KindOf(err) != errs.KindInvalid || errs.CodeOf(err) != code {
		t.Fatalf("want Invalid %s, got %v", code, err)
	}
}

func FuzzParseSSN(f *testing.F) {
	for _, s := range []string{
		exampleSSN, "11010519491231002x", " 11010519491231002X ", "\u300011010519491231002X",
		"110105194912310021", "16010519491231002X", "11010519000231002X", "110105491231002",
		"110105 19491231002X", "１1010519491231002X", "933840198506120012", "", "X", "\xff\xfe",
		"11010520261127002X", "11010520261128002X",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		s, err := identity.ParseSSN(raw, today)
		if err != nil {
			checkRefusal(t, err, identity.CodeInvalidSSN)
			if s != "" {
				t.Fatalf("non-empty value %q with error", s)
			}
			return
		}
		if len(s) != 18 || strings.Contains(string(s), "x") {
			t.Fatalf("accepted non-canonical %q", s)
		}
		again, err := identity.ParseSSN(string(s), today)
		if err != nil || again != s {
			t.Fatalf("not idempotent: %q → %q, %v", s, again, err)
		}
		b := s.BirthDate()
		if b.IsZero() || b.Year() < 1900 || b.After(today) {
			t.Fatalf("bad birth date %v for %q", b, s)
		}
		if m := s.Masked(); len(m) != 18 || m[:6] != string(s[:6]) || m[14:] != string(s[14:]) {
			t.Fatalf("bad mask %q for %q", m, s)
		}
	})
}

func FuzzParseCreditCode(f *testing.F) {
	for _, s := range []string{
		exampleCreditCode, "91350100m000100y43", " 91350100M000100Y43\t", "91350100M000100Y44",
		"000000000000000000", "91350100I000100Y43", "９1350100M000100Y43", "", "\xff",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		c, err := identity.ParseCreditCode(raw)
		if err != nil {
			checkRefusal(t, err, identity.CodeInvalidCreditCode)
			return
		}
		if len(c) != 18 || strings.ToUpper(string(c)) != string(c) {
			t.Fatalf("accepted non-canonical %q", c)
		}
		again, err := identity.ParseCreditCode(string(c))
		if err != nil || again != c {
			t.Fatalf("not idempotent: %q → %q, %v", c, again, err)
		}
		if identity.MakeCreditCode(string(c[:17])) != c {
			t.Fatalf("MakeCreditCode disagrees for %q", c)
		}
	})
}

func FuzzParseCardNumber(f *testing.F) {
	for _, s := range []string{"A12345678", "a12345678", " 123456789 ", "A1234567", "A1234567ſ", "A１2345678", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		c, err := identity.ParseCardNumber(raw)
		if err != nil {
			checkRefusal(t, err, identity.CodeInvalidCardNumber)
			return
		}
		if len(c) != 9 || strings.ToUpper(c) != c {
			t.Fatalf("accepted non-canonical %q", c)
		}
		again, err := identity.ParseCardNumber(c)
		if err != nil || again != c {
			t.Fatalf("not idempotent: %q → %q, %v", c, again, err)
		}
		if m := identity.MaskCard(c); m != "******"+c[6:] {
			t.Fatalf("bad mask %q for %q", m, c)
		}
	})
}

func FuzzParseAreaCode(f *testing.F) {
	for _, s := range []string{"370400", " 110000 ", "160000", "910000", "37040", "３70400", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		a, err := identity.ParseAreaCode(raw)
		if err != nil {
			checkRefusal(t, err, identity.CodeInvalidAreaCode)
			return
		}
		again, err := identity.ParseAreaCode(a)
		if err != nil || again != a || len(a) != 6 {
			t.Fatalf("not idempotent: %q → %q, %v", a, again, err)
		}
	})
}

func FuzzParseOccupationCode(f *testing.F) {
	for _, s := range []string{"6-18-01-01", " 8-00-00-00 ", "9-18-01-01", "0-18-01-01", "6-18-01", "６-18-01-01", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		o, err := identity.ParseOccupationCode(raw)
		if err != nil {
			checkRefusal(t, err, identity.CodeInvalidOccupationCode)
			return
		}
		again, err := identity.ParseOccupationCode(o)
		if err != nil || again != o || len(o) != 10 {
			t.Fatalf("not idempotent: %q → %q, %v", o, again, err)
		}
	})
}

// FuzzMask checks that masking never panics, keeps the trimmed rune length, keeps at most the
// promised head and tail runes and stars everything else.
func FuzzMask(f *testing.F) {
	for _, s := range []string{"欧阳娜娜", "张三", "John Smith", exampleSSN, "13812345678", "A12345678", "", "\xff\xfe", "a*"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		in := []rune(strings.TrimSpace(s))
		n := len(in)
		check := func(name, m string, head, tail int) {
			r := []rune(m)
			if len(r) != n {
				t.Fatalf("%s: rune length %d → %d", name, n, len(r))
			}
			if n <= head+tail {
				head, tail = 0, 0
			}
			for i := range r {
				if i < head || i >= n-tail {
					if r[i] != in[i] {
						t.Fatalf("%s: kept rune %d changed in %q", name, i, m)
					}
				} else if r[i] != '*' {
					t.Fatalf("%s: rune %d not starred in %q", name, i, m)
				}
			}
		}
		check("ssn", identity.MaskSSN(s), 6, 4)
		check("card", identity.MaskCard(s), 0, 3)
		check("phone", identity.MaskPhone(s), 3, 4)
		name := identity.MaskName(s)
		head := 1 // the surname: one rune, or two for a compound surname
		if nr := []rune(name); n >= 3 && len(nr) == n && nr[1] != '*' {
			head = 2
		}
		check("name", name, head, 0)
	})
}
