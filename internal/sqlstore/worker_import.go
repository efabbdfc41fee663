package sqlstore

import (
	"context"
	"database/sql"
	"strings"
	"time"

	"skillrecord/internal/errs"
	"skillrecord/internal/event"
	"skillrecord/internal/identity"
	"skillrecord/internal/worker"
)

// registryAttempts bounds how often a unit of registry work is retried after losing a race
// (a deadlock, a lock wait timeout, or a duplicate key from a concurrent import).
const registryAttempts = 3

// UpdateRegistry implements worker.Store: one transaction that loads the workers of ssns and
// the cards of cardNumbers with two queries, lets fn change them, and writes the changes with
// one multi-row statement per kind of change. It is retried, fn included, when it loses a race
// with a concurrent import.
func (s *WorkerStore) UpdateRegistry(ctx context.Context, ssns []identity.SSN, cardNumbers []string, fn func(*worker.Registry) error) error {
	for attempt := 1; ; attempt++ {
		ids, err := s.registeredIDs(ctx, ssns)
		if err != nil {
			return err
		}
		err = s.db.WithTx(ctx, func(ctx context.Context) error {
			if err := s.lockWorkers(ctx, ids); err != nil {
				return err
			}
			return s.updateRegistry(ctx, ssns, cardNumbers, fn)
		})
		if err == nil || attempt == registryAttempts || ctx.Err() != nil || !lostRace(err) {
			return err
		}
		time.Sleep(time.Duration(attempt) * 20 * time.Millisecond)
	}
}

// lostRace reports whether err is worth retrying the whole transaction for.
func lostRace(err error) bool {
	return IsRetryable(err) || errs.CodeOf(err) == "duplicate_conflict"
}

// lookup holds the blind indexes a unit of work computed for its queries, so that its inserts
// need not compute them again.
type lookup struct {
	ssn  map[identity.SSN][]byte
	card map[string][]byte
}

func (s *WorkerStore) updateRegistry(ctx context.Context, ssns []identity.SSN, cardNumbers []string, fn func(*worker.Registry) error) error {
	lk := lookup{ssn: make(map[identity.SSN][]byte, len(ssns)), card: make(map[string][]byte, len(cardNumbers))}
	for _, ssn := range ssns {
		lk.ssn[ssn] = s.index.Index(workerIndexSSN, string(ssn))
	}
	for _, n := range cardNumbers {
		lk.card[n] = s.index.Index(workerIndexCard, n)
	}
	workerRows, err := s.queryWorkers(ctx, "ssn_index", mapValues(lk.ssn))
	if err != nil {
		return err
	}
	cardRows, err := s.queryCards(ctx, mapValues(lk.card), workerIDs(workerRows))
	if err != nil {
		return err
	}
	workers := make([]worker.Worker, 0, len(workerRows))
	for _, r := range workerRows {
		w, err := s.toWorker(r)
		if err != nil {
			return err
		}
		workers = append(workers, w)
	}
	cards := make([]worker.Card, 0, len(cardRows))
	for _, r := range cardRows {
		c, err := s.toCard(r)
		if err != nil {
			return err
		}
		cards = append(cards, c)
	}
	reg := worker.NewRegistry(workers, cards)
	if err := fn(reg); err != nil {
		return err
	}
	if err := s.writeChanges(ctx, reg.Changes(), lk); err != nil {
		return err
	}
	return event.Emit(ctx, reg.Events()...)
}

func mapValues[K comparable](m map[K][]byte) []any {
	out := make([]any, 0, len(m))
	for _, v := range m {
		out = append(out, v)
	}
	return out
}

// The registry's lookups scan rows by hand: gorm's reflection would cost more than the query on
// a thousand rows.
const (
	workerSelect = "SELECT id, ssn_enc, name_enc, activated_at, created_at, updated_at FROM workers"
	cardSelect   = "SELECT id, worker_id, card_enc, issue_area, status, issued_on, created_at, updated_at FROM worker_cards"
)

