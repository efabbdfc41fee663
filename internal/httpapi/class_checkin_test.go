package httpapi_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"skillrecord/internal/apitest"
	"skillrecord/internal/audit"
	"skillrecord/internal/auth"
	"skillrecord/internal/class"
)

const myCheckinsPath = "/api/v1/me/checkins"

// checkinFixture is the class fixture with helpers to move the clock to a session's instants.
type checkinFixture struct {
	*classFixture
	date, next string // day(2) and day(3) when the fixture was made: the classes' session dates
}

func newCheckinFixture(t *testing.T, opts ...apitest.Options) *checkinFixture {
	f := newClassFixture(t, opts...)
	return &checkinFixture{classFixture: f, date: f.day(2), next: f.day(3)}
}

// approved files a class with the given roster (indexes into people) and sessions on day(2)
// from..to, and approves it; it returns the class id.
func (f *checkinFixture) approved(t *testing.T, ext string, roster []int, from, to string) string {
	t.Helper()
	body := f.classBody(ext)
	lines := []map[string]any{}
	for _, i := range roster {
		lines = append(lines, map[string]any{"ssn": f.people[i].SSN, "name": f.people[i].Name})
	}
	body["roster"] = lines
	body["start_date"], body["end_date"] = f.date, f.date
	body["sessions"] = []map[string]any{{"date": f.date, "starts_at": from, "ends_at": to}}
	res := f.inst.Do("POST", classesPath, body)
	require.Equal(t, http.StatusCreated, res.Status, string(res.Body))
	id := res.Map(t)["id"].(string)
	require.Equal(t, http.StatusOK, f.review(t, id, "approve").Status)
	return id
}

// at is the instant hh:mm on the session date in the bureau's time zone.
func (f *checkinFixture) at(t *testing.T, hh, mm int) time.Time {
	t.Helper()
	d, err := time.ParseInLocation("2006-01-02", f.date, f.loc)
	require.NoError(t, err)
	return d.Add(time.Duration(hh)*time.Hour + time.Duration(mm)*time.Minute)
}

// moveTo sets the app's clock to when and signs the institution in again (its token was
// issued at the old time).
func (f *checkinFixture) moveTo(t *testing.T, when time.Time) {
	t.Helper()
	f.app.Advance(when.Sub(f.app.Now()))
	f.inst = f.app.As(f.app.Mint(t, auth.Principal{ID: "0190a1b2-0000-7000-8000-0000000000c1", Role: auth.RoleTrainingInstitution, OrgID: f.instID}))
}

// phone is a worker's client for person i, signed in at the app's current time.
func (f *checkinFixture) phone(t *testing.T, i int) *apitest.Client {
	t.Helper()
	return f.app.As(f.app.Mint(t, auth.Principal{ID: f.workerID(t, f.people[i]), Role: auth.RoleWorker}))
}

func (f *checkinFixture) code(t *testing.T, classID string) (short, payload string) {
	t.Helper()
	res := f.inst.Do("GET", classesPath+"/"+classID+"/checkin-code", nil)
	require.Equal(t, http.StatusOK, res.Status, string(res.Body))
	body := res.Map(t)
	assert.Equal(t, "no-store", res.Header.Get("Cache-Control"))
	return body["code"].(string), body["qr_payload"].(string)
}

func (f *checkinFixture) flags(t *testing.T, classID, kind string) []class.Flag {
	t.Helper()
	fs, err := f.app.DB.Classes(f.app.Keys).Flags(context.Background(), class.FlagQuery{ClassID: classID, Kind: kind}, nil, 100)
	require.NoError(t, err)
	return fs
}

func (f *checkinFixture) attendance(t *testing.T, classID string) map[string]int {
	t.Helper()
	m, err := f.app.DB.Classes(f.app.Keys).Attendance(context.Background(), classID)
	require.NoError(t, err)
	return m
}

func checkIn(c *apitest.Client, code string) *apitest.Response {
	return c.Do("POST", myCheckinsPath, map[string]any{"code": code})
}

