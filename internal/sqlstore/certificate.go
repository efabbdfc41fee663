package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"skillrecord/internal/audit"
	"skillrecord/internal/certificate"
	"skillrecord/internal/civil"
	"skillrecord/internal/errs"
	"skillrecord/internal/keys"
	"skillrecord/internal/pii"
)

// certificateAADName is the sealing place (associated data) of certificates.name_enc.
const certificateAADName = "certificates.name"

// CertificateStore keeps the certificates. The holder is named by worker id; the holder's name
// is sealed with the data keyring (for the masked name of verification answers) and blind
// indexed in the registry's "name" domain (to compare a verifier's name), never stored in
// clear. No SSN is stored.
type CertificateStore struct {
	db    *DB
	data  *pii.Keyring
	index *pii.Indexer
}

var _ certificate.Store = (*CertificateStore)(nil)

// Certificates returns the certificate store on db, protecting the holder's name with m's data
// keyring and blind indexer.
func (db *DB) Certificates(m *keys.Material) *CertificateStore {
	return &CertificateStore{db: db, data: m.Data, index: m.Index}
}

type certificateRow struct {
	CertificateNo  string `gorm:"primaryKey"`
	WorkerID       string
	IssuerOrgID    string
	Type           string
	OccupationCode string
	OccupationName string
	Level          sql.NullInt16
	IssuedOn       time.Time
	ValidUntil     sql.NullTime
	Status         string
	RevokeReason   string
	RevokedAt      sql.NullTime
	NameIndex      []byte
	NameEnc        []byte
	CreatedAt      time.Time
}

func (certificateRow) TableName() string { return "certificates" }

// fromRecord seals a new certificate into a row.
func (s *CertificateStore) fromRecord(r certificate.Record) (certificateRow, error) {
	enc, err := s.data.SealString(r.Name, certificateAADName)
	if err != nil {
		return certificateRow{}, errs.Internal(err, "seal certificates.name")
	}
	row := certificateRow{
		CertificateNo: r.No, WorkerID: r.WorkerID, IssuerOrgID: r.IssuerOrgID, Type: r.Type,
		OccupationCode: r.OccupationCode, OccupationName: r.OccupationName, IssuedOn: r.IssuedOn.Time(),
		Status: r.Status, RevokeReason: r.RevokeReason, NameIndex: s.index.Index(workerIndexName, r.Name),
		NameEnc: enc, CreatedAt: r.CreatedAt.UTC(),
	}
	if r.Level != nil {
		row.Level = sql.NullInt16{Int16: int16(*r.Level), Valid: true} //nolint:gosec // validated to 1–5
	}
	if r.ValidUntil != nil {
		row.ValidUntil = sql.NullTime{Time: r.ValidUntil.Time(), Valid: true}
	}
	if r.RevokedAt != nil {
		row.RevokedAt = sql.NullTime{Time: r.RevokedAt.UTC(), Valid: true}
	}
	return row, nil
}

// toCertificate converts a row without opening the name.
func toCertificate(r certificateRow) certificate.Certificate {
	c := certificate.Certificate{
		No: r.CertificateNo, Type: r.Type, OccupationCode: r.OccupationCode, OccupationName: r.OccupationName,
		IssuedOn: civil.DateOf(r.IssuedOn.UTC()), Status: r.Status, IssuerOrgID: r.IssuerOrgID, RevokeReason: r.RevokeReason,
	}
	if r.Level.Valid {
		level := int(r.Level.Int16)
		c.Level = &level
	}
	if r.ValidUntil.Valid {
		until := civil.DateOf(r.ValidUntil.Time.UTC())
		c.ValidUntil = &until
	}
	if r.RevokedAt.Valid {
		at := r.RevokedAt.Time.UTC()
		c.RevokedAt = &at
	}
	return c
}

// toRecord opens a row.
func (s *CertificateStore) toRecord(r certificateRow) (certificate.Record, error) {
	name, err := s.data.OpenString(r.NameEnc, certificateAADName)
	if err != nil {
		return certificate.Record{}, errs.Internal(err, "open certificates.name of %s", r.CertificateNo)
	}
	c := toCertificate(r)
	c.Name = name
	return certificate.Record{Certificate: c, WorkerID: r.WorkerID, CreatedAt: r.CreatedAt.UTC()}, nil
}

