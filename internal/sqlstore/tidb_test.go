package sqlstore

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/pressly/goose/v3"

	"skillrecord/migrations"
)

func TestGooseDialect_TiDBIsRecognisedByItsVersion(t *testing.T) {
	for version, want := range map[string]goose.Dialect{
		"8.0.11-TiDB-v8.5.1":         goose.DialectTiDB,
		"5.7.25-TiDB-v7.5.0":         goose.DialectTiDB,
		"10.11.19-MariaDB-0+deb12u1": goose.DialectMySQL,
		"8.0.36":                     goose.DialectMySQL,
	} {
		if got := gooseDialect(version); got != want {
			t.Errorf("gooseDialect(%q) = %q, want %q", version, got, want)
		}
	}
}

// TiDB hands out AUTO_INCREMENT ids in per-server batches unless the table has
// AUTO_ID_CACHE=1, and it takes that option only in CREATE TABLE ("Can't Alter AUTO_ID_CACHE
// between 1 and non-1"): every table with an AUTO_INCREMENT column must be created with it.
func TestMigrations_AutoIncrementTablesAreCreatedWithAutoIDCache(t *testing.T) {
	create := regexp.MustCompile(`(?is)CREATE TABLE\s+(\w+)\s*\((.*?)\)\s*ENGINE=[^;]*;`)
	err := fs.WalkDir(migrations.MySQL(), ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".sql") {
			return err
		}
		b, err := fs.ReadFile(migrations.MySQL(), path)
		if err != nil {
			return err
		}
		for _, m := range create.FindAllStringSubmatch(string(b), -1) {
			if strings.Contains(m[2], "AUTO_INCREMENT") && !strings.Contains(m[0], "/*T![auto_id_cache] AUTO_ID_CACHE=1 */") {
				t.Errorf("%s: table %s has an AUTO_INCREMENT column but no /*T![auto_id_cache] AUTO_ID_CACHE=1 */", path, m[1])
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TiDB's parser does not take INSERT … RETURNING: only the gorm driver may send it, to MariaDB,
// and the audit trail's multi-row insert, when the server said it is MariaDB 10.5 or later
// (insertReturning; its line says so).
func TestStore_SendsNoHandWrittenReturning(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	returning := regexp.MustCompile(`(?i)\bRETURNING\b`)
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for i, line := range strings.Split(string(b), "\n") {
			code, comment, _ := strings.Cut(line, "//")
			if returning.MatchString(code) && !strings.Contains(comment, "only when insertReturning") {
				t.Errorf("%s:%d sends RETURNING, which TiDB does not parse", f, i+1)
			}
		}
	}
}
