package apitest

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"

	"skillrecord/api"
)

var (
	specOnce   sync.Once
	specDoc    *openapi3.T
	specRouter routers.Router
	specErr    error
)

// Spec loads and validates api/openapi.yaml once per test binary.
func Spec(t testing.TB) (*openapi3.T, routers.Router) {
	t.Helper()
	specOnce.Do(func() {
		// Workbooks (templates, refused files with their reasons) are checked as opaque files.
		openapi3filter.RegisterBodyDecoder("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", openapi3filter.FileBodyDecoder)
		loader := openapi3.NewLoader()
		specDoc, specErr = loader.LoadFromData(api.OpenAPI)
		if specErr != nil {
			return
		}
		if specErr = specDoc.Validate(context.Background()); specErr != nil {
			return
		}
		specRouter, specErr = gorillamux.NewRouter(specDoc)
	})
	if specErr != nil {
		t.Fatalf("api/openapi.yaml: %v", specErr)
	}
	return specDoc, specRouter
}

// Client sends requests to a handler and validates the answers against the contract.
type Client struct {
	t       testing.TB
	handler http.Handler
	// Header is added to every request (e.g. Authorization).
	Header http.Header
}

// New returns a client for h.
func New(t testing.TB, h http.Handler) *Client {
	Spec(t)
	return &Client{t: t, handler: h, Header: http.Header{}}
}

// Response is a recorded answer.
type Response struct {
	Status int
	Header http.Header
	Body   []byte
}

// JSON decodes the body into v, failing the test on error.
func (r *Response) JSON(t testing.TB, v any) {
	t.Helper()
	if err := json.Unmarshal(r.Body, v); err != nil {
		t.Fatalf("decode %s: %v", r.Body, err)
	}
}

// Map decodes the body as a JSON object.
func (r *Response) Map(t testing.TB) map[string]any {
	t.Helper()
	var m map[string]any
	r.JSON(t, &m)
	return m
}

// Do sends method path with body (nil, []byte, string or any value to encode as JSON) and the
// extra headers given as name, value pairs, and validates the response against the contract.
func (c *Client) Do(method, path string, body any, headers ...string) *Response {
	c.t.Helper()
	var (
		raw         []byte
		contentType string
	)
	switch b := body.(type) {
	case nil:
	case []byte:
		raw = b
	case string:
		raw = []byte(b)
	default:
		var err error
		if raw, err = json.Marshal(b); err != nil {
			c.t.Fatalf("encode body: %v", err)
		}
		contentType = "application/json"
	}
	req := httptest.NewRequest(method, path, bytes.NewReader(raw))
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	for k, vs := range c.Header {
		req.Header[k] = append([]string(nil), vs...)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	rec := httptest.NewRecorder()
	c.handler.ServeHTTP(rec, req)
	res := &Response{Status: rec.Code, Header: rec.Header(), Body: rec.Body.Bytes()}
	Check(c.t, req, raw, res)
	return res
}

// Check validates one exchange against the contract: status, content type and body must be
// what the operation documents. A path the contract does not know must have been answered
// with a problem+json 404 or 405.
func Check(t testing.TB, req *http.Request, reqBody []byte, res *Response) {
	t.Helper()
	_, router := Spec(t)
	vreq := req.Clone(context.Background())
	vreq.Body = io.NopCloser(bytes.NewReader(reqBody))
	if vreq.URL.Host == "" {
		vreq.URL.Scheme, vreq.URL.Host = "http", "localhost"
	}
	route, params, err := router.FindRoute(vreq)
	if err != nil {
		if res.Status != http.StatusNotFound && res.Status != http.StatusMethodNotAllowed {
			t.Fatalf("%s %s answered %d but the contract has no such operation: %v", req.Method, req.URL.Path, res.Status, err)
		}
		checkProblem(t, req, res)
		return
	}
	input := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{
			Request: vreq, PathParams: params, Route: route,
			Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc},
		},
		Status: res.Status,
		Header: res.Header,
		Options: &openapi3filter.Options{
			IncludeResponseStatus: true, // an undocumented status is a contract violation
			MultiError:            true,
		},
	}
	input.SetBodyBytes(res.Body)
	if err := openapi3filter.ValidateResponse(context.Background(), input); err != nil {
		t.Fatalf("%s %s → %d does not match api/openapi.yaml:\n%v\nbody: %s", req.Method, req.URL.Path, res.Status, err, truncate(res.Body))
	}
}

func checkProblem(t testing.TB, req *http.Request, res *Response) {
	t.Helper()
	if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/problem+json") {
		t.Fatalf("%s %s → %d with Content-Type %q, want application/problem+json", req.Method, req.URL.Path, res.Status, ct)
	}
	var p struct {
		Type   string `json:"type"`
		Title  string `json:"title"`
		Status int    `json:"status"`
		Code   string `json:"code"`
	}
	if err := json.Unmarshal(res.Body, &p); err != nil || p.Type == "" || p.Title == "" || p.Code == "" || p.Status != res.Status {
		t.Fatalf("%s %s → %d is not a complete problem document: %s", req.Method, req.URL.Path, res.Status, truncate(res.Body))
	}
}

func truncate(b []byte) string {
	if len(b) > 2000 {
		return string(b[:2000]) + "…"
	}
	return string(b)
}