func TestCheckins_PhoneFifteenMinutesBeforeStartThenRepeatIs200(t *testing.T) {
	f := newCheckinFixture(t)
	id := f.approved(t, "K-1", []int{0, 1}, "09:00", "12:00")
	f.moveTo(t, f.at(t, 8, 45))
	short, payload := f.code(t, id)
	assert.Regexp(t, `^[0-9]{6}$`, short)

	res := checkIn(f.phone(t, 0), short)
	require.Equal(t, http.StatusCreated, res.Status, string(res.Body))
	body := res.Map(t)
	assert.Equal(t, id, body["class_id"])
	assert.Equal(t, f.date, body["session_date"])
	assert.Equal(t, "phone", body["method"])
	assert.NotContains(t, string(res.Body), f.people[0].SSN)
	assert.NotContains(t, string(res.Body), f.people[1].SSN)

	again := checkIn(f.phone(t, 0), payload)
	require.Equal(t, http.StatusOK, again.Status, string(again.Body))
	assert.Equal(t, body["checked_in_at"], again.Map(t)["checked_in_at"], "the stored check-in")
	res = checkIn(f.phone(t, 1), payload)
	require.Equal(t, http.StatusCreated, res.Status, "the QR payload works as the code")
	assert.Equal(t, map[string]int{f.workerID(t, f.people[0]): 1, f.workerID(t, f.people[1]): 1}, f.attendance(t, id))
	assert.Empty(t, f.flags(t, id, ""))
}

func TestCheckins_PreviousStepsCodeGoodTwoStepsOldIsCodeInvalid(t *testing.T) {
	f := newCheckinFixture(t)
	id := f.approved(t, "K-2", []int{0, 1}, "09:00", "12:00")
	f.moveTo(t, f.at(t, 9, 0).Add(time.Second)) // one second into a step
	short, _ := f.code(t, id)
	f.app.Advance(class.CodeStep) // the next step: the code is the previous one
	res := checkIn(f.phone(t, 0), short)
	require.Equal(t, http.StatusCreated, res.Status, string(res.Body))

	stale, stalePayload := f.code(t, id)
	f.app.Advance(2 * class.CodeStep)
	for _, code := range []string{stale, stalePayload} {
		res = checkIn(f.phone(t, 1), code)
		require.Equal(t, http.StatusUnprocessableEntity, res.Status, string(res.Body))
		assert.Equal(t, "code_invalid", problemCode(t, res))
	}
	fs := f.flags(t, id, "code_invalid")
	require.Len(t, fs, 2, "each refusal is a flag")
	assert.Equal(t, f.workerID(t, f.people[1]), fs[0].WorkerID)
	assert.NotContains(t, f.attendance(t, id), f.workerID(t, f.people[1]))
}

func TestCheckins_AnotherClassesAndForgedCodesAreCodeInvalid(t *testing.T) {
	f := newCheckinFixture(t)
	a := f.approved(t, "K-3A", []int{0, 1}, "09:00", "12:00")
	b := f.approved(t, "K-3B", []int{2, 3}, "09:00", "12:00")
	f.moveTo(t, f.at(t, 9, 30))
	bShort, bPayload := f.code(t, b)
	aShort, aPayload := f.code(t, a)
	forged := "000000"
	if forged == aShort {
		forged = "000001"
	}
	parts := strings.Split(aPayload, ".")
	parts[3] = strings.Repeat("A", len(parts[3]))
	forgedPayload := strings.Join(parts, ".")
	for _, code := range []string{bShort, bPayload, forged, forgedPayload, "not a code"} {
		res := checkIn(f.phone(t, 0), code)
		require.Equalf(t, http.StatusUnprocessableEntity, res.Status, "%s: %s", code, res.Body)
		assert.Equal(t, "code_invalid", problemCode(t, res))
	}
	assert.Len(t, f.flags(t, a, "code_invalid"), 5, "flagged on the worker's own class in session")
	assert.Empty(t, f.attendance(t, a))
	assert.Empty(t, f.attendance(t, b))
}

func TestCheckins_SixteenMinutesAfterTheEndIsOutsideSession(t *testing.T) {
	f := newCheckinFixture(t)
	id := f.approved(t, "K-4", []int{0, 1}, "09:00", "12:00")
	f.moveTo(t, f.at(t, 12, 15))
	short, _ := f.code(t, id)
	require.Equal(t, http.StatusCreated, checkIn(f.phone(t, 0), short).Status, "15 minutes after the end")

	f.moveTo(t, f.at(t, 12, 16))
	short, _ = f.code(t, id)
	res := checkIn(f.phone(t, 1), short)
	require.Equal(t, http.StatusConflict, res.Status, string(res.Body))
	assert.Equal(t, "outside_session", problemCode(t, res))
	fs := f.flags(t, id, "outside_session")
	require.Len(t, fs, 1)
	assert.Equal(t, f.workerID(t, f.people[1]), fs[0].WorkerID)
}

