package httpapi_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"skillrecord/internal/apitest"
)

const eventsPath = "/api/v1/admin/events"

type feedEvent struct {
	ID        string         `json:"id"`
	Kind      string         `json:"kind"`
	WorkerRef string         `json:"worker_ref"`
	OrgID     string         `json:"org_id"`
	SubjectID string         `json:"subject_id"`
	Data      map[string]any `json:"data"`
}

type feedPage struct {
	Items      []feedEvent `json:"items"`
	NextCursor *string     `json:"next_cursor"`
}

// readFeed follows next_cursor from the start until an empty page, limit events a page, and
// returns every event and the raw bodies.
func readFeed(t *testing.T, c *apitest.Client, kinds string, limit int) ([]feedEvent, string) {
	t.Helper()
	var (
		all   []feedEvent
		raw   strings.Builder
		after string
	)
	for range 10_000 {
		q := url.Values{"limit": {fmt.Sprint(limit)}}
		if kinds != "" {
			q.Set("kinds", kinds)
		}
		if after != "" {
			q.Set("after", after)
		}
		res := c.Do("GET", eventsPath+"?"+q.Encode(), nil)
		require.Equal(t, http.StatusOK, res.Status, "%s", res.Body)
		raw.Write(res.Body)
		var p feedPage
		res.JSON(t, &p)
		all = append(all, p.Items...)
		if p.NextCursor == nil {
			assert.Empty(t, p.Items, "next_cursor is null only on an empty page")
			return all, raw.String()
		}
		after = *p.NextCursor
	}
	t.Fatal("the feed does not end")
	return nil, ""
}

func kindsOf(es []feedEvent) []string {
	out := make([]string, len(es))
	for i, e := range es {
		out[i] = e.Kind
	}
	return out
}

func TestEvents_WritesLeaveTheirEventsInTheFeedInCommitOrderWithoutPersonalData(t *testing.T) {
	f := newTrainFixture(t, 1)
	p := f.people[0]
	res := f.inst.Do("POST", trainingsPath, trainingRecord(p, "EV-1"))
	require.Equal(t, http.StatusCreated, res.Status, "%s", res.Body)
	trainingID := res.Map(t)["id"].(string)
	res = f.inst.Do("POST", trainingsPath, trainingRecord(p, "EV-1")) // identical: a no-op, no event
	require.Equal(t, http.StatusOK, res.Status)
	res = f.inst.Do("POST", trainingsPath+"/"+trainingID+"/void", map[string]string{"reason": "录入错误"})
	require.Equal(t, http.StatusOK, res.Status, "%s", res.Body)

	exchangeID, tok := f.app.OrgToken(t, f.admin, "data_exchange")
	require.NotEmpty(t, exchangeID)
	exchange := f.app.As(tok)
	events, raw := readFeed(t, exchange, "", 1)
	// Registering the person emitted no card.replaced (a first card replaces nothing).
	assert.Equal(t, []string{"training.posted", "credits.posted", "training.voided", "credits.posted"}, kindsOf(events))
	workerID := f.workerID(t, p)
	for _, e := range events {
		assert.Equal(t, workerID, e.WorkerRef, "%s names the worker by its opaque id", e.Kind)
		assert.Equal(t, f.instID, e.OrgID, "%s names the institution that acted", e.Kind)
		assert.Equal(t, trainingID, e.SubjectID)
	}
	assert.Equal(t, "EV-1", events[0].Data["external_id"])
	assert.Equal(t, 2.5, events[1].Data["amount"], "40 hours earn 2.5 credits")
	assert.Equal(t, -2.5, events[3].Data["amount"], "the void reverses them")
	assert.NotContains(t, raw, p.SSN)
	assert.NotContains(t, raw, p.Name)
	assert.NotContains(t, raw, p.Card)

	admin := f.app.As(f.admin)
	whole, _ := readFeed(t, admin, "", 100)
	assert.Equal(t, events, whole, "page size does not change the feed")
	voids, _ := readFeed(t, admin, "training.voided,training.posted", 100)
	assert.Equal(t, []string{"training.posted", "training.voided"}, kindsOf(voids))

	res = admin.Do("GET", eventsPath+"?kinds=training.deleted", nil)
	assert.Equal(t, http.StatusUnprocessableEntity, res.Status)
	res = admin.Do("GET", eventsPath+"?after=nonsense", nil)
	assert.Equal(t, http.StatusUnprocessableEntity, res.Status)
	res = exchange.Do("POST", trainingsPath, trainingRecord(p, "EV-2"))
	assert.Equal(t, http.StatusForbidden, res.Status, "a data_exchange client only reads the feed and posts employment data")
}

