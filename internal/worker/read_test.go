package worker_test

import (
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"skillrecord/internal/errs"
	"skillrecord/internal/worker"
)

func TestReadCSV_HeaderInAnyOrderWithBOMAndOptionalColumns(t *testing.T) {
	rows, err := collect(worker.ReadCSV(strings.NewReader("\uFEFFName,SSN,card_number,issue_area\r\n" +
		"张三,11010519491231002X,A12345678,370400\r\n\r\n" +
		"\"李,四\",11010519491231002X,B12345678,370400\r\n")))
	require.NoError(t, err)
	assert.Equal(t, []worker.ImportRow{
		{SSN: exampleSSN, Name: "张三", CardNumber: "A12345678", IssueArea: "370400"},
		{SSN: exampleSSN, Name: "李,四", CardNumber: "B12345678", IssueArea: "370400"},
	}, rows)
}

func TestReadCSV_HeaderOnlyIsNoRows(t *testing.T) {
	rows, err := collect(worker.ReadCSV(csvBody("ssn,name,card_number,issue_area,card_status,issued_on")))
	require.NoError(t, err)
	assert.Empty(t, rows)
}

func TestReadCSV_RefusesBadDocumentsWithoutEchoingThem(t *testing.T) {
	cases := []struct {
		name, body, code string
	}{
		{"empty", "", "malformed_csv"},
		{"no header (a data line)", "11010519491231002X,张三,A12345678,370400\n", "unknown_column"},
		{"missing column", "ssn,name,card_number\n", "missing_column"},
		{"duplicate column", "ssn,name,card_number,issue_area,ssn\n", "duplicate_column"},
		{"value beyond the header", "ssn,name,card_number,issue_area\n11010519491231002X,张三,A12345678,370400,x\n", "unknown_column"},
		{"bare quote", "ssn,name,card_number,issue_area\n11010519491231002X,张\"三,A12345678,370400\n", "malformed_csv"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := collect(worker.ReadCSV(strings.NewReader(tc.body)))
			require.Error(t, err)
			assert.Equal(t, errs.KindMalformed, errs.KindOf(err))
			assert.Equal(t, tc.code, errs.CodeOf(err))
			assert.NotContains(t, err.Error(), "11010519491231002X")
			assert.NotContains(t, err.Error(), "张")
		})
	}
}

func TestReadJSON_StreamsRows(t *testing.T) {
	rows, err := collect(worker.ReadJSON(strings.NewReader(`{"cardholders":[
		{"ssn":"11010519491231002X","name":"张三","card_number":"A12345678","issue_area":"370400","card_status":"active","issued_on":"2021-03-15"},
		{"ssn":"11010519491231002X","name":"张三","card_number":"B12345678","issue_area":"370400","card_status":null},
		null
	]}`)))
	require.NoError(t, err)
	require.Len(t, rows, 3)
	assert.Equal(t, goodRow(), rows[0])
	assert.Equal(t, "B12345678", rows[1].CardNumber)
	assert.Equal(t, worker.ImportRow{}, rows[2])
}

func TestReadJSON_EmptyAndNullListsAreNoRows(t *testing.T) {
	for _, body := range []string{`{"cardholders":[]}`, `{"cardholders":null}`, ` { "cardholders" : [ ] } `} {
		rows, err := collect(worker.ReadJSON(strings.NewReader(body)))
		require.NoError(t, err, body)
		assert.Empty(t, rows)
	}
}

func TestReadJSON_RefusesBadDocuments(t *testing.T) {
	cases := []struct {
		name, body string
		kind       errs.Kind
		code       string
		index      int // -1: no row index
	}{
		{"empty", ``, errs.KindMalformed, "malformed_json", -1},
		{"array", `[]`, errs.KindMalformed, "malformed_json", -1},
		{"syntax", `{"cardholders":[{"ssn":}]}`, errs.KindMalformed, "malformed_json", -1},
		{"truncated", `{"cardholders":[{"ssn":"1"}`, errs.KindMalformed, "malformed_json", -1},
		{"unknown top field", `{"cardholders":[],"extra":1}`, errs.KindMalformed, "unknown_field", -1},
		{"unknown row field", `{"cardholders":[{"ssn":"1"},{"phone":"1"}]}`, errs.KindMalformed, "unknown_field", 1},
		{"number for a string", `{"cardholders":[{"ssn":11010519491231002}]}`, errs.KindMalformed, "malformed_json", 0},
		{"row not an object", `{"cardholders":["x"]}`, errs.KindMalformed, "malformed_json", 0},
		{"cardholders not an array", `{"cardholders":{}}`, errs.KindMalformed, "malformed_json", -1},
		{"twice", `{"cardholders":[],"cardholders":[]}`, errs.KindMalformed, "malformed_json", -1},
		{"trailing value", `{"cardholders":[]} {}`, errs.KindMalformed, "malformed_json", -1},
		{"no cardholders", `{}`, errs.KindInvalid, "required", -1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := collect(worker.ReadJSON(strings.NewReader(tc.body)))
			require.Error(t, err)
			assert.Equal(t, tc.kind, errs.KindOf(err), "%v", err)
			assert.Equal(t, tc.code, errs.CodeOf(err), "%v", err)
			if tc.index >= 0 {
				e := errs.As(err)
				require.NotEmpty(t, e.Fields)
				require.NotNil(t, e.Fields[0].Index)
				assert.Equal(t, tc.index, *e.Fields[0].Index)
			}
			assert.NotContains(t, err.Error(), "11010519491231002")
		})
	}
}

// A body cut off by http.MaxBytesReader must keep the *http.MaxBytesError in the chain, so that
// the handler answers 413 rather than 400.
func TestReaders_KeepTheBodyLimitErrorAsCause(t *testing.T) {
	csvDoc := "ssn,name,card_number,issue_area\n" + strings.Repeat("11010519491231002X,张三,A12345678,370400\n", 100)
	jsonDoc := `{"cardholders":[` + strings.Repeat(`{"ssn":"11010519491231002X"},`, 100) + `{}]}`
	for name, read := range map[string]func(io.Reader) ([]worker.ImportRow, error){
		"csv":  func(r io.Reader) ([]worker.ImportRow, error) { return collect(worker.ReadCSV(r)) },
		"json": func(r io.Reader) ([]worker.ImportRow, error) { return collect(worker.ReadJSON(r)) },
	} {
		t.Run(name, func(t *testing.T) {
			doc := csvDoc
			if name == "json" {
				doc = jsonDoc
			}
			body := http.MaxBytesReader(httptest.NewRecorder(), io.NopCloser(strings.NewReader(doc)), 1000)
			_, err := read(body)
			require.Error(t, err)
			var mbe *http.MaxBytesError
			assert.True(t, errors.As(err, &mbe), "%v", err)
		})
	}
}
