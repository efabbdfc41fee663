package claim

import "skillrecord/internal/errs"

// Statuses of a claim.
const (
	StatusSubmitted = "submitted" // 已提交: drafted, waiting for the bureau's review
	StatusApproved  = "approved"  // 已审核: approved; its public notice runs, then it may be paid
	StatusRejected  = "rejected"  // 已驳回: refused by the bureau (final)
	StatusDisbursed = "disbursed" // 已拨付: paid (final)
)

// transitions is the state machine of a claim: from each status, the statuses it may move to.
// An upheld objection sends an approved claim back to submitted for a new review.
var transitions = map[string][]string{
	StatusSubmitted: {StatusApproved, StatusRejected},
	StatusApproved:  {StatusSubmitted, StatusDisbursed},
}

var statusList = [...]string{StatusSubmitted, StatusApproved, StatusRejected, StatusDisbursed}

// Statuses returns every claim status in its canonical order (a fresh slice).
func Statuses() []string { return append([]string(nil), statusList[:]...) }

// IsStatus reports whether s is a claim status, spelled exactly.
func IsStatus(s string) bool {
	for _, v := range statusList {
		if v == s {
			return true
		}
	}
	return false
}

// CanMove reports whether a claim in status from may move to status to.
func CanMove(from, to string) bool {
	for _, t := range transitions[from] {
		if t == to {
			return true
		}
	}
	return false
}

// Move checks the transition from → to: nil when the table allows it, else errs.Conflict
// invalid_transition.
func Move(from, to string) error {
	if CanMove(from, to) {
		return nil
	}
	return errs.Conflict(CodeInvalidTransition, "a claim that is %s cannot become %s", from, to)
}
