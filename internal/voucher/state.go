package voucher

import (
	"slices"

	"skillrecord/internal/civil"
	"skillrecord/internal/errs"
)

// States of a voucher. A general voucher is claimed → used → settled; a directed one is
// issued → used → settled; an unused one may become expired or cancelled.
const (
	StateIssued    = "issued"    // directed: issued to a roster member, not yet accepted
	StateClaimed   = "claimed"   // general: claimed by the worker, not yet used
	StateUsed      = "used"      // bound to a class
	StateSettled   = "settled"   // its claim line was paid
	StateExpired   = "expired"   // not used by its expires_on
	StateCancelled = "cancelled" // withdrawn (an upheld dispute of its line)
)

// transitions is the state machine of a voucher: from each state, the states it may move to.
var transitions = map[string][]string{
	StateIssued:  {StateClaimed, StateUsed, StateExpired, StateCancelled},
	StateClaimed: {StateUsed, StateExpired, StateCancelled},
	StateUsed:    {StateSettled, StateCancelled},
	StateSettled: {StateCancelled}, // an upheld dispute of its paid line (the reversal is owed in the ledger)
}

var stateList = [...]string{StateIssued, StateClaimed, StateUsed, StateSettled, StateExpired, StateCancelled}

// States returns every voucher state in its canonical order (a fresh slice).
func States() []string { return append([]string(nil), stateList[:]...) }

// CanMove reports whether a voucher in state from may move to state to.
func CanMove(from, to string) bool { return slices.Contains(transitions[from], to) }

// Move checks the transition from → to: nil when the table allows it, else errs.Conflict
// invalid_transition.
func Move(from, to string) error {
	if CanMove(from, to) {
		return nil
	}
	return errs.Conflict(CodeInvalidTransition, "a voucher that is %s cannot become %s", from, to)
}

// Unused reports whether a voucher in the state may still be used.
func Unused(state string) bool { return state == StateIssued || state == StateClaimed }

// Effective is the state as of today: an unused voucher past its last valid day is expired.
func Effective(state string, expiresOn, today civil.Date) string {
	if Unused(state) && today.After(expiresOn) {
		return StateExpired
	}
	return state
}
