package sqlstore

import (
	"context"
	"time"

	"skillrecord/internal/cache"
)

// cacheInvalidationRow is one invalidation that could not reach Redis, waiting for an instance
// to apply it.
type cacheInvalidationRow struct {
	ID        int64 `gorm:"primaryKey;autoIncrement"`
	Cache     string
	CacheKey  string
	CreatedAt time.Time
}

func (cacheInvalidationRow) TableName() string { return "cache_invalidations" }

// CacheJournal keeps the cache invalidations that failed, in the database every instance
// shares (cache.Journal).
type CacheJournal struct{ db *DB }

var _ cache.Journal = CacheJournal{}

// CacheJournal returns the journal of failed cache invalidations.
func (db *DB) CacheJournal() CacheJournal { return CacheJournal{db: db} }

// Append records invalidations in one statement. It never joins a transaction carried by ctx:
// it runs after the write that made the entries stale has committed.
func (j CacheJournal) Append(ctx context.Context, invs []cache.Invalidation) error {
	if len(invs) == 0 {
		return nil
	}
	now := time.Now().UTC()
	rows := make([]cacheInvalidationRow, len(invs))
	for i, inv := range invs {
		rows[i] = cacheInvalidationRow{Cache: inv.Cache, CacheKey: inv.Key, CreatedAt: now}
	}
	return translate(j.db.gorm.WithContext(ctx).CreateInBatches(&rows, 500).Error)
}

// Pending returns up to limit recorded invalidations, oldest first.
func (j CacheJournal) Pending(ctx context.Context, limit int) ([]cache.Recorded, error) {
	var rows []cacheInvalidationRow
	if err := j.db.gorm.WithContext(ctx).Order("id").Limit(limit).Find(&rows).Error; err != nil {
		return nil, translate(err)
	}
	out := make([]cache.Recorded, len(rows))
	for i, r := range rows {
		out[i] = cache.Recorded{ID: r.ID, Invalidation: cache.Invalidation{Cache: r.Cache, Key: r.CacheKey}}
	}
	return out, nil
}

// Remove deletes applied invalidations.
func (j CacheJournal) Remove(ctx context.Context, ids []int64) error {
	if len(ids) == 0 {
		return nil
	}
	return translate(j.db.gorm.WithContext(ctx).Where("id IN ?", ids).Delete(&cacheInvalidationRow{}).Error)
}
