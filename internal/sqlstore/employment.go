package sqlstore

import (
	"context"
	"database/sql"
	"time"

	"skillrecord/internal/civil"
	"skillrecord/internal/employment"
)

// EmploymentStore keeps employment spells (employment_spells) and reads what the employment
// follow-up needs.
type EmploymentStore struct {
	db *DB
}

var (
	_ employment.Store           = (*EmploymentStore)(nil)
	_ employment.EvaluationStore = (*EmploymentStore)(nil)
)

// Employment returns the employment store on db.
func (db *DB) Employment() *EmploymentStore { return &EmploymentStore{db: db} }

// WithTx runs fn in one transaction (see DB.WithTx).
func (s *EmploymentStore) WithTx(ctx context.Context, fn func(ctx context.Context) error) error {
	return s.db.WithTx(ctx, fn)
}

var spellColumns = []string{"id", "source_id", "worker_id", "kind", "employer_credit_code", "start_date", "end_date", "created_at", "updated_at"}

const spellSelect = "SELECT id, source_id, worker_id, kind, employer_credit_code, start_date, end_date, created_at, updated_at FROM employment_spells "

// SpellsBySource returns the stored spells among sourceIDs, by source id, a thousand ids a query.
func (s *EmploymentStore) SpellsBySource(ctx context.Context, sourceIDs []string) (map[string]employment.Spell, error) {
	out := make(map[string]employment.Spell, len(sourceIDs))
	for start := 0; start < len(sourceIDs); start += 1000 {
		chunk := sourceIDs[start:min(start+1000, len(sourceIDs))]
		spells, err := s.query(ctx, spellSelect+"WHERE source_id IN ("+placeholders(len(chunk))+")", spellArgs(chunk)...)
		if err != nil {
			return nil, err
		}
		for _, sp := range spells {
			out[sp.SourceID] = sp
		}
	}
	return out, nil
}

// CreateSpells inserts the spells with one multi-row statement.
func (s *EmploymentStore) CreateSpells(ctx context.Context, spells []employment.Spell) error {
	args := make([]any, 0, len(spells)*len(spellColumns))
	for _, sp := range spells {
		args = append(args, sp.ID, sp.SourceID, sp.WorkerID, sp.Kind, sp.EmployerCode, sp.Start.Time(), endValue(sp.End),
			sp.CreatedAt.UTC(), sp.UpdatedAt.UTC())
	}
	_, err := s.db.conn(ctx).Statement.ConnPool.ExecContext(ctx, insertSQL("employment_spells", spellColumns, len(spells)), args...)
	return translate(err)
}

// UpdateSpells stores the changed fields of existing spells with one UPDATE … CASE id.
func (s *EmploymentStore) UpdateSpells(ctx context.Context, spells []employment.Spell) error {
	u := newCaseUpdate("employment_spells", "worker_id", "kind", "employer_credit_code", "start_date", "end_date", "updated_at")
	for _, sp := range spells {
		u.add(sp.ID, sp.WorkerID, sp.Kind, sp.EmployerCode, sp.Start.Time(), endValue(sp.End), sp.UpdatedAt.UTC())
	}
	_, err := s.db.conn(ctx).Statement.ConnPool.ExecContext(ctx, u.sql(), u.args()...)
	return translate(err)
}

// SpellsOf returns the spells of the workers, by worker id, a thousand workers a query.
func (s *EmploymentStore) SpellsOf(ctx context.Context, workerIDs []string) (map[string][]employment.Spell, error) {
	out := make(map[string][]employment.Spell, len(workerIDs))
	for start := 0; start < len(workerIDs); start += 1000 {
		chunk := workerIDs[start:min(start+1000, len(workerIDs))]
		spells, err := s.query(ctx, spellSelect+"WHERE worker_id IN ("+placeholders(len(chunk))+")", spellArgs(chunk)...)
		if err != nil {
			return nil, err
		}
		for _, sp := range spells {
			out[sp.WorkerID] = append(out[sp.WorkerID], sp)
		}
	}
	return out, nil
}

// EndedTrainings returns the trainees of the active training records that ended in [from, to],
// by institution and class (the class whose completion created the record, if any), and the
// institutions' names and the classes' course names.
func (s *EmploymentStore) EndedTrainings(ctx context.Context, from, to civil.Date) ([]employment.Trainee, employment.Names, error) {
	names := employment.Names{Institutions: map[string]string{}, Courses: map[string]string{}}
	rows, err := s.db.conn(ctx).Statement.ConnPool.QueryContext(ctx,
		"SELECT t.institution_id, COALESCE(o.name, ''), COALESCE(t.class_id, ''), COALESCE(c.course_name, ''), "+
			"t.worker_id, t.training_type, t.start_date, t.end_date "+
			"FROM trainings t LEFT JOIN organizations o ON o.id = t.institution_id LEFT JOIN classes c ON c.id = t.class_id "+
			"WHERE t.status = 'active' AND t.end_date >= ? AND t.end_date <= ?", from.Time(), to.Time())
	if err != nil {
		return nil, names, translate(err)
	}
	defer rows.Close()
	var out []employment.Trainee
	for rows.Next() {
		var (
			t            employment.Trainee
			name, course string
			start, end   time.Time
		)
		if err := rows.Scan(&t.Group.InstitutionID, &name, &t.Group.ClassID, &course, &t.WorkerID, &t.TrainingType, &start, &end); err != nil {
			return nil, names, translate(err)
		}
		t.Start, t.End = civil.DateOf(start.UTC()), civil.DateOf(end.UTC())
		names.Institutions[t.Group.InstitutionID] = name
		if t.Group.ClassID != "" {
			names.Courses[t.Group.ClassID] = course
		}
		out = append(out, t)
	}
	return out, names, translate(rows.Err())
}

func (s *EmploymentStore) query(ctx context.Context, q string, args ...any) ([]employment.Spell, error) {
	rows, err := s.db.conn(ctx).Statement.ConnPool.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, translate(err)
	}
	defer rows.Close()
	var out []employment.Spell
	for rows.Next() {
		var (
			sp    employment.Spell
			start time.Time
			end   sql.NullTime
		)
		if err := rows.Scan(&sp.ID, &sp.SourceID, &sp.WorkerID, &sp.Kind, &sp.EmployerCode, &start, &end, &sp.CreatedAt, &sp.UpdatedAt); err != nil {
			return nil, translate(err)
		}
		sp.Start = civil.DateOf(start.UTC())
		if end.Valid {
			d := civil.DateOf(end.Time.UTC())
			sp.End = &d
		}
		sp.CreatedAt, sp.UpdatedAt = sp.CreatedAt.UTC(), sp.UpdatedAt.UTC()
		out = append(out, sp)
	}
	return out, translate(rows.Err())
}

func endValue(d *civil.Date) sql.NullTime {
	if d == nil {
		return sql.NullTime{}
	}
	return sql.NullTime{Time: d.Time(), Valid: true}
}

func spellArgs(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}
