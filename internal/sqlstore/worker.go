package sqlstore

import (
	"context"
	"database/sql"
	"time"

	"skillrecord/internal/auth"
	"skillrecord/internal/errs"
	"skillrecord/internal/identity"
	"skillrecord/internal/keys"
	"skillrecord/internal/pii"
	"skillrecord/internal/worker"
)

// Blind-index domains and sealing places (associated data) of the registry's personal data.
// Other stores that look a worker up by SSN must use the same domain.
const (
	workerIndexSSN  = "ssn"
	workerIndexName = "name"
	workerIndexCard = "card"

	workerAADSSN  = "workers.ssn"
	workerAADName = "workers.name"
	workerAADCard = "worker_cards.card_number"
)

// WorkerStore is the cardholder registry and the worker accounts. It seals the SSN, the name
// and the card number with the data keyring and finds them through the blind index, so that
// none of them is stored in clear.
type WorkerStore struct {
	db    *DB
	data  *pii.Keyring
	index *pii.Indexer
}

var (
	_ worker.Store        = (*WorkerStore)(nil)
	_ auth.WorkerAccounts = (*WorkerStore)(nil)
)

// Workers returns the registry store on db, protecting personal data with m's data keyring
// and blind indexer.
func (db *DB) Workers(m *keys.Material) *WorkerStore {
	return &WorkerStore{db: db, data: m.Data, index: m.Index}
}

