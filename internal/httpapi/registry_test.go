package httpapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"skillrecord/internal/apitest"
	"skillrecord/internal/auth"
	"skillrecord/internal/errs"
	"skillrecord/internal/httpapi"
	"skillrecord/internal/identity"
	"skillrecord/internal/keys"
	"skillrecord/internal/sqlstore"
	"skillrecord/internal/testenv"
	"skillrecord/internal/worker"
)

// registryAuth is the handler tests' Authenticator: a fixed map from token to principal.
type registryAuth map[string]auth.Principal

func (a registryAuth) Authenticate(_ context.Context, token string) (auth.Principal, error) {
	if p, ok := a[token]; ok {
		return p, nil
	}
	return auth.Principal{}, errs.Unauthenticated("invalid_token", "the access token is not valid")
}

const (
	regAdminToken    = "test-admin-token"
	regWorkerToken   = "test-worker-token"
	regEmployerToken = "test-employer-token"
	importPath       = "/api/v1/admin/cardholders/import"
	activatePath     = "/api/v1/workers/activate"
)

// regFixture is the router with the registry services on a fresh MariaDB database.
type regFixture struct {
	handler http.Handler
	logs    *apitest.SyncBuffer
	db      *sqlstore.DB
	store   *sqlstore.WorkerStore
	admin   *apitest.Client
	anyone  *apitest.Client
}

func newRegFixture(t *testing.T) *regFixture {
	t.Helper()
	db := testenv.MySQL(t)
	m, err := keys.Load(keys.Settings{}, t.TempDir(), slog.New(slog.DiscardHandler))
	require.NoError(t, err)
	store := db.Workers(m)
	svc := worker.NewService(store)
	f := &regFixture{db: db, store: store, logs: &apitest.SyncBuffer{}}
	f.handler = regRouter(t, f.logs, db, svc, svc)
	f.admin = apitest.New(t, f.handler)
	f.admin.Header.Set("Authorization", "Bearer "+regAdminToken)
	f.anyone = apitest.New(t, f.handler)
	return f
}

func regRouter(t *testing.T, logs io.Writer, db *sqlstore.DB, imp httpapi.CardholderImporter, act httpapi.WorkerActivator) http.Handler {
	t.Helper()
	h, err := httpapi.New(httpapi.Deps{
		Log: slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug})), DB: db, Version: "test",
		Limits: httpapi.Limits{MaxBody: 1 << 20, MaxBatchBody: 10 << 20},
		Auth: registryAuth{
			regAdminToken:    {ID: "0190a1b2-0000-7000-8000-0000000000ad", Role: auth.RoleAdmin},
			regWorkerToken:   {ID: "0190a1b2-0000-7000-8000-0000000000a1", Role: auth.RoleWorker},
			regEmployerToken: {ID: "client-1", Role: auth.RoleEmployer, OrgID: "0190a1b2-0000-7000-8000-0000000000e1"},
		},
		Cardholders: imp,
		Workers:     act,
	})
	require.NoError(t, err)
	return h
}

// regSSN is a valid SSN distinct for every n ≥ 0.
func regSSN(n int) string {
	birth := time.Date(1960, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, n/1000)
	return string(identity.MakeSSN("370402", birth, n%1000))
}

func regName(n int) string {
	surnames := []rune("张王李赵刘陈杨黄周吴")
	given := []rune("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平")
	return string([]rune{surnames[n%len(surnames)], given[(n/len(surnames))%len(given)], given[(n/3)%len(given)]})
}

func regCard(n int) string { return fmt.Sprintf("K%08d", n) }

const csvHeader = "ssn,name,card_number,issue_area,card_status,issued_on\n"

func csvLine(n int, card, status string) string {
	return fmt.Sprintf("%s,%s,%s,370400,%s,2021-03-15\n", regSSN(n), regName(n), card, status)
}

type importAnswer struct {
	Imported int `json:"imported"`
	Updated  int `json:"updated"`
	Errors   []struct {
		Index int    `json:"index"`
		Field string `json:"field"`
		Code  string `json:"code"`
	} `json:"errors"`
}

