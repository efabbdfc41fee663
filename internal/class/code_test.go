package class_test

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"skillrecord/internal/class"
)

const (
	classA = "0190a1b2-0000-7000-8000-0000000000a1"
	classB = "0190a1b2-0000-7000-8000-0000000000b2"
)

func testCodes() *class.Codes { return class.NewCodes([]byte(strings.Repeat("k", 32))) }

// t0 is the start of a 30-second step.
var t0 = time.Date(2026, 12, 7, 1, 0, 0, 0, time.UTC)

func TestCodes_ShortCodeIsSixDigitsAndChangesEveryStep(t *testing.T) {
	k := testCodes()
	c := k.Issue(classA, t0.Add(5*time.Second))
	assert.Regexp(t, `^[0-9]{6}$`, c.Short)
	assert.Equal(t, t0.Add(class.CodeStep), c.ExpiresAt)
	assert.Equal(t, c, k.Issue(classA, t0.Add(29*time.Second)), "same step, same code")
	assert.NotEqual(t, c.Short, k.Issue(classA, t0.Add(30*time.Second)).Short)
	assert.NotEqual(t, c.Payload, k.Issue(classA, t0.Add(30*time.Second)).Payload)
	assert.NotEqual(t, c.Short, k.Issue(classB, t0).Short, "another class")
}

func TestCodes_PreviousStepStillGoodTwoStepsOldStale(t *testing.T) {
	k := testCodes()
	c := k.Issue(classA, t0)
	assert.True(t, k.MatchShort(classA, c.Short, t0))
	assert.True(t, k.MatchShort(classA, c.Short, t0.Add(59*time.Second)), "the previous step")
	assert.False(t, k.MatchShort(classA, c.Short, t0.Add(60*time.Second)), "two steps old")
	assert.False(t, k.MatchShort(classA, c.Short, t0.Add(-time.Second)), "a future code")

	p, ok := k.ParsePayload(c.Payload, t0.Add(45*time.Second))
	require.True(t, ok)
	assert.Equal(t, class.Payload{ClassID: classA, Valid: true}, p)
	p, ok = k.ParsePayload(c.Payload, t0.Add(61*time.Second))
	require.True(t, ok)
	assert.Equal(t, class.Payload{ClassID: classA, Valid: false}, p)
}

func TestCodes_AnotherClassAndForgedCodesDoNotMatch(t *testing.T) {
	k := testCodes()
	b := k.Issue(classB, t0)
	assert.False(t, k.MatchShort(classA, b.Short, t0))
	assert.False(t, class.NewCodes([]byte(strings.Repeat("x", 32))).MatchShort(classA, k.Issue(classA, t0).Short, t0), "another key")

	// A payload naming class A with class B's MAC, and one with a flipped MAC.
	parts := strings.Split(b.Payload, ".")
	a := strings.Split(k.Issue(classA, t0).Payload, ".")
	swapped := strings.Join([]string{parts[0], a[1], parts[2], parts[3]}, ".")
	p, ok := k.ParsePayload(swapped, t0)
	require.True(t, ok)
	assert.Equal(t, class.Payload{ClassID: classA, Valid: false}, p)
	mac := []byte(parts[3])
	mac[0] ^= 1
	if mac[0] == '-' || mac[0] == '_' {
		mac[0] = 'A'
	}
	forged := strings.Join([]string{parts[0], parts[1], parts[2], string(mac)}, ".")
	p, ok = k.ParsePayload(forged, t0)
	require.True(t, ok)
	assert.False(t, p.Valid)
}

func TestCodes_ParsePayloadRefusesOtherShapes(t *testing.T) {
	k := testCodes()
	for _, s := range []string{"", "123456", "c1.", "c1.abc.1.x", "c2." + strings.Repeat("a", 32) + ".1.AAAAAAAAAAAAAAAAAAAAAA",
		"c1." + strings.Repeat("A", 32) + ".1.AAAAAAAAAAAAAAAAAAAAAA", "c1." + strings.Repeat("a", 32) + ".01.AAAAAAAAAAAAAAAAAAAAAA",
		"c1." + strings.Repeat("a", 32) + ".1.AAAA"} {
		_, ok := k.ParsePayload(s, t0)
		assert.Falsef(t, ok, "%q", s)
	}
	assert.True(t, class.IsShortCode("012345"))
	for _, s := range []string{"12345", "1234567", "12345a", "１２３４５６"} {
		assert.Falsef(t, class.IsShortCode(s), "%q", s)
	}
}

func TestWindow_FifteenMinutesEitherSideIncludedToTheMinute(t *testing.T) {
	loc, err := time.LoadLocation("Asia/Shanghai")
	require.NoError(t, err)
	s := class.Session{StartsAt: 9 * 60, EndsAt: 12 * 60}
	s.Date.Y, s.Date.M, s.Date.D = 2026, 12, 8
	start := time.Date(2026, 12, 8, 9, 0, 0, 0, loc)
	end := time.Date(2026, 12, 8, 12, 0, 0, 0, loc)
	assert.True(t, class.InWindow(s, start.Add(-15*time.Minute), loc))
	assert.False(t, class.InWindow(s, start.Add(-15*time.Minute-time.Second), loc))
	assert.True(t, class.InWindow(s, end.Add(15*time.Minute), loc))
	assert.True(t, class.InWindow(s, end.Add(15*time.Minute+59*time.Second), loc), "read to the minute")
	assert.False(t, class.InWindow(s, end.Add(16*time.Minute), loc))
}

func TestOverlaps_SharedTimeOnTheSameDateOnly(t *testing.T) {
	at := func(d, from, to int) class.Session {
		s := class.Session{StartsAt: class.Clock(from * 60), EndsAt: class.Clock(to * 60)}
		s.Date.Y, s.Date.M, s.Date.D = 2026, 12, d
		return s
	}
	assert.True(t, class.Overlaps(at(8, 9, 12), at(8, 11, 14)))
	assert.True(t, class.Overlaps(at(8, 9, 12), at(8, 10, 11)))
	assert.False(t, class.Overlaps(at(8, 9, 12), at(8, 12, 14)), "touching ends")
	assert.False(t, class.Overlaps(at(8, 9, 12), at(9, 9, 12)), "another date")
}
