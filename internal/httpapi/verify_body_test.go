package httpapi

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http/httptest"
	"testing"

	"github.com/gin-gonic/gin"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"skillrecord/internal/civil"
	"skillrecord/internal/errs"
)

// verifyBodies are bodies the one-pass scanner takes, bodies it leaves to the general decoder,
// and bodies nobody takes.
var verifyBodies = []string{
	`{"certificate_no":"VF-2026-000001","name":"张三"}`,
	" \t\r\n{ \"name\" : \"张三\" ,\n\"certificate_no\":\"vf-2026-000001\" } \n",
	`{"certificate_no":"VF-2026-000001"}`,
	`{}`,
	`{"certificate_no":"","name":""}`,
	`{"certificate_no":"VF-2026-000001","name":"\u5f20\u4e09"}`,
	`{"certificate_no":"VF-2026-000001","name":"a\"b"}`,
	`{"certificate_no":"VF-2026-000001","name":"张三","name":"李四"}`,
	`{"certificate_no":"VF-2026-000001","Name":"张三"}`,
	`{"certificate_no":"VF-2026-000001","name":"张三","extra":1}`,
	`{"certificate_no":"VF-2026-000001","name":null}`,
	`{"certificate_no":1,"name":"张三"}`,
	`{"certificate_no":"VF-2026-000001","name":"张三"} {}`,
	`{"certificate_no":"VF-2026-000001","name":"张三"}x`,
	`{"certificate_no":"VF-2026-000001","name":"张三",}`,
	`{"certificate_no":"VF-2026-000001" "name":"张三"}`,
	`{"certificate_no":"VF-2026-000001","name":"张三"`,
	`{"certificate_no":"VF-2026-000001","name":"` + "\x01" + `"}`,
	`{"certificate_no":"VF-2026-000001","name":"` + "\xff\xfe" + `"}`,
	`["VF-2026-000001"]`,
	`null`,
	``,
	`{`,
	`{"certificate_no"`,
	`{"certificate_no":`,
	`{"certificate_no":"VF`,
}

// TestScanVerifyBody_AgreesWithTheGeneralDecoder: every body the scanner takes, the strict
// decoder takes too, with the same fields; the scanner takes the plain bodies.
func TestScanVerifyBody_AgreesWithTheGeneralDecoder(t *testing.T) {
	scanned := 0
	for _, body := range verifyBodies {
		got, ok := scanVerifyBody([]byte(body))
		if !ok {
			continue
		}
		scanned++
		var want verifyRequest
		require.NoError(t, decodeJSON([]byte(body), &want), "the scanner took %q, the decoder refuses it", body)
		assert.Equal(t, want, got, "%q", body)
	}
	assert.Equal(t, 5, scanned, "the plain bodies take the one-pass path")
}

// FuzzScanVerifyBody: the scanner never takes a body the strict decoder refuses or reads
// differently.
func FuzzScanVerifyBody(f *testing.F) {
	for _, b := range verifyBodies {
		f.Add([]byte(b))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		got, ok := scanVerifyBody(body)
		if !ok {
			return
		}
		var want verifyRequest
		if err := decodeJSON(body, &want); err != nil {
			t.Fatalf("the scanner took %q, the decoder refuses it: %v", body, err)
		}
		if got != want {
			t.Fatalf("%q: scanner %+v, decoder %+v", body, got, want)
		}
	})
}

