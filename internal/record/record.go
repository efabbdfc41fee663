package record

import (
	"context"
	"time"

	"golang.org/x/sync/errgroup"

	"skillrecord/internal/credit"
	"skillrecord/internal/worker"
)

// Card is one social security card as the worker sees it (number masked by the converter).
type Card struct {
	Number    string `json:"number"`
	IssueArea string `json:"issue_area"`
	Status    string `json:"status"`
	IssuedOn  string `json:"issued_on,omitempty"`
}

// Training is one training record in the summary.
type Training struct {
	ID             string    `json:"id"`
	CourseName     string    `json:"course_name"`
	TrainingType   string    `json:"training_type"`
	OccupationCode string    `json:"occupation_code"`
	Hours          int       `json:"hours"`
	StartDate      string    `json:"start_date"`
	EndDate        string    `json:"end_date"`
	Result         string    `json:"result"`
	Status         string    `json:"status"`
	InstitutionID  string    `json:"institution_id"`
	CreatedAt      time.Time `json:"created_at"`
}

// Certificate is one certificate in the summary. Status is stored as valid or revoked; the
// converter derives expired from ValidUntil on the day it answers.
type Certificate struct {
	No             string `json:"certificate_no"`
	Type           string `json:"type"`
	OccupationCode string `json:"occupation_code"`
	OccupationName string `json:"occupation_name"`
	Level          *int   `json:"level,omitempty"`
	IssuedOn       string `json:"issued_on"`
	ValidUntil     string `json:"valid_until,omitempty"`
	Status         string `json:"status"`
	IssuerOrgID    string `json:"issuer_org_id"`
}

// Counts are the record's totals.
type Counts struct {
	Trainings       int `json:"trainings"`
	TrainingsPassed int `json:"trainings_passed"`
	Certificates    int `json:"certificates"`
}

// Summary is the cached form of a worker's record. It holds the worker's name and SSN, so
// the cache seals it.
type Summary struct {
	WorkerID        string         `json:"worker_id"`
	Name            string         `json:"name"`
	SSN             string         `json:"ssn"`
	Cards           []Card         `json:"cards"`
	Account         credit.Account `json:"account"`
	Counts          Counts         `json:"counts"`
	RecentTrainings []Training     `json:"recent_trainings"`
	Certificates    []Certificate  `json:"certificates"`
	Classes         []Class        `json:"classes"`
	Subsidies       []Subsidy      `json:"subsidies"`
	UpdatedAt       time.Time      `json:"updated_at"`
}

// Sources are where a summary's parts come from.
type Sources struct {
	Workers interface {
		WorkerByID(ctx context.Context, id string) (worker.Worker, error)
	}
	Credits interface {
		Account(ctx context.Context, workerID string) (credit.Account, error)
	}
	Trainings interface {
		RecentForWorker(ctx context.Context, workerID string, n int) ([]Training, Counts, error)
	}
	Certificates interface {
		CertificatesForWorker(ctx context.Context, workerID string) ([]Certificate, error)
	}
	// Classes, if set, lists the worker's most recent classes (newest filing first).
	Classes interface {
		ClassesForWorker(ctx context.Context, workerID string, n int) ([]Class, error)
	}
	// Subsidies, if set, lists the most recent subsidy claim lines in the worker's name.
	Subsidies interface {
		SubsidiesForWorker(ctx context.Context, workerID string, n int) ([]Subsidy, error)
	}
}

// Subsidy is a subsidy claim line in the worker's name, as the summary lists it.
type Subsidy struct {
	LineID      string `json:"line_id"`
	CourseName  string `json:"course_name"`
	ClassID     string `json:"class_id"`
	AmountCents int64  `json:"amount_cents"`
	Status      string `json:"status"`
	FundSource  string `json:"fund_source,omitempty"`
	DisbursedOn string `json:"disbursed_on,omitempty"`
}

// RecentSubsidies is how many subsidy lines the summary lists.
const RecentSubsidies = 10

// Class is a subsidised training class the worker is on the roster of, as the summary
// lists it.
type Class struct {
	ID            string    `json:"class_id"`
	CourseName    string    `json:"course_name"`
	Status        string    `json:"status"`
	StartDate     string    `json:"start_date"`
	EndDate       string    `json:"end_date"`
	InstitutionID string    `json:"institution_id"`
	UpdatedAt     time.Time `json:"updated_at"`
}

// RecentClasses is how many classes the summary lists.
const RecentClasses = 10

// RecentTrainings is how many trainings the summary lists.
const RecentTrainings = 5

// Build reads every part of a worker's summary. The parts are read at once, each on its own
// connection: a read that misses the database's buffer pool waits for the disk about once
// instead of once a part (with 4 million cardholders most parts miss). ctx must not carry a
// transaction.
func Build(ctx context.Context, src Sources, workerID string) (Summary, error) {
	var (
		w       worker.Worker
		s       Summary
		account credit.Account
	)
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() (err error) { w, err = src.Workers.WorkerByID(gctx, workerID); return err })
	g.Go(func() (err error) { account, err = src.Credits.Account(gctx, workerID); return err })
	g.Go(func() (err error) {
		s.RecentTrainings, s.Counts, err = src.Trainings.RecentForWorker(gctx, workerID, RecentTrainings)
		return err
	})
	g.Go(func() (err error) {
		s.Certificates, err = src.Certificates.CertificatesForWorker(gctx, workerID)
		return err
	})
	if src.Classes != nil {
		g.Go(func() (err error) {
			s.Classes, err = src.Classes.ClassesForWorker(gctx, workerID, RecentClasses)
			return err
		})
	}
	if src.Subsidies != nil {
		g.Go(func() (err error) {
			s.Subsidies, err = src.Subsidies.SubsidiesForWorker(gctx, workerID, RecentSubsidies)
			return err
		})
	}
	if err := g.Wait(); err != nil {
		return Summary{}, err
	}
	s.WorkerID, s.Name, s.SSN, s.UpdatedAt, s.Cards = w.ID, w.Name, string(w.SSN), w.UpdatedAt.UTC(), []Card{}
	for _, c := range w.Cards {
		card := Card{Number: c.Number, IssueArea: c.IssueArea, Status: string(c.Status)}
		if !c.IssuedOn.IsZero() {
			card.IssuedOn = c.IssuedOn.String()
		}
		s.Cards = append(s.Cards, card)
	}
	s.Account = account
	if s.Account.UpdatedAt.After(s.UpdatedAt) {
		s.UpdatedAt = s.Account.UpdatedAt.UTC()
	}
	for _, t := range s.RecentTrainings {
		if t.CreatedAt.After(s.UpdatedAt) {
			s.UpdatedAt = t.CreatedAt.UTC()
		}
	}
	if s.RecentTrainings == nil {
		s.RecentTrainings = []Training{}
	}
	for _, c := range s.Classes {
		if c.UpdatedAt.After(s.UpdatedAt) {
			s.UpdatedAt = c.UpdatedAt.UTC()
		}
	}
	if s.Classes == nil {
		s.Classes = []Class{}
	}
	if s.Subsidies == nil {
		s.Subsidies = []Subsidy{}
	}
	if s.Certificates == nil {
		s.Certificates = []Certificate{}
	}
	s.Counts.Certificates = len(s.Certificates)
	return s, nil
}
