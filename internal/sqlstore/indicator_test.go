package sqlstore_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"skillrecord/internal/certificate"
	"skillrecord/internal/civil"
	"skillrecord/internal/errs"
	"skillrecord/internal/indicator"
	"skillrecord/internal/org"
	"skillrecord/internal/sqlstore"
	"skillrecord/internal/training"
)

// The report tests' organisations, workers (W*, trainees) and holders (H*, certificate holders).
const (
	repInst1 = "0190a1b2-0000-7000-8000-0000000000a1"
	repInst2 = "0190a1b2-0000-7000-8000-0000000000a2"
	repEval  = "0190a1b2-0000-7000-8000-0000000000e1"
)

var repNow = time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)

func repDay(y int, m time.Month, d int) civil.Date { return civil.Date{Y: y, M: m, D: d} }

// repWorker is a stable worker id for a label such as "W1".
func repWorker(label string) string {
	return uuid.NewSHA1(uuid.NameSpaceOID, []byte("report-test-"+label)).String()
}

// repTraining is one record for the report tests.
type repTraining struct {
	inst, ext, worker, typ string
	end                    civil.Date
	subsidized             bool
	cents                  *int64
	groups                 []string
	void                   bool
	failed                 bool
}

func (r repTraining) stored() training.Training {
	result, status := training.ResultPassed, training.StatusActive
	if r.failed {
		result = training.ResultFailed
	}
	if r.void {
		status = training.StatusVoid
	}
	t := training.Training{
		ID: uuid.Must(uuid.NewV7()).String(), InstitutionID: r.inst, WorkerID: repWorker(r.worker),
		Record: training.Record{
			ExternalID: r.ext, CourseName: "报表测试课程", TrainingType: r.typ, OccupationCode: "6-31-01-03",
			Hours: 40, StartDate: r.end, EndDate: r.end, Result: result, Subsidized: r.subsidized,
			SubsidyAmountCents: r.cents, TraineeGroups: r.groups,
		},
		Status: status, CreatedAt: repNow, UpdatedAt: repNow,
	}
	if r.void {
		t.VoidReason, t.VoidedAt = "重复录入", repNow
	}
	return t
}

// repCert is one certificate for the report tests.
type repCert struct {
	no, holder, typ string
	level           int // 0 = none
	issued          civil.Date
	validUntil      *civil.Date
	revokedAt       *time.Time
	issuer          string
}

func (c repCert) record() certificate.Record {
	r := certificate.Record{
		Certificate: certificate.Certificate{
			No: c.no, Name: "王芳", Type: c.typ, OccupationCode: "6-18-02-04", OccupationName: "焊工",
			IssuedOn: c.issued, ValidUntil: c.validUntil, Status: certificate.StatusValid, IssuerOrgID: c.issuer,
		},
		WorkerID: repWorker(c.holder), CreatedAt: repNow,
	}
	if c.level > 0 {
		r.Level = ptrTo(c.level)
	}
	if c.revokedAt != nil {
		r.Status, r.RevokedAt, r.RevokeReason = certificate.StatusRevoked, c.revokedAt, "证书信息有误"
	}
	if r.IssuerOrgID == "" {
		r.IssuerOrgID = repEval
	}
	return r
}

