package claim_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"

	"skillrecord/internal/claim"
	"skillrecord/internal/errs"
)

// TestMove_AllowsExactlyTheTableRows walks every pair of statuses: the four transitions of the
// issue are allowed (an upheld objection sends an approved claim back to submitted), every
// other pair, staying put included, is 409 invalid_transition.
func TestMove_AllowsExactlyTheTableRows(t *testing.T) {
	allowed := map[string]bool{
		"submitted→approved": true,
		"submitted→rejected": true,
		"approved→submitted": true,
		"approved→disbursed": true,
	}
	for _, from := range claim.Statuses() {
		for _, to := range claim.Statuses() {
			row := fmt.Sprintf("%s→%s", from, to)
			t.Run(row, func(t *testing.T) {
				err := claim.Move(from, to)
				if allowed[row] {
					assert.NoError(t, err)
					assert.True(t, claim.CanMove(from, to))
					return
				}
				assert.False(t, claim.CanMove(from, to))
				assert.Equal(t, errs.KindConflict, errs.KindOf(err))
				assert.Equal(t, claim.CodeInvalidTransition, errs.CodeOf(err))
			})
		}
	}
}

func TestMove_UnknownStatusIsRefused(t *testing.T) {
	assert.Equal(t, claim.CodeInvalidTransition, errs.CodeOf(claim.Move("draft", claim.StatusApproved)))
	assert.False(t, claim.IsStatus("Approved"))
	assert.True(t, claim.IsStatus(claim.StatusDisbursed))
}
