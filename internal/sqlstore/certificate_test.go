package sqlstore_test

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"skillrecord/internal/certificate"
	"skillrecord/internal/civil"
	"skillrecord/internal/errs"
	"skillrecord/internal/org"
	"skillrecord/internal/page"
	"skillrecord/internal/sqlstore"
)

// certNow is the certificate store tests' clock.
var certNow = time.Date(2026, 11, 27, 9, 0, 0, 123456000, time.UTC)

const certIssuer = "0190a1b2-0000-7000-8000-0000000000c1"

// certFixture is the certificate store on one dialect, with an issuing organisation.
type certFixture struct {
	db    *sqlstore.DB
	store *sqlstore.CertificateStore
	regs  *sqlstore.WorkerStore
}

// eachCertStore runs test against the certificate store on MariaDB and on SQLite.
func eachCertStore(t *testing.T, test func(t *testing.T, f certFixture)) {
	for name, open := range dialects(t) {
		t.Run(name, func(t *testing.T) {
			db := open(t)
			m := testKeys(t)
			require.NoError(t, db.CreateOrg(context.Background(), org.Org{
				ID: certIssuer, Name: "枣庄市职业技能鉴定中心", Type: org.EvaluationOrg, CreditCode: "91350100M000100Y43",
				RegionCode: "370400", Status: org.Active, CreatedAt: certNow, UpdatedAt: certNow,
			}))
			test(t, certFixture{db: db, store: db.Certificates(m), regs: db.Workers(m)})
		})
	}
}

func ptrTo[T any](v T) *T { return &v }

// certRecord is a valid record of worker in occupation, issued on the given day.
func certRecord(no, workerID, occupation string, level *int, issued civil.Date) certificate.Record {
	typ := certificate.TypeSkillLevel
	if level == nil {
		typ = certificate.TypeSpecialAbility
	}
	return certificate.Record{
		Certificate: certificate.Certificate{
			No: no, Name: "欧阳娜娜", Type: typ, OccupationCode: occupation, OccupationName: "焊工", Level: level,
			IssuedOn: issued, Status: certificate.StatusValid, IssuerOrgID: certIssuer,
		},
		WorkerID: workerID, CreatedAt: certNow,
	}
}

// create stores records, each in a transaction of its own.
func (f certFixture) create(t *testing.T, recs ...certificate.Record) {
	t.Helper()
	for _, r := range recs {
		require.NoError(t, f.store.WithTx(context.Background(), func(ctx context.Context) error { return f.store.Create(ctx, r) }))
	}
}

func TestCertificates_CreateGetRoundTripsAndRefusesADuplicateNumber(t *testing.T) {
	eachCertStore(t, func(t *testing.T, f certFixture) {
		ctx := context.Background()
		w := newWorkerID()
		full := certRecord("ZZ-2026-000001", w, "6-18-01-01", ptrTo(3), civil.Date{Y: 2026, M: 6, D: 30})
		full.ValidUntil = &civil.Date{Y: 2031, M: 6, D: 29}
		bare := certRecord("ZZ-2026-000002", w, "6-18-01-01", nil, civil.Date{Y: 2025, M: 1, D: 2})
		f.create(t, full, bare)

		got, err := f.store.Get(ctx, full.No)
		require.NoError(t, err)
		assert.Equal(t, full, got)
		got, err = f.store.Get(ctx, bare.No)
		require.NoError(t, err)
		assert.Equal(t, bare, got, "no level, no expiry")

		err = f.store.WithTx(ctx, func(ctx context.Context) error { return f.store.Create(ctx, full) })
		assert.True(t, errs.KindOf(err) == errs.KindConflict && errs.CodeOf(err) == "duplicate_conflict", "%v", err)
		_, err = f.store.Get(ctx, "ZZ-NOPE-0000")
		assert.Equal(t, errs.KindNotFound, errs.KindOf(err))
	})
}

func TestCertificates_LockingCallsNeedATransaction(t *testing.T) {
	eachCertStore(t, func(t *testing.T, f certFixture) {
		ctx := context.Background()
		_, err := f.store.GetForUpdate(ctx, "ZZ-2026-000001")
		assert.Equal(t, errs.KindInternal, errs.KindOf(err))
		_, err = f.store.HeldInOccupation(ctx, newWorkerID(), "6-18-01-01")
		assert.Equal(t, errs.KindInternal, errs.KindOf(err))
		assert.Equal(t, errs.KindInternal, errs.KindOf(f.store.SaveRevocation(ctx, certificate.Record{})))
	})
}

