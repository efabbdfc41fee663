package employment

import (
	"context"
	"iter"
	"slices"
	"time"

	"github.com/google/uuid"

	"skillrecord/internal/audit"
	"skillrecord/internal/errs"
	"skillrecord/internal/identity"
	"skillrecord/internal/worker"
)

// Store keeps spells. Its writes join the transaction WithTx puts in the context.
type Store interface {
	WithTx(ctx context.Context, fn func(ctx context.Context) error) error
	// SpellsBySource returns the stored spells among sourceIDs, by source id.
	SpellsBySource(ctx context.Context, sourceIDs []string) (map[string]Spell, error)
	// CreateSpells inserts new spells; a source id stored already is errs Conflict
	// duplicate_conflict (a concurrent import won the race).
	CreateSpells(ctx context.Context, spells []Spell) error
	// UpdateSpells stores the kind, employer, dates and update time of existing spells (by ID).
	UpdateSpells(ctx context.Context, spells []Spell) error
}

// Service imports employment data.
type Service struct {
	Store     Store
	Directory worker.Directory // the cardholder registry, for the real-name check
	Now       func() time.Time
}

// MaxImportRows is the most rows one import may carry; ChunkSize how many are written in one
// transaction.
const (
	MaxImportRows = 100_000
	ChunkSize     = 1000
)

// RowError is a refused row: its 0-based index among the data rows, the field and a code.
type RowError = worker.RowError

// Result counts an import's rows: Imported rows stored a new source_id, Updated rows were
// applied to a source_id stored before (changed or not: importing a file again counts every
// row as Updated and changes nothing), and each refused row has one RowError per bad field.
type Result struct {
	Imported int
	Updated  int
	Errors   []RowError
}

type pendingRow struct {
	index int
	p     parsed
}

// Import stores the valid rows, ChunkSize at a time, each chunk in one transaction, and reports
// each invalid one: its field errors, unknown_cardholder (field ssn) or name_mismatch (field
// name) from the real-name check, duplicate_in_import (field source_id) for a source_id
// repeated in the document. The document is read whole first: a malformed one (or one over
// MaxImportRows rows) is refused before anything is written.
func (s *Service) Import(ctx context.Context, rows iter.Seq2[ImportRow, error]) (Result, error) {
	now := s.Now()
	res := Result{Errors: []RowError{}}
	var pending []pendingRow
	seen := map[string]bool{}
	n := 0
	for row, err := range rows {
		if err != nil {
			return Result{}, err
		}
		if n == MaxImportRows {
			return Result{}, errs.Invalid(worker.CodeImportTooLarge, "an import may hold at most %d rows; split the file", MaxImportRows)
		}
		p, bad := row.parse(now)
		switch {
		case bad != nil:
			for _, fe := range bad {
				res.Errors = append(res.Errors, RowError{Index: n, Field: fe.Field, Code: fe.Code})
			}
		case seen[p.spell.SourceID]:
			res.Errors = append(res.Errors, RowError{Index: n, Field: FieldSourceID, Code: CodeDuplicateInFile})
		default:
			seen[p.spell.SourceID] = true
			pending = append(pending, pendingRow{index: n, p: p})
		}
		n++
	}
	stamp := now.UTC().Truncate(time.Microsecond)
	for chunk := range slices.Chunk(pending, ChunkSize) {
		imported, updated, rowErrs, err := s.chunk(ctx, chunk, stamp)
		if err != nil {
			return Result{}, err
		}
		res.Imported += imported
		res.Updated += updated
		res.Errors = append(res.Errors, rowErrs...)
	}
	slices.SortStableFunc(res.Errors, func(a, b RowError) int { return a.Index - b.Index })
	return res, nil
}

// chunk checks the real names of a chunk with one registry lookup and writes its spells in one
// transaction, retried once when a concurrent import stored one of its source ids first.
func (s *Service) chunk(ctx context.Context, chunk []pendingRow, now time.Time) (int, int, []RowError, error) {
	ssns := make([]identity.SSN, len(chunk))
	for i, r := range chunk {
		ssns[i] = r.p.ssn
	}
	known, err := s.Directory.Identify(ctx, ssns)
	if err != nil {
		return 0, 0, nil, err
	}
	var (
		rowErrs []RowError
		spells  []Spell
	)
	for _, r := range chunk {
		workerID, code := worker.CheckRealName(s.Directory, known, r.p.ssn, r.p.name)
		switch code {
		case "":
			sp := r.p.spell
			sp.WorkerID = workerID
			spells = append(spells, sp)
		case worker.CodeUnknownCardholder:
			rowErrs = append(rowErrs, RowError{Index: r.index, Field: FieldSSN, Code: code})
		default:
			rowErrs = append(rowErrs, RowError{Index: r.index, Field: FieldName, Code: code})
		}
	}
	if len(spells) == 0 {
		return 0, 0, rowErrs, nil
	}
	for attempt := 1; ; attempt++ {
		imported, updated, err := s.write(ctx, spells, now)
		if err != nil && errs.CodeOf(err) == "duplicate_conflict" && attempt < 3 {
			continue
		}
		return imported, updated, rowErrs, err
	}
}

// write stores one chunk's spells: new source ids inserted, changed ones updated.
func (s *Service) write(ctx context.Context, spells []Spell, now time.Time) (imported, updated int, err error) {
	ids := make([]string, len(spells))
	workers := make([]string, len(spells))
	for i, sp := range spells {
		ids[i], workers[i] = sp.SourceID, sp.WorkerID
	}
	slices.Sort(workers)
	err = s.Store.WithTx(ctx, func(ctx context.Context) error {
		audit.Touch(ctx, slices.Compact(workers)...)
		stored, err := s.Store.SpellsBySource(ctx, ids)
		if err != nil {
			return err
		}
		var fresh, changed []Spell
		imported, updated = 0, 0
		for _, sp := range spells {
			prev, found := stored[sp.SourceID]
			if !found {
				sp.ID = uuid.Must(uuid.NewV7()).String()
				sp.CreatedAt, sp.UpdatedAt = now, now
				fresh = append(fresh, sp)
				imported++
				continue
			}
			updated++
			if !prev.Same(sp) {
				sp.ID, sp.CreatedAt, sp.UpdatedAt = prev.ID, prev.CreatedAt, now
				changed = append(changed, sp)
			}
		}
		if len(fresh) > 0 {
			if err := s.Store.CreateSpells(ctx, fresh); err != nil {
				return err
			}
		}
		if len(changed) > 0 {
			return s.Store.UpdateSpells(ctx, changed)
		}
		return nil
	})
	return imported, updated, err
}
