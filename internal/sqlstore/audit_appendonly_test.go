package sqlstore_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"skillrecord/internal/access"
	"skillrecord/internal/audit"
	"skillrecord/internal/sqlstore"
)

// mutatingMethod is a method name that would change or remove stored events.
var mutatingMethod = regexp.MustCompile(`^(Update|Delete|Remove|Purge|Set|Edit)`)

// TestAuditTrail_HasNoMethodThatChangesOrRemovesAnEvent walks the method sets of the audit and
// access stores and of the interfaces they implement.
func TestAuditTrail_HasNoMethodThatChangesOrRemovesAnEvent(t *testing.T) {
	for _, typ := range []reflect.Type{
		reflect.TypeOf((*sqlstore.AuditStore)(nil)),
		reflect.TypeOf((*audit.Store)(nil)).Elem(),
		reflect.TypeOf((*audit.Appender)(nil)).Elem(),
		reflect.TypeOf((*sqlstore.AccessStore)(nil)),
		reflect.TypeOf((*access.Store)(nil)).Elem(),
	} {
		require.Positive(t, typ.NumMethod(), "%s has methods to check", typ)
		for i := range typ.NumMethod() {
			name := typ.Method(i).Name
			assert.Falsef(t, mutatingMethod.MatchString(name), "%s has method %s", typ, name)
		}
	}
}

// tableName matches a table the application may only INSERT into and SELECT from, as a whole
// identifier (not inside a longer name such as a metric's skillrecord_access_events_written_total).
var tableName = regexp.MustCompile(`(^|[^A-Za-z0-9_])(audit_events|audit_event_workers|access_events)([^A-Za-z0-9_]|$)`)

// storeSources are the files that own those tables.
var storeSources = regexp.MustCompile(`^internal/sqlstore/(audit|access)[^/]*\.go$`)

// gormWrites are the gorm and database/sql calls that could change or remove rows.
var gormWrites = map[string]bool{
	"Update": true, "Updates": true, "UpdateColumn": true, "UpdateColumns": true, "Save": true,
	"Delete": true, "Exec": true, "ExecContext": true, "Raw": true, "Clauses": true, "Unscoped": true,
}

// sqlWrites are SQL keywords that change or remove rows or tables.
var sqlWrites = regexp.MustCompile(`(?i)\b(UPDATE|DELETE|REPLACE|TRUNCATE|DROP|ALTER|MERGE|UPSERT)\b|ON\s+(DUPLICATE|CONFLICT)`)

// TestAuditTrail_TablesAreOnlyInsertedAndSelected reads the module's Go source: the
// append-only tables (and their row types) appear only in the audit and access stores, and
// those files contain no gorm call and no SQL that updates or deletes.
func TestAuditTrail_TablesAreOnlyInsertedAndSelected(t *testing.T) {
	root := moduleRoot(t)
	rowTypes := regexp.MustCompile(`\b(auditEventRow|auditWorkerRow|accessEventRow)\b`)
	checked := 0
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if name := d.Name(); path != root && (strings.HasPrefix(name, ".") || name == "vendor" || name == "testdata" || name == "node_modules") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		rel, _ := filepath.Rel(root, path)
		rel = filepath.ToSlash(rel)
		src, err := os.ReadFile(path)
		require.NoError(t, err)
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, path, src, parser.SkipObjectResolution)
		if err != nil {
			return nil // another engineer's file in the middle of an edit: the build says so
		}
		owner := storeSources.MatchString(rel)
		if owner {
			checked++
		}
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.BasicLit:
				if n.Kind != token.STRING {
					return true
				}
				if m := tableName.FindStringSubmatch(n.Value); !owner && m != nil {
					t.Errorf("%s: %s names the append-only table %s; only the audit and access stores may", rel, fset.Position(n.Pos()), m[2])
				}
				if owner && sqlWrites.MatchString(n.Value) {
					t.Errorf("%s: %s holds SQL that changes rows: %s", rel, fset.Position(n.Pos()), n.Value)
				}
			case *ast.SelectorExpr:
				if owner && gormWrites[n.Sel.Name] {
					t.Errorf("%s: %s calls %s", rel, fset.Position(n.Pos()), n.Sel.Name)
				}
			case *ast.Ident:
				if !owner && rowTypes.MatchString(n.Name) {
					t.Errorf("%s: %s uses the row type %s of an append-only table", rel, fset.Position(n.Pos()), n.Name)
				}
			}
			return true
		})
		return nil
	})
	require.NoError(t, err)
	assert.GreaterOrEqual(t, checked, 2, "the audit and access stores were read")
}

// moduleRoot is the directory holding go.mod.
func moduleRoot(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	require.NoError(t, err)
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		require.NotEqual(t, parent, dir, "go.mod not found")
		dir = parent
	}
}
