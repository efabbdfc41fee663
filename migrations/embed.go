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