func (f *regFixture) importCSV(t *testing.T, body string) importAnswer {
	t.Helper()
	res := f.admin.Do("POST", importPath, body, "Content-Type", "text/csv; charset=utf-8")
	require.Equal(t, http.StatusOK, res.Status, "%s", res.Body)
	var a importAnswer
	res.JSON(t, &a)
	return a
}

func (f *regFixture) count(t *testing.T, query string) int {
	t.Helper()
	var n int
	require.NoError(t, f.db.SQL().QueryRow(query).Scan(&n))
	return n
}

func TestCardholderImport_CSVRegistersEveryGoodRow(t *testing.T) {
	f := newRegFixture(t)
	a := f.importCSV(t, csvHeader+csvLine(1, regCard(1), "active")+csvLine(2, regCard(2), "")+csvLine(3, regCard(3), "lost"))
	assert.Equal(t, 3, a.Imported)
	assert.Equal(t, 0, a.Updated)
	assert.NotNil(t, a.Errors)
	assert.Empty(t, a.Errors)
	assert.Equal(t, 3, f.count(t, "SELECT COUNT(*) FROM workers"))

	w, err := f.store.WorkerBySSN(context.Background(), identity.SSN(regSSN(2)))
	require.NoError(t, err)
	assert.Equal(t, regName(2), w.Name)
	card, ok := w.CurrentCard()
	require.True(t, ok)
	assert.Equal(t, regCard(2), card.Number)
}

func TestCardholderImport_JSONRegistersEveryGoodRow(t *testing.T) {
	f := newRegFixture(t)
	body := map[string]any{"cardholders": []map[string]any{
		{"ssn": regSSN(1), "name": regName(1), "card_number": regCard(1), "issue_area": "370400", "card_status": "active", "issued_on": "2021-03-15"},
		{"ssn": strings.ToLower(regSSN(2)), "name": regName(2), "card_number": strings.ToLower(regCard(2)), "issue_area": "370400"},
	}}
	res := f.admin.Do("POST", importPath, body)
	require.Equal(t, http.StatusOK, res.Status, "%s", res.Body)
	assert.JSONEq(t, `{"imported":2,"updated":0,"errors":[]}`, string(res.Body))
	_, err := f.store.WorkerBySSN(context.Background(), identity.SSN(regSSN(2)))
	assert.NoError(t, err)
}

// Importing the same file again is idempotent: every row counts as updated, nothing changes.
func TestCardholderImport_ReimportIsIdempotent(t *testing.T) {
	f := newRegFixture(t)
	body := csvHeader + csvLine(1, regCard(1), "active") + csvLine(2, regCard(2), "active")
	f.importCSV(t, body)
	before, err := f.store.WorkerBySSN(context.Background(), identity.SSN(regSSN(1)))
	require.NoError(t, err)
	a := f.importCSV(t, body)
	assert.Equal(t, 0, a.Imported)
	assert.Equal(t, 2, a.Updated)
	assert.Empty(t, a.Errors)
	after, err := f.store.WorkerBySSN(context.Background(), identity.SSN(regSSN(1)))
	require.NoError(t, err)
	assert.Equal(t, before, after)
	assert.Equal(t, 2, f.count(t, "SELECT COUNT(*) FROM worker_cards"))
}

