package sqlstore

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"net"
	"syscall"
	"testing"

	"github.com/go-sql-driver/mysql"
	"github.com/stretchr/testify/assert"
	"gorm.io/gorm"

	"skillrecord/internal/errs"
)

// TestTranslate_ClassifiesDriverErrors is the table of the one classification of database
// failures: connection-class errors are Unavailable (503), the rest keep their meaning.
func TestTranslate_ClassifiesDriverErrors(t *testing.T) {
	dial := &net.OpError{Op: "dial", Net: "tcp", Err: &net.DNSError{Err: "refused"}}
	for _, tc := range []struct {
		name string
		err  error
		kind errs.Kind
		code string
	}{
		{"bad connection", driver.ErrBadConn, errs.KindUnavailable, "unavailable"},
		{"invalid connection", mysql.ErrInvalidConn, errs.KindUnavailable, "unavailable"},
		{"wrapped invalid connection", fmt.Errorf("insert: %w", mysql.ErrInvalidConn), errs.KindUnavailable, "unavailable"},
		{"connection refused", fmt.Errorf("dial tcp 127.0.0.1:1: %w", syscall.ECONNREFUSED), errs.KindUnavailable, "unavailable"},
		{"refused, text only", errors.New("dial tcp 10.0.0.3:3306: connect: connection refused"), errs.KindUnavailable, "unavailable"},
		{"net.OpError", dial, errs.KindUnavailable, "unavailable"},
		{"io.EOF from the driver", io.EOF, errs.KindUnavailable, "unavailable"},
		{"unexpected EOF", io.ErrUnexpectedEOF, errs.KindUnavailable, "unavailable"},
		{"pool deadline", fmt.Errorf("begin: %w", context.DeadlineExceeded), errs.KindUnavailable, "unavailable"},
		{"2002 socket", &mysql.MySQLError{Number: 2002}, errs.KindUnavailable, "unavailable"},
		{"2003 cannot connect", &mysql.MySQLError{Number: 2003}, errs.KindUnavailable, "unavailable"},
		{"2006 gone away", &mysql.MySQLError{Number: 2006}, errs.KindUnavailable, "unavailable"},
		{"2013 lost connection", &mysql.MySQLError{Number: 2013}, errs.KindUnavailable, "unavailable"},
		{"1053 shutdown in progress", &mysql.MySQLError{Number: 1053}, errs.KindUnavailable, "unavailable"},
		{"1047 WSREP not prepared", &mysql.MySQLError{Number: 1047, Message: "WSREP has not yet prepared node for application use"}, errs.KindUnavailable, "unavailable"},
		{"caller cancelled", context.Canceled, errs.KindInternal, "internal"},
		{"duplicate", &mysql.MySQLError{Number: 1062}, errs.KindConflict, "duplicate_conflict"},
		{"sqlite duplicate", errors.New("constraint failed: UNIQUE constraint failed: workers.ssn_index (2067)"), errs.KindConflict, "duplicate_conflict"},
		{"not found", gorm.ErrRecordNotFound, errs.KindNotFound, "not_found"},
		{"syntax error", &mysql.MySQLError{Number: 1064}, errs.KindInternal, "internal"},
		{"deadlock", &mysql.MySQLError{Number: 1213}, errs.KindInternal, "internal"},
		{"already classified", errs.Invalid("x", "y"), errs.KindInvalid, "x"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := translate(tc.err)
			assert.Equal(t, tc.kind, errs.KindOf(got))
			assert.Equal(t, tc.code, errs.CodeOf(got))
			assert.ErrorIs(t, got, tc.err, "the cause is kept for the log")
		})
	}
	assert.NoError(t, translate(nil))
}

// TestIsRetryable_DeadlocksAndTiDBConflicts lists the errors after which a transaction is
// retried whole: MySQL/MariaDB/Galera deadlock and lock wait, TiDB's write conflict, schema
// change and 8022, SQLite's busy database; nothing else.
func TestIsRetryable_DeadlocksAndTiDBConflicts(t *testing.T) {
	for _, tc := range []struct {
		name string
		err  error
		want bool
	}{
		{"deadlock 1213", &mysql.MySQLError{Number: 1213}, true},
		{"lock wait 1205", &mysql.MySQLError{Number: 1205}, true},
		{"TiDB write conflict 9007", &mysql.MySQLError{Number: 9007}, true},
		{"TiDB schema changed 8028", &mysql.MySQLError{Number: 8028}, true},
		{"TiDB 8022", &mysql.MySQLError{Number: 8022}, true},
		{"wrapped deadlock", fmt.Errorf("tx: %w", errs.Internal(&mysql.MySQLError{Number: 1213}, "db")), true},
		{"sqlite busy", errors.New("database is locked (5) (SQLITE_BUSY)"), true},
		{"duplicate", &mysql.MySQLError{Number: 1062}, false},
		{"gone away", &mysql.MySQLError{Number: 2006}, false},
		{"other", errors.New("boom"), false},
		{"nil", nil, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, IsRetryable(tc.err))
		})
	}
}