func TestCheckins_WorkerNotOnTheRosterIsRefused(t *testing.T) {
	f := newCheckinFixture(t)
	id := f.approved(t, "K-5", []int{0}, "09:00", "12:00")
	f.moveTo(t, f.at(t, 9, 10))
	short, payload := f.code(t, id)
	for _, code := range []string{short, payload} {
		res := checkIn(f.phone(t, 4), code)
		require.Equal(t, http.StatusConflict, res.Status, string(res.Body))
		assert.Equal(t, "not_on_roster", problemCode(t, res))
	}
	assert.Len(t, f.flags(t, id, "not_on_roster"), 2)
	assert.Empty(t, f.attendance(t, id))
}

func TestCheckins_TwoOverlappingClassesFlagTheSecond(t *testing.T) {
	f := newCheckinFixture(t)
	a := f.approved(t, "K-6A", []int{0, 1}, "09:00", "12:00")
	b := f.approved(t, "K-6B", []int{0, 1}, "11:00", "13:00")
	f.moveTo(t, f.at(t, 11, 0))
	aShort, _ := f.code(t, a)
	bShort, _ := f.code(t, b)
	require.Equal(t, http.StatusCreated, checkIn(f.phone(t, 0), aShort).Status)
	res := checkIn(f.phone(t, 0), bShort)
	require.Equal(t, http.StatusConflict, res.Status, string(res.Body))
	assert.Equal(t, "overlap", problemCode(t, res))
	assert.Len(t, f.flags(t, b, "overlap"), 1)

	// The institution's lines follow the same rule.
	f.moveTo(t, f.at(t, 14, 0))
	res = f.inst.Do("POST", classesPath+"/"+b+"/checkins", map[string]any{"session_date": f.date, "entries": []map[string]any{
		{"ssn": f.people[0].SSN, "checked_in_at": f.at(t, 11, 2).Format(time.RFC3339), "method": "face_device"},
		{"ssn": f.people[1].SSN, "checked_in_at": f.at(t, 11, 3).Format(time.RFC3339), "method": "face_device"},
	}})
	require.Equal(t, http.StatusOK, res.Status, string(res.Body))
	assert.JSONEq(t, `{"accepted":1,"refused":[{"index":0,"code":"overlap"}]}`, string(res.Body))
	assert.Len(t, f.flags(t, b, "overlap"), 2)
	assert.Equal(t, map[string]int{f.workerID(t, f.people[1]): 1}, f.attendance(t, b))
}

func TestCheckins_BulkStoresGoodLinesAndRefusesTheOthers(t *testing.T) {
	f := newCheckinFixture(t)
	id := f.approved(t, "K-7", []int{0, 1, 2}, "09:00", "12:00")
	f.moveTo(t, f.at(t, 13, 0))
	line := func(i int, hh, mm int, method string) map[string]any {
		return map[string]any{"ssn": f.people[i].SSN, "checked_in_at": f.at(t, hh, mm).Format(time.RFC3339), "method": method}
	}
	body := map[string]any{"session_date": f.date, "entries": []map[string]any{
		line(0, 8, 50, "card_reader"),
		line(4, 9, 0, "sign_sheet"),   // not on the roster
		line(1, 12, 16, "manual"),     // sixteen minutes after the end
		line(2, 8, 44, "face_device"), // sixteen minutes before the start
	}}
	res := f.inst.Do("POST", classesPath+"/"+id+"/checkins", body)
	require.Equal(t, http.StatusOK, res.Status, string(res.Body))
	assert.JSONEq(t, `{"accepted":1,"refused":[{"index":1,"code":"not_on_roster"},{"index":2,"code":"outside_session"},{"index":3,"code":"outside_session"}]}`, string(res.Body))
	assert.Equal(t, map[string]int{f.workerID(t, f.people[0]): 1}, f.attendance(t, id))
	assert.Len(t, f.flags(t, id, "not_on_roster"), 1)
	assert.Len(t, f.flags(t, id, "outside_session"), 2)

	// A repeated line is accepted again without a second row; every line refused is still 200.
	res = f.inst.Do("POST", classesPath+"/"+id+"/checkins", map[string]any{"session_date": f.date,
		"entries": []map[string]any{line(0, 9, 5, "manual"), line(0, 9, 5, "manual"), line(1, 9, 1, "card_reader")}})
	require.Equal(t, http.StatusOK, res.Status, string(res.Body))
	assert.JSONEq(t, `{"accepted":3,"refused":[]}`, string(res.Body))
	assert.Equal(t, map[string]int{f.workerID(t, f.people[0]): 1, f.workerID(t, f.people[1]): 1}, f.attendance(t, id))

	res = f.inst.Do("POST", classesPath+"/"+id+"/checkins", map[string]any{"session_date": f.next,
		"entries": []map[string]any{line(2, 9, 0, "manual")}})
	require.Equal(t, http.StatusOK, res.Status)
	assert.JSONEq(t, `{"accepted":0,"refused":[{"index":0,"code":"outside_session"}]}`, string(res.Body), "no session that day")
}

