package voucher_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"skillrecord/internal/civil"
	"skillrecord/internal/errs"
	"skillrecord/internal/voucher"
)

func TestMove_TheTableRowByRow(t *testing.T) {
	allowed := map[[2]string]bool{
		{"issued", "claimed"}: true, {"issued", "used"}: true, {"issued", "expired"}: true, {"issued", "cancelled"}: true,
		{"claimed", "used"}: true, {"claimed", "expired"}: true, {"claimed", "cancelled"}: true,
		{"used", "settled"}: true, {"used", "cancelled"}: true, {"settled", "cancelled"}: true,
	}
	for _, from := range voucher.States() {
		for _, to := range voucher.States() {
			t.Run(from+"→"+to, func(t *testing.T) {
				err := voucher.Move(from, to)
				if allowed[[2]string{from, to}] {
					assert.NoError(t, err)
				} else {
					assert.Equal(t, "invalid_transition", errs.CodeOf(err))
				}
			})
		}
	}
}

func TestEffective_AnUnusedVoucherExpiresAfterItsLastDay(t *testing.T) {
	last := civil.Date{Y: 2026, M: 12, D: 31}
	next := civil.Date{Y: 2027, M: 1, D: 1}
	assert.Equal(t, "claimed", voucher.Effective("claimed", last, last))
	assert.Equal(t, "expired", voucher.Effective("claimed", last, next))
	assert.Equal(t, "expired", voucher.Effective("issued", last, next))
	assert.Equal(t, "used", voucher.Effective("used", last, next))
	assert.Equal(t, "settled", voucher.Effective("settled", last, next))
}
