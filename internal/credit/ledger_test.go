package credit_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"skillrecord/internal/credit"
	"skillrecord/internal/errs"
)

func validPosting() credit.Posting {
	return credit.Posting{
		WorkerID: "0190c3d2-7b1e-7c4a-9f00-2a1b3c4d5e6f", Kind: credit.KindTraining, Amount: 25, RuleVersion: "2026-1",
		SourceType: credit.SourceTraining, SourceID: "T-1", CreatedAt: time.Date(2026, 11, 27, 8, 0, 0, 0, time.UTC),
	}
}

func TestPostingCheck(t *testing.T) {
	tests := []struct {
		name   string
		change func(*credit.Posting)
		ok     bool
	}{
		{"valid", func(*credit.Posting) {}, true},
		{"zero amount passes (the ledger skips it)", func(p *credit.Posting) { p.Amount = 0 }, true},
		{"certificate revoke is negative", func(p *credit.Posting) { p.Kind, p.Amount = credit.KindCertificateRevoke, -150 }, true},
		{"conversion is negative", func(p *credit.Posting) { p.Kind, p.Amount, p.RuleVersion = credit.KindConversion, -10, "" }, true},
		{"no worker", func(p *credit.Posting) { p.WorkerID = "" }, false},
		{"worker id too long", func(p *credit.Posting) { p.WorkerID = strings.Repeat("a", 37) }, false},
		{"no source type", func(p *credit.Posting) { p.SourceType = "" }, false},
		{"no source id", func(p *credit.Posting) { p.SourceID = "" }, false},
		{"source id too long", func(p *credit.Posting) { p.SourceID = strings.Repeat("a", 65) }, false},
		{"rule version too long", func(p *credit.Posting) { p.RuleVersion = strings.Repeat("a", 33) }, false},
		{"occupation too long", func(p *credit.Posting) { p.OccupationCode = strings.Repeat("6", 17) }, false},
		{"no time", func(p *credit.Posting) { p.CreatedAt = time.Time{} }, false},
		{"unknown kind", func(p *credit.Posting) { p.Kind = "bonus" }, false},
		{"negative training", func(p *credit.Posting) { p.Amount = -25 }, false},
		{"negative certificate", func(p *credit.Posting) { p.Kind, p.Amount = credit.KindCertificate, -50 }, false},
		{"positive void", func(p *credit.Posting) { p.Kind = credit.KindTrainingVoid }, false},
		{"positive conversion", func(p *credit.Posting) { p.Kind = credit.KindConversion }, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := validPosting()
			tt.change(&p)
			err := p.Check()
			if tt.ok {
				assert.NoError(t, err)
				return
			}
			assert.Equal(t, errs.KindInternal, errs.KindOf(err))
		})
	}
}

func TestAccountAdd_KeepsTheTotalsApart(t *testing.T) {
	at := time.Date(2026, 11, 27, 8, 0, 0, 0, time.UTC)
	var prev *credit.Entry
	var a credit.Account
	for i, step := range []struct {
		kind   string
		amount credit.Tenths
	}{
		{credit.KindTraining, 25},
		{credit.KindCertificate, 200},
		{credit.KindConversion, -100},
		{credit.KindCertificateRevoke, -150},
		{credit.KindTrainingVoid, -25},
		{credit.KindCertificate, 50},
	} {
		e := credit.Chain(prev, credit.Entry{WorkerID: "w", Kind: step.kind, Amount: step.amount, CreatedAt: at.Add(time.Duration(i) * time.Minute)})
		a = a.Add(e)
		prev = &e
	}
	assert.Equal(t, credit.Account{Balance: 0, Earned: 275, Converted: 100, Reversed: 175, LastSeq: 6, UpdatedAt: at.Add(5 * time.Minute)}, a)
	assert.Equal(t, a.Balance, a.Earned-a.Converted-a.Reversed)
}

// unusedLedger fails loudly if a Poster that should have refused calls it.
type unusedLedger struct{ credit.Ledger }

func TestPoster_RefusesWithoutItsDependencies(t *testing.T) {
	ctx := context.Background()
	for name, p := range map[string]*credit.Poster{
		"no ledger": {Rules: credit.DefaultRules(), Now: time.Now},
		"no clock":  {Ledger: unusedLedger{}, Rules: credit.DefaultRules()},
		"no rules":  {Ledger: unusedLedger{}, Now: time.Now},
	} {
		_, err := p.TrainingPosted(ctx, "w", "T-1", 40, true)
		assert.Equal(t, errs.KindInternal, errs.KindOf(err), name)
	}
}
