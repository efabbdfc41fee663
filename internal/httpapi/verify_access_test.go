package httpapi_test

import (
	"context"
	"net/http"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestVerifyCertificate_EveryAnswerHasItsAccessEventCommitted(t *testing.T) {
	w := newCertWorld(t)
	w.issue(t, certBody(w.holder, "VF-ACCESS-0001", "skill_level", 3))
	ctx := context.Background()
	store := w.DB.Access(w.Keys)

	for i := 1; i <= 3; i++ {
		require.Equal(t, http.StatusOK, w.verify(t, "VF-ACCESS-0001", w.holder.Name).Status)
		events, err := store.AccessEvents(ctx, w.holderID, 0, 100)
		require.NoError(t, err)
		assert.Len(t, events, i, "the event is in the table when the answer arrives")
	}

	const n = 12
	var wg sync.WaitGroup
	codes := make([]int, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			codes[i] = w.verify(t, "VF-ACCESS-0001", w.holder.Name).Status
		}()
	}
	wg.Wait()
	events, err := store.AccessEvents(ctx, w.holderID, 0, 100)
	require.NoError(t, err)
	for i, code := range codes {
		require.Equal(t, http.StatusOK, code, "request %d", i)
	}
	assert.Len(t, events, 3+n, "every answered verification, concurrent ones too, has its event")
}

func TestVerifyCertificate_AccessLogFailureAnswers503NotTheView(t *testing.T) {
	w := newCertWorld(t)
	w.issue(t, certBody(w.holder, "VF-ACCESS-0002", "skill_level", 3))
	require.Equal(t, http.StatusOK, w.verify(t, "VF-ACCESS-0002", w.holder.Name).Status, "warm: the answer is cached")

	ctx := context.Background()
	_, err := w.DB.SQL().ExecContext(ctx, "RENAME TABLE access_events TO access_events_away")
	require.NoError(t, err)
	res := w.verify(t, "VF-ACCESS-0002", w.holder.Name)
	assert.Equal(t, http.StatusServiceUnavailable, res.Status, "%s", res.Body)
	assert.Equal(t, "unavailable", res.Map(t)["code"])
	assert.NotContains(t, string(res.Body), "VF-ACCESS-0002", "no part of the view without its access event")

	_, err = w.DB.SQL().ExecContext(ctx, "RENAME TABLE access_events_away TO access_events")
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, w.verify(t, "VF-ACCESS-0002", w.holder.Name).Status)
	events, err := w.DB.Access(w.Keys).AccessEvents(ctx, w.holderID, 0, 100)
	require.NoError(t, err)
	assert.Len(t, events, 2, "the refused verification left no event, the answered ones did")
}
