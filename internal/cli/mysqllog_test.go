package cli

import (
	"bytes"
	"encoding/json"
	"errors"
	"log/slog"
	"testing"

	"github.com/go-sql-driver/mysql"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestMySQLLog_DriverLinesBecomeJSONWarnings(t *testing.T) {
	var buf bytes.Buffer
	var _ mysql.Logger = mysqlLog{} // what serve hands to mysql.SetLogger
	mysqlLog{slog.New(slog.NewJSONHandler(&buf, nil))}.Print("packets.go:58: ", errors.New("unexpected EOF"))
	var line map[string]any
	require.NoError(t, json.Unmarshal(buf.Bytes(), &line), "one JSON line: %s", buf.String())
	assert.Equal(t, "WARN", line["level"])
	assert.Equal(t, "mysql-driver", line["component"])
	assert.Equal(t, "packets.go:58: unexpected EOF", line["msg"])
}
