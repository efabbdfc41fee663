package sqlstore

import (
	"context"
	"database/sql/driver"
	"errors"
	"io"
	"net"
	"strings"
	"syscall"

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

// unavailableNumbers are the server and client error numbers of MySQL, MariaDB and Galera that
// mean "the database cannot serve this now": the request may succeed on a retry, here or through
// another instance.
var unavailableNumbers = map[uint16]bool{
	1040: true, // too many connections
	1047: true, // Galera: WSREP has not yet prepared node for application use
	1053: true, // server shutdown in progress
	1077: true, // normal shutdown
	1078: true, // got signal, aborting
	1079: true, // shutdown complete
	1152: true, // aborted connection
	1927: true, // MariaDB: connection was killed
	2002: true, // can't connect through socket
	2003: true, // can't connect to server
	2005: true, // unknown server host
	2006: true, // server has gone away
	2013: true, // lost connection during query
	2055: true, // lost connection at handshake
	4031: true, // MySQL 8: disconnected by the server for inactivity
}

// retryableNumbers are the errors after which the whole transaction may be retried: deadlock
// and lock-wait timeout (MySQL, MariaDB, Galera's certification failure), MariaDB's 1020
// (record changed since the snapshot, with innodb_snapshot_isolation), and TiDB's write
// conflict (9007), schema change during the transaction (8028) and 8022 (transaction retry
// failed).
var retryableNumbers = map[uint16]bool{
	mysqlDeadlock:    true,
	mysqlLockTimeout: true,
	1020:             true,
	9007:             true,
	8028:             true,
	8022:             true,
}

// unavailableMessage is what the caller is told of a database outage.
const unavailableMessage = "the database is not reachable; try again shortly"

// translate maps driver errors into the errs vocabulary: a missing row is NotFound, a unique
// violation is Conflict (code duplicate_conflict), and a lost, refused or timed-out connection
// is Unavailable (code unavailable, answered 503 with Retry-After). Errors already classified
// pass through; the rest become Internal with the driver text kept only as the hidden cause.
// Every store goes through it: it is the one classification of database failures.
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
	if IsUnavailable(err) {
		return errs.Unavailable("unavailable", unavailableMessage).WithCause(err)
	}
	return errs.Internal(err, "database error")
}

// IsUnavailable reports whether err says that the database could not be reached or went away:
// a bad or invalid connection, a refused or timed-out dial, a connection closed mid-answer,
// a server that is shutting down or (Galera) not ready, or a deadline that ran out while the
// pool waited for a connection or the server for an answer. A caller's own cancellation is not.
func IsUnavailable(err error) bool {
	if err == nil || errors.Is(err, context.Canceled) {
		return false
	}
	var me *mysql.MySQLError
	if errors.As(err, &me) {
		return unavailableNumbers[me.Number]
	}
	var (
		op *net.OpError
		ne net.Error
	)
	switch {
	case errors.Is(err, driver.ErrBadConn), errors.Is(err, mysql.ErrInvalidConn),
		errors.Is(err, mysql.ErrPktSync), errors.Is(err, mysql.ErrPktSyncMul),
		errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF),
		errors.Is(err, context.DeadlineExceeded),
		errors.Is(err, syscall.ECONNREFUSED), errors.Is(err, syscall.ECONNRESET),
		errors.Is(err, syscall.EPIPE), errors.Is(err, net.ErrClosed):
		return true
	case errors.As(err, &op):
		return true
	case errors.As(err, &ne) && ne.Timeout():
		return true
	}
	// Messages of drivers and wrappers that lose the typed error.
	msg := err.Error()
	for _, s := range []string{"connection refused", "connection reset", "broken pipe", "i/o timeout",
		"invalid connection", "bad connection", "server has gone away", "lost connection", "no such host"} {
		if strings.Contains(msg, s) {
			return true
		}
	}
	return false
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

// IsRetryable reports whether err is a deadlock, a lock-wait timeout or (TiDB) a write
// conflict or schema change after which the whole transaction may be retried.
func IsRetryable(err error) bool {
	if err == nil {
		return false
	}
	var me *mysql.MySQLError
	if errors.As(err, &me) {
		return retryableNumbers[me.Number]
	}
	return strings.Contains(err.Error(), "database is locked") || strings.Contains(err.Error(), "SQLITE_BUSY")
}

func isConflict(err error) bool {
	e := errs.As(err)
	return e != nil && e.Kind == errs.KindConflict
}

// classifyOutages makes every gorm operation report a connection-class failure as errs
// Unavailable, so that a store method that returns gorm's error untranslated still answers 503
// rather than 500 when the database is down.
func classifyOutages(g *gorm.DB) error {
	mark := func(tx *gorm.DB) {
		if tx.Error != nil && errs.As(tx.Error) == nil && IsUnavailable(tx.Error) {
			tx.Error = errs.Unavailable("unavailable", unavailableMessage).WithCause(tx.Error)
		}
	}
	cb := g.Callback()
	for _, err := range []error{
		cb.Query().Register("skillrecord:outage_query", mark),
		cb.Create().Register("skillrecord:outage_create", mark),
		cb.Update().Register("skillrecord:outage_update", mark),
		cb.Delete().Register("skillrecord:outage_delete", mark),
		cb.Row().Register("skillrecord:outage_row", mark),
		cb.Raw().Register("skillrecord:outage_raw", mark),
	} {
		if err != nil {
			return err
		}
	}
	return nil
}
