package sqlstore_test

import (
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// dbThreads measures the CPU time the database server spends on one test database's
// connections: on MariaDB (one thread a connection, information_schema.PROCESSLIST.TID) the
// server threads of the connections open to it, read from /proc when the server runs on this
// machine. It sees only the connections' own threads, not the server's background ones (the
// log writer, purge, page cleaner), and only connections open when it was taken: warm the
// pool first. A shared server's other work does not count, unlike the whole process's time.
type dbThreads struct {
	pid  int
	tids []int
}

// serverThreads returns the threads of db's connections, or ok false when they cannot be
// read here (not MariaDB, another machine, no permission).
func serverThreads(b *testing.B, db *sql.DB) (dbThreads, bool) {
	b.Helper()
	pid := serverPID()
	if pid == 0 {
		return dbThreads{}, false
	}
	rows, err := db.Query("SELECT TID FROM information_schema.PROCESSLIST WHERE DB = DATABASE()")
	if err != nil {
		return dbThreads{}, false
	}
	defer rows.Close()
	t := dbThreads{pid: pid}
	for rows.Next() {
		var tid int
		if rows.Scan(&tid) == nil {
			t.tids = append(t.tids, tid)
		}
	}
	return t, rows.Err() == nil && len(t.tids) > 0
}

// cpu is the CPU time the threads have used so far, each read from its own /proc entry.
func (t dbThreads) cpu() time.Duration {
	var total time.Duration
	for _, tid := range t.tids {
		total += statCPU(fmt.Sprintf("/proc/%d/task/%d/stat", t.pid, tid))
	}
	return total
}

// serverPID is the process id of the MariaDB (or MySQL) server on this machine, or 0.
func serverPID() int {
	dirs, _ := filepath.Glob("/proc/[0-9]*")
	for _, d := range dirs {
		comm, err := os.ReadFile(d + "/comm")
		if err != nil {
			continue
		}
		if name := strings.TrimSpace(string(comm)); name == "mariadbd" || name == "mysqld" {
			pid, _ := strconv.Atoi(filepath.Base(d))
			return pid
		}
	}
	return 0
}

// statCPU reads utime + stime (clock ticks of 10 ms) from a /proc stat file; 0 when it cannot.
func statCPU(path string) time.Duration {
	b, err := os.ReadFile(path)
	if err != nil {
		return 0
	}
	_, rest, _ := strings.Cut(string(b), ") ")
	f := strings.Fields(rest)
	if len(f) < 13 {
		return 0
	}
	var ticks int64
	for _, s := range f[11:13] {
		n, _ := strconv.ParseInt(s, 10, 64)
		ticks += n
	}
	return time.Duration(ticks) * 10 * time.Millisecond
}
