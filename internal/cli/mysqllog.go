package cli

import (
	"fmt"
	"log/slog"
	"strings"
)

// mysqlLog routes the MySQL driver's own messages (a connection closed under it, a bad
// packet) into the service log as JSON at warn level, instead of plain text on stderr. The
// driver's messages carry no query arguments.
type mysqlLog struct{ log *slog.Logger }

func (m mysqlLog) Print(v ...any) {
	m.log.Warn(strings.TrimSpace(fmt.Sprint(v...)), "component", "mysql-driver")
}