func TestCertificates_RevocationAndHeldInOccupation(t *testing.T) {
	eachCertStore(t, func(t *testing.T, f certFixture) {
		ctx := context.Background()
		w, other := newWorkerID(), newWorkerID()
		day := civil.Date{Y: 2026, M: 3, D: 1}
		f.create(t,
			certRecord("W-L5-000001", w, "6-18-01-01", ptrTo(5), day),
			certRecord("W-L3-000001", w, "6-18-01-01", ptrTo(3), day),
			certRecord("W-SA-000001", w, "6-18-01-01", nil, day),
			certRecord("C-L4-000001", w, "4-03-02-01", ptrTo(4), day),
			certRecord("O-L2-000001", other, "6-18-01-01", ptrTo(2), day),
		)
		err := f.store.WithTx(ctx, func(ctx context.Context) error {
			rec, err := f.store.GetForUpdate(ctx, "W-L3-000001")
			if err != nil {
				return err
			}
			rec.Certificate, err = rec.Revoke("证书信息有误", certNow)
			if err != nil {
				return err
			}
			return f.store.SaveRevocation(ctx, rec)
		})
		require.NoError(t, err)

		var held []certificate.Certificate
		require.NoError(t, f.store.WithTx(ctx, func(ctx context.Context) (err error) {
			held, err = f.store.HeldInOccupation(ctx, w, "6-18-01-01")
			return err
		}))
		var nos []string
		for _, c := range held {
			nos = append(nos, c.No)
			assert.Equal(t, c.No == "W-L3-000001", c.Revoked(), c.No)
		}
		assert.Equal(t, []string{"W-L3-000001", "W-L5-000001", "W-SA-000001"}, nos, "only this worker's, only this occupation")

		got, err := f.store.Get(ctx, "W-L3-000001")
		require.NoError(t, err)
		assert.Equal(t, certificate.StatusRevoked, got.Status)
		assert.Equal(t, "证书信息有误", got.RevokeReason)
		require.NotNil(t, got.RevokedAt)
		assert.True(t, got.RevokedAt.Equal(certNow))
	})
}

func TestCertificates_ListForWorkerPagesNewestFirst(t *testing.T) {
	eachCertStore(t, func(t *testing.T, f certFixture) {
		ctx := context.Background()
		w := newWorkerID()
		f.create(t,
			certRecord("A-000001", w, "6-18-01-01", ptrTo(5), civil.Date{Y: 2024, M: 1, D: 1}),
			certRecord("B-000001", w, "6-18-01-01", ptrTo(4), civil.Date{Y: 2025, M: 1, D: 1}),
			certRecord("C-000001", w, "6-18-01-01", ptrTo(3), civil.Date{Y: 2025, M: 1, D: 1}),
			certRecord("D-000001", w, "6-18-01-01", ptrTo(2), civil.Date{Y: 2026, M: 1, D: 1}),
			certRecord("E-000001", newWorkerID(), "6-18-01-01", ptrTo(2), civil.Date{Y: 2026, M: 1, D: 1}),
		)
		var seen []string
		p := page.Request{Limit: 2}
		for range 5 {
			items, err := f.store.ListForWorker(ctx, w, p)
			require.NoError(t, err)
			res := page.Trim(items, p.Limit, certificate.Cursor)
			for _, r := range res.Items {
				seen = append(seen, r.No)
			}
			if res.NextCursor == "" {
				break
			}
			p, err = page.Parse("2", res.NextCursor)
			require.NoError(t, err)
		}
		assert.Equal(t, []string{"D-000001", "C-000001", "B-000001", "A-000001"}, seen)

		all, err := f.store.AllForWorker(ctx, w)
		require.NoError(t, err)
		require.Len(t, all, 4)
		assert.Equal(t, "D-000001", all[0].No)
	})
}

func TestCertificates_FactsCarryTheIssuerAndTheNameIndex(t *testing.T) {
	eachCertStore(t, func(t *testing.T, f certFixture) {
		ctx := context.Background()
		rec := certRecord("ZZ-2026-000001", newWorkerID(), "6-18-01-01", ptrTo(3), civil.Date{Y: 2026, M: 6, D: 30})
		f.create(t, rec)
		got, err := f.store.Facts(ctx, rec.No)
		require.NoError(t, err)
		assert.Equal(t, "枣庄市职业技能鉴定中心", got.IssuerName)
		assert.Equal(t, certIssuer, got.IssuerOrgID)
		assert.Equal(t, "欧阳娜娜", got.HolderName)
		assert.Equal(t, f.regs.NameIndex(" 欧阳娜娜 "), got.NameIndex, "the registry's index of the name")
		assert.False(t, got.Revoked)
		assert.Equal(t, 3, *got.Level)

		_, err = f.store.Facts(ctx, "ZZ-2026-999999")
		assert.Equal(t, errs.KindNotFound, errs.KindOf(err))

		dump := dumpTables(t, f.db)
		for _, form := range []string{"欧阳娜娜", strings.ToUpper("欧阳娜娜")} {
			assert.False(t, bytes.Contains(dump, []byte(form)), "the holder's name is not stored in clear")
		}
	})
}
