package httpapi

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"skillrecord/internal/errs"
)

func TestBindJSON_RefusesWhatIsNotAnExactRequest(t *testing.T) {
	type req struct {
		Name  string `json:"name"`
		Count int    `json:"count"`
	}
	cases := []struct {
		name, body, contentType string
		limit                   int64
		kind                    errs.Kind
		code                    string
	}{
		{"unknown field", `{"name":"a","extra":1}`, "application/json", 1 << 20, errs.KindMalformed, "unknown_field"},
		{"syntax", `{"name":`, "application/json", 1 << 20, errs.KindMalformed, "malformed_json"},
		{"wrong type", `{"count":"3"}`, "application/json", 1 << 20, errs.KindMalformed, "malformed_json"},
		{"empty", ``, "application/json", 1 << 20, errs.KindMalformed, "malformed_json"},
		{"two values", `{} {}`, "application/json", 1 << 20, errs.KindMalformed, "malformed_json"},
		{"not json", `name=a`, "application/x-www-form-urlencoded", 1 << 20, errs.KindUnsupported, "unsupported_media_type"},
		{"too large", `{"name":"` + strings.Repeat("a", 200) + `"}`, "application/json", 100, errs.KindTooLarge, "body_too_large"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rec := httptest.NewRecorder()
			c, _ := gin.CreateTestContext(rec)
			c.Request = httptest.NewRequest("POST", "/", strings.NewReader(tc.body))
			c.Request.Header.Set("Content-Type", tc.contentType)
			c.Request.Body = http.MaxBytesReader(rec, c.Request.Body, tc.limit)
			var dst req
			err := bindJSON(c, &dst)
			require.Error(t, err)
			assert.Equal(t, tc.kind, errs.KindOf(err))
			assert.Equal(t, tc.code, errs.CodeOf(err))
		})
	}
}

func TestBindJSON_AcceptsAnExactRequest(t *testing.T) {
	rec := httptest.NewRecorder()
	c, _ := gin.CreateTestContext(rec)
	c.Request = httptest.NewRequest("POST", "/", strings.NewReader(`{"name":"a","count":2}`))
	c.Request.Header.Set("Content-Type", "application/json; charset=utf-8")
	var dst struct {
		Name  string `json:"name"`
		Count int    `json:"count"`
	}
	require.NoError(t, bindJSON(c, &dst))
	assert.Equal(t, "a", dst.Name)
	assert.Equal(t, 2, dst.Count)
}

func TestProblemOf_HidesInternalCauses(t *testing.T) {
	p := problemOf(errs.Internal(assert.AnError, "db exploded with secret"), "rid")
	assert.Equal(t, http.StatusInternalServerError, p.Status)
	assert.NotContains(t, p.Detail, "secret")
	assert.Equal(t, "internal", p.Code)
	assert.Equal(t, "rid", p.RequestID)

	p = problemOf(errs.Invalid("invalid_ssn", "ssn is not valid").WithFields(errs.Field("ssn", "invalid_ssn", "bad")), "")
	assert.Equal(t, http.StatusUnprocessableEntity, p.Status)
	assert.Equal(t, "urn:skillrecord:problem:invalid_ssn", p.Type)
	require.Len(t, p.Errors, 1)
	assert.Equal(t, "ssn", p.Errors[0].Field)
}