// Good rows are stored, bad rows are listed by index, field and code; a new active card
// replaces the current one and a card of another SSN is a conflict.
func TestCardholderImport_MixedRowsStoreTheGoodAndListTheBad(t *testing.T) {
	f := newRegFixture(t)
	f.importCSV(t, csvHeader+csvLine(1, regCard(1), "active"))

	body := csvHeader +
		csvLine(1, regCard(11), "active") + // 0: new card for worker 1
		"110105194912310021,张三,A12345678,370400,active,2021-03-15\n" + // 1: bad check character
		csvLine(3, regCard(1), "active") + // 2: worker 1's card under another SSN
		csvLine(4, "SHORT", "stolen") + // 3: two bad fields
		csvLine(5, regCard(5), "active") // 4: fine
	a := f.importCSV(t, body)
	assert.Equal(t, 1, a.Imported)
	assert.Equal(t, 1, a.Updated)
	type rowErr struct {
		Index       int
		Field, Code string
	}
	var got []rowErr
	for _, e := range a.Errors {
		got = append(got, rowErr{e.Index, e.Field, e.Code})
	}
	assert.Equal(t, []rowErr{
		{1, "ssn", "invalid_ssn"},
		{2, "card_number", "card_conflict"},
		{3, "card_number", "invalid_card_number"},
		{3, "card_status", "invalid_card_status"},
	}, got)

	w, err := f.store.WorkerBySSN(context.Background(), identity.SSN(regSSN(1)))
	require.NoError(t, err)
	require.Len(t, w.Cards, 2)
	assert.Equal(t, worker.CardReplaced, w.Cards[0].Status)
	assert.Equal(t, regCard(11), w.Cards[1].Number)
	assert.Equal(t, worker.CardActive, w.Cards[1].Status)
	assert.Equal(t, 2, f.count(t, "SELECT COUNT(*) FROM workers"), "worker 1 and worker 5")
	assert.NotContains(t, f.logs.String(), regSSN(3))
}

func TestCardholderImport_MoreThan100000RowsIsRefusedAndWritesNothing(t *testing.T) {
	f := newRegFixture(t)
	var b strings.Builder
	b.WriteString("ssn,name,card_number,issue_area\n")
	for i := range worker.MaxImportRows + 1 {
		fmt.Fprintf(&b, "%s,张三,%s,370400\n", regSSN(i), regCard(i))
	}
	require.Less(t, b.Len(), 10<<20)
	res := f.admin.Do("POST", importPath, b.String(), "Content-Type", "text/csv")
	require.Equal(t, http.StatusUnprocessableEntity, res.Status, "%s", res.Body)
	assert.Equal(t, "import_too_large", res.Map(t)["code"])
	assert.Equal(t, 0, f.count(t, "SELECT COUNT(*) FROM workers"))
}

func TestCardholderImport_OtherMediaTypesAre415(t *testing.T) {
	f := newRegFixture(t)
	body := csvHeader + csvLine(1, regCard(1), "active")
	for _, ct := range []string{"", "text/plain", "application/xml", "text/csv; charset=iso-8859-1", "not a media type"} {
		res := f.admin.Do("POST", importPath, body, "Content-Type", ct)
		assert.Equal(t, http.StatusUnsupportedMediaType, res.Status, "%q", ct)
		assert.Equal(t, "unsupported_media_type", res.Map(t)["code"], "%q", ct)
	}
	assert.Equal(t, 0, f.count(t, "SELECT COUNT(*) FROM workers"))
}

func TestCardholderImport_BodyOver10MiBIs413AndWritesNothing(t *testing.T) {
	f := newRegFixture(t)
	// Long but valid rows, so that the body outgrows 10 MiB well before it reaches 100,000 rows.
	var b bytes.Buffer
	b.WriteString(csvHeader)
	for i := 0; b.Len() <= 10<<20; i++ {
		fmt.Fprintf(&b, "%s,%s,%s,370400,active,2021-03-15\n", regSSN(i), strings.Repeat("张", 60), regCard(i))
	}
	// Declared length: refused before the handler runs.
	res := f.admin.Do("POST", importPath, b.Bytes(), "Content-Type", "text/csv")
	require.Equal(t, http.StatusRequestEntityTooLarge, res.Status)
	assert.Equal(t, "body_too_large", res.Map(t)["code"])

	// Streamed without a length: discovered while reading, still before anything is written.
	req := httptest.NewRequest("POST", importPath, io.MultiReader(bytes.NewReader(b.Bytes())))
	require.EqualValues(t, -1, req.ContentLength)
	req.Header.Set("Content-Type", "text/csv")
	req.Header.Set("Authorization", "Bearer "+regAdminToken)
	rec := httptest.NewRecorder()
	f.handler.ServeHTTP(rec, req)
	streamed := &apitest.Response{Status: rec.Code, Header: rec.Header(), Body: rec.Body.Bytes()}
	apitest.Check(t, req, nil, streamed)
	require.Equal(t, http.StatusRequestEntityTooLarge, streamed.Status, "%s", streamed.Body)
	assert.Equal(t, "body_too_large", streamed.Map(t)["code"])
	assert.Equal(t, 0, f.count(t, "SELECT COUNT(*) FROM workers"))
}

