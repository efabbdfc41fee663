package sqlstore

import (
	"context"

	"skillrecord/internal/civil"
	"skillrecord/internal/class"
)

// WorkerClasses returns up to limit classes with the worker on their roster, with their
// sessions (rosters left out), newest filing first, after the position when given.
func (s *ClassStore) WorkerClasses(ctx context.Context, workerID string, after *class.Position, limit int) ([]class.Class, error) {
	q := s.db.conn(ctx).Table("classes AS c").Select("c.*").
		Joins("JOIN class_roster AS r ON r.class_id = c.id").Where("r.worker_id = ?", workerID)
	if after != nil {
		q = q.Where("c.created_at < ? OR (c.created_at = ? AND c.id < ?)", after.At, after.At, after.ID)
	}
	var rows []classRow
	if err := q.Order("c.created_at DESC, c.id DESC").Limit(limit).Find(&rows).Error; err != nil {
		return nil, translate(err)
	}
	out := make([]class.Class, len(rows))
	at := make(map[string]int, len(rows))
	ids := make([]string, len(rows))
	for i, r := range rows {
		out[i] = fromClassRow(r)
		at[r.ID], ids[i] = i, r.ID
	}
	if len(ids) == 0 {
		return out, nil
	}
	var sessions []classSessionRow
	if err := s.db.conn(ctx).Where("class_id IN ?", ids).Order("class_id, session_date").Find(&sessions).Error; err != nil {
		return nil, translate(err)
	}
	for _, x := range sessions {
		from, err1 := class.ParseClock(x.StartsAt)
		to, err2 := class.ParseClock(x.EndsAt)
		if err1 != nil || err2 != nil {
			return nil, translate(err1)
		}
		c := &out[at[x.ClassID]]
		c.Sessions = append(c.Sessions, class.Session{Date: civil.DateOf(x.SessionDate.UTC()), StartsAt: from, EndsAt: to})
	}
	return out, nil
}

// WorkerAttendance counts, for each of the classes, the sessions the worker checked into.
func (s *ClassStore) WorkerAttendance(ctx context.Context, workerID string, classIDs []string) (map[string]int, error) {
	out := make(map[string]int, len(classIDs))
	if len(classIDs) == 0 {
		return out, nil
	}
	var rows []struct {
		ClassID  string
		Sessions int
	}
	err := s.db.conn(ctx).Table("class_checkins").
		Select("class_id, COUNT(DISTINCT session_date) AS sessions").
		Where("worker_id = ? AND class_id IN ?", workerID, classIDs).Group("class_id").Find(&rows).Error
	if err != nil {
		return nil, translate(err)
	}
	for _, r := range rows {
		out[r.ClassID] = r.Sessions
	}
	return out, nil
}
