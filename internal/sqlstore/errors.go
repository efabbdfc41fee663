package sqlstore

import (
	"errors"
	"strings"

	"github.com/go-sql-driver/mysql"
	"gorm.io/gorm"

	"skillrecord/internal/errs"
)

// MySQL server error numbers that mean something to callers.
const (
	mysqlDuplicateEntry = 1062
	mysqlDeadlock       = 1213
	mysqlLockTimeout    = 1205
)

// translate maps driver errors into the errs vocabulary: a missing row is NotFound, a unique
// violation is Conflict (code duplicate_conflict). Errors already classified pass through; the
// rest become Internal with the driver text kept only as the hidden cause.
func translate(err error) error {
	if err == nil {
		return nil
	}
	if errs.As(err) != nil {
		return err
	}
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return errs.NotFound("not_found", "not found").WithCause(err)
	}
	if isDuplicate(err) {
		return errs.Conflict("duplicate_conflict", "a record with the same key already exists").WithCause(err)
	}
	return errs.Internal(err, "database error")
}

func isDuplicate(err error) bool {
	var me *mysql.MySQLError
	if errors.As(err, &me) {
		return me.Number == mysqlDuplicateEntry
	}
	// The pure-Go SQLite driver reports constraint failures by message.
	msg := err.Error()
	return strings.Contains(msg, "UNIQUE constraint failed") || strings.Contains(msg, "constraint failed: UNIQUE")
}

// IsRetryable reports whether err is a deadlock or lock-wait timeout after which the whole
// transaction may be retried.
func IsRetryable(err error) bool {
	var me *mysql.MySQLError
	if errors.As(err, &me) {
		return me.Number == mysqlDeadlock || me.Number == mysqlLockTimeout
	}
	return strings.Contains(err.Error(), "database is locked") || strings.Contains(err.Error(), "SQLITE_BUSY")
}

func isConflict(err error) bool {
	e := errs.As(err)
	return e != nil && e.Kind == errs.KindConflict
}
