package class

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"slices"

	"skillrecord/internal/audit"
	"skillrecord/internal/errs"
	"skillrecord/internal/identity"
	"skillrecord/internal/worker"
)

// retries bounds how often a filing that lost a race on its external_id is compared again.
const retries = 3

// File stores a class filed by the institution: Created (status filed) when it is new,
// Unchanged — with the stored class as it is now — when the institution filed the same class
// with this external_id before. Every roster line is checked against the cardholder registry
// (unknown_cardholder on ssn, name_mismatch on name, by line index); any bad field refuses the
// whole filing (422, nothing written). A different class under a used external_id is 409
// duplicate_conflict. A class filed after its first session began (补录) is accepted and
// raises the supervision flag late_filing in the same transaction.
func (s *Service) File(ctx context.Context, institutionID string, in Input) (Class, Outcome, error) {
	now := s.now()
	f, lines, fields := in.Validate(s.Catalogue, now.In(s.loc()))
	ids, realName, err := s.identify(ctx, lines, 0)
	if err != nil {
		return Class{}, "", err
	}
	if fields = append(fields, realName...); len(fields) > 0 {
		sortFields(fields)
		return Class{}, "", invalid(fields, "class filing")
	}
	c := Class{
		ID: s.newID(), InstitutionID: institutionID, Filing: f, Status: StatusFiled,
		LateFiling: f.Started(now, s.loc()), Digest: digest(f, ids), CreatedAt: now, UpdatedAt: now,
	}
	for _, id := range ids {
		c.Roster = append(c.Roster, Member{WorkerID: id})
	}
	for attempt := 1; ; attempt++ {
		prev, err := s.Store.ClassByExternalID(ctx, institutionID, f.ExternalID)
		switch {
		case err == nil:
			if !slices.Equal(prev.Digest, c.Digest) {
				return Class{}, "", conflict()
			}
			prev, err = s.withMembers(ctx, prev)
			return prev, Unchanged, err
		case errs.KindOf(err) != errs.KindNotFound:
			return Class{}, "", err
		}
		err = s.Store.WithTx(ctx, func(ctx context.Context) error {
			audit.Touch(ctx, ids...)
			if err := s.Store.CreateClass(ctx, c); err != nil {
				return err
			}
			if !c.LateFiling {
				return nil
			}
			return s.Store.AddFlag(ctx, Flag{
				ID: s.newID(), Kind: FlagLateFiling, ClassID: c.ID, At: now, CreatedAt: now,
				Detail: "filed at " + now.In(s.loc()).Format("2006-01-02 15:04") + ", after the first session began at " +
					f.FirstStart(s.loc()).Format("2006-01-02 15:04"),
			})
		})
		if isDuplicate(err) && attempt < retries {
			continue // a concurrent filing of this external_id committed first: compare with it
		}
		if err != nil {
			return Class{}, "", err
		}
		s.changed(ctx, ids...)
		c, err = s.withMembers(ctx, c)
		return c, Created, err
	}
}

// identify runs the real-name check of every good line with one registry lookup: the worker
// id of each line (by line; "" for a bad one) and a field error for each that fails, indexed
// from base.
func (s *Service) identify(ctx context.Context, lines []Line, base int) ([]string, []errs.FieldError, error) {
	ssns := make([]identity.SSN, 0, len(lines))
	for _, l := range lines {
		if l.SSN != "" {
			ssns = append(ssns, l.SSN)
		}
	}
	ids := make([]string, len(lines))
	if len(ssns) == 0 {
		return ids, nil, nil
	}
	known, err := s.Directory.Identify(ctx, ssns)
	if err != nil {
		return nil, nil, err
	}
	var bad []errs.FieldError
	for i, l := range lines {
		if l.SSN == "" {
			continue
		}
		id, code := worker.CheckRealName(s.Directory, known, l.SSN, l.Name)
		switch code {
		case "":
			ids[i] = id
		case worker.CodeUnknownCardholder:
			bad = append(bad, errs.RowField(base+i, FieldSSN, code, "not in the cardholder registry"))
		default:
			bad = append(bad, errs.RowField(base+i, FieldName, code, "does not match the registered name"))
		}
	}
	return ids, bad, nil
}

// digest is the SHA-256 of a filing's content and its roster (as sorted worker ids): the
// idempotency comparison of a filing posted again, stable however the roster is ordered.
func digest(f Filing, workerIDs []string) []byte {
	roster := slices.Clone(workerIDs)
	slices.Sort(roster)
	type session struct{ D, From, To string }
	v := struct {
		F        Filing
		Sessions []session
		Roster   []string
	}{F: f, Roster: roster}
	v.F.Sessions = nil
	for _, s := range f.Sessions {
		v.Sessions = append(v.Sessions, session{s.Date.String(), s.StartsAt.String(), s.EndsAt.String()})
	}
	b, _ := json.Marshal(v) // plain values only: cannot fail
	sum := sha256.Sum256(b)
	return sum[:]
}

func conflict() error {
	return errs.Conflict(CodeDuplicateConflict, "a different class with this external_id exists").
		WithFields(errs.Field(FieldExternalID, CodeDuplicateConflict, "already used for a different class"))
}

// isDuplicate reports a unique-key clash of a write (a concurrent filing won a race).
func isDuplicate(err error) bool {
	return errs.KindOf(err) == errs.KindConflict && errs.CodeOf(err) == CodeDuplicateConflict
}
