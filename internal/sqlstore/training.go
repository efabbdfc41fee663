package sqlstore

import (
	"context"
	"database/sql"
	"slices"
	"time"

	"gorm.io/gorm/clause"

	"skillrecord/internal/credit"
	"skillrecord/internal/training"
)

// TrainingStore keeps the training records (table trainings). A record names its worker by
// the registry's opaque id: no SSN or name is stored with it.
type TrainingStore struct {
	db *DB
}

var _ training.Store = (*TrainingStore)(nil)

// Trainings returns the training record store on db.
func (db *DB) Trainings() *TrainingStore { return &TrainingStore{db: db} }

// trainingBatch is the number of rows per multi-row INSERT and of ids per IN list: a whole
// batch of training.MaxBatch records is one statement.
const trainingBatch = 1000

// groupBits are the trainee groups' bits in trainings.trainee_groups, in the groups' canonical
// order. The values are part of the schema (migrations 00005): never renumber them.
var groupBits = [...]struct {
	name string
	bit  int
}{
	{training.GroupMigrantWorker, 1},
	{training.GroupRuralTransfer, 2},
	{training.GroupVeteran, 4},
	{training.GroupDisabled, 8},
	{training.GroupYouth, 16},
	{training.GroupGraduate, 32},
	{training.GroupUnemployed, 64},
	{training.GroupPovertyAlleviated, 128},
}

// GroupBit is the bit of trainee group g in the trainee_groups column (0 for an unknown
// group), for queries that filter by group: trainee_groups & GroupBit(g) <> 0.
func GroupBit(g string) int {
	for _, b := range groupBits {
		if b.name == g {
			return b.bit
		}
	}
	return 0
}

type trainingRow struct {
	ID                 string
	InstitutionID      string
	ExternalID         string
	WorkerID           string
	CourseName         string
	TrainingType       string
	OccupationCode     string
	OccupationName     string
	Level              *int
	Hours              int
	StartDate          time.Time
	EndDate            time.Time
	Result             string
	Subsidized         bool
	SubsidyAmountCents *int64
	TraineeGroups      int
	Credits            int64
	ClassID            sql.NullString
	AttendanceRate     *float64
	Status             string
	VoidReason         sql.NullString
	VoidedAt           sql.NullTime
	CreatedAt          time.Time
	UpdatedAt          time.Time
}

func (trainingRow) TableName() string { return "trainings" }

func toTrainingRow(t training.Training) trainingRow {
	r := t.Record
	row := trainingRow{
		ID: t.ID, InstitutionID: t.InstitutionID, ExternalID: r.ExternalID, WorkerID: t.WorkerID,
		CourseName: r.CourseName, TrainingType: r.TrainingType, OccupationCode: r.OccupationCode,
		OccupationName: r.OccupationName, Level: r.Level, Hours: r.Hours,
		StartDate: r.StartDate.Time(), EndDate: r.EndDate.Time(), Result: r.Result,
		Subsidized: r.Subsidized, SubsidyAmountCents: r.SubsidyAmountCents,
		Credits: int64(t.Credits), Status: t.Status, CreatedAt: t.CreatedAt, UpdatedAt: t.UpdatedAt,
		ClassID: sql.NullString{String: r.ClassID, Valid: r.ClassID != ""}, AttendanceRate: r.AttendanceRate,
	}
	for _, g := range r.TraineeGroups {
		row.TraineeGroups |= GroupBit(g)
	}
	if t.VoidReason != "" {
		row.VoidReason = sql.NullString{String: t.VoidReason, Valid: true}
	}
	if !t.VoidedAt.IsZero() {
		row.VoidedAt = sql.NullTime{Time: t.VoidedAt, Valid: true}
	}
	return row
}

func fromTrainingRow(row trainingRow) training.Training {
	r := training.Record{
		ExternalID: row.ExternalID, CourseName: row.CourseName, TrainingType: row.TrainingType,
		OccupationCode: row.OccupationCode, OccupationName: row.OccupationName, Level: row.Level,
		Hours: row.Hours, StartDate: training.DateOf(row.StartDate.UTC()), EndDate: training.DateOf(row.EndDate.UTC()),
		Result: row.Result, Subsidized: row.Subsidized, SubsidyAmountCents: row.SubsidyAmountCents,
		ClassID: row.ClassID.String, AttendanceRate: row.AttendanceRate,
	}
	for _, b := range groupBits {
		if row.TraineeGroups&b.bit != 0 {
			r.TraineeGroups = append(r.TraineeGroups, b.name)
		}
	}
	t := training.Training{
		ID: row.ID, InstitutionID: row.InstitutionID, WorkerID: row.WorkerID, Record: r,
		Credits: credit.Tenths(row.Credits), Status: row.Status, VoidReason: row.VoidReason.String,
		CreatedAt: row.CreatedAt.UTC(), UpdatedAt: row.UpdatedAt.UTC(),
	}
	if row.VoidedAt.Valid {
		t.VoidedAt = row.VoidedAt.Time.UTC()
	}
	return t
}

