package sqlstore

import (
	"context"
	"time"

	"gorm.io/gorm"
)

const (
	cancelKey   = "skillrecord:cancel"
	originalKey = "skillrecord:original_ctx"
)

// boundStatements gives every query, insert, update and delete its own deadline of d (unless
// the caller's context already ends sooner), so that one slow statement cannot hold a
// connection and a request for ever. Row and Rows are left alone: their results are read
// after the callback returns.
func boundStatements(g *gorm.DB, d time.Duration) error {
	if d <= 0 {
		return nil
	}
	before := func(tx *gorm.DB) {
		ctx := tx.Statement.Context
		if ctx == nil {
			ctx = context.Background()
		}
		if dl, ok := ctx.Deadline(); ok && time.Until(dl) <= d {
			return
		}
		bounded, cancel := context.WithTimeout(ctx, d)
		tx.Statement.Context = bounded
		tx.InstanceSet(cancelKey, cancel)
		tx.InstanceSet(originalKey, ctx)
	}
	after := func(tx *gorm.DB) {
		if c, ok := tx.InstanceGet(cancelKey); ok {
			c.(context.CancelFunc)()
			// A *gorm.DB whose statement is reused for a further query must not carry the
			// spent deadline into it.
			if orig, ok := tx.InstanceGet(originalKey); ok {
				tx.Statement.Context = orig.(context.Context)
			}
		}
	}
	cb := g.Callback()
	for _, err := range []error{
		cb.Query().Before("gorm:query").Register("skillrecord:timeout_before_query", before),
		cb.Query().After("gorm:after_query").Register("skillrecord:timeout_after_query", after),
		cb.Create().Before("gorm:create").Register("skillrecord:timeout_before_create", before),
		cb.Create().After("gorm:after_create").Register("skillrecord:timeout_after_create", after),
		cb.Update().Before("gorm:update").Register("skillrecord:timeout_before_update", before),
		cb.Update().After("gorm:after_update").Register("skillrecord:timeout_after_update", after),
		cb.Delete().Before("gorm:delete").Register("skillrecord:timeout_before_delete", before),
		cb.Delete().After("gorm:after_delete").Register("skillrecord:timeout_after_delete", after),
	} {
		if err != nil {
			return err
		}
	}
	return nil
}