func TestEvents_ABatchOfAThousandEmitsAThousandPostings(t *testing.T) {
	f := newTrainFixture(t, 50)
	records := make([]map[string]any, 1000)
	for i := range records {
		records[i] = trainingRecord(f.people[i%50], fmt.Sprintf("EB-%04d", i))
	}
	batchOK(t, postBatch(t, f.inst, map[string]any{"records": records}))
	var posted, credits int
	require.NoError(t, f.app.DB.SQL().QueryRow("SELECT COALESCE(SUM(events), 0) FROM event_outbox WHERE kind = 'training.posted'").Scan(&posted))
	require.NoError(t, f.app.DB.SQL().QueryRow("SELECT COALESCE(SUM(events), 0) FROM event_outbox WHERE kind = 'credits.posted'").Scan(&credits))
	assert.Equal(t, 1000, posted)
	assert.Equal(t, 1000, credits)
	events, _ := readFeed(t, f.app.As(f.admin), "training.posted", 100)
	require.Len(t, events, 1000)
	for i, e := range events {
		assert.Equal(t, fmt.Sprintf("EB-%04d", i), e.Data["external_id"], "in the batch's row order")
	}
}

func TestEvents_ACardholderImportThatReplacesACardEmitsCardReplaced(t *testing.T) {
	f := newTrainFixture(t, 1)
	p := f.people[0]
	next := apitest.NewPerson().Card
	csv := fmt.Sprintf("ssn,name,card_number,issue_area,card_status,issued_on\n%s,%s,%s,370400,active,2026-05-01\n", p.SSN, p.Name, next)
	res := f.app.As(f.admin).Do("POST", "/api/v1/admin/cardholders/import", csv, "Content-Type", "text/csv")
	require.Equal(t, http.StatusOK, res.Status, "%s", res.Body)
	events, raw := readFeed(t, f.app.As(f.admin), "card.replaced", 100)
	require.Len(t, events, 1)
	assert.Equal(t, f.workerID(t, p), events[0].WorkerRef)
	assert.NotEmpty(t, events[0].Data["replaced_card_id"])
	assert.NotContains(t, raw, p.Card)
	assert.NotContains(t, raw, next)
}

// TestEvents_AClassItsClaimAndADisputeEmitTheirEvents walks a subsidised class from approval
// to a paid claim and an upheld dispute, and finds each step's event in the feed with the
// right subject, organisation and worker, in that order.
func TestEvents_AClassItsClaimAndADisputeEmitTheirEvents(t *testing.T) {
	f := newClaimFixture(t)
	id := f.approvedClaim(t, "EV-1")
	f.app.Advance(168 * time.Hour)
	f.reauth(t)
	require.Equal(t, http.StatusOK, f.budget(t, "unemployment_insurance", 1_000_000).Status)
	admin := f.app.As(f.admin)
	paid := admin.Do("POST", "/api/v1/admin/claims/"+id+"/disburse",
		map[string]any{"fund_source": "unemployment_insurance", "payee": "trainees", "reference": "EV-PAY-1"})
	require.Equal(t, http.StatusCreated, paid.Status, string(paid.Body))
	claim := admin.Do("GET", "/api/v1/admin/claims/"+id, nil).Map(t)

	worker := f.app.As(f.workerToken(t, 0))
	line := worker.Do("GET", "/api/v1/me/subsidies", nil).Map(t)["items"].([]any)[0].(map[string]any)
	raised := worker.Do("POST", "/api/v1/me/disputes", map[string]any{"subject": "subsidy_line", "id": line["line_id"], "reason": "我没有参加这个培训"})
	require.Equal(t, http.StatusCreated, raised.Status, string(raised.Body))
	dispute := raised.Map(t)["id"].(string)
	require.Equal(t, http.StatusOK, admin.Do("POST", "/api/v1/admin/disputes/"+dispute+"/resolve",
		map[string]any{"upheld": true, "reason": "查实未参训"}).Status)

	events, raw := readFeed(t, admin, "class.approved,class.completed,subsidy.disbursed,dispute.upheld", 100)
	kinds := kindsOf(events)
	require.GreaterOrEqual(t, len(kinds), 4, "%v", kinds)
	assert.Equal(t, "class.approved", kinds[0])
	assert.Equal(t, "class.completed", kinds[1])
	assert.Equal(t, "dispute.upheld", kinds[len(kinds)-1])
	classID := claim["class_id"].(string)
	for _, e := range events[:2] {
		assert.Equal(t, classID, e.SubjectID, e.Kind)
		assert.NotEmpty(t, e.OrgID, e.Kind)
		assert.NotEmpty(t, e.Data["worker_refs"], e.Kind)
	}
	var disbursed []feedEvent
	for _, e := range events {
		if e.Kind == "subsidy.disbursed" {
			disbursed = append(disbursed, e)
		}
	}
	require.NotEmpty(t, disbursed)
	var forLine *feedEvent
	for i, e := range disbursed {
		assert.NotEmpty(t, e.WorkerRef, "a paid line names its trainee")
		assert.Equal(t, "EV-PAY-1", e.Data["reference"])
		if e.SubjectID == line["line_id"] {
			forLine = &disbursed[i]
		}
	}
	require.NotNil(t, forLine, "the disputed line was paid with an event")
	upheld := events[len(events)-1]
	assert.Equal(t, dispute, upheld.SubjectID)
	assert.Equal(t, forLine.WorkerRef, upheld.WorkerRef, "the dispute names the same worker")
	assert.Equal(t, "subsidy_line", upheld.Data["subject"])
	assert.NotContains(t, raw, "我没有参加这个培训", "no free-text reason in an event")
}
