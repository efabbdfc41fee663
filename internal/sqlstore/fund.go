package sqlstore

import (
	"context"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"skillrecord/internal/claim"
	"skillrecord/internal/errs"
	"skillrecord/internal/fund"
)

// FundStore keeps the budgets (fund_budgets), the funds ledger (fund_entries, with its head
// row fund_ledger_head) and the disbursements of claims (fund_disbursements,
// fund_disbursed_lines).
type FundStore struct{ db *DB }

var (
	_ fund.Store  = (*FundStore)(nil)
	_ claim.Funds = (*FundStore)(nil)
)

// Funds returns the fund store on db.
func (db *DB) Funds() *FundStore { return &FundStore{db: db} }

type budgetRow struct {
	Source         string
	Year           int
	BudgetCents    int64
	DisbursedCents int64
	UpdatedAt      time.Time
}

func (budgetRow) TableName() string { return "fund_budgets" }

type fundEntryRow struct {
	Seq         int64 `gorm:"primaryKey;autoIncrement:false"`
	Source      string
	Year        int
	Kind        string
	AmountCents int64
	ClaimID     string
	LineID      string
	Reference   string
	Payee       string
	CreatedAt   time.Time
	PrevHash    []byte
	Hash        []byte
}

func (fundEntryRow) TableName() string { return "fund_entries" }

type ledgerHeadRow struct {
	ID   int
	Seq  int64
	Hash []byte
}

func (ledgerHeadRow) TableName() string { return "fund_ledger_head" }

type disbursementRow struct {
	ID          string
	Reference   string
	ClaimID     string
	Source      string
	Year        int
	Payee       string
	AmountCents int64
	EntrySeq    int64
	CreatedAt   time.Time
}

func (disbursementRow) TableName() string { return "fund_disbursements" }

type disbursedLineRow struct {
	LineID         string
	DisbursementID string
	ClaimID        string
	AmountCents    int64
}

func (disbursedLineRow) TableName() string { return "fund_disbursed_lines" }

func fromFundEntryRow(r fundEntryRow) fund.Entry {
	return fund.Entry{Seq: r.Seq, Source: r.Source, Year: r.Year, Kind: r.Kind, Amount: fund.Cents(r.AmountCents),
		ClaimID: r.ClaimID, LineID: r.LineID, Reference: r.Reference, Payee: r.Payee, CreatedAt: r.CreatedAt.UTC(),
		PrevHash: nilIfEmpty(r.PrevHash), Hash: r.Hash}
}

// WithTx runs fn in one transaction, run again after a deadlock or lock-wait timeout when it
// is a transaction of its own.
func (s *FundStore) WithTx(ctx context.Context, fn func(ctx context.Context) error) error {
	return s.db.Trainings().WithTx(ctx, fn)
}

func (s *FundStore) locking(ctx context.Context) *gorm.DB {
	q := s.db.conn(ctx)
	if s.db.dialect == MySQL {
		q = q.Clauses(clause.Locking{Strength: clause.LockingStrengthUpdate})
	}
	return q
}

// LockBudget reads the budget row, creating a zero one first when there is none, and locks it.
func (s *FundStore) LockBudget(ctx context.Context, source string, year int) (fund.Budget, error) {
	if err := requireTx(ctx); err != nil {
		return fund.Budget{}, err
	}
	zero := budgetRow{Source: source, Year: year, UpdatedAt: time.Now().UTC()}
	if err := s.db.conn(ctx).Clauses(clause.OnConflict{DoNothing: true}).Create(&zero).Error; err != nil {
		return fund.Budget{}, translate(err)
	}
	var row budgetRow
	if err := s.locking(ctx).Where("source = ? AND year = ?", source, year).Take(&row).Error; err != nil {
		return fund.Budget{}, translate(err)
	}
	return fund.Budget{Source: row.Source, Year: row.Year, BudgetCents: fund.Cents(row.BudgetCents),
		DisbursedCents: fund.Cents(row.DisbursedCents)}, nil
}

