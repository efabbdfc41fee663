package claim

import (
	"context"

	"skillrecord/internal/civil"
	"skillrecord/internal/class"
)

// Store keeps claims, their lines, notices and objections, and reads the facts the
// eligibility rules need. Its writes join the transaction that WithTx puts in the context.
type Store interface {
	// WithTx runs fn in one transaction carried by ctx (a nested call joins the outer one).
	WithTx(ctx context.Context, fn func(ctx context.Context) error) error
	// LockClass returns the class (roster as worker ids), locking its row until the
	// transaction ends; errs.NotFound when there is none.
	LockClass(ctx context.Context, id string) (class.Class, error)
	// Class returns the class; errs.NotFound when there is none.
	Class(ctx context.Context, id string) (class.Class, error)
	// Members returns the class's roster with each member's registered SSN and name.
	Members(ctx context.Context, classID string) ([]class.Member, error)
	// LockWorkers locks the registry rows of the workers until the transaction ends, in id
	// order, so that two claims naming one worker are drafted one after the other.
	LockWorkers(ctx context.Context, ids []string) error
	// Trainees reads, for each member, the record of the class, a valid certificate of the
	// class's occupation on the date, and an active card. Read after LockWorkers.
	Trainees(ctx context.Context, c class.Class, members []class.Member, on civil.Date) ([]Facts, error)
	// Priors returns the workers' eligible lines in claims that are not rejected, reading the
	// latest committed rows (a locking read). Read after LockWorkers.
	Priors(ctx context.Context, workerIDs []string) ([]Prior, error)
	// CreateClaim inserts a claim with its lines.
	CreateClaim(ctx context.Context, c Claim) error
	// ClaimByClass returns the class's claim with its lines; errs.NotFound when there is none.
	ClaimByClass(ctx context.Context, classID string) (Claim, error)
	// Claim returns one claim with its lines (with SSNs and names) and current notice;
	// errs.NotFound when there is none.
	Claim(ctx context.Context, id string) (Claim, error)
	// LockClaim is Claim, locking the claim row until the transaction ends.
	LockClaim(ctx context.Context, id string) (Claim, error)
	// Claims returns up to limit claims matching f with their lines, newest first, after the
	// position when given.
	Claims(ctx context.Context, f Filter, after *Position, limit int) ([]Claim, error)
	// SaveClaim stores c's status, total, review fields and UpdatedAt, and each line's amount
	// and adjustment reason.
	SaveClaim(ctx context.Context, c Claim) error
	// WorkerSubsidies returns up to limit claim lines in the worker's name, newest first,
	// after the position when given, with their class's course and any payment.
	WorkerSubsidies(ctx context.Context, workerID string, after *Position, limit int) ([]Subsidy, error)
	// LockLines reads and locks the lines of the training record and the line with the id
	// (either may be "").
	LockLines(ctx context.Context, trainingID, lineID string) ([]Line, error)
	// HoldLine marks a line held.
	HoldLine(ctx context.Context, lineID string) error
	NoticeStore
}

// Prior is an eligible line of an earlier claim of a worker.
type Prior struct {
	WorkerID       string
	ClaimID        string
	OccupationCode string
	Level          *int
	EndDate        civil.Date
}

// Count is what a worker's earlier lines say about a new line of the occupation and level
// ending on end: how many fall in end's calendar year, and whether one of the same occupation
// and level falls within the window (years before end; 0 = ever).
func Count(priors []Prior, end civil.Date, occupation string, level *int, windowYears int) (inYear int, same bool) {
	from := civil.Date{}
	if windowYears > 0 {
		from = civil.DateOf(end.Time().AddDate(-windowYears, 0, 0))
	}
	for _, p := range priors {
		if p.EndDate.Y == end.Y {
			inYear++
		}
		if p.OccupationCode == occupation && sameLevel(p.Level, level) && (windowYears == 0 || p.EndDate.After(from)) {
			same = true
		}
	}
	return inYear, same
}

func sameLevel(a, b *int) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return *a == *b
}

// NoticeStore keeps the public notices of approved claims and the objections to them.
type NoticeStore interface {
	// AddNotice stores a new notice.
	AddNotice(ctx context.Context, n Notice) error
	// WithdrawNotice marks a notice withdrawn (its claim went back to review).
	WithdrawNotice(ctx context.Context, id string) error
	// Notice returns one notice with its claim (lines with names), its institution's name and
	// its course; errs.NotFound when there is none.
	Notice(ctx context.Context, id string) (Notice, error)
	// Notices returns up to limit notices that are not withdrawn, newest first, after the
	// position when given, each with its claim, institution name and course.
	Notices(ctx context.Context, after *Position, limit int) ([]Notice, error)
	// AddObjection stores an objection.
	AddObjection(ctx context.Context, o Objection) error
	// LockObjection reads an objection and locks it until the transaction ends.
	LockObjection(ctx context.Context, id string) (Objection, error)
	// SaveObjection stores an objection's status and resolution.
	SaveObjection(ctx context.Context, o Objection) error
	// Objections returns up to limit objections (with contacts) of the status ("" = any),
	// newest first, after the position when given.
	Objections(ctx context.Context, status string, after *Position, limit int) ([]Objection, error)
	// Holding counts the open and upheld objections to the notice.
	Holding(ctx context.Context, noticeID string) (int, error)
}
