package claim

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"

	"skillrecord/internal/audit"
	"skillrecord/internal/civil"
	"skillrecord/internal/class"
	"skillrecord/internal/errs"
	"skillrecord/internal/page"
)

// Service is the claim use cases: an institution drafts the claim of a completed class and
// reads its claims; the bureau lists, reviews and resolves objections; anyone reads the
// public notices and objects while one runs.
type Service struct {
	Store     Store
	Funds     Funds             // the funds ledger a disbursement pays from
	Vouchers  Settler           // settles the vouchers of paid lines; may be nil
	Cache     class.RecordCache // told whose record summaries changed; may be nil
	Catalogue *class.Catalogue
	// NoticePeriod is how long an approved claim's public notice runs (subsidy.notice_period).
	NoticePeriod time.Duration
	// RepeatWindowYears is the window within which one occupation and level is subsidised
	// once per worker (subsidy.repeat_window_years; 0 = ever).
	RepeatWindowYears int
	Location          *time.Location
	Now               func() time.Time
	NewID             func() string // nil means UUID v7
}

// Outcome says what a draft did.
type Outcome string

// Outcomes of a draft.
const (
	Created   Outcome = "created"
	Unchanged Outcome = "unchanged"
)

// Draft makes the claim of the institution's completed class: one line per roster member,
// with the reasons the subsidy is not due and the amount from the class's catalogue entry.
// A class that already has its claim answers that claim (Unchanged); a class that is not
// completed is 409 class_not_completed. The trainees' registry rows are locked for the
// transaction, so that two claims naming one worker cannot both pass the annual limit.
func (s *Service) Draft(ctx context.Context, institutionID, classID string) (Claim, Outcome, error) {
	if !validID(classID) {
		return Claim{}, "", classNotFound()
	}
	var (
		out     Claim
		outcome = Created
	)
	err := s.Store.WithTx(ctx, func(ctx context.Context) error {
		outcome = Created
		c, err := s.Store.LockClass(ctx, classID)
		switch {
		case errs.KindOf(err) == errs.KindNotFound || err == nil && c.InstitutionID != institutionID:
			return classNotFound()
		case err != nil:
			return err
		case c.Status != class.StatusCompleted:
			return errs.Conflict(CodeClassNotCompleted, "only a completed class can be claimed; this one is %s", c.Status)
		}
		existing, err := s.Store.ClaimByClass(ctx, c.ID)
		if err == nil {
			out, outcome = existing, Unchanged
			return nil
		}
		if errs.KindOf(err) != errs.KindNotFound {
			return err
		}
		members, err := s.Store.Members(ctx, c.ID)
		if err != nil {
			return err
		}
		ids := make([]string, len(members))
		for i, m := range members {
			ids[i] = m.WorkerID
		}
		sorted := slices.Clone(ids)
		slices.Sort(sorted)
		if err := s.Store.LockWorkers(ctx, sorted); err != nil {
			return err
		}
		today := civil.DateOf(s.now().In(s.location()))
		facts, err := s.Store.Trainees(ctx, c, members, today)
		if err != nil {
			return err
		}
		priors, err := s.Store.Priors(ctx, ids)
		if err != nil {
			return err
		}
		byWorker := map[string][]Prior{}
		for _, p := range priors {
			byWorker[p.WorkerID] = append(byWorker[p.WorkerID], p)
		}
		out = s.build(c, facts, byWorker)
		if err := s.Store.CreateClaim(ctx, out); err != nil {
			return err
		}
		audit.Touch(ctx, ids...)
		return nil
	})
	if err != nil {
		return Claim{}, "", err
	}
	if outcome == Created {
		s.changed(ctx, out.workerIDs()...)
	}
	return out, outcome, nil
}

// changed tells the cache, after a commit, whose record summaries changed.
func (s *Service) changed(ctx context.Context, workerIDs ...string) {
	if s.Cache != nil && len(workerIDs) > 0 {
		s.Cache.WorkerChanged(context.WithoutCancel(ctx), workerIDs...)
	}
}

