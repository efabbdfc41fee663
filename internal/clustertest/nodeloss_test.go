package clustertest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"skillrecord/internal/testenv"
)

// posting is one record posted through the instance whose node is lost, and its answer.
type posting struct {
	record     map[string]any
	status     int
	code       string
	retryAfter string
}

// A database node killed while an instance writes through it: that instance answers 503
// unavailable with Retry-After, never 500; every record it acknowledged is there when read
// through another instance on another node, and re-posting the refused ones through that
// instance (the client's idempotent retry) succeeds.
func TestGalera_NodeLostUnderWritesAnswers503AndLosesNothing(t *testing.T) {
	dsns := testenv.GaleraDatabase(t)
	const lost = 2 // the node the orphaned instance talks to
	d := newDeployment(t, store(t, dsns[lost-1]), store(t, dsns[0]))
	people := d.people(t, 8)

	const writers, refusalsEach, maxEach = 4, 5, 400
	var (
		seq       atomic.Int64
		succeeded atomic.Int64
		mu        sync.Mutex
		postings  []posting
		wg        sync.WaitGroup
		going     = make(chan struct{}) // closed at the 40th acknowledged posting
	)
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			refusals := 0
			for range maxEach {
				n := seq.Add(1)
				rec := trainingRecord(people[int(n)%len(people)], fmt.Sprintf("loss-%d-%d", w, n))
				res := d.instA.Do("POST", "/api/v1/trainings", rec)
				p := posting{record: rec, status: res.Status, retryAfter: res.Header.Get("Retry-After")}
				if res.Status >= 400 {
					var body struct {
						Code string `json:"code"`
					}
					_ = json.Unmarshal(res.Body, &body)
					p.code = body.Code
				}
				mu.Lock()
				postings = append(postings, p)
				mu.Unlock()
				if res.Status == http.StatusCreated {
					if succeeded.Add(1) == 40 {
						close(going)
					}
					continue
				}
				if refusals++; refusals == refusalsEach {
					return
				}
			}
		}()
	}
	// Let the writers get going, then lose the node under them.
	finished := make(chan struct{})
	go func() { wg.Wait(); close(finished) }()
	select {
	case <-going:
	case <-finished:
		t.Fatal("the writers stopped before 40 postings were acknowledged")
	}
	testenv.GaleraKill(t, lost)
	<-finished

	ready := d.a.As("").Do("GET", "/readyz", nil)
	assert.Equal(t, http.StatusServiceUnavailable, ready.Status, "the orphaned instance is not ready")

	var acked, refused []posting
	for _, p := range postings {
		switch p.status {
		case http.StatusCreated:
			acked = append(acked, p)
		case http.StatusServiceUnavailable:
			refused = append(refused, p)
			assert.Equal(t, "unavailable", p.code)
			assert.NotEmpty(t, p.retryAfter, "503 carries Retry-After")
		default:
			t.Errorf("a posting through the orphaned instance answered %d (%s), want 201 or 503", p.status, p.code)
		}
	}
	require.NotEmpty(t, refused, "the lost node was noticed")
	t.Logf("%d postings acknowledged, %d refused with 503", len(acked), len(refused))

	// Through the instance on a surviving node: everything acknowledged is there (re-posting an
	// identical record answers 200), and every refused posting goes through on retry.
	for _, p := range acked {
		res := d.instB.Do("POST", "/api/v1/trainings", p.record)
		assert.Equalf(t, http.StatusOK, res.Status, "acknowledged %s is kept", p.record["external_id"])
	}
	for _, p := range refused {
		res := d.instB.Do("POST", "/api/v1/trainings", p.record)
		assert.Containsf(t, []int{http.StatusCreated, http.StatusOK}, res.Status, "retry of %s: %s", p.record["external_id"], res.Body)
	}
	var rows int
	require.NoError(t, d.b.DB.SQL().QueryRow("SELECT COUNT(*) FROM trainings").Scan(&rows))
	assert.Equal(t, len(acked)+len(refused), rows, "one row per distinct posting")
}
