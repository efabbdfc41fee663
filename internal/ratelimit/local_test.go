package ratelimit_test

import (
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"skillrecord/internal/ratelimit"
)

var t0 = time.Date(2026, 12, 6, 9, 0, 0, 0, time.UTC)

func TestLocal_CountsWithinTheWindowThenStartsAfresh(t *testing.T) {
	l := ratelimit.NewLocal(1000)
	for i := 1; i <= 3; i++ {
		n, left := l.Add("k", time.Minute, t0.Add(time.Duration(i)*time.Second))
		assert.Equal(t, i, n)
		assert.Equal(t, time.Minute-time.Duration(i)*time.Second+time.Second, left, "the window starts at the first count")
	}
	n, left := l.Peek("k", t0.Add(30*time.Second))
	assert.Equal(t, 3, n)
	assert.Equal(t, 31*time.Second, left)

	n, _ = l.Peek("k", t0.Add(61*time.Second))
	assert.Zero(t, n, "the window is over")
	n, left = l.Add("k", time.Minute, t0.Add(62*time.Second))
	assert.Equal(t, 1, n, "a new window")
	assert.Equal(t, time.Minute, left)
}

func TestLocal_SetKeepsRedisCountsAndZeroForgets(t *testing.T) {
	l := ratelimit.NewLocal(1000)
	l.Set("k", 7, 10*time.Second, t0)
	n, _ := l.Add("k", time.Minute, t0.Add(time.Second))
	assert.Equal(t, 8, n, "an outage goes on from the count Redis gave")
	n, left := l.Peek("k", t0.Add(time.Second))
	assert.Equal(t, 8, n)
	assert.Equal(t, 9*time.Second, left, "and in Redis's window")

	l.Set("k", 0, 0, t0)
	n, _ = l.Peek("k", t0)
	assert.Zero(t, n)
	l.Add("k", time.Minute, t0)
	l.Delete("k")
	n, _ = l.Peek("k", t0)
	assert.Zero(t, n)
}

func TestLocal_StaysWithinItsBoundAndDropsLowCountsFirst(t *testing.T) {
	const bound = 100
	l := ratelimit.NewLocal(bound)
	for range 40 {
		l.Add("attacker-address", time.Hour, t0)
	}
	for i := range 10_000 { // a spray of new keys, each used once
		l.Add("spray-"+strconv.Itoa(i), time.Hour, t0)
		require.LessOrEqual(t, l.Len(), bound)
	}
	n, _ := l.Peek("attacker-address", t0)
	assert.Equal(t, 40, n, "the counter close to its limit survives the spray")
}

func TestLocal_ExpiredWindowsGoFirst(t *testing.T) {
	const bound = 100
	l := ratelimit.NewLocal(bound)
	for i := range bound {
		for range 5 {
			l.Add("old-"+strconv.Itoa(i), time.Minute, t0)
		}
	}
	l.Add("new", time.Hour, t0.Add(2*time.Minute))
	l.Add("new", time.Hour, t0.Add(2*time.Minute))
	assert.Equal(t, 1, l.Len(), "only the live key is left")
	n, _ := l.Peek("new", t0.Add(2*time.Minute))
	assert.Equal(t, 2, n)
}