// build makes the claim's lines from the trainees' facts and earlier lines.
func (s *Service) build(c class.Class, facts []Facts, priors map[string][]Prior) Claim {
	now := s.now()
	item, _ := s.Catalogue.Item(c.SubsidyItem)
	out := Claim{ID: s.newID(), ClassID: c.ID, InstitutionID: c.InstitutionID, Status: StatusSubmitted,
		CreatedAt: now, UpdatedAt: now, Lines: make([]Line, len(facts))}
	for i, f := range facts {
		f.YearCount, f.SameSubsidised = Count(priors[f.Member.WorkerID], c.EndDate, c.OccupationCode, c.Level, s.RepeatWindowYears)
		reasons := Evaluate(f, item)
		amount := AmountOf(f, reasons, item)
		out.Lines[i] = Line{
			ID: s.newID(), ClaimID: out.ID, Seq: i + 1, WorkerID: f.Member.WorkerID, SSN: f.Member.SSN,
			Name: f.Member.Name, TrainingID: f.TrainingID, Eligible: len(reasons) == 0, AmountCents: amount,
			ClaimedCents: amount, Reasons: reasons, OccupationCode: c.OccupationCode, Level: c.Level,
			EndDate: c.EndDate, CreatedAt: now,
		}
		out.TotalCents += amount
	}
	return out
}

// ForClass returns the claims of the institution's class (at most one), as a page.
func (s *Service) ForClass(ctx context.Context, institutionID, classID string, p page.Request) (page.Result[Claim], error) {
	if !validID(classID) {
		return page.Result[Claim]{}, classNotFound()
	}
	c, err := s.Store.Class(ctx, classID)
	switch {
	case errs.KindOf(err) == errs.KindNotFound || err == nil && c.InstitutionID != institutionID:
		return page.Result[Claim]{}, classNotFound()
	case err != nil:
		return page.Result[Claim]{}, err
	}
	return s.List(ctx, Filter{ClassID: classID, InstitutionID: institutionID}, p)
}

// List returns one page of claims matching f, newest first.
func (s *Service) List(ctx context.Context, f Filter, p page.Request) (page.Result[Claim], error) {
	if f.Status != "" && !IsStatus(f.Status) {
		return page.Result[Claim]{}, errs.Invalid(CodeInvalidStatus, "status must be one of %s", strings.Join(Statuses(), ", ")).
			WithFields(errs.Field("status", CodeInvalidStatus, "not a claim status"))
	}
	after, err := position(p)
	if err != nil {
		return page.Result[Claim]{}, err
	}
	items, err := s.Store.Claims(ctx, f, after, p.Limit+1)
	if err != nil {
		return page.Result[Claim]{}, err
	}
	return page.Trim(items, p.Limit, func(c Claim) string { return key(c.CreatedAt, c.ID) }), nil
}

// Get returns one claim; institutionID "" is the bureau, an institution reads only its own.
func (s *Service) Get(ctx context.Context, institutionID, id string) (Claim, error) {
	if !validID(id) {
		return Claim{}, notFound()
	}
	c, err := s.Store.Claim(ctx, id)
	switch {
	case errs.KindOf(err) == errs.KindNotFound || err == nil && institutionID != "" && c.InstitutionID != institutionID:
		return Claim{}, notFound()
	case err != nil:
		return Claim{}, err
	}
	return c, nil
}

func (s *Service) location() *time.Location {
	if s.Location == nil {
		return time.UTC
	}
	return s.Location
}

// now is the clock in UTC at the microsecond precision that storage keeps.
func (s *Service) now() time.Time { return s.Now().UTC().Truncate(time.Microsecond) }

func (s *Service) newID() string {
	if s.NewID != nil {
		return s.NewID()
	}
	return uuid.Must(uuid.NewV7()).String()
}

func notFound() error      { return errs.NotFound(CodeNotFound, "no such claim") }
func classNotFound() error { return errs.NotFound(CodeNotFound, "no such class") }

// validID reports whether s has the form of an id (a UUID).
func validID(s string) bool {
	_, err := uuid.Parse(s)
	return err == nil && len(s) == 36
}

// key is a list cursor's position: "<unix microseconds>_<id>".
func key(at time.Time, id string) string {
	return strconv.FormatInt(at.UnixMicro(), 10) + "_" + id
}

// position decodes a list cursor; nil for the first page.
func position(p page.Request) (*Position, error) {
	if p.After == "" {
		return nil, nil
	}
	at, id, ok := strings.Cut(p.After, "_")
	us, err := strconv.ParseInt(at, 10, 64)
	if !ok || err != nil || !validID(id) {
		return nil, errs.Invalid("invalid_cursor", "the cursor is not one this service gave out").
			WithFields(errs.Field("cursor", "invalid_cursor", "use next_cursor from the previous page"))
	}
	return &Position{At: time.UnixMicro(us).UTC(), ID: id}, nil
}