// repData loads the hand-built data set whose indicator values the tests below state.
func repData(t *testing.T, db *sqlstore.DB) {
	t.Helper()
	ctx := context.Background()
	mig := []string{training.GroupMigrantWorker}
	cents := func(n int64) *int64 { return &n }
	trainings := []repTraining{
		// gold_blue_collar: W1 twice in the period (1 人, 2 人次), W2 on the last day.
		{repInst1, "G1", "W1", training.TypeGoldBlueCollar, repDay(2025, 3, 10), true, cents(100000), mig, false, false},
		{repInst1, "G2", "W1", training.TypeGoldBlueCollar, repDay(2025, 11, 30), true, cents(200000), nil, false, false},
		{repInst1, "G3", "W2", training.TypeGoldBlueCollar, repDay(2025, 12, 31), false, nil, nil, false, false},
		{repInst2, "G4", "W3", training.TypeGoldBlueCollar, repDay(2026, 1, 1), true, nil, mig, false, false},   // after
		{repInst2, "G5", "W4", training.TypeGoldBlueCollar, repDay(2024, 12, 31), true, nil, mig, false, false}, // before
		{repInst1, "G6", "W5", training.TypeGoldBlueCollar, repDay(2025, 6, 1), true, nil, mig, true, false},    // void
		// apprenticeship: W2 on the first day, W6 twice (2 人).
		{repInst1, "A1", "W2", training.TypeApprenticeship, repDay(2025, 1, 1), true, nil,
			[]string{training.GroupMigrantWorker, training.GroupYouth}, false, false},
		{repInst1, "A2", "W6", training.TypeApprenticeship, repDay(2025, 5, 5), false, nil, nil, false, false},
		{repInst1, "A3", "W6", training.TypeApprenticeship, repDay(2025, 7, 7), false, nil, nil, false, true},
		// entrepreneurship: two records count, the void one does not.
		{repInst1, "E1", "W1", training.TypeEntrepreneurship, repDay(2025, 8, 8), true, cents(50000), nil, false, false},
		{repInst1, "E2", "W7", training.TypeEntrepreneurship, repDay(2025, 9, 9), false, nil, nil, false, true},
		{repInst1, "E3", "W7", training.TypeEntrepreneurship, repDay(2025, 9, 10), true, nil, mig, true, false},
		// subsidised, but not a migrant worker (rural_transfer is another bit).
		{repInst2, "S1", "W8", training.TypeEmploymentSkills, repDay(2025, 4, 4), true, nil,
			[]string{training.GroupRuralTransfer}, false, false},
	}
	ts := make([]training.Training, len(trainings))
	for i, r := range trainings {
		ts[i] = r.stored()
	}
	store := db.Trainings()
	require.NoError(t, store.WithTx(ctx, func(ctx context.Context) error { return store.CreateTrainings(ctx, ts) }))

	endsAt := time.Date(2025, 12, 31, 16, 0, 0, 0, time.UTC) // midnight CST after 2025-12-31
	justBefore, atEnd := endsAt.Add(-time.Second), endsAt
	expired, lastDay := repDay(2025, 12, 30), repDay(2025, 12, 31)
	certs := []repCert{
		{no: "K-0001", holder: "H1", typ: certificate.TypeSkillLevel, level: 3, issued: repDay(2020, 1, 1)},
		{no: "K-0002", holder: "H1", typ: certificate.TypeVocationalQualification, level: 1, issued: repDay(2025, 2, 2)},
		{no: "K-0003", holder: "H2", typ: certificate.TypeSkillLevel, level: 2, issued: repDay(2025, 3, 3), revokedAt: &justBefore},
		{no: "K-0004", holder: "H3", typ: certificate.TypeSkillLevel, level: 2, issued: repDay(2025, 4, 4), revokedAt: &atEnd},
		{no: "K-0005", holder: "H4", typ: certificate.TypeSkillLevel, level: 3, issued: repDay(2019, 5, 5), validUntil: &expired},
		{no: "K-0006", holder: "H5", typ: certificate.TypeSkillLevel, level: 3, issued: repDay(2019, 5, 5), validUntil: &lastDay},
		{no: "K-0007", holder: "H6", typ: certificate.TypeSkillLevel, level: 4, issued: repDay(2025, 6, 6)},
		{no: "K-0008", holder: "H7", typ: certificate.TypeSpecialAbility, issued: repDay(2025, 7, 7)},
		{no: "K-0009", holder: "H8", typ: certificate.TypeTraining, level: 2, issued: repDay(2025, 8, 8), issuer: repInst1, revokedAt: &justBefore},
		{no: "K-0010", holder: "H9", typ: certificate.TypeSkillLevel, level: 1, issued: repDay(2026, 1, 2)},
		{no: "K-0011", holder: "H10", typ: certificate.TypeSkillLevel, level: 5, issued: repDay(2025, 12, 31)},
		{no: "K-0012", holder: "H11", typ: certificate.TypeVocationalQualification, level: 3, issued: repDay(2024, 12, 31)},
	}
	cs := db.Certificates(testKeys(t))
	for _, c := range certs {
		rec := c.record()
		require.NoError(t, cs.WithTx(ctx, func(ctx context.Context) error { return cs.Create(ctx, rec) }))
	}

	designation := func(kind string, d civil.Date) org.Designation {
		return org.Designation{Kind: kind, GrantedOn: d.Time()}
	}
	orgs := []org.Org{
		{ID: repInst1, Name: "枣庄市公共实训基地", Type: org.TrainingInstitution, CreditCode: "91350100M000100Y43", Status: org.Active,
			Designations: []org.Designation{
				designation(indicator.KindPublicTrainingBase, repDay(2025, 1, 1)),
				designation(indicator.KindNationalHighSkillBase, repDay(2024, 12, 31)),
				designation(indicator.KindProvincialMasterStudio, repDay(2025, 6, 30)),
			}},
		{ID: repInst2, Name: "滕州市职业培训学校", Type: org.TrainingInstitution, CreditCode: "91370481MA3C0L2X1E", Status: org.Suspended,
			Designations: []org.Designation{
				designation(indicator.KindNationalMasterStudio, repDay(2025, 12, 31)),
				designation(indicator.KindPublicTrainingBase, repDay(2026, 1, 1)),
				designation(indicator.KindNationalHighSkillBase, repDay(2025, 2, 2)),
			}},
		{ID: repEval, Name: "枣庄市职业技能鉴定中心", Type: org.EvaluationOrg, CreditCode: "12370400MB1234567X", Status: org.Active},
	}
	for _, o := range orgs {
		o.RegionCode, o.CreatedAt, o.UpdatedAt = "370400", repNow, repNow
		require.NoError(t, db.CreateOrg(ctx, o))
	}
}

