package sqlstore_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"skillrecord/internal/errs"
	"skillrecord/internal/page"
	"skillrecord/internal/share"
)

// newShare is a share of worker created at, with a fresh token.
func newShare(t *testing.T, worker string, at time.Time) (share.Share, string) {
	t.Helper()
	token, hash, err := share.NewToken(rand.Reader)
	require.NoError(t, err)
	return share.Share{
		ID: uuid.Must(uuid.NewV7()).String(), WorkerID: worker, TokenHash: hash, Scope: share.ScopeRecord,
		ExpiresAt: at.Add(24 * time.Hour), CreatedAt: at,
	}, token
}

func TestShareStore_CreateFindListRevoke(t *testing.T) {
	for name, open := range dialects(t) {
		t.Run(name, func(t *testing.T) {
			db := open(t)
			store := db.Shares()
			ctx := context.Background()
			at := time.Date(2026, 11, 27, 9, 0, 0, 123456000, time.UTC)
			const w1, w2 = "0190a1b2-0000-7000-8000-0000000000a1", "0190a1b2-0000-7000-8000-0000000000a2"

			var mine []share.Share
			for i := range 5 {
				s, _ := newShare(t, w1, at.Add(time.Duration(i)*time.Minute))
				if i == 1 {
					s.Scope, s.AudienceOrgID = share.ScopeCertificates, "0190a1b2-0000-7000-8000-0000000000e1"
				}
				require.NoError(t, store.CreateShare(ctx, s))
				mine = append(mine, s)
			}
			theirs, token := newShare(t, w2, at)
			require.NoError(t, store.CreateShare(ctx, theirs))

			got, err := store.ShareByTokenHash(ctx, share.HashToken(token))
			require.NoError(t, err)
			assert.Equal(t, theirs, got)
			_, err = store.ShareByTokenHash(ctx, share.HashToken("unknown"))
			assert.Equal(t, errs.KindNotFound, errs.KindOf(err))

			dup := mine[0]
			dup.ID = uuid.Must(uuid.NewV7()).String()
			assert.Equal(t, "duplicate_conflict", errs.CodeOf(store.CreateShare(ctx, dup)), "token hashes are unique")

			// Newest first, two at a time.
			var listed []share.Share
			p := page.Request{Limit: 2}
			for {
				items, err := store.SharesForWorker(ctx, w1, p)
				require.NoError(t, err)
				res := page.Trim(items, p.Limit, share.Cursor)
				listed = append(listed, res.Items...)
				if res.NextCursor == "" {
					break
				}
				p.After, err = pageAfter(res.NextCursor)
				require.NoError(t, err)
			}
			require.Len(t, listed, 5)
			for i, s := range listed {
				assert.Equal(t, mine[4-i], s)
			}

			// Revoke: the owner only, once; again is a no-op.
			assert.Equal(t, errs.KindNotFound, errs.KindOf(store.RevokeShare(ctx, w2, mine[0].ID, at)))
			assert.Equal(t, errs.KindNotFound, errs.KindOf(store.RevokeShare(ctx, w1, theirs.ID, at)))
			revokedAt := at.Add(time.Hour)
			require.NoError(t, store.RevokeShare(ctx, w1, mine[0].ID, revokedAt))
			require.NoError(t, store.RevokeShare(ctx, w1, mine[0].ID, revokedAt.Add(time.Hour)))
			got, err = store.ShareByTokenHash(ctx, mine[0].TokenHash)
			require.NoError(t, err)
			require.NotNil(t, got.RevokedAt)
			assert.True(t, got.RevokedAt.Equal(revokedAt), "the first revocation time stays")
		})
	}
}

func TestShareStore_TokenIsNotStoredInClear(t *testing.T) {
	for name, open := range dialects(t) {
		t.Run(name, func(t *testing.T) {
			db := open(t)
			s, token := newShare(t, "0190a1b2-0000-7000-8000-0000000000a1", time.Now().UTC().Truncate(time.Microsecond))
			require.NoError(t, db.Shares().CreateShare(context.Background(), s))
			var hash []byte
			require.NoError(t, db.SQL().QueryRow("SELECT token_hash FROM shares WHERE id = ?", s.ID).Scan(&hash))
			assert.Equal(t, share.HashToken(token), hash)
			assert.False(t, bytes.Contains(hash, []byte(token)))
		})
	}
}

// pageAfter decodes a next_cursor as page.Parse does.
func pageAfter(cursor string) (string, error) {
	p, err := page.Parse("", cursor)
	return p.After, err
}
