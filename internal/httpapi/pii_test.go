package httpapi_test

import (
	"bytes"
	"context"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"skillrecord/internal/apitest"
)

// TestPersonalData_NeverInTablesRedisOrLogs runs the whole service — import, activation,
// worker sign-in (good and bad), throttling, logout — and then reads every table, every Redis
// key and value under the app's prefix, and the logs, looking for SSNs, names and card numbers
// in clear.
func TestPersonalData_NeverInTablesRedisOrLogs(t *testing.T) {
	a := apitest.NewApp(t)
	admin := a.As(a.AdminToken(t))
	var secrets []string
	body := csvHeader
	for i := 0; i < 5; i++ {
		body += csvLine(i, regCard(i), "active")
		secrets = append(secrets, regSSN(i), regName(i), regCard(i))
	}
	res := admin.Do("POST", importPath, body, "Content-Type", "text/csv")
	require.Equal(t, http.StatusOK, res.Status, string(res.Body))

	anyone := a.As("")
	res = anyone.Do("POST", activatePath, map[string]string{"ssn": regSSN(1), "name": regName(1), "card_number": regCard(1), "password": "worker-pass-1"})
	require.Equal(t, http.StatusCreated, res.Status, string(res.Body))

	worker, _ := a.Token(t, map[string]string{"grant_type": "password", "username": regSSN(1), "password": "worker-pass-1"})
	for i := 0; i < 3; i++ { // failed sign-ins leave throttle counters in Redis
		res = anyone.Do("POST", "/api/v1/auth/token", map[string]string{"grant_type": "password", "username": regSSN(2), "password": "wrong-pass-1"})
		require.Equal(t, http.StatusUnauthorized, res.Status)
	}
	res = anyone.Do("POST", "/api/v1/auth/token", map[string]string{"grant_type": "password", "username": strings.ToLower(regSSN(3)), "password": "wrong-pass-1"})
	require.Equal(t, http.StatusUnauthorized, res.Status)
	require.Equal(t, http.StatusNoContent, a.As(worker).Do("POST", "/api/v1/auth/logout", nil).Status)

	// A staff account's display name is a person's name too.
	staffName := "欧阳staff" + regName(4)
	orgID := a.CreateOrg(t, a.AdminToken(t), "employer")
	res = admin.Do("POST", "/api/v1/admin/organizations/"+orgID+"/users", map[string]string{"username": "hr-pii-check", "display_name": staffName})
	require.Equal(t, http.StatusCreated, res.Status, string(res.Body))
	secrets = append(secrets, staffName)

	tables := dumpAllTables(t, a.DB)
	keys, values := dumpRedis(t, a)
	require.NotEmpty(t, keys, "the run left keys in Redis to inspect")
	logs := a.Logs.String()
	for _, s := range secrets {
		for _, form := range []string{s, strings.ToLower(s), strings.ToUpper(s)} {
			assert.Falsef(t, bytes.Contains(tables, []byte(form)), "a table holds personal data in clear (%d bytes)", len(form))
			assert.Falsef(t, strings.Contains(keys, form), "a Redis key holds personal data (%d bytes)", len(form))
			assert.Falsef(t, bytes.Contains(values, []byte(form)), "a Redis value holds personal data (%d bytes)", len(form))
			assert.Falsef(t, strings.Contains(logs, form), "the log holds personal data (%d bytes)", len(form))
		}
	}
}

// dumpRedis returns every key under the app's prefix and every value (strings, hashes, lists,
// sets) concatenated.
func dumpRedis(t *testing.T, a *apitest.App) (string, []byte) {
	t.Helper()
	ctx := t.Context()
	cl := a.Cache.Client()
	var keys strings.Builder
	var values bytes.Buffer
	var all []string
	scan := func(ctx context.Context, node redis.Cmdable) error {
		iter := node.Scan(ctx, 0, a.Cache.Key("*"), 1000).Iterator()
		for iter.Next(ctx) {
			all = append(all, iter.Val())
		}
		return iter.Err()
	}
	if cluster, ok := cl.(*redis.ClusterClient); ok { // a SCAN reads one node: ask every master
		var mu sync.Mutex
		require.NoError(t, cluster.ForEachMaster(ctx, func(ctx context.Context, node *redis.Client) error {
			mu.Lock()
			defer mu.Unlock()
			return scan(ctx, node)
		}))
	} else {
		require.NoError(t, scan(ctx, cl))
	}
	for _, k := range all {
		keys.WriteString(k + "\n")
		switch typ := cl.Type(ctx, k).Val(); typ {
		case "string":
			values.WriteString(cl.Get(ctx, k).Val())
		case "hash":
			for f, v := range cl.HGetAll(ctx, k).Val() {
				values.WriteString(f + v)
			}
		case "list":
			values.WriteString(strings.Join(cl.LRange(ctx, k, 0, -1).Val(), ""))
		case "set":
			values.WriteString(strings.Join(cl.SMembers(ctx, k).Val(), ""))
		}
	}
	return keys.String(), values.Bytes()
}
