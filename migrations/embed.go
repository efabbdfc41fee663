// Package migrations holds the versioned SQL schema, one set per database dialect, built into
// the binary. Files are applied in version order by pressly/goose; a file is never edited once
// it has landed: change the schema with a new file.
//
// mysql/ is written for MySQL 8 and MariaDB 10.11 and stays TiDB-compatible (no triggers,
// stored procedures or foreign keys). sqlite/ is the embedded default's equivalent.
package migrations

import (
	"embed"
	"io/fs"
)

//go:embed mysql/*.sql sqlite/*.sql
var files embed.FS

// MySQL is the migration set for MySQL, MariaDB and TiDB.
func MySQL() fs.FS { return sub("mysql") }

// SQLite is the migration set for the embedded SQLite database.
func SQLite() fs.FS { return sub("sqlite") }

func sub(dir string) fs.FS {
	f, err := fs.Sub(files, dir)
	if err != nil {
		panic(err) // the directory is embedded at build time
	}
	return f
}
