package share_test

import (
	"bytes"
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"skillrecord/internal/access"
	"skillrecord/internal/certificate"
	"skillrecord/internal/errs"
	"skillrecord/internal/org"
	"skillrecord/internal/page"
	"skillrecord/internal/record"
	"skillrecord/internal/share"
)

// memStore is an in-memory share.Store for the use-case tests (the SQL store has its own
// tests on MariaDB and SQLite).
type memStore struct{ shares []share.Share }

func (m *memStore) CreateShare(_ context.Context, s share.Share) error {
	m.shares = append(m.shares, s)
	return nil
}

func (m *memStore) CreateShareWithin(ctx context.Context, s share.Share, maxActive int) error {
	n := 0
	for _, o := range m.shares {
		if o.WorkerID == s.WorkerID && o.StatusAt(s.CreatedAt) == share.StatusActive {
			n++
		}
	}
	if n >= maxActive {
		return share.QuotaExceeded(maxActive)
	}
	return m.CreateShare(ctx, s)
}

func (m *memStore) SharesForWorker(_ context.Context, workerID string, p page.Request) ([]share.Share, error) {
	var out []share.Share
	for i := len(m.shares) - 1; i >= 0 && len(out) <= p.Limit; i-- {
		if m.shares[i].WorkerID == workerID {
			out = append(out, m.shares[i])
		}
	}
	return out, nil
}

func (m *memStore) RevokeShare(_ context.Context, workerID, id string, at time.Time) error {
	for i := range m.shares {
		if m.shares[i].ID == id && m.shares[i].WorkerID == workerID {
			if m.shares[i].RevokedAt == nil {
				m.shares[i].RevokedAt = &at
			}
			return nil
		}
	}
	return errs.NotFound("not_found", "no such share")
}

func (m *memStore) ShareByTokenHash(_ context.Context, hash []byte) (share.Share, error) {
	for _, s := range m.shares {
		if bytes.Equal(s.TokenHash, hash) {
			return s, nil
		}
	}
	return share.Share{}, errs.NotFound("not_found", "no such share")
}

type memOrgs map[string]org.Org

func (m memOrgs) GetOrg(_ context.Context, id string) (org.Org, error) {
	if o, ok := m[id]; ok {
		return o, nil
	}
	return org.Org{}, errs.NotFound("not_found", "no such organisation")
}

type memRecords struct{}

func (memRecords) Summary(_ context.Context, workerID string) (record.Summary, error) {
	return record.Summary{WorkerID: workerID, Name: "欧阳娜娜", SSN: "11010519491231002X"}, nil
}

type memCerts struct{}

func (memCerts) AllForWorker(_ context.Context, workerID string) ([]certificate.Record, error) {
	return []certificate.Record{{WorkerID: workerID, Certificate: certificate.Certificate{No: "ZZ-000001"}}}, nil
}

type recorder struct {
	events []access.Event
	err    error
}

func (r *recorder) RecordAccess(_ context.Context, e access.Event) error {
	if r.err != nil {
		return r.err
	}
	r.events = append(r.events, e)
	return nil
}

func newService(rec *recorder) (*share.Service, *time.Time) {
	now := time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)
	return &share.Service{
		Store: &memStore{},
		Orgs: memOrgs{
			"emp": {ID: "emp", Type: org.Employer, Status: org.Active},
			"col": {ID: "col", Type: org.College, Status: org.Suspended},
			"ti":  {ID: "ti", Type: org.TrainingInstitution, Status: org.Active},
			"old": {ID: "old", Type: org.Employer, Status: org.Removed},
		},
		Records: memRecords{}, Certificates: memCerts{}, Access: rec,
		BaseURL: "https://record.example.gov.cn", Now: func() time.Time { return now },
	}, &now
}

func TestCreate_AudienceMustBeAnEmployerOrACollege(t *testing.T) {
	svc, _ := newService(&recorder{})
	ctx := context.Background()
	for _, id := range []string{"emp", "col"} {
		_, err := svc.Create(ctx, "w1", share.Input{Scope: "record", ExpiresInHours: hours(1), AudienceOrgID: id})
		assert.NoError(t, err, id)
	}
	for _, id := range []string{"ti", "old", "nobody"} {
		_, err := svc.Create(ctx, "w1", share.Input{Scope: "record", ExpiresInHours: hours(1), AudienceOrgID: id})
		e := errs.As(err)
		require.NotNil(t, e, id)
		assert.Equal(t, errs.KindInvalid, e.Kind, id)
		require.Len(t, e.Fields, 1)
		assert.Equal(t, "audience_org_id", e.Fields[0].Field)
		assert.Equal(t, "invalid_audience", e.Fields[0].Code)
	}
}