// SaveBudget stores the budget's amount and payments.
func (s *FundStore) SaveBudget(ctx context.Context, b fund.Budget, at time.Time) error {
	return translate(s.db.conn(ctx).Model(&budgetRow{}).Where("source = ? AND year = ?", b.Source, b.Year).Updates(map[string]any{
		"budget_cents": int64(b.BudgetCents), "disbursed_cents": int64(b.DisbursedCents), "updated_at": at,
	}).Error)
}

// Append locks the ledger's head row, chains e after it, stores e and moves the head.
func (s *FundStore) Append(ctx context.Context, e fund.Entry) (fund.Entry, error) {
	if err := requireTx(ctx); err != nil {
		return fund.Entry{}, err
	}
	var head ledgerHeadRow
	if err := s.locking(ctx).Where("id = ?", 1).Take(&head).Error; err != nil {
		return fund.Entry{}, translate(err)
	}
	e = fund.Chain(head.Seq, nilIfEmpty(head.Hash), e)
	row := fundEntryRow{Seq: e.Seq, Source: e.Source, Year: e.Year, Kind: e.Kind, AmountCents: int64(e.Amount),
		ClaimID: e.ClaimID, LineID: e.LineID, Reference: e.Reference, Payee: e.Payee, CreatedAt: e.CreatedAt,
		PrevHash: e.PrevHash, Hash: e.Hash}
	if err := s.db.conn(ctx).Create(&row).Error; err != nil {
		return fund.Entry{}, translate(err)
	}
	err := s.db.conn(ctx).Model(&ledgerHeadRow{}).Where("id = ?", 1).Updates(map[string]any{"seq": e.Seq, "hash": e.Hash}).Error
	return e, translate(err)
}

// Budgets returns the budgets set for the year.
func (s *FundStore) Budgets(ctx context.Context, year int) ([]fund.Budget, error) {
	var rows []budgetRow
	if err := s.db.conn(ctx).Where("year = ?", year).Find(&rows).Error; err != nil {
		return nil, translate(err)
	}
	out := make([]fund.Budget, len(rows))
	for i, r := range rows {
		out[i] = fund.Budget{Source: r.Source, Year: r.Year, BudgetCents: fund.Cents(r.BudgetCents), DisbursedCents: fund.Cents(r.DisbursedCents)}
	}
	return out, nil
}

// Entries returns entries of the source and year ("" and 0 = any), newest first.
func (s *FundStore) Entries(ctx context.Context, source string, year int, beforeSeq int64, limit int) ([]fund.Entry, error) {
	q := s.db.conn(ctx).Model(&fundEntryRow{})
	if source != "" {
		q = q.Where("source = ?", source)
	}
	if year != 0 {
		q = q.Where("year = ?", year)
	}
	if beforeSeq > 0 {
		q = q.Where("seq < ?", beforeSeq)
	}
	var rows []fundEntryRow
	if err := q.Order("seq DESC").Limit(limit).Find(&rows).Error; err != nil {
		return nil, translate(err)
	}
	out := make([]fund.Entry, len(rows))
	for i, r := range rows {
		out[i] = fromFundEntryRow(r)
	}
	return out, nil
}

// AllEntries returns the whole ledger in Seq order.
func (s *FundStore) AllEntries(ctx context.Context) ([]fund.Entry, error) {
	var rows []fundEntryRow
	if err := s.db.conn(ctx).Order("seq").Find(&rows).Error; err != nil {
		return nil, translate(err)
	}
	out := make([]fund.Entry, len(rows))
	for i, r := range rows {
		out[i] = fromFundEntryRow(r)
	}
	return out, nil
}