// TestReadVerifyRequest_AnswersAsBindJSON: a verification body's outcome, scanned or decoded,
// is bindJSON's, error code and all.
func TestReadVerifyRequest_AnswersAsBindJSON(t *testing.T) {
	gin.SetMode(gin.TestMode)
	for _, body := range verifyBodies {
		for _, ct := range []string{"application/json", "", "text/plain"} {
			r := httptest.NewRequest("POST", "/api/v1/verify/certificates", bytes.NewBufferString(body))
			if ct != "" {
				r.Header.Set("Content-Type", ct)
			}
			got, gotErr := readVerifyRequest(r)

			c, _ := gin.CreateTestContext(httptest.NewRecorder())
			c.Request = httptest.NewRequest("POST", "/api/v1/verify/certificates", bytes.NewBufferString(body))
			if ct != "" {
				c.Request.Header.Set("Content-Type", ct)
			}
			var want verifyRequest
			wantErr := bindJSON(c, &want)
			assert.Equal(t, errCode(wantErr), errCode(gotErr), "%q as %q", body, ct)
			assert.Equal(t, errs.KindOf(wantErr), errs.KindOf(gotErr), "%q as %q", body, ct)
			if wantErr == nil {
				assert.Equal(t, want, got, "%q as %q", body, ct)
			}
		}
	}
}

func errCode(err error) string {
	if e := errs.As(err); e != nil {
		return e.Code
	}
	if err != nil {
		return err.Error()
	}
	return ""
}

// onceReader fails a second read of a body that was read to its end.
type onceReader struct {
	r    io.Reader
	done bool
}

func (o *onceReader) Read(p []byte) (int, error) {
	if o.done {
		return 0, errors.New("the body was read twice")
	}
	n, err := o.r.Read(p)
	if err == io.EOF {
		o.done = true
	}
	return n, err
}

// TestVerifyRequestOf_TakesTheBodyParsedAtAuthentication: the handler does not read the body
// again once authentication parsed it, whatever the outcome was.
func TestVerifyRequestOf_TakesTheBodyParsedAtAuthentication(t *testing.T) {
	for _, body := range []string{`{"certificate_no":"VF-2026-000001","name":"张三"}`, `{"certificate_no":1}`} {
		r := httptest.NewRequest("POST", "/api/v1/verify/certificates", nil)
		r.Body = io.NopCloser(&onceReader{r: bytes.NewBufferString(body)})
		ctx, early := parseVerifyEarly(context.Background(), r)

		c, _ := gin.CreateTestContext(httptest.NewRecorder())
		c.Request = r.WithContext(ctx)
		got, err := verifyRequestOf(c)
		assert.Equal(t, early.req, got)
		assert.Equal(t, early.err, err)
		assert.Equal(t, errs.KindOf(early.err) == errs.KindMalformed, body != `{"certificate_no":"VF-2026-000001","name":"张三"}`)
	}
}

// TestAppendVerificationJSON_WritesWhatEncodingJSONWrites: the hand-written answer is valid
// JSON with the same fields, values and omissions as the struct's encoding.
func TestAppendVerificationJSON_WritesWhatEncodingJSONWrites(t *testing.T) {
	level := 3
	until := civil.Date{Y: 2030, M: 1, D: 31}
	for _, v := range []verificationJSON{
		{No: "VF-2026-000001", Status: "valid", Type: "skill_level", OccupationCode: "6-18-01-01", OccupationName: "焊工",
			Level: &level, IssuedOn: civil.Date{Y: 2026, M: 6, D: 30}, ValidUntil: &until,
			Issuer: issuerJSON{ID: "0190a1b2-0000-7000-8000-0000000000c3", Name: "测试机构 <a&b> \"引号\" \\ \u2028"}, HolderNameMasked: "张*"},
		{No: "VF-2026-000002", Status: "expired", Type: "training", OccupationCode: "6-18-01-01", OccupationName: "",
			IssuedOn: civil.Date{Y: 2026, M: 1, D: 2}, Issuer: issuerJSON{}, HolderNameMasked: "欧阳**"},
	} {
		got := appendVerificationJSON(nil, v)
		require.True(t, json.Valid(got), "%s", got)
		want, err := json.Marshal(v)
		require.NoError(t, err)
		var gotMap, wantMap map[string]any
		require.NoError(t, json.Unmarshal(got, &gotMap))
		require.NoError(t, json.Unmarshal(want, &wantMap))
		assert.Equal(t, wantMap, gotMap)
	}
}
