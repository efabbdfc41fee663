package worker

import (
	"context"
	"iter"
	"slices"
	"sync"
	"time"

	"skillrecord/internal/errs"
	"skillrecord/internal/identity"
)

// MaxImportRows is the most rows one import may carry.
const MaxImportRows = 100_000

// ChunkSize is how many valid rows are written in one transaction.
const ChunkSize = 1000

// CodeImportTooLarge is the code of the error for an import of more than MaxImportRows rows.
const CodeImportTooLarge = "import_too_large"

// RowError is a refused row of an import: its 0-based index among the data rows, the field at
// fault and a stable code. It never carries the value.
type RowError struct {
	Index int
	Field string
	Code  string
}

// ImportResult counts the rows of an import. Every row is counted exactly once: Imported rows
// registered a new SSN, Updated rows were applied to an SSN that was already registered
// (whether or not anything changed, so importing the same file again gives Updated = all its
// rows and changes nothing), and a refused row has one RowError per bad field, in row order.
type ImportResult struct {
	Imported int
	Updated  int
	Errors   []RowError
}

type pendingRow struct {
	index int
	c     Cardholder
}

// Import upserts the registry rows by SSN. It is not all-or-nothing: valid rows are applied
// (see Registry.Apply) and each invalid row is reported by index, field and code. Rows are
// read and validated first; a document that cannot be read (a malformed body, one over its
// size limit) or that holds more than MaxImportRows rows is refused with the reader's error or
// errs Invalid import_too_large before anything is written. The valid rows are then written
// ChunkSize at a time, each chunk in one transaction with one lookup and batched writes, and
// up to Parallelism chunks at once (see chunkWriter); the outcome is that of applying the rows
// one by one in order. A storage failure part way leaves other chunks written; importing the
// same rows again is safe, as it converges on the same registry.
func Import(ctx context.Context, store Store, rows iter.Seq2[ImportRow, error], now time.Time) (ImportResult, error) {
	res := ImportResult{Errors: []RowError{}}
	var pending []pendingRow
	n := 0
	for row, err := range rows {
		if err != nil {
			return ImportResult{}, err
		}
		if n == MaxImportRows {
			return ImportResult{}, errs.Invalid(CodeImportTooLarge, "an import may hold at most %d rows; split the file", MaxImportRows)
		}
		c, bad := row.Parse(now)
		for _, fe := range bad {
			res.Errors = append(res.Errors, RowError{Index: n, Field: fe.Field, Code: fe.Code})
		}
		if bad == nil {
			pending = append(pending, pendingRow{index: n, c: c})
		}
		n++
	}

	now = now.UTC().Truncate(time.Microsecond)
	w := chunkWriter{store: store, now: now, res: &res}
	if err := w.run(ctx, pending); err != nil {
		return ImportResult{}, err
	}
	slices.SortStableFunc(res.Errors, func(a, b RowError) int { return a.Index - b.Index })
	return res, nil
}

// Parallelism is how many chunks are written at once, each in its own transaction.
const Parallelism = 2

// chunkWriter writes the chunks of an import, up to Parallelism at a time after the first,
// which is written alone (it commits the import's audit event). A chunk that shares
// an SSN or a card number with a chunk still being written waits for it, so the outcome is the
// same as writing the chunks one after another in order: chunks that share neither touch
// disjoint parts of the registry.
type chunkWriter struct {
	store Store
	now   time.Time

	mu  sync.Mutex
	res *ImportResult
	err error
}

type flight struct {
	ssns  map[identity.SSN]bool
	cards map[string]bool
	done  chan struct{}
}

func (f *flight) overlaps(o *flight) bool {
	for ssn := range f.ssns {
		if o.ssns[ssn] {
			return true
		}
	}
	for c := range f.cards {
		if o.cards[c] {
			return true
		}
	}
	return false
}

func (w *chunkWriter) run(ctx context.Context, pending []pendingRow) error {
	var (
		wg       sync.WaitGroup
		slots    = make(chan struct{}, Parallelism)
		inflight []*flight
		first    = true
	)
	for chunk := range slices.Chunk(pending, ChunkSize) {
		f := &flight{ssns: make(map[identity.SSN]bool, len(chunk)), cards: make(map[string]bool, len(chunk)), done: make(chan struct{})}
		for _, p := range chunk {
			f.ssns[p.c.SSN] = true
			f.cards[p.c.CardNumber] = true
		}
		for _, o := range inflight {
			if f.overlaps(o) {
				<-o.done
			}
		}
		slots <- struct{}{}
		inflight = slices.DeleteFunc(inflight, func(o *flight) bool {
			select {
			case <-o.done:
				return true
			default:
				return false
			}
		})
		if w.failed() {
			<-slots
			break
		}
		inflight = append(inflight, f)
		wg.Go(func() {
			defer func() { <-slots; close(f.done) }()
			w.write(ctx, chunk, f)
		})
		if first {
			// The first chunk commits alone: its transaction carries the import's audit event
			// (see sqlstore's WithTx), so every chunk committed after it is covered by that event.
			<-f.done
			first = false
		}
	}
	wg.Wait()
	return w.err
}

func (w *chunkWriter) failed() bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.err != nil
}

// write applies one chunk in one unit of work.
func (w *chunkWriter) write(ctx context.Context, chunk []pendingRow, f *flight) {
	var (
		imported, updated int
		conflicts         []RowError
	)
	err := w.store.UpdateRegistry(ctx, keys(f.ssns), keys(f.cards), func(reg *Registry) error {
		imported, updated, conflicts = 0, 0, conflicts[:0]
		for _, p := range chunk {
			created, err := reg.Apply(p.c, w.now)
			switch {
			case errs.CodeOf(err) == CodeCardConflict:
				conflicts = append(conflicts, RowError{Index: p.index, Field: FieldCardNumber, Code: CodeCardConflict})
			case err != nil:
				return err
			case created:
				imported++
			default:
				updated++
			}
		}
		return nil
	})
	w.mu.Lock()
	defer w.mu.Unlock()
	if err != nil {
		if w.err == nil {
			w.err = err
		}
		return
	}
	w.res.Imported += imported
	w.res.Updated += updated
	w.res.Errors = append(w.res.Errors, conflicts...)
}

func keys[K comparable](m map[K]bool) []K {
	out := make([]K, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}
