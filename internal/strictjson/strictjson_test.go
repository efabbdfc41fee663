package strictjson_test

import (
	"bytes"
	"encoding/json"
	"io"
	"reflect"
	"testing"
	"testing/iotest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"skillrecord/internal/errs"
	"skillrecord/internal/strictjson"
)

type inner struct {
	Hours int    `json:"hours"`
	Note  string `json:"note,omitempty"`
}

type Base struct {
	ID string `json:"id"`
}

type outer struct {
	Base
	Name    string           `json:"name"`
	Plain   int              // no tag: the Go name, exactly
	Inner   inner            `json:"inner"`
	Ptr     *inner           `json:"ptr"`
	List    []inner          `json:"list"`
	ByKey   map[string]inner `json:"by_key"`
	Raw     json.RawMessage  `json:"raw"`
	Any     any              `json:"any"`
	Ignored string           `json:"-"`
}

func TestExactKeys_RefusesKeysThatMatchOnlyWithoutCase(t *testing.T) {
	typ := reflect.TypeFor[*outer]()
	for _, tc := range []struct {
		name, body, want string
	}{
		{"exact keys", `{"id":"x","name":"n","Plain":1,"inner":{"hours":160},"ptr":{"hours":1},"list":[{"hours":2}],"by_key":{"AnyKey":{"hours":3}},"raw":{"Whatever":1},"any":{"X":[1]}}`, ""},
		{"top-level case variant", `{"Name":"n"}`, "Name"},
		{"case variant beside the exact key", `{"inner":{"hours":160,"Hours":2000}}`, "Hours"},
		{"nested in a pointer", `{"ptr":{"HOURS":1}}`, "HOURS"},
		{"nested in an array", `{"list":[{"hours":1},{"hOurs":2}]}`, "hOurs"},
		{"nested in a map value", `{"by_key":{"k":{"Note":"x"}}}`, "Note"},
		{"embedded field", `{"ID":"x"}`, "ID"},
		{"untagged field in lower case", `{"plain":1}`, "plain"},
		{"ignored field", `{"Ignored":"x"}`, "Ignored"},
		{"unknown key", `{"nope":1}`, "nope"},
		{"invalid JSON is the decoder's", `{"name":`, ""},
		{"wrong type is the decoder's", `{"inner":[{"Hours":1}]}`, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			key, ok := strictjson.ExactKeys([]byte(tc.body), typ)
			assert.Equal(t, tc.want != "", ok)
			assert.Equal(t, tc.want, key)
		})
	}
}

func TestCheckUTF8_RefusesBadBytes(t *testing.T) {
	require.NoError(t, strictjson.CheckUTF8([]byte(`{"name":"张三 é"}`)))
	err := strictjson.CheckUTF8([]byte("{\"course_name\":\"\xed\xa0\x80\"}"))
	require.Error(t, err)
	assert.Equal(t, errs.KindMalformed, errs.KindOf(err))
	assert.Equal(t, "invalid_utf8", errs.CodeOf(err))
}

func TestUTF8Reader_PassesValidStreamsAndStopsAtBadBytes(t *testing.T) {
	good := bytes.Repeat([]byte(`{"name":"买买提·艾力","x":"é😀"},`), 5000)
	for name, r := range map[string]io.Reader{
		"whole":        bytes.NewReader(good),
		"byte by byte": iotest.OneByteReader(bytes.NewReader(good)),
		"halves":       iotest.HalfReader(bytes.NewReader(good)),
	} {
		t.Run(name, func(t *testing.T) {
			got, err := io.ReadAll(strictjson.UTF8Reader(r))
			require.NoError(t, err)
			assert.Equal(t, good, got)
		})
	}
	for name, bad := range map[string][]byte{
		"surrogate":         append(append([]byte(nil), good[:100]...), 0xED, 0xA0, 0x80),
		"truncated at end":  append(append([]byte(nil), good[:100]...), 0xE5, 0xBC),
		"lone continuation": append([]byte(`{"a":"`), 0x80, '"', '}'),
		"far into a stream": append(append([]byte(nil), good...), 0xFF),
	} {
		t.Run(name, func(t *testing.T) {
			got, err := io.ReadAll(strictjson.UTF8Reader(iotest.HalfReader(bytes.NewReader(bad))))
			assert.Equal(t, "invalid_utf8", errs.CodeOf(err))
			assert.NotContains(t, string(got), "\xed\xa0\x80", "the bad bytes are never handed out")
		})
	}
}

// BenchmarkExactKeys measures the key check on a verification-sized body, beside the decode
// it accompanies (BenchmarkDecodeOnly).
func BenchmarkExactKeys(b *testing.B) {
	body := []byte(`{"certificate_no":"CERT-2026-000123","name":"张三"}`)
	type verifyReq struct {
		CertificateNo string `json:"certificate_no"`
		Name          string `json:"name"`
	}
	typ := reflect.TypeFor[*verifyReq]()
	b.ReportAllocs()
	for b.Loop() {
		if _, ok := strictjson.ExactKeys(body, typ); ok {
			b.Fatal("exact keys refused")
		}
	}
}

// BenchmarkDecodeOnly is the strict decode the key check is added to.
func BenchmarkDecodeOnly(b *testing.B) {
	body := []byte(`{"certificate_no":"CERT-2026-000123","name":"张三"}`)
	type verifyReq struct {
		CertificateNo string `json:"certificate_no"`
		Name          string `json:"name"`
	}
	b.ReportAllocs()
	for b.Loop() {
		var v verifyReq
		dec := json.NewDecoder(bytes.NewReader(body))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&v); err != nil {
			b.Fatal(err)
		}
	}
}