// DisbursementByReference returns the disbursement made under the reference, with its lines.
func (s *FundStore) DisbursementByReference(ctx context.Context, reference string) (claim.Disbursement, error) {
	var row disbursementRow
	if err := s.db.conn(ctx).Where("reference = ?", reference).Take(&row).Error; err != nil {
		return claim.Disbursement{}, translate(err)
	}
	var lines []disbursedLineRow
	if err := s.db.conn(ctx).Where("disbursement_id = ?", row.ID).Order("line_id").Find(&lines).Error; err != nil {
		return claim.Disbursement{}, translate(err)
	}
	d := claim.Disbursement{ID: row.ID, Reference: row.Reference, ClaimID: row.ClaimID, Source: row.Source, Year: row.Year,
		Payee: row.Payee, AmountCents: claim.Cents(row.AmountCents), EntrySeq: row.EntrySeq, CreatedAt: row.CreatedAt.UTC()}
	for _, l := range lines {
		d.Lines = append(d.Lines, claim.PaidLine{LineID: l.LineID, AmountCents: claim.Cents(l.AmountCents)})
	}
	return d, nil
}

// AddDisbursement stores the disbursement and the lines it paid.
func (s *FundStore) AddDisbursement(ctx context.Context, d claim.Disbursement) error {
	row := disbursementRow{ID: d.ID, Reference: d.Reference, ClaimID: d.ClaimID, Source: d.Source, Year: d.Year,
		Payee: d.Payee, AmountCents: int64(d.AmountCents), EntrySeq: d.EntrySeq, CreatedAt: d.CreatedAt}
	if err := s.db.conn(ctx).Create(&row).Error; err != nil {
		return translate(err)
	}
	if len(d.Lines) == 0 {
		return nil
	}
	lines := make([]disbursedLineRow, len(d.Lines))
	for i, l := range d.Lines {
		lines[i] = disbursedLineRow{LineID: l.LineID, DisbursementID: d.ID, ClaimID: d.ClaimID, AmountCents: int64(l.AmountCents)}
	}
	if err := s.db.conn(ctx).Create(&lines).Error; err != nil {
		if errs.KindOf(translate(err)) == errs.KindConflict {
			return errs.Conflict(fund.CodeAlreadyDisbursed, "a line was paid before")
		}
		return translate(err)
	}
	return nil
}

// PaidLines returns which of the lines were paid before.
func (s *FundStore) PaidLines(ctx context.Context, lineIDs []string) ([]string, error) {
	if len(lineIDs) == 0 {
		return nil, nil
	}
	var out []string
	err := s.db.conn(ctx).Model(&disbursedLineRow{}).Where("line_id IN ?", lineIDs).Pluck("line_id", &out).Error
	return out, translate(err)
}

// Payment returns how the line was paid, and false when it was not.
func (s *FundStore) Payment(ctx context.Context, lineID string) (claim.Payment, bool, error) {
	var rows []struct {
		Source      string
		Year        int
		AmountCents int64
	}
	err := s.db.conn(ctx).Table("fund_disbursed_lines AS dl").Select("d.source", "d.year", "dl.amount_cents").
		Joins("JOIN fund_disbursements AS d ON d.id = dl.disbursement_id").Where("dl.line_id = ?", lineID).Scan(&rows).Error
	if err != nil || len(rows) == 0 {
		return claim.Payment{}, false, translate(err)
	}
	return claim.Payment{Source: rows[0].Source, Year: rows[0].Year, AmountCents: claim.Cents(rows[0].AmountCents)}, true, nil
}

// Disbursed sums the disbursement entries made in [from, to), per source.
func (s *FundStore) Disbursed(ctx context.Context, from, to time.Time) ([]fund.Disbursed, error) {
	var rows []struct {
		Source string
		N      int64
		Cents  int64
	}
	err := s.db.conn(ctx).Model(&fundEntryRow{}).Select("source, COUNT(*) AS n, COALESCE(SUM(amount_cents), 0) AS cents").
		Where("kind = ? AND created_at >= ? AND created_at < ?", fund.KindDisbursement, from, to).Group("source").Scan(&rows).Error
	if err != nil {
		return nil, translate(err)
	}
	out := make([]fund.Disbursed, len(rows))
	for i, r := range rows {
		out[i] = fund.Disbursed{Source: r.Source, Disbursements: r.N, AmountCents: fund.Cents(r.Cents)}
	}
	return out, nil
}