func TestCardholderImport_UnreadableBodiesAre400(t *testing.T) {
	f := newRegFixture(t)
	cases := []struct{ name, ct, body, code string }{
		{"empty csv", "text/csv", "", "malformed_csv"},
		{"csv without header", "text/csv", csvLine(1, regCard(1), "active"), "unknown_column"},
		{"csv missing column", "text/csv", "ssn,name\n", "missing_column"},
		{"csv value beyond the header", "text/csv", csvHeader + "a,b,c,d,e,f,g\n", "unknown_column"},
		{"csv bare quote", "text/csv", csvHeader + "a\"b,c\n", "malformed_csv"},
		{"form without a file", "multipart/form-data; boundary=x", "--x\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n--x--\r\n", "missing_file"},
		{"json syntax", "application/json", `{"cardholders":[{]}`, "malformed_json"},
		{"json unknown row field", "application/json", `{"cardholders":[{"ssn":"x","phone":"1"}]}`, "unknown_field"},
		{"json unknown field", "application/json", `{"cardholders":[],"more":[]}`, "unknown_field"},
		{"json not an object", "application/json", `[1,2]`, "malformed_json"},
	}
	for _, tc := range cases {
		res := f.admin.Do("POST", importPath, tc.body, "Content-Type", tc.ct)
		require.Equal(t, http.StatusBadRequest, res.Status, "%s: %s", tc.name, res.Body)
		assert.Equal(t, tc.code, res.Map(t)["code"], tc.name)
		assert.NotContains(t, string(res.Body), regSSN(1), tc.name)
	}
	res := f.admin.Do("POST", importPath, `{}`, "Content-Type", "application/json")
	require.Equal(t, http.StatusUnprocessableEntity, res.Status)
	assert.Equal(t, "required", res.Map(t)["code"])
}

func TestCardholderImport_OnlyAdmins(t *testing.T) {
	f := newRegFixture(t)
	body := csvHeader + csvLine(1, regCard(1), "active")
	res := f.anyone.Do("POST", importPath, body, "Content-Type", "text/csv")
	assert.Equal(t, http.StatusUnauthorized, res.Status)
	res = f.anyone.Do("POST", importPath, body, "Content-Type", "text/csv", "Authorization", "Bearer not-a-token")
	assert.Equal(t, http.StatusUnauthorized, res.Status)
	for _, tok := range []string{regWorkerToken, regEmployerToken} {
		res := f.anyone.Do("POST", importPath, body, "Content-Type", "text/csv", "Authorization", "Bearer "+tok)
		assert.Equal(t, http.StatusForbidden, res.Status)
		assert.Equal(t, "forbidden", res.Map(t)["code"])
	}
	assert.Equal(t, 0, f.count(t, "SELECT COUNT(*) FROM workers"))
}

func TestRegistryRoutes_WithoutTheirServiceAnswer503(t *testing.T) {
	h := regRouter(t, io.Discard, testenv.MySQL(t), nil, nil)
	c := apitest.New(t, h)
	res := c.Do("POST", importPath, csvHeader, "Content-Type", "text/csv", "Authorization", "Bearer "+regAdminToken)
	assert.Equal(t, http.StatusServiceUnavailable, res.Status)
	assert.Equal(t, "5", res.Header.Get("Retry-After"), "every 503 says when to come back")
	res = c.Do("POST", activatePath, map[string]string{"ssn": regSSN(1), "name": "张三", "card_number": regCard(1), "password": "s3cret-pass"})
	assert.Equal(t, http.StatusServiceUnavailable, res.Status)
	assert.Equal(t, "5", res.Header.Get("Retry-After"))
}