func TestCreate_LinkIsBaseURLPlusToken(t *testing.T) {
	svc, now := newService(&recorder{})
	c, err := svc.Create(context.Background(), "w1", share.Input{Scope: "certificates", ExpiresInHours: hours(48)})
	require.NoError(t, err)
	assert.Equal(t, "https://record.example.gov.cn/api/v1/shared/"+c.Token, c.URL)
	assert.True(t, c.ExpiresAt.Equal(now.Add(48*time.Hour)))
	assert.Equal(t, share.HashToken(c.Token), c.TokenHash)
}

func TestRead_RecordsAnAccessEventOrAnswersNothing(t *testing.T) {
	rec := &recorder{}
	svc, _ := newService(rec)
	ctx := context.Background()
	c, err := svc.Create(ctx, "w1", share.Input{Scope: "certificates", ExpiresInHours: hours(1)})
	require.NoError(t, err)

	reader := share.Reader{ID: "client-1", Role: "employer", OrgID: "emp", RequestID: "req-123456"}
	v, err := svc.Read(ctx, reader, c.Token)
	require.NoError(t, err)
	assert.Nil(t, v.Summary)
	assert.Len(t, v.Certificates, 1)
	assert.Equal(t, "欧阳娜娜", v.Name)
	require.Len(t, rec.events, 1)
	assert.Equal(t, access.Event{WorkerID: "w1", ActorID: "client-1", ActorRole: "employer", OrgID: "emp",
		What: access.WhatSharedCertificates, Why: c.ID, RequestID: "req-123456", At: rec.events[0].At}, rec.events[0])

	rec.err = errors.New("access log down")
	_, err = svc.Read(ctx, reader, c.Token)
	assert.Error(t, err, "a read that cannot be recorded is not answered")
}

func TestRead_EveryClosedTokenAnswersTheSame(t *testing.T) {
	svc, now := newService(&recorder{})
	ctx := context.Background()
	bound, err := svc.Create(ctx, "w1", share.Input{Scope: "record", ExpiresInHours: hours(1), AudienceOrgID: "emp"})
	require.NoError(t, err)
	revoked, err := svc.Create(ctx, "w1", share.Input{Scope: "record", ExpiresInHours: hours(1)})
	require.NoError(t, err)
	require.NoError(t, svc.Revoke(ctx, "w1", revoked.ID))
	expiring, err := svc.Create(ctx, "w1", share.Input{Scope: "record", ExpiresInHours: hours(1)})
	require.NoError(t, err)

	v, err := svc.Read(ctx, share.Reader{OrgID: "emp"}, bound.Token)
	require.NoError(t, err)
	require.NotNil(t, v.Summary)

	want := errs.As(func() error { _, err := svc.Read(ctx, share.Reader{OrgID: "col"}, bound.Token); return err }())
	require.NotNil(t, want)
	assert.Equal(t, errs.KindNotFound, want.Kind)
	*now = now.Add(time.Hour)
	for name, token := range map[string]string{
		"revoked": revoked.Token, "expired": expiring.Token, "unknown": expiring.Token[:42] + "A", "garbage": "x",
	} {
		_, err := svc.Read(ctx, share.Reader{OrgID: "col"}, token)
		assert.Equal(t, want, errs.As(err), name)
	}
}

func TestRevoke_OnlyTheOwnersShare(t *testing.T) {
	svc, _ := newService(&recorder{})
	ctx := context.Background()
	c, err := svc.Create(ctx, "w1", share.Input{Scope: "record", ExpiresInHours: hours(1)})
	require.NoError(t, err)
	assert.Equal(t, errs.KindNotFound, errs.KindOf(svc.Revoke(ctx, "w2", c.ID)))
	assert.Equal(t, errs.KindNotFound, errs.KindOf(svc.Revoke(ctx, "w1", "not-a-uuid")))
	assert.NoError(t, svc.Revoke(ctx, "w1", c.ID))
	assert.NoError(t, svc.Revoke(ctx, "w1", c.ID), "revoking twice is fine")
}
