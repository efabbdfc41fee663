package httpapi_test

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"skillrecord/internal/apitest"
	"skillrecord/internal/testenv"
)

// checkinLimit is the default quota.checkin_misses_per_worker (configs/skillrecord.yaml).
const checkinLimit = 20

func TestCheckinGuesses_WrongCodesPastTheLimitRefuseEveryCheckinOfThatWorker(t *testing.T) {
	f := newCheckinFixture(t)
	id, short, wrong := f.guessing(t, "KG-1")
	guesser := f.phone(t, 0)
	for i := range checkinLimit {
		res := checkIn(guesser, wrong)
		require.Equalf(t, http.StatusUnprocessableEntity, res.Status, "guess %d within the limit: %s", i+1, res.Body)
		assert.Equal(t, "code_invalid", problemCode(t, res))
	}
	requireGuesserRefused(t, f, id, guesser, wrong, short)
}

// guessing approves a class of people[0] and people[1] with a session from 09:00 to 12:00,
// moves the clock into it and returns the class, its current short code and a wrong one.
func (f *checkinFixture) guessing(t *testing.T, externalID string) (id, short, wrong string) {
	t.Helper()
	id = f.approved(t, externalID, []int{0, 1}, "09:00", "12:00")
	f.moveTo(t, f.at(t, 9, 30))
	short, _ = f.code(t, id)
	wrong = "000000"
	if wrong == short {
		wrong = "000001"
	}
	return id, short, wrong
}

// requireGuesserRefused checks a class's state once people[0] (guesser) has sent checkinLimit
// wrong codes: the next wrong code and the right one are refused with 429, nothing of them is
// checked or flagged, people[1] still checks in, the first excess is audited once, and the
// metrics count the misses and the two refusals.
func requireGuesserRefused(t *testing.T, f *checkinFixture, id string, guesser *apitest.Client, wrong, short string) {
	t.Helper()
	over := checkIn(guesser, wrong)
	requireRateLimited(t, over)
	assert.Contains(t, over.Map(t)["detail"], "wrong check-in codes", "the refusal says what was limited")
	requireRateLimited(t, checkIn(guesser, short)) // the right code too: the refusal tells nothing
	assert.NotContains(t, f.attendance(t, id), f.workerID(t, f.people[0]), "refused before the check-in")
	assert.Len(t, f.flags(t, id, "code_invalid"), checkinLimit, "a refused attempt is not checked, so not flagged")

	other := checkIn(f.phone(t, 1), short)
	require.Equal(t, http.StatusCreated, other.Status, "another worker of the class is not limited: %s", other.Body)

	events := quotaEvents(t, f.app)
	require.Len(t, events, 1, "the first excess of the window is audited once")
	assert.Equal(t, "route=checkin scope=worker", events[0].Target)
	assert.Equal(t, f.workerID(t, f.people[0]), events[0].ActorID)
	assert.Equal(t, float64(checkinLimit), metricValue(t, f.app, "skillrecord_quota_misses_total", "route", "checkin"), "wrong codes answered 422")
	assert.Equal(t, float64(2), metricValue(t, f.app, "skillrecord_quota_refused_total", "route", "checkin", "scope", "worker"))
}

func TestCheckinGuesses_OtherRefusalsAndGoodCodesDoNotCount(t *testing.T) {
	f := newCheckinFixture(t)
	id := f.approved(t, "KG-2", []int{0}, "09:00", "12:00")
	f.moveTo(t, f.at(t, 9, 30))
	short, payload := f.code(t, id)
	outsider := f.phone(t, 2)
	for i := range checkinLimit + 5 {
		res := checkIn(outsider, short)
		require.Equalf(t, http.StatusConflict, res.Status, "attempt %d: %s", i+1, res.Body)
		assert.Equal(t, "not_on_roster", problemCode(t, res))
	}
	member := f.phone(t, 0)
	require.Equal(t, http.StatusCreated, checkIn(member, short).Status)
	for range checkinLimit + 5 {
		require.Equal(t, http.StatusOK, checkIn(member, payload).Status, "repeats of a good code are not guesses")
	}
	assert.Empty(t, quotaEvents(t, f.app))
	assert.Zero(t, metricValue(t, f.app, "skillrecord_quota_misses_total", "route", "checkin"))
}

// TestCheckinGuesses_HoldWhenRedisIsKilled kills the app's Redis after a worker's first wrong
// code: the worker's misses go on counting in process from the count Redis answered, and the
// worker is refused at the same count as with Redis up, the right code included.
func TestCheckinGuesses_HoldWhenRedisIsKilled(t *testing.T) {
	redis := testenv.StartRedisServer(t)
	f := newCheckinFixture(t, apitest.Options{RedisAddr: redis.Addr})
	id, short, wrong := f.guessing(t, "KG-3")
	guesser := f.phone(t, 0)
	res := checkIn(guesser, wrong)
	require.Equal(t, http.StatusUnprocessableEntity, res.Status, "counted in Redis: %s", res.Body)

	redis.Kill()

	for i := 1; i < checkinLimit; i++ {
		res := checkIn(guesser, wrong)
		require.Equalf(t, http.StatusUnprocessableEntity, res.Status, "guess %d within the limit: %s", i+1, res.Body)
		assert.Equal(t, "code_invalid", problemCode(t, res))
	}
	requireGuesserRefused(t, f, id, guesser, wrong, short) // the limit holds without Redis
	assert.Positive(t, metricValue(t, f.app, "skillrecord_ratelimit_local_total"), "counted in process")
}
