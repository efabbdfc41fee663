package credit

import (
	"context"
	"errors"
	"time"

	"skillrecord/internal/errs"
)

// Poster turns what happened to a worker's records into ledger entries: it asks the Rules for
// the amounts, reads what was posted before under the worker's lock, and appends through the
// Ledger. Every method must be called inside the caller's transaction (the one that writes the
// training record, certificate or conversion), so that the record and its entries commit or
// roll back together; the Ledger refuses calls without one.
//
// Methods return the appended entry, or nil when there was nothing to post (a zero amount).
// Each appended entry emits its event in the same transaction (event.Emit): credits.posted,
// or credits.converted for a conversion's debit.
type Poster struct {
	Ledger Ledger
	Rules  *Rules
	Now    func() time.Time // the clock that stamps entries; required
}

// TrainingCredit is one training record of a batch, for TrainingsPosted.
type TrainingCredit struct {
	WorkerID   string
	TrainingID string
	Hours      int
	Passed     bool
}

// Lock locks the accounts of workerIDs until the transaction ends and returns them. A use case
// whose amounts depend on other data of the worker (the certificates it holds) calls it before
// reading that data, so that concurrent changes for the worker are seen in turn; the Poster's
// own methods lock again, which costs nothing more than a statement.
func (p *Poster) Lock(ctx context.Context, workerIDs ...string) (map[string]Account, error) {
	if err := p.ready(false); err != nil {
		return nil, err
	}
	return p.Ledger.LockAccounts(ctx, workerIDs...)
}

// TrainingPosted credits a newly posted training record: Rules.TrainingCredits(hours, passed)
// (nothing for 0). The caller posts each record once: it checks the record's idempotency key
// before calling.
func (p *Poster) TrainingPosted(ctx context.Context, workerID, trainingID string, hours int, passed bool) (*Entry, error) {
	entries, err := p.TrainingsPosted(ctx, []TrainingCredit{{WorkerID: workerID, TrainingID: trainingID, Hours: hours, Passed: passed}})
	if err != nil || len(entries) == 0 {
		return nil, err
	}
	return &entries[0], nil
}

// TrainingsPosted credits a batch of newly posted training records in one Append: one entry
// per record that earns something, in the batch's order.
func (p *Poster) TrainingsPosted(ctx context.Context, trainings []TrainingCredit) ([]Entry, error) {
	if err := p.ready(true); err != nil {
		return nil, err
	}
	postings := p.trainingPostings(trainings, p.Now())
	if len(postings) == 0 {
		return nil, nil
	}
	// The events before the entries' statements: they leave only with the commit, and
	// encoding them while an earlier statement of the transaction still runs in its
	// background costs no time.
	prepared, err := p.Ledger.PrepareAppend(ctx, postings)
	if err != nil {
		return nil, err
	}
	entries := prepared.Entries()
	if err := appended(ctx, entries); err != nil {
		return nil, err
	}
	if err := prepared.Write(ctx); err != nil {
		return nil, err
	}
	return entries, nil
}

// LockEarners locks, in the caller's transaction, the accounts of the workers whose records
// among trainings earn credits: those TrainingsPosted will post to. Called first, it lets the
// rest of the transaction's writes run while TrainingsPosted chains the entries, without a
// statement of its own (the transaction keeps the accounts it has locked).
func (p *Poster) LockEarners(ctx context.Context, trainings []TrainingCredit) error {
	if err := p.ready(true); err != nil {
		return err
	}
	postings := p.trainingPostings(trainings, time.Time{})
	if len(postings) == 0 {
		return nil
	}
	workers := make([]string, len(postings))
	for i, x := range postings {
		workers[i] = x.WorkerID
	}
	_, err := p.Ledger.LockAccounts(ctx, workers...)
	return err
}

// trainingPostings returns the postings, at now, of the records among trainings that earn
// something, in order.
func (p *Poster) trainingPostings(trainings []TrainingCredit, now time.Time) []Posting {
	postings := make([]Posting, 0, len(trainings))
	for _, t := range trainings {
		amount := p.Rules.TrainingCredits(t.Hours, t.Passed)
		if amount == 0 {
			continue
		}
		postings = append(postings, Posting{
			WorkerID: t.WorkerID, Kind: KindTraining, Amount: amount, RuleVersion: p.Rules.Version,
			SourceType: SourceTraining, SourceID: t.TrainingID, CreatedAt: now,
		})
	}
	return postings
}

// TrainingVoided reverses exactly what a voided training record has earned (the sum of its
// entries, whatever rules computed them): one training_void entry, or nothing when the
// record earned nothing or was voided already.
func (p *Poster) TrainingVoided(ctx context.Context, workerID, trainingID string) (*Entry, error) {
	return p.reverseSource(ctx, workerID, SourceTraining, trainingID, KindTrainingVoid)
}

