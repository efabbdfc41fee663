// Package migrations holds the versioned SQL schema, one set per database dialect, built into
// the binary. Files are applied in version order by pressly/goose; a file is never edited once
// it has landed: change the schema with a new file.
//
// mysql/ is written for MySQL 8 and MariaDB 10.11 and stays TiDB-compatible (no triggers,
// stored procedures or foreign keys). sqlite/ is the embedded default's equivalent.
package migrations
