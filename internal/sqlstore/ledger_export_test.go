package sqlstore

import (
	"sync/atomic"

	"gorm.io/gorm"
)

// CountStatements counts every statement db runs through gorm from now on (tests only).
func CountStatements(db *DB) (*atomic.Int64, error) {
	var n atomic.Int64
	db.statements.Store(&n) // the statements built in multirow.go, which bypass gorm
	inc := func(*gorm.DB) { n.Add(1) }
	cb := db.gorm.Callback()
	for _, err := range []error{
		cb.Query().After("gorm:query").Register("test:count_query", inc),
		cb.Create().After("gorm:create").Register("test:count_create", inc),
		cb.Update().After("gorm:update").Register("test:count_update", inc),
		cb.Delete().After("gorm:delete").Register("test:count_delete", inc),
		cb.Row().After("gorm:row").Register("test:count_row", inc),
		cb.Raw().After("gorm:raw").Register("test:count_raw", inc),
	} {
		if err != nil {
			return nil, err
		}
	}
	return &n, nil
}