// TestRegistry_NoPlaintextPersonalDataInTablesOrLogs imports (CSV and JSON, with good, bad and
// conflicting rows), activates, fails some activations, then reads every column of every row
// of every table through database/sql, and the captured logs, looking for any SSN, name or card
// number in any case.
func TestRegistry_NoPlaintextPersonalDataInTablesOrLogs(t *testing.T) {
	f := newRegFixture(t)
	var secrets []string
	body := csvHeader
	for i := range 30 {
		body += csvLine(i, regCard(i), "active")
		secrets = append(secrets, regSSN(i), regName(i), regCard(i))
	}
	body += "110105194912310021,欧阳娜娜,Q12345678,370400,active,2021-03-15\n" // bad ssn
	body += csvLine(40, regCard(3), "active")                              // card conflict
	secrets = append(secrets, "110105194912310021", "欧阳娜娜", "Q12345678", regSSN(40), regName(40))
	f.importCSV(t, body)
	doc := map[string]any{"cardholders": []map[string]any{
		{"ssn": regSSN(50), "name": "司马相如", "card_number": "m87654321", "issue_area": "370400"},
		{"ssn": regSSN(0), "name": regName(0), "card_number": "N87654321", "issue_area": "370400"},
	}}
	secrets = append(secrets, regSSN(50), "司马相如", "M87654321", "N87654321")
	res := f.admin.Do("POST", importPath, doc)
	require.Equal(t, http.StatusOK, res.Status)

	res = f.anyone.Do("POST", activatePath, map[string]string{"ssn": regSSN(1), "name": regName(1), "card_number": regCard(1), "password": "s3cret-pass"})
	require.Equal(t, http.StatusCreated, res.Status)
	res = f.anyone.Do("POST", activatePath, map[string]string{"ssn": regSSN(2), "name": "诸葛孔明", "card_number": regCard(2), "password": "s3cret-pass"})
	require.Equal(t, http.StatusUnprocessableEntity, res.Status)
	secrets = append(secrets, "诸葛孔明")

	dump := dumpAllTables(t, f.db)
	logs := f.logs.String()
	require.NotEmpty(t, logs)
	for _, s := range secrets {
		for _, form := range []string{s, strings.ToLower(s), strings.ToUpper(s)} {
			assert.Falsef(t, bytes.Contains(dump, []byte(form)), "a table holds personal data in clear (%d bytes)", len(form))
			assert.Falsef(t, strings.Contains(logs, form), "the log holds personal data in clear (%d bytes)", len(form))
		}
	}
	var line map[string]any
	require.NoError(t, json.Unmarshal([]byte(strings.SplitN(logs, "\n", 2)[0]), &line), "logs are JSON lines")
}

// dumpAllTables returns the raw bytes of every column of every row of every table.
func dumpAllTables(t *testing.T, db *sqlstore.DB) []byte {
	t.Helper()
	var tables []string
	scanRows(t, db, "SHOW TABLES", func(vals [][]byte) { tables = append(tables, string(vals[0])) })
	require.Contains(t, tables, "workers")
	var out bytes.Buffer
	for _, table := range tables {
		scanRows(t, db, "SELECT * FROM "+table, func(vals [][]byte) {
			for _, v := range vals {
				out.Write(v)
				out.WriteByte(0)
			}
		})
	}
	return out.Bytes()
}

// scanRows runs query and passes every row's columns, as raw bytes, to fn.
func scanRows(t *testing.T, db *sqlstore.DB, query string, fn func([][]byte)) {
	t.Helper()
	rows, err := db.SQL().Query(query)
	require.NoError(t, err)
	defer rows.Close()
	cols, err := rows.Columns()
	require.NoError(t, err)
	vals := make([][]byte, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for rows.Next() {
		require.NoError(t, rows.Scan(ptrs...))
		fn(vals)
	}
	require.NoError(t, rows.Err())
}