func TestIndicatorCounts_HandBuiltDataSet(t *testing.T) {
	for name, open := range dialects(t) {
		t.Run(name, func(t *testing.T) {
			db := open(t)
			repData(t, db)
			got, err := db.Reports().IndicatorCounts(context.Background(),
				indicator.Period{From: repDay(2025, 1, 1), To: repDay(2025, 12, 31)})
			require.NoError(t, err)
			assert.Equal(t, indicator.Counts{
				SubsidizedTrainings:       5, // G1, G2, A1, E1, S1 (G4 after, G5 before, G6 and E3 void)
				MigrantWorkerTrainings:    2, // G1, A1 (S1 is rural_transfer only)
				GoldBlueCollarWorkers:     2, // W1 (G1 and G2: once) and W2
				ApprenticeshipWorkers:     2, // W2 and W6 (A2 and A3: once)
				EntrepreneurshipTrainings: 2, // E1, E2 (E3 void)
				HighSkillWorkers:          4, // H1 (K-0001, K-0002: once), H3 (revoked after the end), H5 (valid on the last day), H11
				NewCertificates:           4, // K-0002, K-0004, K-0007, K-0011 (K-0003 revoked within the period)
				NewHighSkillCertificates:  2, // K-0002, K-0004
				Designations: map[string]int64{
					indicator.KindPublicTrainingBase:     1,
					indicator.KindNationalHighSkillBase:  1, // repInst2's, although it is suspended now
					indicator.KindProvincialMasterStudio: 1,
					indicator.KindNationalMasterStudio:   1,
				},
			}, got)

			// A day earlier, K-0003 was not yet revoked and K-0005 not yet expired.
			got, err = db.Reports().IndicatorCounts(context.Background(),
				indicator.Period{From: repDay(2025, 1, 1), To: repDay(2025, 12, 30)})
			require.NoError(t, err)
			assert.EqualValues(t, 6, got.HighSkillWorkers, "H1, H2, H3, H4, H5, H11")
			assert.EqualValues(t, 4, got.NewCertificates, "K-0002, K-0003, K-0004, K-0007")
			assert.EqualValues(t, 1, got.GoldBlueCollarWorkers, "W2's ends on the 31st")
		})
	}
}

func TestIndicatorCounts_EmptyDatabaseCountsZero(t *testing.T) {
	for name, open := range dialects(t) {
		t.Run(name, func(t *testing.T) {
			got, err := open(t).Reports().IndicatorCounts(context.Background(),
				indicator.Period{From: repDay(2025, 1, 1), To: repDay(2025, 12, 31)})
			require.NoError(t, err)
			assert.Equal(t, indicator.Counts{Designations: map[string]int64{}}, got)
		})
	}
}

func TestInstitutionStats_CountsItsRecordsAndCertificatesInThePeriod(t *testing.T) {
	for name, open := range dialects(t) {
		t.Run(name, func(t *testing.T) {
			db := open(t)
			repData(t, db)
			p := indicator.Period{From: repDay(2025, 1, 1), To: repDay(2025, 12, 31)}
			got, err := db.Reports().InstitutionStats(context.Background(), repInst1, p)
			require.NoError(t, err)
			assert.Equal(t, indicator.Stats{
				RecordsPosted:       10, // G1 G2 G3 G6 A1 A2 A3 E1 E2 E3
				Voided:              2,  // G6, E3
				Passed:              6,  // of the 8 others, A3 and E2 failed
				SubsidizedRecords:   4,  // G1, G2, A1, E1
				SubsidyAmountCents:  350000,
				DistinctWorkers:     4, // W1, W2, W6, W7
				CertificatesIssued:  1, // K-0009
				CertificatesRevoked: 1,
			}, got)

			none, err := db.Reports().InstitutionStats(context.Background(), repEval, p)
			require.NoError(t, err)
			assert.EqualValues(t, 0, none.RecordsPosted)
			assert.EqualValues(t, 6, none.CertificatesIssued, "K-0002, K-0003, K-0004, K-0007, K-0008, K-0011")
			assert.EqualValues(t, 2, none.CertificatesRevoked, "K-0003, and K-0004: revoked after the period, but revoked now")

			_, err = db.Reports().InstitutionStats(context.Background(), "0190a1b2-0000-7000-8000-0000000000ff", p)
			assert.Equal(t, errs.KindNotFound, errs.KindOf(err))
		})
	}
}
