package httpapi_test

import (
	"bytes"
	"encoding/csv"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"skillrecord/internal/apitest"
)

// cst is the bureau's zone: "today" of the date rules.
var cst = time.FixedZone("CST", 8*60*60)

// repToday is today's date in the bureau's calendar.
func repToday() string { return time.Now().In(cst).Format(time.DateOnly) }

// repWorld is a service with a training institution (with designations), an evaluation
// organisation and four registered workers A, B, C, D.
type repWorld struct {
	app    *apitest.App
	admin  string
	instID string
	inst   *apitest.Client
	evalID string
	eval   *apitest.Client
	people map[string]apitest.Person
}

func newRepWorld(t *testing.T) *repWorld {
	t.Helper()
	a := apitest.NewApp(t)
	w := &repWorld{app: a, admin: a.AdminToken(t), people: map[string]apitest.Person{}}
	w.instID = w.createOrg(t, "training_institution", []map[string]string{
		{"kind": "public_training_base", "granted_on": "2025-03-01"},
		{"kind": "national_high_skill_base", "granted_on": "2024-12-01"}, // before the period
		{"kind": "provincial_master_studio", "granted_on": "2025-05-01"},
	})
	w.inst = w.client(t, w.instID)
	w.createOrg(t, "training_institution", []map[string]string{
		{"kind": "national_master_studio", "granted_on": "2025-07-01"},
		{"kind": "provincial_master_studio", "granted_on": "2025-08-01"},
		{"kind": "national_high_skill_base", "granted_on": "2025-09-01"},
	})
	w.evalID = w.createOrg(t, "evaluation_org", nil)
	w.eval = w.client(t, w.evalID)
	var all []apitest.Person
	for _, label := range []string{"A", "B", "C", "D"} {
		w.people[label] = apitest.NewPerson()
		all = append(all, w.people[label])
	}
	a.Register(t, w.admin, all...)
	return w
}

func (w *repWorld) createOrg(t *testing.T, typ string, designations []map[string]string) string {
	t.Helper()
	body := map[string]any{"name": "报表测试 " + typ, "type": typ, "credit_code": apitest.CreditCode(), "region_code": "370400"}
	if designations != nil {
		body["designations"] = designations
	}
	res := w.app.As(w.admin).Do("POST", "/api/v1/admin/organizations", body)
	require.Equal(t, http.StatusCreated, res.Status, string(res.Body))
	return res.Map(t)["id"].(string)
}

func (w *repWorld) client(t *testing.T, orgID string) *apitest.Client {
	t.Helper()
	id, secret := w.app.CreateClient(t, w.admin, orgID)
	tok, _ := w.app.Token(t, map[string]string{"grant_type": "client_credentials", "client_id": id, "client_secret": secret})
	return w.app.As(tok)
}

// training is one record of the batch below.
type repRecord struct {
	ext, who, typ, end string
	subsidized         bool
	groups             []string
	failed             bool
	cents              int64
}

// post posts records as one batch of inst and returns their ids by external id.
func (w *repWorld) post(t *testing.T, inst *apitest.Client, records ...repRecord) map[string]string {
	t.Helper()
	var body []map[string]any
	for _, r := range records {
		p := w.people[r.who]
		result := "passed"
		if r.failed {
			result = "failed"
		}
		rec := map[string]any{
			"external_id": r.ext, "ssn": p.SSN, "name": p.Name, "course_name": "报表测试课程", "training_type": r.typ,
			"occupation_code": "6-31-01-03", "hours": 32, "start_date": r.end, "end_date": r.end, "result": result,
			"subsidized": r.subsidized, "trainee_groups": append([]string{}, r.groups...),
		}
		if r.cents > 0 {
			rec["subsidy_amount_cents"] = r.cents
		}
		body = append(body, rec)
	}
	res := inst.Do("POST", "/api/v1/trainings/batch", map[string]any{"records": body})
	require.Equal(t, http.StatusOK, res.Status, string(res.Body))
	var out struct {
		Results []struct {
			Index int    `json:"index"`
			ID    string `json:"id"`
		} `json:"results"`
	}
	res.JSON(t, &out)
	ids := map[string]string{}
	for _, r := range out.Results {
		ids[records[r.Index].ext] = r.ID
	}
	return ids
}

