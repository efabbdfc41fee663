package sqlstore_test

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"skillrecord/internal/sqlstore"
	"skillrecord/internal/worker"
)

// TestRegistry_NoPlaintextPersonalDataInAnyTable imports and activates, then reads every column
// of every row of every table as raw bytes and looks for the SSNs, names and card numbers in
// any case.
func TestRegistry_NoPlaintextPersonalDataInAnyTable(t *testing.T) {
	eachStore(t, func(t *testing.T, s *sqlstore.WorkerStore, db *sqlstore.DB) {
		ctx := context.Background()
		var rows []worker.ImportRow
		var secrets []string
		for i := range 50 {
			r := row(nthSSN(i), nthName(i), nthCard(i), "active", "2020-02-02")
			rows = append(rows, r)
			secrets = append(secrets, string(nthSSN(i)), nthName(i), nthCard(i))
		}
		importRows(t, s, rows...)
		importRows(t, s, row(nthSSN(0), "欧阳修文", "Z98765432", "active", "")) // rename and new card
		secrets = append(secrets, "欧阳修文", "Z98765432")
		_, err := worker.Activate(ctx, s, worker.ActivateInput{SSN: string(nthSSN(1)), Name: nthName(1), CardNumber: nthCard(1), Password: "s3cret-pass"}, registryNow)
		require.NoError(t, err)

		dump := dumpTables(t, db)
		require.NotEmpty(t, dump)
		for _, secret := range secrets {
			for _, form := range []string{secret, strings.ToLower(secret), strings.ToUpper(secret)} {
				if bytes.Contains(dump, []byte(form)) {
					t.Errorf("a table holds personal data in clear (%s)", maskForLog(form))
				}
			}
		}
	})
}

// dumpTables returns the raw bytes of every column of every row of every table.
func dumpTables(t *testing.T, db *sqlstore.DB) []byte {
	t.Helper()
	list := "SHOW TABLES"
	if db.Dialect() == sqlstore.SQLite {
		list = "SELECT name FROM sqlite_master WHERE type = 'table'"
	}
	var tables []string
	scanAll(t, db, list, func(vals []sql.RawBytes) { tables = append(tables, string(vals[0])) })
	require.Contains(t, tables, "workers")
	require.Contains(t, tables, "worker_cards")

	var out bytes.Buffer
	for _, table := range tables {
		scanAll(t, db, "SELECT * FROM "+table, func(vals []sql.RawBytes) {
			for _, v := range vals {
				out.Write(v)
				out.WriteByte(0)
			}
		})
		fmt.Fprintf(&out, "\x00table %s\x00", table)
	}
	return out.Bytes()
}

// scanAll runs query and passes every row's columns, as raw bytes, to fn.
func scanAll(t *testing.T, db *sqlstore.DB, query string, fn func([]sql.RawBytes)) {
	t.Helper()
	rows, err := db.SQL().Query(query)
	require.NoError(t, err)
	defer rows.Close()
	cols, err := rows.Columns()
	require.NoError(t, err)
	vals := make([]sql.RawBytes, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for rows.Next() {
		require.NoError(t, rows.Scan(ptrs...))
		fn(vals)
	}
	require.NoError(t, rows.Err())
}

// maskForLog names a leaked value without printing it.
func maskForLog(s string) string { return fmt.Sprintf("%d bytes", len(s)) }
