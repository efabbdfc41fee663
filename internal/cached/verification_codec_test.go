package cached

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"skillrecord/internal/cache"
	"skillrecord/internal/certificate"
	"skillrecord/internal/civil"
)

func TestVerificationCodec_ReadsBackWhatItWrites(t *testing.T) {
	level := 2
	until := civil.Date{Y: 2099, M: 12, D: 31}
	full := certificate.Facts{
		No: "VF-2026-000001", Type: "vocational_qualification", OccupationCode: "6-18-01-01", OccupationName: "焊工",
		Level: &level, IssuedOn: civil.Date{Y: 2026, M: 6, D: 30}, ValidUntil: &until, Revoked: true,
		IssuerOrgID: "0190a1b2-0000-7000-8000-0000000000c3", IssuerName: "测试机构", WorkerID: "0190a1b2-0000-7000-8000-0000000000a3",
		HolderName: "欧阳娜娜", NameIndex: bytes.Repeat([]byte{0xfe, 0x00, 0x41}, 11),
	}
	bare := certificate.Facts{No: "VF-2026-000002", Type: "training", IssuedOn: civil.Date{Y: 1, M: 1, D: 1}, NameIndex: []byte{}}
	for _, v := range []verification{{}, {Found: true, Facts: &full}, {Found: true, Facts: &bare}} {
		b, err := verificationCodec{}.Encode(v)
		require.NoError(t, err)
		got, err := verificationCodec{}.Decode(b)
		require.NoError(t, err)
		assert.Equal(t, v, got)
		for n := range b[:len(b)-1] { // every truncation is refused, none panics
			if n == 1 && b[0] == verificationAbsent {
				continue
			}
			_, err := verificationCodec{}.Decode(b[:n])
			assert.Error(t, err, "%d of %d bytes", n, len(b))
		}
		_, err = verificationCodec{}.Decode(append(b, 0))
		assert.Error(t, err, "a trailing byte is refused")
	}
}

// TestVerificationCodec_RefusesTheJSONOfEarlierReleases: an entry stored by a release that
// wrote JSON does not decode, so its Get reads the database (and stores the new layout).
func TestVerificationCodec_RefusesTheJSONOfEarlierReleases(t *testing.T) {
	level := 3
	for _, v := range []verification{{}, {Found: true, Facts: &certificate.Facts{No: "VF-2026-000003", Level: &level, HolderName: "张三"}}} {
		old, err := cache.JSONCodec[verification]{}.Encode(v)
		require.NoError(t, err)
		_, err = verificationCodec{}.Decode(old)
		assert.Error(t, err)
	}
}
