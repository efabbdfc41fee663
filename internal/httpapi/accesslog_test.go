package httpapi_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"skillrecord/internal/access"
)

func TestMyAccessLog_PagesNewestFirstWithTheReadersOrganisation(t *testing.T) {
	f := newAuditFixture(t)
	_, admin := f.admin(t)
	_, workerID, workerTok := f.WorkerToken(t, admin)
	employerOrg, employerID, _ := f.orgClient(t, admin, "employer")
	store := f.DB.Access(f.Keys)
	at := time.Now().UTC().Add(-time.Hour)
	for i := range 5 {
		require.NoError(t, store.RecordAccess(context.Background(), access.Event{
			WorkerID: workerID, ActorID: employerID, ActorRole: "employer", OrgID: employerOrg,
			What: access.WhatCertificateVerification, Why: "CERT-" + string(rune('A'+i)), At: at.Add(time.Duration(i) * time.Minute),
		}))
	}

	var whys []string
	query := "?limit=2"
	for range 5 {
		page, raw := myAccessLog(t, f.client(t, workerTok), query)
		for _, it := range page.Items {
			whys = append(whys, it.Why)
			assert.Equal(t, "employer", it.ActorRole)
			assert.Equal(t, employerOrg, it.OrgID)
			assert.Equal(t, "测试机构 employer", it.OrgName)
		}
		assert.NotContains(t, raw, employerID, "the reader's client id is not shown")
		if page.NextCursor == nil {
			break
		}
		query = "?limit=2&cursor=" + *page.NextCursor
	}
	assert.Equal(t, []string{"CERT-E", "CERT-D", "CERT-C", "CERT-B", "CERT-A"}, whys)

	res := f.client(t, workerTok).Do("GET", "/api/v1/me/access-log?cursor=bm9wZQ", nil)
	assert.Equal(t, http.StatusUnprocessableEntity, res.Status)
	assert.Equal(t, http.StatusForbidden, f.client(t, admin).Do("GET", "/api/v1/me/access-log", nil).Status, "workers only")
}