// queryWorkers reads the workers whose column is one of values.
func (s *WorkerStore) queryWorkers(ctx context.Context, column string, values []any) ([]workerRow, error) {
	if len(values) == 0 {
		return nil, nil
	}
	rows, err := s.query(ctx, workerSelect+" WHERE "+column+" IN ("+placeholders(len(values))+")", values)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := make([]workerRow, 0, len(values))
	for rows.Next() {
		var r workerRow
		if err := rows.Scan(&r.ID, &r.SSNEnc, &r.NameEnc, &r.ActivatedAt, &r.CreatedAt, &r.UpdatedAt); err != nil {
			return nil, translate(err)
		}
		out = append(out, r)
	}
	return out, translate(rows.Err())
}

// queryCards reads the cards whose blind index is among cardIdx or that belong to one of
// workerIDs, oldest first.
func (s *WorkerStore) queryCards(ctx context.Context, cardIdx []any, workerIDs []string) ([]workerCardRow, error) {
	var (
		where []string
		args  = make([]any, 0, len(cardIdx)+len(workerIDs))
	)
	if len(cardIdx) > 0 {
		where = append(where, "card_index IN ("+placeholders(len(cardIdx))+")")
		args = append(args, cardIdx...)
	}
	if len(workerIDs) > 0 {
		where = append(where, "worker_id IN ("+placeholders(len(workerIDs))+")")
		for _, id := range workerIDs {
			args = append(args, id)
		}
	}
	if len(where) == 0 {
		return nil, nil
	}
	rows, err := s.query(ctx, cardSelect+" WHERE "+strings.Join(where, " OR ")+" ORDER BY created_at, id", args)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []workerCardRow
	for rows.Next() {
		var r workerCardRow
		if err := rows.Scan(&r.ID, &r.WorkerID, &r.CardEnc, &r.IssueArea, &r.Status, &r.IssuedOn, &r.CreatedAt, &r.UpdatedAt); err != nil {
			return nil, translate(err)
		}
		out = append(out, r)
	}
	return out, translate(rows.Err())
}

func workerIDs(rows []workerRow) []string {
	ids := make([]string, len(rows))
	for i, r := range rows {
		ids[i] = r.ID
	}
	return ids
}

func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?,", n), ",")
}

// Columns of the multi-row statements, in the order of the values built below.
var (
	workerColumns = []string{"id", "ssn_index", "ssn_enc", "name_index", "name_enc", "password_hash", "activated_at", "created_at", "updated_at"}
	cardColumns   = []string{"id", "worker_id", "card_index", "card_enc", "issue_area", "status", "issued_on", "created_at", "updated_at"}
)

// writeChanges writes what a unit of registry work changed: new rows with multi-row INSERTs and
// changed rows with one UPDATE … CASE id per table, plain SQL that MySQL, TiDB and SQLite share.
func (s *WorkerStore) writeChanges(ctx context.Context, ch worker.Changes, lk lookup) error {
	if len(ch.NewWorkers) > 0 {
		args := make([]any, 0, len(ch.NewWorkers)*len(workerColumns))
		for _, w := range ch.NewWorkers {
			r, err := s.fromWorker(w, lk.ssn[w.SSN])
			if err != nil {
				return err
			}
			args = append(args, r.ID, r.SSNIndex, r.SSNEnc, r.NameIndex, r.NameEnc, r.PasswordHash, r.ActivatedAt, r.CreatedAt, r.UpdatedAt)
		}
		if err := s.exec(ctx, insertSQL("workers", workerColumns, len(ch.NewWorkers)), args); err != nil {
			return err
		}
	}
	if len(ch.NewCards) > 0 {
		args := make([]any, 0, len(ch.NewCards)*len(cardColumns))
		for _, c := range ch.NewCards {
			r, err := s.fromCard(c, lk.card[c.Number])
			if err != nil {
				return err
			}
			args = append(args, r.ID, r.WorkerID, r.CardIndex, r.CardEnc, r.IssueArea, r.Status, r.IssuedOn, r.CreatedAt, r.UpdatedAt)
		}
		if err := s.exec(ctx, insertSQL("worker_cards", cardColumns, len(ch.NewCards)), args); err != nil {
			return err
		}
	}
	if len(ch.RenamedWorkers) > 0 {
		u := newCaseUpdate("workers", "name_index", "name_enc", "updated_at")
		for _, w := range ch.RenamedWorkers {
			enc, err := s.data.SealString(w.Name, workerAADName)
			if err != nil {
				return errs.Internal(err, "seal workers.name")
			}
			u.add(w.ID, s.index.Index(workerIndexName, w.Name), enc, w.UpdatedAt)
		}
		if err := s.exec(ctx, u.sql(), u.args()); err != nil {
			return err
		}
	}
	if len(ch.UpdatedCards) > 0 {
		u := newCaseUpdate("worker_cards", "issue_area", "status", "issued_on", "updated_at")
		for _, c := range ch.UpdatedCards {
			u.add(c.ID, c.IssueArea, string(c.Status), dateValue(c.IssuedOn), c.UpdatedAt)
		}
		if err := s.exec(ctx, u.sql(), u.args()); err != nil {
			return err
		}
	}
	return nil
}

