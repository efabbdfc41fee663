package class

import "skillrecord/internal/errs"

// Statuses of a class.
const (
	StatusFiled     = "filed"     // 已备案: filed by the institution, waiting for the bureau's review
	StatusApproved  = "approved"  // 已审核: the bureau approved it; attendance is recorded
	StatusRejected  = "rejected"  // 已驳回: the bureau refused it (final)
	StatusCompleted = "completed" // 已结业: its completion produced the training records (final)
	StatusCancelled = "cancelled" // 已撤销: the institution withdrew it before it started (final)
)

// transitions is the state machine of a class: from each status, the statuses it may move to.
// A status that is not a key, or a target that is not listed, is refused with
// invalid_transition.
var transitions = map[string][]string{
	StatusFiled:    {StatusApproved, StatusRejected, StatusCancelled},
	StatusApproved: {StatusCompleted, StatusCancelled},
}

// statusList is every status in its canonical order.
var statusList = [...]string{StatusFiled, StatusApproved, StatusRejected, StatusCompleted, StatusCancelled}

// Statuses returns every class status in its canonical order (a fresh slice).
func Statuses() []string { return append([]string(nil), statusList[:]...) }

// IsStatus reports whether s is a class status, spelled exactly.
func IsStatus(s string) bool {
	for _, v := range statusList {
		if v == s {
			return true
		}
	}
	return false
}

// CanMove reports whether a class in status from may move to status to.
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
	return errs.Conflict(CodeInvalidTransition, "a class that is %s cannot become %s", from, to)
}