func fromTrainingRows(rows []trainingRow) []training.Training {
	out := make([]training.Training, len(rows))
	for i, r := range rows {
		out[i] = fromTrainingRow(r)
	}
	return out
}

// WithTx runs fn in one transaction (see DB.WithTx, which also runs a transaction of its own
// again after a deadlock or a lock-wait timeout; inside an outer one the error goes to its
// owner), at READ COMMITTED (withReadCommittedTx): the indicator counts' locking read of a
// batch's workers then takes no gap locks, on which batches for different workers deadlocked.
func (s *TrainingStore) WithTx(ctx context.Context, fn func(ctx context.Context) error) error {
	return s.db.withReadCommittedTx(ctx, fn)
}

// InBackground runs fn, statements of ctx's transaction, on another goroutine while the caller
// goes on with work that needs no statement; a statement the caller issues under the returned
// context waits for fn first, and fails with fn's error if fn failed. Call the returned wait
// before the transaction's function returns: it gives fn's error.
func (s *TrainingStore) InBackground(ctx context.Context, fn func(ctx context.Context) error) (context.Context, func() error) {
	return s.db.inBackground(ctx, fn)
}

// trainingColumns are the columns CreateTrainings writes, in the order of its values.
var trainingColumns = []string{"id", "institution_id", "external_id", "worker_id", "course_name", "training_type",
	"occupation_code", "occupation_name", "level", "hours", "start_date", "end_date", "result", "subsidized",
	"subsidy_amount_cents", "trainee_groups", "credits", "class_id", "attendance_rate", "status", "void_reason", "voided_at",
	"created_at", "updated_at"}

// CreateTrainings inserts the records with multi-row INSERTs of up to a thousand rows, in
// order, and adds the active ones to the indicator counts by day (indicator_training_days);
// call it in a transaction. A used (institution, external_id) is errs.Conflict
// duplicate_conflict.
func (s *TrainingStore) CreateTrainings(ctx context.Context, ts []training.Training) error {
	workers, err := s.db.workerEntryDelta(ctx, distinctChange(ts, 1))
	if err != nil {
		return err
	}
	for chunk := range slices.Chunk(ts, trainingBatch) {
		m := s.db.newLiteralInsert("trainings", trainingColumns, len(chunk))
		for _, t := range chunk {
			r := toTrainingRow(t)
			m.row(r.ID, r.InstitutionID, r.ExternalID, r.WorkerID, r.CourseName, r.TrainingType,
				r.OccupationCode, r.OccupationName, nullable(r.Level), r.Hours, r.StartDate, r.EndDate, r.Result, r.Subsidized,
				nullable(r.SubsidyAmountCents), r.TraineeGroups, r.Credits, r.ClassID, nullable(r.AttendanceRate),
				r.Status, r.VoidReason, r.VoidedAt, r.CreatedAt, r.UpdatedAt)
		}
		if _, err := s.db.execRows(ctx, m); err != nil {
			return err
		}
	}
	if err := s.db.addIndicatorDays(ctx, indicatorDelta(ts, 1)); err != nil {
		return err
	}
	return s.db.addTypeDays(ctx, workers)
}

// nullable is *p as a statement value, NULL for nil.
func nullable[T any](p *T) any {
	if p == nil {
		return nil
	}
	return *p
}

// TrainingsByExternalID returns the institution's records among externalIDs, by external id.
func (s *TrainingStore) TrainingsByExternalID(ctx context.Context, institutionID string, externalIDs []string) (map[string]training.Training, error) {
	out := make(map[string]training.Training, len(externalIDs))
	ids := slices.Clone(externalIDs)
	slices.Sort(ids)
	ids = slices.Compact(ids)
	for chunk := range slices.Chunk(ids, trainingBatch) {
		var rows []trainingRow
		err := s.db.conn(ctx).Where("institution_id = ? AND external_id IN ?", institutionID, chunk).Find(&rows).Error
		if err != nil {
			return nil, translate(err)
		}
		for _, r := range rows {
			out[r.ExternalID] = fromTrainingRow(r)
		}
	}
	return out, nil
}

// LockTraining reads one record and locks it until the transaction ends (SELECT … FOR UPDATE
// on MySQL; SQLite's immediate transactions admit one writer at a time).
func (s *TrainingStore) LockTraining(ctx context.Context, id string) (training.Training, error) {
	q := s.db.conn(ctx).Where("id = ?", id)
	if s.db.dialect == MySQL {
		q = q.Clauses(clause.Locking{Strength: clause.LockingStrengthUpdate})
	}
	var row trainingRow
	if err := q.Take(&row).Error; err != nil {
		return training.Training{}, translate(err)
	}
	return fromTrainingRow(row), nil
}