// exec runs one statement on the transaction (or pool) of ctx, without gorm's statement
// building: the multi-row statements carry thousands of parameters.
func (s *WorkerStore) exec(ctx context.Context, query string, args []any) error {
	_, err := s.db.conn(ctx).Statement.ConnPool.ExecContext(ctx, query, args...)
	return translate(err)
}

// query runs one query on the transaction (or pool) of ctx, without gorm.
func (s *WorkerStore) query(ctx context.Context, query string, args []any) (*sql.Rows, error) {
	rows, err := s.db.conn(ctx).Statement.ConnPool.QueryContext(ctx, query, args...)
	return rows, translate(err)
}

// insertSQL is INSERT INTO table (columns) VALUES (?, …), … for rows rows.
func insertSQL(table string, columns []string, rows int) string {
	var b strings.Builder
	one := "(" + strings.TrimSuffix(strings.Repeat("?,", len(columns)), ",") + ")"
	b.Grow(len(table) + 40 + rows*(len(one)+1))
	b.WriteString("INSERT INTO ")
	b.WriteString(table)
	b.WriteString(" (")
	b.WriteString(strings.Join(columns, ","))
	b.WriteString(") VALUES ")
	for i := range rows {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(one)
	}
	return b.String()
}

// caseUpdate builds UPDATE table SET c1 = CASE id WHEN ? THEN ? … END, … WHERE id IN (…): one
// statement that gives each row its own values.
type caseUpdate struct {
	table   string
	columns []string
	ids     []string
	values  [][]any // per row, one value per column
}

func newCaseUpdate(table string, columns ...string) *caseUpdate {
	return &caseUpdate{table: table, columns: columns}
}

func (u *caseUpdate) add(id string, values ...any) {
	u.ids = append(u.ids, id)
	u.values = append(u.values, values)
}

func (u *caseUpdate) sql() string {
	var b strings.Builder
	b.WriteString("UPDATE ")
	b.WriteString(u.table)
	b.WriteString(" SET ")
	for j, col := range u.columns {
		if j > 0 {
			b.WriteString(", ")
		}
		b.WriteString(col)
		b.WriteString(" = CASE id")
		for range u.ids {
			b.WriteString(" WHEN ? THEN ?")
		}
		b.WriteString(" END")
	}
	b.WriteString(" WHERE id IN (")
	b.WriteString(strings.TrimSuffix(strings.Repeat("?,", len(u.ids)), ","))
	b.WriteString(")")
	return b.String()
}

func (u *caseUpdate) args() []any {
	args := make([]any, 0, len(u.ids)*(2*len(u.columns)+1))
	for j := range u.columns {
		for i, id := range u.ids {
			args = append(args, id, u.values[i][j])
		}
	}
	for _, id := range u.ids {
		args = append(args, id)
	}
	return args
}
