package credit_test

import (
	"encoding/json"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"skillrecord/internal/credit"
	"skillrecord/internal/errs"
)

func TestTenths_WritesAtMostOneDecimal(t *testing.T) {
	tests := []struct {
		in   credit.Tenths
		want string
	}{
		{125, "12.5"}, {50, "5"}, {-150, "-15"}, {0, "0"}, {1, "0.1"}, {-5, "-0.5"}, {-15, "-1.5"},
		{100, "10"}, {credit.Credits(40), "40"},
		{math.MaxInt64, "922337203685477580.7"}, {math.MinInt64, "-922337203685477580.8"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			assert.Equal(t, tt.want, tt.in.String())
			b, err := json.Marshal(tt.in)
			require.NoError(t, err)
			assert.Equal(t, tt.want, string(b))
			var back credit.Tenths
			require.NoError(t, json.Unmarshal(b, &back))
			assert.Equal(t, tt.in, back)
		})
	}
}

func TestTenths_ReadsMultiplesOfOneTenth(t *testing.T) {
	tests := []struct {
		in   string
		want credit.Tenths
	}{
		{"12.5", 125}, {"5", 50}, {"-15", -150}, {"0", 0}, {"-0", 0}, {"0.1", 1}, {"2.50", 25},
		{"1.5e1", 150}, {"15E-1", 15}, {"1e+2", 1000}, {"0.0", 0}, {"0e999999", 0},
		{"12.50000000000000000000000", 125}, {"922337203685477580.7", math.MaxInt64},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := credit.ParseTenths(tt.in)
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
			var v credit.Tenths
			require.NoError(t, json.Unmarshal([]byte(tt.in), &v))
			assert.Equal(t, tt.want, v)
		})
	}
}

func TestTenths_RefusesFinerOrMalformedAmounts(t *testing.T) {
	for _, in := range []string{
		"1.25", "0.05", "0.01", "1e-2", "12.51", "", "-", "1.", ".5", "+5", "05", "1e", "1e+", "0x10",
		"1,5", "12.5.1", "922337203685477580.8", "1e19", "1e999999999", "5e-999999999", "NaN", "Infinity",
	} {
		t.Run(in, func(t *testing.T) {
			_, err := credit.ParseTenths(in)
			assert.Error(t, err)
		})
	}
}

func TestTenths_UnmarshalJSONRefusesWithInvalidCredits(t *testing.T) {
	var c credit.Conversion
	err := json.Unmarshal([]byte(`{"credits":1.25}`), &c)
	e := errs.As(err)
	require.NotNil(t, e, "%v", err)
	assert.Equal(t, errs.KindInvalid, e.Kind)
	assert.Equal(t, "invalid_credits", e.Code)

	for _, bad := range []string{`{"credits":"12.5"}`, `{"credits":true}`, `{"credits":[1]}`} {
		assert.Error(t, json.Unmarshal([]byte(bad), &c), bad)
	}
	c.Credits = 7
	require.NoError(t, json.Unmarshal([]byte(`{"credits":null}`), &c))
	assert.Equal(t, credit.Tenths(7), c.Credits, "null leaves the value alone")
}
