package httpapi_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"skillrecord/internal/auth"
	"skillrecord/internal/identity"
)

func activation(n int, card, password string) map[string]string {
	return map[string]string{"ssn": regSSN(n), "name": regName(n), "card_number": card, "password": password}
}

func TestActivateWorker_MatchingDetailsAnswer201AndTheWorkerCanSignIn(t *testing.T) {
	f := newRegFixture(t)
	f.importCSV(t, csvHeader+csvLine(1, regCard(1), "active"))

	res := f.anyone.Do("POST", activatePath, activation(1, regCard(1), "s3cret-pass"))
	require.Equal(t, http.StatusCreated, res.Status, "%s", res.Body)
	id, _ := res.Map(t)["worker_id"].(string)
	w, err := f.store.WorkerBySSN(context.Background(), identity.SSN(regSSN(1)))
	require.NoError(t, err)
	assert.Equal(t, w.ID, id)
	assert.NotContains(t, string(res.Body), regSSN(1))
	assert.NotContains(t, string(res.Body), regName(1))

	login, err := f.store.WorkerLogin(context.Background(), identity.SSN(regSSN(1)))
	require.NoError(t, err)
	assert.Equal(t, id, login.WorkerID)
	assert.True(t, auth.CheckPassword(login.PasswordHash, "s3cret-pass"))
}

func TestActivateWorker_TwiceIs409(t *testing.T) {
	f := newRegFixture(t)
	f.importCSV(t, csvHeader+csvLine(1, regCard(1), "active"))
	require.Equal(t, http.StatusCreated, f.anyone.Do("POST", activatePath, activation(1, regCard(1), "s3cret-pass")).Status)
	res := f.anyone.Do("POST", activatePath, activation(1, regCard(1), "other-pass-2"))
	require.Equal(t, http.StatusConflict, res.Status)
	assert.Equal(t, "already_activated", res.Map(t)["code"])
}

// An unknown SSN, a wrong name, a wrong card, a replaced card and another person's card answer
// byte for byte alike (but for the request id), so the answer tells nothing about which part
// was wrong.
func TestActivateWorker_EveryMismatchAnswersAlike(t *testing.T) {
	f := newRegFixture(t)
	f.importCSV(t, csvHeader+csvLine(1, regCard(1), "active")+csvLine(1, regCard(11), "active")+csvLine(2, regCard(2), "active"))

	cases := map[string]map[string]string{
		"unknown ssn":       activation(9, regCard(1), "s3cret-pass"),
		"wrong name":        {"ssn": regSSN(1), "name": "张无忌", "card_number": regCard(11), "password": "s3cret-pass"},
		"wrong card":        activation(1, "Z99999999", "s3cret-pass"),
		"replaced card":     activation(1, regCard(1), "s3cret-pass"),
		"another's card":    activation(1, regCard(2), "s3cret-pass"),
		"another's details": {"ssn": regSSN(1), "name": regName(2), "card_number": regCard(2), "password": "s3cret-pass"},
	}
	var first map[string]any
	for name, body := range cases {
		res := f.anyone.Do("POST", activatePath, body)
		require.Equal(t, http.StatusUnprocessableEntity, res.Status, name)
		m := res.Map(t)
		assert.Equal(t, "registry_mismatch", m["code"], name)
		assert.Nil(t, m["errors"], "%s: no field is singled out", name)
		delete(m, "request_id")
		if first == nil {
			first = m
		}
		assert.Equal(t, first, m, name)
		assert.NotContains(t, string(res.Body), body["ssn"], name)
	}
	_, err := f.store.WorkerLogin(context.Background(), identity.SSN(regSSN(1)))
	assert.Error(t, err, "nothing was activated")
}

func TestActivateWorker_InvalidRequests(t *testing.T) {
	f := newRegFixture(t)
	f.importCSV(t, csvHeader+csvLine(1, regCard(1), "active"))
	cases := []struct {
		name   string
		body   any
		ct     string
		status int
		code   string
	}{
		{"weak password", activation(1, regCard(1), "short1"), "", http.StatusUnprocessableEntity, "weak_password"},
		{"password without digits", activation(1, regCard(1), "onlyletters"), "", http.StatusUnprocessableEntity, "weak_password"},
		{"bad ssn", map[string]string{"ssn": "110105194912310021", "name": "张三", "card_number": regCard(1), "password": "s3cret-pass"}, "", http.StatusUnprocessableEntity, "invalid_ssn"},
		{"missing name", map[string]string{"ssn": regSSN(1), "card_number": regCard(1), "password": "s3cret-pass"}, "", http.StatusUnprocessableEntity, "required"},
		{"unknown field", map[string]string{"ssn": regSSN(1), "name": regName(1), "card_number": regCard(1), "password": "s3cret-pass", "phone": "1"}, "", http.StatusBadRequest, "unknown_field"},
		{"not json", `{"ssn":`, "application/json", http.StatusBadRequest, "malformed_json"},
		{"form", "ssn=1", "application/x-www-form-urlencoded", http.StatusUnsupportedMediaType, "unsupported_media_type"},
	}
	for _, tc := range cases {
		var headers []string
		if tc.ct != "" {
			headers = []string{"Content-Type", tc.ct}
		}
		res := f.anyone.Do("POST", activatePath, tc.body, headers...)
		require.Equal(t, tc.status, res.Status, "%s: %s", tc.name, res.Body)
		assert.Equal(t, tc.code, res.Map(t)["code"], tc.name)
	}
	// A weak password is refused before the registry is consulted: the answer is the same
	// whether or not the details match.
	res := f.anyone.Do("POST", activatePath, activation(7, regCard(7), "short1"))
	assert.Equal(t, "weak_password", res.Map(t)["code"])
	_, err := f.store.WorkerLogin(context.Background(), identity.SSN(regSSN(1)))
	assert.Error(t, err)
}
