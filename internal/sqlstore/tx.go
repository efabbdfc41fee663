package sqlstore

import (
	"context"
	"errors"

	"gorm.io/gorm"
)

type txKey struct{}

// WithTx runs fn in one transaction carried by the context: every store method called with the
// context fn receives joins it, so that a record, its ledger entries and its audit event commit
// or roll back together. A nested WithTx joins the outer transaction.
func (db *DB) WithTx(ctx context.Context, fn func(ctx context.Context) error) error {
	if _, ok := ctx.Value(txKey{}).(*gorm.DB); ok {
		return fn(ctx)
	}
	err := db.gorm.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		return fn(context.WithValue(ctx, txKey{}, tx))
	})
	return translate(err)
}

// conn returns the transaction in ctx, or the pool, bound to ctx.
func (db *DB) conn(ctx context.Context) *gorm.DB {
	if tx, ok := ctx.Value(txKey{}).(*gorm.DB); ok {
		return tx.WithContext(ctx)
	}
	return db.gorm.WithContext(ctx)
}

// InTx reports whether ctx carries a transaction.
func InTx(ctx context.Context) bool {
	_, ok := ctx.Value(txKey{}).(*gorm.DB)
	return ok
}

func asErr[T error](err error, target *T) bool { return errors.As(err, target) }
