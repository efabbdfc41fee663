package credit

import (
	"context"
	"errors"

	"skillrecord/internal/certificate"
	"skillrecord/internal/errs"
)

// CertificatePoster posts the credits of certificate changes through a Poster: it is the
// certificate use cases' certificate.Credits. Types that count by level follow the
// highest-level-per-occupation rule (CertificatesChanged); the others earn their fixed amount
// each (FlatCertificate; training certificates earn 0 under the default rules and post nothing)
// and a revocation reverses exactly what the certificate earned (FlatCertificateRevoked).
type CertificatePoster struct {
	Poster *Poster
}

var _ certificate.Credits = CertificatePoster{}

// Lock locks the worker's account until the transaction ends (Poster.Lock).
func (cp CertificatePoster) Lock(ctx context.Context, workerID string) error {
	if cp.Poster == nil {
		return errNoPoster()
	}
	_, err := cp.Poster.Lock(ctx, workerID)
	return err
}

// Changed posts what issuing or revoking c does to the worker's credits. held are the worker's
// certificates of c's occupation, read under the lock, for the types that count by level.
func (cp CertificatePoster) Changed(ctx context.Context, workerID string, c certificate.Certificate, held []certificate.Certificate) error {
	p := cp.Poster
	if p == nil || p.Rules == nil {
		return errNoPoster()
	}
	var err error
	switch {
	case certificate.CountsByLevel(c.Type):
		hs := make([]HeldCertificate, 0, len(held))
		for _, h := range held {
			hs = append(hs, HeldCertificate{Type: h.Type, Level: levelOf(h), Valid: !h.Revoked()})
		}
		_, err = p.CertificatesChanged(ctx, workerID, c.OccupationCode, hs, SourceCertificate, c.No)
	case c.Revoked():
		_, err = p.FlatCertificateRevoked(ctx, workerID, c.No)
	default:
		if amount := p.Rules.CertificateCredits(c.Type, levelOf(c)); amount != 0 {
			_, err = p.FlatCertificate(ctx, workerID, c.No, amount)
		}
	}
	return err
}

func levelOf(c certificate.Certificate) int {
	if c.Level == nil {
		return 0
	}
	return *c.Level
}

// errNoPoster reports a CertificatePoster built without its dependencies.
func errNoPoster() error {
	return errs.Internal(errors.New("credit: CertificatePoster without a Poster or rules"), "ledger not configured")
}
