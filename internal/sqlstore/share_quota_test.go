package sqlstore_test

import (
	"context"
	"crypto/rand"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"skillrecord/internal/errs"
	"skillrecord/internal/share"
	"skillrecord/internal/sqlstore"
)

// insertWorker adds a bare worker row (the share quota locks it).
func insertWorker(t *testing.T, db *sqlstore.DB, id string, at time.Time) {
	t.Helper()
	blob := func() []byte {
		b := make([]byte, 32)
		_, _ = rand.Read(b)
		return b
	}
	_, err := db.SQL().Exec("INSERT INTO workers (id, ssn_index, ssn_enc, name_index, name_enc, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
		id, blob(), blob(), blob(), blob(), at, at)
	require.NoError(t, err)
}

func TestShareStore_QuotaCountsOnlyActiveShares(t *testing.T) {
	for name, open := range dialects(t) {
		t.Run(name, func(t *testing.T) {
			db := open(t)
			store := db.Shares()
			ctx := context.Background()
			at := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
			w := uuid.Must(uuid.NewV7()).String()
			insertWorker(t, db, w, at)

			revoked, _ := newShare(t, w, at)
			require.NoError(t, store.CreateShareWithin(ctx, revoked, 3))
			require.NoError(t, store.RevokeShare(ctx, w, revoked.ID, at.Add(time.Minute)))
			expired, _ := newShare(t, w, at)
			expired.ExpiresAt = at.Add(time.Hour)
			require.NoError(t, store.CreateShareWithin(ctx, expired, 3))

			later := at.Add(2 * time.Hour) // the second share has expired by now
			for range 3 {
				s, _ := newShare(t, w, later)
				require.NoError(t, store.CreateShareWithin(ctx, s, 3))
			}
			s, _ := newShare(t, w, later)
			err := store.CreateShareWithin(ctx, s, 3)
			assert.Equal(t, errs.KindConflict, errs.KindOf(err))
			assert.Equal(t, share.CodeQuotaExceeded, errs.CodeOf(err))

			other := uuid.Must(uuid.NewV7()).String()
			insertWorker(t, db, other, at)
			s, _ = newShare(t, other, later)
			assert.NoError(t, store.CreateShareWithin(ctx, s, 3), "another worker's quota is its own")
		})
	}
}

func TestShareStore_ConcurrentCreationsCannotPassTheQuotaTogether(t *testing.T) {
	for name, open := range dialects(t) {
		t.Run(name, func(t *testing.T) {
			db := open(t)
			store := db.Shares()
			at := time.Now().UTC().Truncate(time.Microsecond)
			w := uuid.Must(uuid.NewV7()).String()
			insertWorker(t, db, w, at)

			const quota, tries = 5, 16
			var (
				wg      sync.WaitGroup
				mu      sync.Mutex
				created int
				refused int
				others  []error
			)
			for range tries {
				s, _ := newShare(t, w, at)
				wg.Add(1)
				go func() {
					defer wg.Done()
					err := store.CreateShareWithin(context.Background(), s, quota)
					mu.Lock()
					defer mu.Unlock()
					switch {
					case err == nil:
						created++
					case errs.CodeOf(err) == share.CodeQuotaExceeded:
						refused++
					default:
						others = append(others, err)
					}
				}()
			}
			wg.Wait()
			require.Empty(t, others)
			assert.Equal(t, quota, created)
			assert.Equal(t, tries-quota, refused)
			var n int
			require.NoError(t, db.SQL().QueryRow("SELECT COUNT(*) FROM shares WHERE worker_id = ?", w).Scan(&n))
			assert.Equal(t, quota, n)
		})
	}
}