// CertificatesChanged posts the by-level certificate credits of one occupation after a
// certificate of it was issued or revoked: held are all the worker's certificates of that
// occupation (the changed one included, with its new status); the entry posts the difference
// between Rules.OccupationTarget(held) and what was posted for the occupation so far — kind
// certificate when it is positive, certificate_revoke when negative, nothing when zero — with
// sourceType and sourceID naming the certificate that changed.
//
// held must be read under the worker's lock: call Lock first, then read the certificates,
// then call this method, all in the same transaction. Otherwise two concurrent changes in one
// occupation could each miss the other's certificate.
func (p *Poster) CertificatesChanged(ctx context.Context, workerID, occupationCode string, held []HeldCertificate, sourceType, sourceID string) (*Entry, error) {
	if err := p.ready(true); err != nil {
		return nil, err
	}
	if occupationCode == "" {
		return nil, errs.Internal(errors.New("credit: CertificatesChanged without an occupation"), "invalid ledger posting")
	}
	if _, err := p.Ledger.LockAccounts(ctx, workerID); err != nil {
		return nil, err
	}
	current, err := p.Ledger.OccupationSum(ctx, workerID, occupationCode)
	if err != nil {
		return nil, err
	}
	diff := p.Rules.OccupationTarget(held) - current
	return p.appendDiff(ctx, Posting{
		WorkerID: workerID, Amount: diff, RuleVersion: p.Rules.Version,
		SourceType: sourceType, SourceID: sourceID, OccupationCode: occupationCode,
	})
}

// FlatCertificate posts the credits of a certificate that earns a fixed amount each (a
// special-ability certificate: Rules.CertificateCredits(type, level)), outside the
// highest-level-per-occupation rule: amount is what the certificate is worth now, and the
// entry posts its difference to what the certificate has earned so far, so that calling it
// again for the same certificate posts nothing. The entry has no occupation code, so it never
// counts towards an occupation's by-level credits.
func (p *Poster) FlatCertificate(ctx context.Context, workerID, certNo string, amount Tenths) (*Entry, error) {
	if err := p.ready(true); err != nil {
		return nil, err
	}
	if _, err := p.Ledger.LockAccounts(ctx, workerID); err != nil {
		return nil, err
	}
	current, err := p.Ledger.SourceSum(ctx, workerID, SourceCertificate, certNo)
	if err != nil {
		return nil, err
	}
	return p.appendDiff(ctx, Posting{
		WorkerID: workerID, Amount: amount - current, RuleVersion: p.Rules.Version,
		SourceType: SourceCertificate, SourceID: certNo,
	})
}

// FlatCertificateRevoked reverses what a revoked fixed-amount certificate has earned: one
// certificate_revoke entry, or nothing when it earned nothing or was reversed already.
func (p *Poster) FlatCertificateRevoked(ctx context.Context, workerID, certNo string) (*Entry, error) {
	return p.reverseSource(ctx, workerID, SourceCertificate, certNo, KindCertificateRevoke)
}

// Convert debits amount for a college's conversion (学分转换) under the worker's lock: it
// refuses with errs.Invalid insufficient_credits when the balance does not cover amount (and
// invalid_credits when amount is not positive), else appends a conversion entry of −amount.
// Idempotency by the college's external id is the caller's: it calls Convert once per
// conversion it stores.
func (p *Poster) Convert(ctx context.Context, workerID, conversionID string, amount Tenths) (*Entry, error) {
	if err := p.ready(false); err != nil {
		return nil, err
	}
	accounts, err := p.Ledger.LockAccounts(ctx, workerID)
	if err != nil {
		return nil, err
	}
	if err := CanDebit(accounts[workerID].Balance, amount); err != nil {
		return nil, err
	}
	return p.appendOne(ctx, Posting{
		WorkerID: workerID, Kind: KindConversion, Amount: -amount,
		SourceType: SourceConversion, SourceID: conversionID,
	})
}

// reverseSource appends the negation of what one source has earned for the worker, as kind.
func (p *Poster) reverseSource(ctx context.Context, workerID, sourceType, sourceID, kind string) (*Entry, error) {
	if err := p.ready(true); err != nil {
		return nil, err
	}
	if _, err := p.Ledger.LockAccounts(ctx, workerID); err != nil {
		return nil, err
	}
	earned, err := p.Ledger.SourceSum(ctx, workerID, sourceType, sourceID)
	if err != nil || earned == 0 {
		return nil, err
	}
	return p.appendOne(ctx, Posting{
		WorkerID: workerID, Kind: kind, Amount: -earned, RuleVersion: p.Rules.Version,
		SourceType: sourceType, SourceID: sourceID,
	})
}

// appendDiff appends a certificate difference: kind certificate when positive,
// certificate_revoke when negative, nothing when zero.
func (p *Poster) appendDiff(ctx context.Context, posting Posting) (*Entry, error) {
	switch {
	case posting.Amount == 0:
		return nil, nil
	case posting.Amount > 0:
		posting.Kind = KindCertificate
	default:
		posting.Kind = KindCertificateRevoke
	}
	return p.appendOne(ctx, posting)
}

// appendOne stamps and appends one posting.
func (p *Poster) appendOne(ctx context.Context, posting Posting) (*Entry, error) {
	posting.CreatedAt = p.Now()
	entries, err := p.Ledger.Append(ctx, []Posting{posting})
	if err != nil || len(entries) == 0 {
		return nil, err
	}
	return &entries[0], appended(ctx, entries)
}

// ready reports a Poster built without its dependencies.
func (p *Poster) ready(needRules bool) error {
	switch {
	case p.Ledger == nil:
		return errs.Internal(errors.New("credit: Poster.Ledger is nil"), "ledger not configured")
	case p.Now == nil:
		return errs.Internal(errors.New("credit: Poster.Now is nil"), "ledger not configured")
	case needRules && p.Rules == nil:
		return errs.Internal(errors.New("credit: Poster.Rules is nil"), "ledger not configured")
	}
	return nil
}
