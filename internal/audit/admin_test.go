package audit_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"skillrecord/internal/access"
	"skillrecord/internal/audit"
	"skillrecord/internal/auth"
	"skillrecord/internal/credit"
	"skillrecord/internal/errs"
	"skillrecord/internal/identity"
	"skillrecord/internal/record"
	"skillrecord/internal/worker"
)

var adminNow = time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)

// fakeRegistry, fakeRecords, fakeLedger and fakeAccess stand in for the stores.
type fakeRegistry map[identity.SSN]worker.Worker

func (f fakeRegistry) WorkerBySSN(_ context.Context, ssn identity.SSN) (worker.Worker, error) {
	if w, ok := f[ssn]; ok {
		return w, nil
	}
	return worker.Worker{}, errs.NotFound("not_found", "not found")
}

type fakeRecords struct{}

func (fakeRecords) Summary(_ context.Context, id string) (record.Summary, error) {
	return record.Summary{WorkerID: id, Name: "张三"}, nil
}

type fakeLedger struct {
	entries []credit.Entry
	lastSeq int64
}

func (f *fakeLedger) Account(context.Context, string) (credit.Account, error) {
	return credit.Account{LastSeq: f.lastSeq}, nil
}

func (f *fakeLedger) AllEntries(context.Context, string) ([]credit.Entry, error) {
	return f.entries, nil
}

type fakeAccess struct{ events []access.Event }

func (f *fakeAccess) RecordAccess(_ context.Context, e access.Event) error {
	f.events = append(f.events, e)
	return nil
}

var holder = identity.MakeSSN("110105", time.Date(1980, 5, 1, 0, 0, 0, 0, time.UTC), 7)

func newAdminAccess(ledger *fakeLedger) (*audit.AdminAccess, *fakeAccess) {
	acc := &fakeAccess{}
	return &audit.AdminAccess{
		Workers: fakeRegistry{holder: {ID: "w-1", SSN: holder}}, Records: fakeRecords{}, Ledger: ledger,
		Access: acc, Now: func() time.Time { return adminNow },
	}, acc
}

func adminCtx() context.Context {
	ctx, _, _ := audit.NewContext(context.Background(), "req-00000001")
	return auth.WithPrincipal(ctx, auth.Principal{ID: "adm-1", Role: auth.RoleAdmin})
}

func chain(n int) []credit.Entry {
	var out []credit.Entry
	var prev *credit.Entry
	for i := range n {
		e := credit.Chain(prev, credit.Entry{WorkerID: "w-1", Kind: credit.KindTraining, Amount: 10,
			SourceType: credit.SourceTraining, SourceID: string(rune('a' + i)), CreatedAt: adminNow})
		out = append(out, e)
		prev = &out[len(out)-1]
	}
	return out
}

func TestAdminRecord_NeedsAReasonAndRecordsItAsThePurpose(t *testing.T) {
	a, acc := newAdminAccess(&fakeLedger{})
	ctx := adminCtx()
	for name, reason := range map[string]string{"empty": "", "blank": "   ", "too long": strings.Repeat("因", 501)} {
		_, err := a.Record(ctx, string(holder), reason)
		assert.Equal(t, "reason_required", errs.CodeOf(err), name)
	}
	_, err := a.Record(ctx, "110105198005010000", "")
	assert.Equal(t, "reason_required", errs.CodeOf(err))
	assert.Len(t, errs.As(err).Fields, 2, "both bad fields are named")
	_, err = a.Record(ctx, "not-an-ssn", "complaint 117")
	assert.Equal(t, "invalid_ssn", errs.CodeOf(err))
	_, err = a.Record(ctx, string(identity.MakeSSN("110105", time.Date(1981, 1, 1, 0, 0, 0, 0, time.UTC), 1)), "complaint 117")
	assert.Equal(t, errs.KindNotFound, errs.KindOf(err))
	_, err = a.Record(context.Background(), string(holder), "complaint 117")
	assert.Equal(t, errs.KindForbidden, errs.KindOf(err), "no admin principal")
	require.Empty(t, acc.events, "nothing read, nothing recorded")

	s, err := a.Record(ctx, " "+strings.ToLower(string(holder))+" ", "  complaint 117 ")
	require.NoError(t, err)
	assert.Equal(t, "w-1", s.WorkerID)
	require.Len(t, acc.events, 1)
	assert.Equal(t, access.Event{WorkerID: "w-1", ActorID: "adm-1", ActorRole: "admin", What: access.WhatAdminRecord,
		Why: "complaint 117", RequestID: "req-00000001", At: adminNow}, acc.events[0])
	col, _ := audit.CollectorFrom(ctx)
	assert.Equal(t, []string{"w-1"}, col.Workers(), "the worker is announced to the audit event")
}

func TestVerifyLedger_FindsTheFirstBadOrMissingEntry(t *testing.T) {
	good := chain(4)
	tampered := chain(4)
	tampered[2].Amount = 50
	for name, c := range map[string]struct {
		ledger fakeLedger
		valid  bool
		bad    int64
	}{
		"empty":            {fakeLedger{}, true, 0},
		"intact":           {fakeLedger{entries: good, lastSeq: 4}, true, 0},
		"tampered amount":  {fakeLedger{entries: tampered, lastSeq: 4}, false, 3},
		"tail removed":     {fakeLedger{entries: good[:3], lastSeq: 4}, false, 4},
		"a middle removed": {fakeLedger{entries: append(append([]credit.Entry{}, good[:1]...), good[2:]...), lastSeq: 4}, false, 2},
		"newer than acct":  {fakeLedger{entries: good, lastSeq: 3}, true, 0},
	} {
		a, acc := newAdminAccess(&c.ledger)
		r, err := a.VerifyLedger(adminCtx(), string(holder))
		require.NoError(t, err, name)
		assert.Equal(t, c.valid, r.Valid, name)
		assert.Equal(t, c.bad, r.FirstBadSeq, name)
		assert.Equal(t, len(c.ledger.entries), r.Entries, name)
		require.Len(t, acc.events, 1, name)
		assert.Equal(t, access.WhatAdminLedgerVerify, acc.events[0].What)
	}
}
