package sqlstore_test

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"skillrecord/internal/access"
	"skillrecord/internal/org"
	"skillrecord/internal/sqlstore"
)

func eachAccessStore(t *testing.T, test func(t *testing.T, s *sqlstore.AccessStore, db *sqlstore.DB)) {
	for name, open := range dialects(t) {
		t.Run(name, func(t *testing.T) {
			db := open(t)
			test(t, db.Access(testKeys(t)), db)
		})
	}
}

func accessEvent(worker, what, why string, at time.Time) access.Event {
	return access.Event{
		WorkerID: worker, ActorID: "client-1", ActorRole: "employer", OrgID: "org-1",
		What: what, Why: why, RequestID: "req-1", At: at,
	}
}

func TestAccessStore_ListsAWorkersEventsNewestFirstAndSealsTheirPurpose(t *testing.T) {
	eachAccessStore(t, func(t *testing.T, s *sqlstore.AccessStore, db *sqlstore.DB) {
		ctx := context.Background()
		w, other := uuid.NewString(), uuid.NewString()
		reason := "投诉核查 complaint 2026-117"
		require.NoError(t, s.RecordAccess(ctx, accessEvent(w, access.WhatAdminRecord, reason, auditNow)))
		require.NoError(t, s.RecordAccess(ctx, accessEvent(other, access.WhatSharedRecord, "share-1", auditNow)))
		for i := range 3 {
			require.NoError(t, s.RecordAccess(ctx, accessEvent(w, access.WhatCertificateVerification, "", auditNow.Add(time.Duration(i+1)*time.Second))))
		}

		var all []access.Event
		before := int64(0)
		for range 5 {
			got, err := s.AccessEvents(ctx, w, before, 2)
			require.NoError(t, err)
			if len(got) == 0 {
				break
			}
			all = append(all, got...)
			before = got[len(got)-1].ID
		}
		require.Len(t, all, 4, "only this worker's events")
		for i := 1; i < len(all); i++ {
			assert.Greater(t, all[i-1].ID, all[i].ID, "newest first")
		}
		last := all[3]
		assert.Equal(t, access.WhatAdminRecord, last.What)
		assert.Equal(t, reason, last.Why)
		assert.Equal(t, "employer", last.ActorRole)
		assert.Equal(t, "org-1", last.OrgID)
		assert.Equal(t, auditNow.Truncate(time.Microsecond), last.At)
		assert.Empty(t, all[0].Why)

		var blob bytes.Buffer
		rows, err := db.SQL().Query("SELECT why_enc FROM access_events WHERE why_enc IS NOT NULL")
		require.NoError(t, err)
		for rows.Next() {
			var b []byte
			require.NoError(t, rows.Scan(&b))
			blob.Write(b)
		}
		require.NoError(t, rows.Err())
		require.NoError(t, rows.Close())
		assert.False(t, bytes.Contains(blob.Bytes(), []byte("complaint")), "the purpose is sealed")
	})
}

func TestAccessStore_RefusesEventsNoCallerShouldBuild(t *testing.T) {
	eachAccessStore(t, func(t *testing.T, s *sqlstore.AccessStore, db *sqlstore.DB) {
		w := uuid.NewString()
		for name, e := range map[string]access.Event{
			"no worker":    accessEvent("", access.WhatAdminRecord, "x", auditNow),
			"no what":      accessEvent(w, "", "x", auditNow),
			"no time":      accessEvent(w, access.WhatAdminRecord, "x", time.Time{}),
			"why too long": accessEvent(w, access.WhatAdminRecord, strings.Repeat("理", 501), auditNow),
		} {
			assert.Error(t, s.RecordAccess(context.Background(), e), name)
		}
		require.NoError(t, s.RecordAccess(context.Background(), accessEvent(w, access.WhatAdminRecord, strings.Repeat("理", 500), auditNow)))
		assert.Equal(t, 1, count(t, db, "SELECT COUNT(*) FROM access_events"))
	})
}

func TestAccessStore_AGroupIsOneStatementAndOneBadEventWritesNothing(t *testing.T) {
	eachAccessStore(t, func(t *testing.T, s *sqlstore.AccessStore, db *sqlstore.DB) {
		ctx := context.Background()
		w := uuid.NewString()
		group := make([]access.Event, 300)
		for i := range group {
			why := ""
			if i%2 == 0 {
				why = fmt.Sprint("CERT-", i)
			}
			group[i] = accessEvent(w, access.WhatCertificateVerification, why, auditNow.Add(time.Duration(i)*time.Millisecond))
		}
		n, err := sqlstore.CountStatements(db)
		require.NoError(t, err)
		require.NoError(t, s.RecordAccesses(ctx, group))
		assert.Equal(t, int64(1), n.Load(), "300 events, one INSERT")
		got, err := s.AccessEvents(ctx, w, 0, 500)
		require.NoError(t, err)
		require.Len(t, got, 300)
		assert.Equal(t, "CERT-298", got[1].Why, "each event keeps its own purpose")
		assert.Empty(t, got[0].Why)
		assert.Equal(t, auditNow.Add(299*time.Millisecond).Truncate(time.Microsecond), got[0].At)
		assert.Equal(t, 150, count(t, db, "SELECT COUNT(*) FROM access_events WHERE why_enc IS NULL"), "no purpose, no blob")

		bad := append(slices.Clone(group[:5]), accessEvent("", access.WhatCertificateVerification, "", auditNow))
		require.Error(t, s.RecordAccesses(ctx, bad))
		assert.Equal(t, 300, count(t, db, "SELECT COUNT(*) FROM access_events"), "a group with a bad event writes none of it")
		require.NoError(t, s.RecordAccesses(ctx, nil), "an empty group writes nothing")
	})
}

func TestAccessStore_JoinsATransactionInTheContext(t *testing.T) {
	eachAccessStore(t, func(t *testing.T, s *sqlstore.AccessStore, db *sqlstore.DB) {
		w := uuid.NewString()
		err := db.WithTx(context.Background(), func(ctx context.Context) error {
			require.NoError(t, s.RecordAccess(ctx, accessEvent(w, access.WhatSharedRecord, "share-1", auditNow)))
			return errRollback
		})
		require.ErrorIs(t, err, errRollback)
		assert.Zero(t, count(t, db, "SELECT COUNT(*) FROM access_events"), "rolled back with the read it records")
	})
}

func TestAccessStore_OrgNames(t *testing.T) {
	eachAccessStore(t, func(t *testing.T, s *sqlstore.AccessStore, db *sqlstore.DB) {
		ctx := context.Background()
		id := uuid.NewString()
		require.NoError(t, db.CreateOrg(ctx, org.Org{ID: id, Name: "枣庄职业学院", Type: org.Type("college"),
			CreditCode: "91350100M000100Y43", RegionCode: "370400", Status: org.Status("active"), CreatedAt: auditNow, UpdatedAt: auditNow}))
		names, err := s.OrgNames(ctx, []string{id, "no-such-org"})
		require.NoError(t, err)
		assert.Equal(t, map[string]string{id: "枣庄职业学院"}, names)
	})
}