type workerRow struct {
	ID           string
	SSNIndex     []byte `gorm:"column:ssn_index"`
	SSNEnc       []byte `gorm:"column:ssn_enc"`
	NameIndex    []byte
	NameEnc      []byte
	PasswordHash sql.NullString
	ActivatedAt  sql.NullTime
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

func (workerRow) TableName() string { return "workers" }

type workerCardRow struct {
	ID        string
	WorkerID  string
	CardIndex []byte
	CardEnc   []byte
	IssueArea string
	Status    string
	IssuedOn  sql.NullTime
	CreatedAt time.Time
	UpdatedAt time.Time
}

func (workerCardRow) TableName() string { return "worker_cards" }

// toWorker opens a worker row.
func (s *WorkerStore) toWorker(r workerRow) (worker.Worker, error) {
	ssn, err := s.data.OpenString(r.SSNEnc, workerAADSSN)
	if err != nil {
		return worker.Worker{}, errs.Internal(err, "open workers.ssn of %s", r.ID)
	}
	name, err := s.data.OpenString(r.NameEnc, workerAADName)
	if err != nil {
		return worker.Worker{}, errs.Internal(err, "open workers.name of %s", r.ID)
	}
	w := worker.Worker{
		ID: r.ID, SSN: identity.SSN(ssn), Name: name,
		CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC(),
	}
	if r.ActivatedAt.Valid {
		w.ActivatedAt = r.ActivatedAt.Time.UTC()
	}
	return w, nil
}

// toCard opens a card row.
func (s *WorkerStore) toCard(r workerCardRow) (worker.Card, error) {
	number, err := s.data.OpenString(r.CardEnc, workerAADCard)
	if err != nil {
		return worker.Card{}, errs.Internal(err, "open worker_cards.card_number of %s", r.ID)
	}
	c := worker.Card{
		ID: r.ID, WorkerID: r.WorkerID, Number: number, IssueArea: r.IssueArea,
		Status: worker.CardStatus(r.Status), CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC(),
	}
	if r.IssuedOn.Valid {
		c.IssuedOn = worker.DateOf(r.IssuedOn.Time.UTC())
	}
	return c, nil
}

// fromWorker seals a new worker into a row. ssnIndex is the SSN's blind index if the caller
// has it already, or nil.
func (s *WorkerStore) fromWorker(w worker.Worker, ssnIndex []byte) (workerRow, error) {
	if ssnIndex == nil {
		ssnIndex = s.index.Index(workerIndexSSN, string(w.SSN))
	}
	ssnEnc, err := s.data.SealString(string(w.SSN), workerAADSSN)
	if err != nil {
		return workerRow{}, errs.Internal(err, "seal workers.ssn")
	}
	nameEnc, err := s.data.SealString(w.Name, workerAADName)
	if err != nil {
		return workerRow{}, errs.Internal(err, "seal workers.name")
	}
	r := workerRow{
		ID: w.ID, SSNIndex: ssnIndex, SSNEnc: ssnEnc,
		NameIndex: s.index.Index(workerIndexName, w.Name), NameEnc: nameEnc,
		CreatedAt: w.CreatedAt, UpdatedAt: w.UpdatedAt,
	}
	if w.Activated() {
		r.ActivatedAt = sql.NullTime{Time: w.ActivatedAt, Valid: true}
	}
	return r, nil
}

// fromCard seals a new card into a row. cardIndex is the number's blind index if the caller has
// it already, or nil.
func (s *WorkerStore) fromCard(c worker.Card, cardIndex []byte) (workerCardRow, error) {
	if cardIndex == nil {
		cardIndex = s.index.Index(workerIndexCard, c.Number)
	}
	enc, err := s.data.SealString(c.Number, workerAADCard)
	if err != nil {
		return workerCardRow{}, errs.Internal(err, "seal worker_cards.card_number")
	}
	return workerCardRow{
		ID: c.ID, WorkerID: c.WorkerID, CardIndex: cardIndex, CardEnc: enc,
		IssueArea: c.IssueArea, Status: string(c.Status), IssuedOn: dateValue(c.IssuedOn),
		CreatedAt: c.CreatedAt, UpdatedAt: c.UpdatedAt,
	}, nil
}

// dateValue is a civil date as a DATE parameter: NULL for the zero date.
func dateValue(d worker.Date) sql.NullTime {
	if d.IsZero() {
		return sql.NullTime{}
	}
	return sql.NullTime{Time: d.Time(), Valid: true}
}

// WorkerBySSN returns the registered worker holding ssn with all their cards, oldest first.
func (s *WorkerStore) WorkerBySSN(ctx context.Context, ssn identity.SSN) (worker.Worker, error) {
	return s.workerWhere(ctx, "ssn_index = ?", s.index.Index(workerIndexSSN, string(ssn)))
}

// workerWhere reads the one worker matching the condition, with all their cards, oldest first.
func (s *WorkerStore) workerWhere(ctx context.Context, cond string, arg any) (worker.Worker, error) {
	var row workerRow
	q := s.db.conn(ctx)
	if err := q.Where(cond, arg).Take(&row).Error; err != nil {
		return worker.Worker{}, translate(err)
	}
	return s.withCards(ctx, row)
}

// withCards converts row and adds the worker's cards, oldest first.
func (s *WorkerStore) withCards(ctx context.Context, row workerRow) (worker.Worker, error) {
	w, err := s.toWorker(row)
	if err != nil {
		return worker.Worker{}, err
	}
	var cards []workerCardRow
	if err := s.db.conn(ctx).Where("worker_id = ?", row.ID).Order("created_at, id").Find(&cards).Error; err != nil {
		return worker.Worker{}, translate(err)
	}
	for _, cr := range cards {
		c, err := s.toCard(cr)
		if err != nil {
			return worker.Worker{}, err
		}
		w.Cards = append(w.Cards, c)
	}
	return w, nil
}

// Activate stores the password hash of a worker who has not activated yet. The condition on
// activated_at makes two concurrent activations end with exactly one winner. It runs in a
// transaction that commits the request's audit event with the activation (see DB.WithTx).
func (s *WorkerStore) Activate(ctx context.Context, id, passwordHash string, at time.Time) error {
	return s.db.WithTx(ctx, func(ctx context.Context) error { return s.activate(ctx, id, passwordHash, at) })
}

func (s *WorkerStore) activate(ctx context.Context, id, passwordHash string, at time.Time) error {
	res := s.db.conn(ctx).Model(&workerRow{}).Where("id = ? AND activated_at IS NULL", id).
		Updates(map[string]any{"password_hash": passwordHash, "activated_at": at, "updated_at": at})
	if res.Error != nil {
		return translate(res.Error)
	}
	if res.RowsAffected == 1 {
		return nil
	}
	var n int64
	if err := s.db.conn(ctx).Model(&workerRow{}).Where("id = ?", id).Count(&n).Error; err != nil {
		return translate(err)
	}
	if n == 0 {
		return errs.NotFound("not_found", "no such worker")
	}
	return errs.Conflict(worker.CodeAlreadyActivated, "this account has already been activated")
}

// WorkerLogin returns the id and password hash of the activated worker holding ssn, or errs
// NotFound when no worker holds it or the worker has not activated.
func (s *WorkerStore) WorkerLogin(ctx context.Context, ssn identity.SSN) (auth.WorkerLogin, error) {
	var row workerRow
	err := s.db.conn(ctx).Select("id", "password_hash").
		Where("ssn_index = ? AND activated_at IS NOT NULL", s.index.Index(workerIndexSSN, string(ssn))).
		Take(&row).Error
	if err != nil {
		return auth.WorkerLogin{}, translate(err)
	}
	return auth.WorkerLogin{WorkerID: row.ID, PasswordHash: row.PasswordHash.String}, nil
}