func (w *repWorld) void(t *testing.T, inst *apitest.Client, id string) {
	t.Helper()
	res := inst.Do("POST", "/api/v1/trainings/"+id+"/void", map[string]string{"reason": "重复录入"})
	require.Equal(t, http.StatusOK, res.Status, string(res.Body))
}

// issue issues a certificate of who through the evaluation organisation.
func (w *repWorld) issue(t *testing.T, no, who, typ string, level int, issued, validUntil string) {
	t.Helper()
	p := w.people[who]
	body := map[string]any{"certificate_no": no, "ssn": p.SSN, "name": p.Name, "type": typ,
		"occupation_code": "6-18-02-04", "occupation_name": "焊工", "issued_on": issued}
	if level > 0 {
		body["level"] = level
	}
	if validUntil != "" {
		body["valid_until"] = validUntil
	}
	res := w.eval.Do("POST", "/api/v1/certificates", body)
	require.Equal(t, http.StatusCreated, res.Status, string(res.Body))
}

// load builds the data set whose indicator values TestIndicators_HandBuiltDataSet states.
func (w *repWorld) load(t *testing.T) {
	t.Helper()
	mig := []string{"migrant_worker"}
	ids := w.post(t, w.inst,
		repRecord{"R1", "A", "gold_blue_collar", "2025-03-10", true, mig, false, 100000},
		repRecord{"R2", "A", "gold_blue_collar", "2025-06-10", true, nil, false, 200000},
		repRecord{"R3", "B", "gold_blue_collar", "2025-07-01", false, nil, true, 0},
		repRecord{"R4", "B", "apprenticeship", "2025-08-01", true, []string{"youth", "migrant_worker"}, false, 0},
		repRecord{"R5", "C", "entrepreneurship", "2025-09-01", false, nil, false, 0},
		repRecord{"R6", "C", "entrepreneurship", "2025-09-02", true, mig, false, 50000}, // voided below
		repRecord{"R7", "D", "employment_skills", "2024-12-31", true, mig, false, 0},    // before the period
		repRecord{"R8", "D", "apprenticeship", "2025-10-01", true, []string{"rural_transfer"}, false, 0},
		repRecord{"R9", "A", "apprenticeship", "2025-10-05", false, nil, false, 0},
	)
	w.void(t, w.inst, ids["R6"])

	today := repToday()
	w.issue(t, "IND-C1", "A", "skill_level", 3, "2024-05-01", "")                        // stock; issued before
	w.issue(t, "IND-C2", "B", "vocational_qualification", 2, "2025-02-01", "2025-06-30") // expired by the end
	w.issue(t, "IND-C3", "C", "skill_level", 1, "2025-03-01", "")                        // revoked below
	w.issue(t, "IND-C4", "D", "skill_level", 4, "2025-04-01", "")                        // not high-skill
	w.issue(t, "IND-C5", "A", "skill_level", 2, "2025-05-01", "")                        // A again
	w.issue(t, "IND-C6", "D", "special_ability", 0, "2025-05-01", "")                    // not counted
	w.issue(t, "IND-C7", "B", "skill_level", 3, "2025-06-01", today)                     // valid on the last day
	res := w.eval.Do("POST", "/api/v1/certificates/IND-C3/revoke", map[string]string{"reason": "证书信息有误"})
	require.Equal(t, http.StatusOK, res.Status, string(res.Body))
}

type indicatorsBody struct {
	From       string `json:"from"`
	To         string `json:"to"`
	Indicators []struct {
		Key       string  `json:"key"`
		Name      string  `json:"name"`
		Unit      string  `json:"unit"`
		Count     int64   `json:"count"`
		Value     float64 `json:"value"`
		Target    float64 `json:"target"`
		Attribute string  `json:"attribute"`
		Met       bool    `json:"met"`
	} `json:"indicators"`
}