func TestCheckins_BulkMalformedLinesAre422AndStoreNothing(t *testing.T) {
	f := newCheckinFixture(t)
	id := f.approved(t, "K-8", []int{0, 1}, "09:00", "12:00")
	f.moveTo(t, f.at(t, 13, 0))
	res := f.inst.Do("POST", classesPath+"/"+id+"/checkins", map[string]any{"session_date": f.date, "entries": []map[string]any{
		{"ssn": f.people[0].SSN, "checked_in_at": f.at(t, 9, 0).Format(time.RFC3339), "method": "card_reader"},
		{"ssn": "123", "checked_in_at": "yesterday", "method": "phone"},
	}})
	require.Equal(t, http.StatusUnprocessableEntity, res.Status, string(res.Body))
	errsList := res.Map(t)["errors"].([]any)
	require.Len(t, errsList, 3)
	for _, e := range errsList {
		assert.EqualValues(t, 1, e.(map[string]any)["index"])
	}
	assert.Empty(t, f.attendance(t, id))
}

func TestCheckins_ClassNotApprovedIsInvalidTransitionAndAnothersIs404(t *testing.T) {
	f := newCheckinFixture(t)
	filed := f.file(t, "K-9")["id"].(string)
	entries := map[string]any{"session_date": f.date, "entries": []map[string]any{
		{"ssn": f.people[0].SSN, "checked_in_at": time.Now().UTC().Format(time.RFC3339), "method": "manual"}}}
	res := f.inst.Do("POST", classesPath+"/"+filed+"/checkins", entries)
	require.Equal(t, http.StatusConflict, res.Status, string(res.Body))
	assert.Equal(t, "invalid_transition", problemCode(t, res))
	res = f.inst.Do("GET", classesPath+"/"+filed+"/checkin-code", nil)
	require.Equal(t, http.StatusConflict, res.Status)
	assert.Equal(t, "invalid_transition", problemCode(t, res))

	_, other := f.institution(t)
	assert.Equal(t, http.StatusNotFound, other.Do("GET", classesPath+"/"+filed+"/checkin-code", nil).Status)
	assert.Equal(t, http.StatusNotFound, other.Do("POST", classesPath+"/"+filed+"/checkins", entries).Status)
	assert.Equal(t, http.StatusNotFound, f.inst.Do("GET", classesPath+"/not-an-id/checkin-code", nil).Status)
}

func TestCheckins_EveryOutcomeIsAuditedWithTheWorker(t *testing.T) {
	f := newCheckinFixture(t)
	id := f.approved(t, "K-10", []int{0}, "09:00", "12:00")
	f.moveTo(t, f.at(t, 9, 0))
	short, _ := f.code(t, id)
	require.Equal(t, http.StatusCreated, checkIn(f.phone(t, 0), short).Status)
	require.Equal(t, http.StatusConflict, checkIn(f.phone(t, 3), short).Status)
	f.moveTo(t, f.at(t, 13, 0))
	res := f.inst.Do("POST", classesPath+"/"+id+"/checkins", map[string]any{"session_date": f.date, "entries": []map[string]any{
		{"ssn": f.people[0].SSN, "checked_in_at": f.at(t, 9, 0).Format(time.RFC3339), "method": "manual"}}})
	require.Equal(t, http.StatusOK, res.Status)

	events, err := f.app.DB.Audit().Events(context.Background(), audit.Filter{Action: "me.checkin"}, 0, 10)
	require.NoError(t, err)
	require.Len(t, events, 2)
	byStatus := map[int]audit.Event{}
	for _, e := range events {
		byStatus[e.Status] = e
	}
	assert.Equal(t, []string{f.workerID(t, f.people[0])}, byStatus[http.StatusCreated].WorkerIDs)
	assert.Equal(t, "not_on_roster", byStatus[http.StatusConflict].Code)
	assert.Equal(t, []string{f.workerID(t, f.people[3])}, byStatus[http.StatusConflict].WorkerIDs)
	events, err = f.app.DB.Audit().Events(context.Background(), audit.Filter{Action: "class.checkins_post"}, 0, 10)
	require.NoError(t, err)
	require.Len(t, events, 1)
	assert.Equal(t, http.StatusOK, events[0].Status)
	assert.Equal(t, []string{f.workerID(t, f.people[0])}, events[0].WorkerIDs)
}