// SaveVoid stores t's status, void reason and times. When that voids an active record, the
// record is taken away from the indicator counts (indicator_training_days and
// indicator_type_days, from the stored record's type, end date, subsidy and groups); call it
// in a transaction.
//
// It locks the worker's credit account first (kept by the transaction, so that the void's
// ledger entry locks without a statement): every write of records takes the accounts, then
// the records, then the indicator counts, and a void that took a day count and then the
// account deadlocked with a batch for the same worker and end date, which takes its earners'
// accounts first (training.Service.store).
func (s *TrainingStore) SaveVoid(ctx context.Context, t training.Training) error {
	if _, err := (&LedgerStore{db: s.db}).lock(ctx, []string{t.WorkerID}); err != nil {
		return err
	}
	var stored trainingRow
	if err := s.db.conn(ctx).Select("id", "worker_id", "training_type", "end_date", "subsidized", "trainee_groups", "status").
		Where("id = ?", t.ID).Take(&stored).Error; err != nil {
		return translate(err)
	}
	// Taking the stored record away and adding it with t's status (active again, should a
	// write ever undo a void) keeps the counts exact whichever way the status moved.
	before := fromTrainingRow(stored)
	after := before
	after.Status = t.Status
	var workers map[entryKey]int64
	if before.Status != after.Status {
		change := distinctChange([]training.Training{before}, -1)
		for k, days := range distinctChange([]training.Training{after}, 1) {
			change[k] = days // a record is active before or after, never both
		}
		var err error
		if workers, err = s.db.workerEntryDelta(ctx, change); err != nil {
			return err
		}
	}
	row := toTrainingRow(t)
	if err := s.db.conn(ctx).Model(&trainingRow{}).Where("id = ?", t.ID).
		Select("status", "void_reason", "voided_at", "updated_at").Updates(&row).Error; err != nil {
		return translate(err)
	}
	if before.Status == after.Status {
		return nil
	}
	delta := indicatorDelta([]training.Training{before}, -1)
	for day, c := range indicatorDelta([]training.Training{after}, 1) {
		d := delta[day]
		d.subsidized += c.subsidized
		d.migrant += c.migrant
		d.entrepreneurship += c.entrepreneurship
		delta[day] = d
	}
	if err := s.db.addIndicatorDays(ctx, delta); err != nil {
		return err
	}
	return s.db.addTypeDays(ctx, workers)
}

// InstitutionTrainings returns up to limit of the institution's records matching f, newest
// posting first, after the position when given.
func (s *TrainingStore) InstitutionTrainings(ctx context.Context, institutionID string, f training.Filter, after *training.Position, limit int) ([]training.Training, error) {
	q := s.db.conn(ctx).Where("institution_id = ?", institutionID)
	if f.Status != "" {
		q = q.Where("status = ?", f.Status)
	}
	if f.ExternalID != "" {
		q = q.Where("external_id = ?", f.ExternalID)
	}
	if after != nil {
		q = q.Where("created_at < ? OR (created_at = ? AND id < ?)", after.At, after.At, after.ID)
	}
	var rows []trainingRow
	if err := q.Order("created_at DESC, id DESC").Limit(limit).Find(&rows).Error; err != nil {
		return nil, translate(err)
	}
	return fromTrainingRows(rows), nil
}

// WorkerTrainings returns up to limit of the worker's records, latest end date first, after
// the position when given.
func (s *TrainingStore) WorkerTrainings(ctx context.Context, workerID string, after *training.Position, limit int) ([]training.Training, error) {
	q := s.db.conn(ctx).Where("worker_id = ?", workerID)
	if after != nil {
		q = q.Where("end_date < ? OR (end_date = ? AND id < ?)", after.At, after.At, after.ID)
	}
	var rows []trainingRow
	if err := q.Order("end_date DESC, id DESC").Limit(limit).Find(&rows).Error; err != nil {
		return nil, translate(err)
	}
	return fromTrainingRows(rows), nil
}

// CountWorkerTrainings counts the worker's active records and the passed ones among them, in
// one query.
func (s *TrainingStore) CountWorkerTrainings(ctx context.Context, workerID string) (training.Counts, error) {
	var got struct {
		Trainings int64
		Passed    sql.NullInt64
	}
	err := s.db.conn(ctx).Model(&trainingRow{}).
		Select("COUNT(*) AS trainings, SUM(CASE WHEN result = ? THEN 1 ELSE 0 END) AS passed", training.ResultPassed).
		Where("worker_id = ? AND status = ?", workerID, training.StatusActive).Take(&got).Error
	if err != nil {
		return training.Counts{}, translate(err)
	}
	return training.Counts{Trainings: int(got.Trainings), Passed: int(got.Passed.Int64)}, nil
}