func TestIndicators_HandBuiltDataSet(t *testing.T) {
	w := newRepWorld(t)
	w.load(t)
	today := repToday()
	res := w.app.As(w.admin).Do("GET", "/api/v1/admin/indicators?from=2025-01-01&to="+today, nil)
	require.Equal(t, http.StatusOK, res.Status, string(res.Body))
	var body indicatorsBody
	res.JSON(t, &body)
	assert.Equal(t, "2025-01-01", body.From)
	assert.Equal(t, today, body.To)

	want := []struct {
		key   string
		unit  string
		count int64
	}{
		{"subsidized_training", "万人次", 4},     // R1 R2 R4 R8 (R6 void, R7 before)
		{"migrant_worker_training", "万人次", 2}, // R1 R4 (R8 is rural_transfer)
		{"gold_blue_collar", "万人", 2},         // A (R1 and R2: one 人, two 人次) and B
		{"apprenticeship", "万人", 3},           // B, D, A
		{"entrepreneurship_training", "万人次", 1},
		{"high_skill_talent", "万人", 2}, // A (C1 and C5: once), B (C7); C2 expired, C3 revoked
		{"new_certificates", "万人次", 4}, // C2 C4 C5 C7 (C3 revoked by the end, C1 before)
		{"new_high_skill", "万人次", 3},   // C2 C5 C7
		{"public_training_bases", "个", 1},
		{"national_high_skill_bases", "个", 1}, // one granted in 2024 does not count
		{"master_studios", "个", 3},            // provincial + national
	}
	require.Len(t, body.Indicators, len(want))
	for i, row := range body.Indicators {
		assert.Equal(t, want[i].key, row.Key)
		assert.Equal(t, want[i].unit, row.Unit, row.Key)
		assert.Equal(t, want[i].count, row.Count, row.Key)
		assert.Equal(t, "预期性", row.Attribute, row.Key)
		if row.Unit == "个" {
			assert.Equal(t, float64(row.Count), row.Value, row.Key)
		} else {
			assert.Equal(t, float64(row.Count)/10000, row.Value, row.Key)
		}
		assert.Equal(t, row.Value >= row.Target, row.Met, row.Key)
	}
	assert.True(t, body.Indicators[8].Met, "one public training base meets the target of 1")
	assert.False(t, body.Indicators[0].Met, "4 records are 0.0004 万人次, far from 16.5")
}

func TestIndicators_CSVIsTheSameTableWithABOM(t *testing.T) {
	w := newRepWorld(t)
	res := w.app.As(w.admin).Do("GET", "/api/v1/admin/indicators?from=2025-01-01&to=2025-12-31&format=csv", nil)
	require.Equal(t, http.StatusOK, res.Status, string(res.Body))
	assert.Equal(t, "text/csv; charset=utf-8", res.Header.Get("Content-Type"))
	assert.Contains(t, res.Header.Get("Content-Disposition"), `filename="indicators_2025-01-01_2025-12-31.csv"`)
	require.True(t, bytes.HasPrefix(res.Body, []byte("\xEF\xBB\xBF")), "UTF-8 byte-order mark for Excel")
	rows, err := csv.NewReader(bytes.NewReader(res.Body[3:])).ReadAll()
	require.NoError(t, err)
	require.Len(t, rows, 12)
	assert.Equal(t, []string{"key", "name", "unit", "count", "value", "target", "attribute", "met"}, rows[0])
	assert.Equal(t, []string{"subsidized_training", "开展补贴性职业技能培训", "万人次", "0", "0", "16.5", "预期性", "false"}, rows[1])
	assert.Equal(t, []string{"public_training_bases", "新建公共实训基地", "个", "1", "1", "1", "预期性", "true"}, rows[9])
	assert.True(t, strings.HasSuffix(string(res.Body), "\r\n"))
}

func TestIndicators_BadPeriodOrFormatIs422AndOtherRolesAre403(t *testing.T) {
	w := newRepWorld(t)
	admin := w.app.As(w.admin)
	for query, code := range map[string]string{
		"":                               "required",
		"?from=2025-01-01":               "required",
		"?from=2025-02-30&to=2025-12-31": "invalid_date",
		"?from=2025-12-31&to=2025-01-01": "invalid_period",
		"?from=2025-01-01&to=2025-12-31&format=xlsx": "invalid_format",
	} {
		res := admin.Do("GET", "/api/v1/admin/indicators"+query, nil)
		assert.Equal(t, http.StatusUnprocessableEntity, res.Status, query)
		assert.Equal(t, code, res.Map(t)["code"], query)
	}
	res := w.inst.Do("GET", "/api/v1/admin/indicators?from=2025-01-01&to=2025-12-31", nil)
	assert.Equal(t, http.StatusForbidden, res.Status)
}
