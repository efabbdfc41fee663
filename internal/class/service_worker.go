package class

import (
	"context"

	"skillrecord/internal/page"
)

// Mine is one of a worker's classes as the worker sees it: the class and its attendance so
// far.
type Mine struct {
	Class            Class
	SessionsHeld     int     // sessions that have begun
	SessionsAttended int     // of the class's sessions, those the worker checked into
	AttendanceRate   float64 // attended / held, 0–1 (0 before the first session)
}

// ListForWorker returns one page of the classes the worker is on the roster of, newest filing
// first, with attendance so far.
func (s *Service) ListForWorker(ctx context.Context, workerID string, p page.Request) (page.Result[Mine], error) {
	after, err := position(p)
	if err != nil {
		return page.Result[Mine]{}, err
	}
	classes, err := s.Store.WorkerClasses(ctx, workerID, after, p.Limit+1)
	if err != nil {
		return page.Result[Mine]{}, err
	}
	ids := make([]string, len(classes))
	for i, c := range classes {
		ids[i] = c.ID
	}
	attended, err := s.Store.WorkerAttendance(ctx, workerID, ids)
	if err != nil {
		return page.Result[Mine]{}, err
	}
	now := s.now()
	items := make([]Mine, len(classes))
	for i, c := range classes {
		held := c.SessionsHeld(now, s.loc())
		n := attended[c.ID]
		items[i] = Mine{Class: c, SessionsHeld: held, SessionsAttended: n, AttendanceRate: AttendanceRate(n, held)}
	}
	return page.Trim(items, p.Limit, func(m Mine) string { return key(m.Class.CreatedAt, m.Class.ID) }), nil
}
