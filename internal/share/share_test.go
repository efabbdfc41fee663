package share_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"skillrecord/internal/share"
)

func hours(n int) *int { return &n }

func TestInputValidate(t *testing.T) {
	tests := []struct {
		name  string
		in    share.Input
		codes map[string]string // field → code
	}{
		{"record for a day", share.Input{Scope: "record", ExpiresInHours: hours(24)}, nil},
		{"certificates for the shortest", share.Input{Scope: "certificates", ExpiresInHours: hours(1)}, nil},
		{"the longest: 30 days", share.Input{Scope: "record", ExpiresInHours: hours(720)}, nil},
		{"zero hours", share.Input{Scope: "record", ExpiresInHours: hours(0)}, map[string]string{"expires_in_hours": "invalid_lifetime"}},
		{"negative", share.Input{Scope: "record", ExpiresInHours: hours(-5)}, map[string]string{"expires_in_hours": "invalid_lifetime"}},
		{"one hour over 30 days", share.Input{Scope: "record", ExpiresInHours: hours(721)}, map[string]string{"expires_in_hours": "invalid_lifetime"}},
		{"missing lifetime", share.Input{Scope: "record"}, map[string]string{"expires_in_hours": "required"}},
		{"missing scope", share.Input{ExpiresInHours: hours(2)}, map[string]string{"scope": "required"}},
		{"unknown scope", share.Input{Scope: "credits", ExpiresInHours: hours(2)}, map[string]string{"scope": "invalid_scope"}},
		{"both bad", share.Input{Scope: "RECORD", ExpiresInHours: hours(1000)}, map[string]string{"scope": "invalid_scope", "expires_in_hours": "invalid_lifetime"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := map[string]string{}
			for _, f := range tt.in.Validate() {
				got[f.Field] = f.Code
			}
			if tt.codes == nil {
				assert.Empty(t, got)
				return
			}
			assert.Equal(t, tt.codes, got)
		})
	}
}

func TestStatusAtAndOpenTo(t *testing.T) {
	now := time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)
	revoked := now.Add(-time.Minute)
	tests := []struct {
		name     string
		s        share.Share
		status   string
		openToA  bool
		openToB  bool
		openToNo bool
	}{
		{"active, unbound", share.Share{ExpiresAt: now.Add(time.Hour)}, "active", true, true, true},
		{"active, bound to A", share.Share{ExpiresAt: now.Add(time.Hour), AudienceOrgID: "A"}, "active", true, false, false},
		{"expires exactly now", share.Share{ExpiresAt: now}, "expired", false, false, false},
		{"expired", share.Share{ExpiresAt: now.Add(-time.Second)}, "expired", false, false, false},
		{"revoked", share.Share{ExpiresAt: now.Add(time.Hour), RevokedAt: &revoked}, "revoked", false, false, false},
		{"revoked wins over expired", share.Share{ExpiresAt: now.Add(-time.Hour), RevokedAt: &revoked}, "revoked", false, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.status, tt.s.StatusAt(now))
			assert.Equal(t, tt.openToA, tt.s.OpenTo("A", now))
			assert.Equal(t, tt.openToB, tt.s.OpenTo("B", now))
			assert.Equal(t, tt.openToNo, tt.s.OpenTo("", now))
		})
	}
}

func TestNewToken_Is256BitsOfBase64URLStoredAsItsSHA256(t *testing.T) {
	seed := bytes.Repeat([]byte{0xfb, 0xff}, 16)
	token, hash, err := share.NewToken(bytes.NewReader(seed))
	require.NoError(t, err)
	assert.Equal(t, base64.RawURLEncoding.EncodeToString(seed), token)
	assert.Len(t, token, 43)
	assert.NotContains(t, token, "=")
	sum := sha256.Sum256([]byte(token))
	assert.Equal(t, sum[:], hash)
	assert.Equal(t, hash, share.HashToken(token))
	assert.True(t, share.WellFormed(token))

	_, _, err = share.NewToken(bytes.NewReader(seed[:10]))
	assert.Error(t, err, "short randomness is an error, never a short token")
}

func TestWellFormed(t *testing.T) {
	good, _, err := share.NewToken(bytes.NewReader(bytes.Repeat([]byte{7}, 32)))
	require.NoError(t, err)
	assert.True(t, share.WellFormed(good))
	for _, bad := range []string{
		"", "0190a1b2-0000-7000-8000-000000000001", good + "A", good[:42],
		strings.ReplaceAll(good, good[:1], "+"), good[:42] + "=",
		good[:42] + "B", // non-canonical: the spare bits of the last character are not zero
	} {
		assert.False(t, share.WellFormed(bad), "%q", bad)
	}
}

func TestCursorRoundTrip(t *testing.T) {
	at := time.Date(2026, 11, 27, 10, 0, 0, 123456000, time.UTC)
	s := share.Share{ID: "0190a1b2-0000-7000-8000-000000000001", CreatedAt: at}
	gotAt, gotID, err := share.ParseCursor(share.Cursor(s))
	require.NoError(t, err)
	assert.True(t, gotAt.Equal(at))
	assert.Equal(t, s.ID, gotID)
	for _, bad := range []string{"", "x|y", "123", "-1|0190a1b2-0000-7000-8000-000000000001", "12|not-a-uuid"} {
		_, _, err := share.ParseCursor(bad)
		assert.Error(t, err, bad)
	}
}
