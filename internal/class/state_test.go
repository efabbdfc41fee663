package class_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"

	"skillrecord/internal/class"
	"skillrecord/internal/errs"
)

// TestMove_AllowsExactlyTheTableRows walks every pair of statuses: the five transitions of the
// issue are allowed, every other pair (staying put included) is 409 invalid_transition.
func TestMove_AllowsExactlyTheTableRows(t *testing.T) {
	allowed := map[string]bool{
		"filed→approved":     true,
		"filed→rejected":     true,
		"filed→cancelled":    true,
		"approved→completed": true,
		"approved→cancelled": true,
	}
	for _, from := range class.Statuses() {
		for _, to := range class.Statuses() {
			row := fmt.Sprintf("%s→%s", from, to)
			t.Run(row, func(t *testing.T) {
				err := class.Move(from, to)
				if allowed[row] {
					assert.NoError(t, err)
					assert.True(t, class.CanMove(from, to))
					return
				}
				assert.False(t, class.CanMove(from, to))
				assert.Equal(t, errs.KindConflict, errs.KindOf(err))
				assert.Equal(t, class.CodeInvalidTransition, errs.CodeOf(err))
			})
		}
	}
}

func TestMove_UnknownStatusIsRefused(t *testing.T) {
	assert.Equal(t, class.CodeInvalidTransition, errs.CodeOf(class.Move("draft", class.StatusApproved)))
	assert.Equal(t, class.CodeInvalidTransition, errs.CodeOf(class.Move(class.StatusFiled, "draft")))
	assert.False(t, class.IsStatus("Filed"))
	assert.True(t, class.IsStatus(class.StatusCompleted))
}