func (s *CertificateStore) toRecords(rows []certificateRow) ([]certificate.Record, error) {
	out := make([]certificate.Record, 0, len(rows))
	for _, r := range rows {
		rec, err := s.toRecord(r)
		if err != nil {
			return nil, err
		}
		out = append(out, rec)
	}
	return out, nil
}

// WithTx runs fn in one transaction, joining the caller's if any (see DB.WithTx, which also
// runs a transaction of its own again after a deadlock or a lock-wait timeout).
func (s *CertificateStore) WithTx(ctx context.Context, fn func(ctx context.Context) error) error {
	return s.db.WithTx(ctx, fn)
}

// Create stores a new certificate: Conflict duplicate_conflict when its number exists.
func (s *CertificateStore) Create(ctx context.Context, r certificate.Record) error {
	row, err := s.fromRecord(r)
	if err != nil {
		return err
	}
	audit.Touch(ctx, r.WorkerID) // the holder, for the audit event committed with the issue
	return translate(s.db.conn(ctx).Create(&row).Error)
}

// Get reads one certificate by its canonical number.
func (s *CertificateStore) Get(ctx context.Context, no string) (certificate.Record, error) {
	return s.get(s.db.conn(ctx), no)
}

// GetForUpdate reads one certificate and locks its row until the transaction ends (SQLite's
// immediate transactions already admit one writer at a time).
func (s *CertificateStore) GetForUpdate(ctx context.Context, no string) (certificate.Record, error) {
	if err := requireCertTx(ctx); err != nil {
		return certificate.Record{}, err
	}
	return s.get(s.forUpdate(s.db.conn(ctx)), no)
}

func (s *CertificateStore) get(q *gorm.DB, no string) (certificate.Record, error) {
	var row certificateRow
	if err := q.Where("certificate_no = ?", no).Take(&row).Error; err != nil {
		return certificate.Record{}, translate(err)
	}
	return s.toRecord(row)
}

// SaveRevocation writes a revocation: status, revoked_at and revoke_reason.
func (s *CertificateStore) SaveRevocation(ctx context.Context, r certificate.Record) error {
	if err := requireCertTx(ctx); err != nil {
		return err
	}
	row, err := s.fromRecord(r)
	if err != nil {
		return err
	}
	audit.Touch(ctx, r.WorkerID) // the holder, for the audit event committed with the revocation
	res := s.db.conn(ctx).Model(&certificateRow{}).Where("certificate_no = ?", r.No).
		Select("status", "revoked_at", "revoke_reason").Updates(&row)
	if res.Error != nil {
		return translate(res.Error)
	}
	if res.RowsAffected != 1 {
		return errs.NotFound("not_found", "no such certificate")
	}
	return nil
}

// HeldInOccupation returns every certificate of the worker in one occupation with a locking
// read, which sees the latest committed rows whatever snapshot the transaction holds; the
// caller holds the worker's ledger lock, so no other change for the worker is under way.
func (s *CertificateStore) HeldInOccupation(ctx context.Context, workerID, occupationCode string) ([]certificate.Certificate, error) {
	if err := requireCertTx(ctx); err != nil {
		return nil, err
	}
	var rows []certificateRow
	err := s.forUpdate(s.db.conn(ctx)).
		Select("certificate_no", "type", "occupation_code", "level", "status", "revoked_at", "issued_on", "valid_until").
		Where("worker_id = ? AND occupation_code = ?", workerID, occupationCode).
		Order("certificate_no").Find(&rows).Error
	if err != nil {
		return nil, translate(err)
	}
	out := make([]certificate.Certificate, len(rows))
	for i, r := range rows {
		out[i] = toCertificate(r)
	}
	return out, nil
}

// forUpdate adds FOR UPDATE to q on MySQL.
func (s *CertificateStore) forUpdate(q *gorm.DB) *gorm.DB {
	if s.db.dialect == MySQL {
		return q.Clauses(clause.Locking{Strength: clause.LockingStrengthUpdate})
	}
	return q
}

// requireCertTx refuses a locking read or a write that belongs in a transaction.
func requireCertTx(ctx context.Context) error {
	if !InTx(ctx) {
		return errs.Internal(errNoCertTx, "certificate write outside a transaction")
	}
	return nil
}

var errNoCertTx = errors.New("certificate store: called outside a transaction (use WithTx)")
