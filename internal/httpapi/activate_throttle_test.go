package httpapi_test

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"skillrecord/internal/apitest"
)

func TestActivate_RepeatedMismatchesFromOneAddressAreThrottled(t *testing.T) {
	a := apitest.NewApp(t, apitest.Options{Env: map[string]string{"SKILLRECORD_AUTH_MAX_FAILURES_PER_IP": "3"}})
	admin := a.AdminToken(t)
	p := apitest.NewPerson()
	a.Register(t, admin, p)
	guess := func(card string) *apitest.Response {
		return a.As("").Do("POST", "/api/v1/workers/activate", map[string]string{"ssn": p.SSN, "name": p.Name, "card_number": card, "password": "worker-pass-1"})
	}
	for i := 0; i < 3; i++ {
		require.Equal(t, http.StatusUnprocessableEntity, guess("Q0000000"+string(rune('1'+i))).Status)
	}
	res := guess(p.Card)
	require.Equal(t, http.StatusTooManyRequests, res.Status, "even the right card waits")
	assert.NotEmpty(t, res.Header.Get("Retry-After"))
	assert.Equal(t, "too_many_attempts", res.Map(t)["code"])
}
