package class

import (
	"context"
	"slices"
	"strings"
	"time"

	"skillrecord/internal/audit"
	"skillrecord/internal/civil"
	"skillrecord/internal/errs"
	"skillrecord/internal/identity"
)

// Field names and codes of a bulk check-in's validation.
const (
	FieldSessionDate = "session_date"
	FieldEntries     = "entries"
	FieldCheckedInAt = "checked_in_at"
	FieldMethod      = "method"
	CodeInvalidTime  = "invalid_time"
	CodeInvalidMeth  = "invalid_method"
	CodeTooMany      = "too_many_entries"
)

// BulkInput is the JSON request of POST /classes/{id}/checkins.
type BulkInput struct {
	SessionDate string       `json:"session_date"`
	Entries     []EntryInput `json:"entries"`
}

// EntryInput is one line of a bulk check-in: the worker's SSN (real-name: it must be on the
// roster), when the device or sheet saw them (RFC 3339) and how.
type EntryInput struct {
	SSN         string `json:"ssn"`
	CheckedInAt string `json:"checked_in_at"`
	Method      string `json:"method"`
}

// Refused is a bulk line that was refused, with the kind of the flag it raised.
type Refused struct {
	Index int
	Code  string
}

// BulkResult is what a bulk check-in did: how many lines were accepted (a line repeating a
// stored check-in counts, without a second row) and which were refused.
type BulkResult struct {
	Accepted int
	Refused  []Refused
}

type entry struct {
	ssn    identity.SSN
	at     time.Time
	method string
}

// deviceSkew is how far ahead of the server's clock a device's check-in time may be.
const deviceSkew = time.Minute

// institutionMethods are the methods an institution may post.
var institutionMethods = []string{MethodCardReader, MethodFaceDevice, MethodSignSheet, MethodManual}

// Bulk stores the check-ins an institution's devices or sheets recorded for one session of its
// approved class. Lines that pass the rules of a phone check-in (on the roster, inside the
// session's window and not more than a minute ahead of now, no overlapping check-in in another class) are stored;
// the others are refused, each with a supervision flag, in the same transaction. Errors: 422
// for a malformed request (nothing stored), 404 for a class that is not the institution's, 409
// invalid_transition for a class that is not approved.
func (a *Checkins) Bulk(ctx context.Context, institutionID, classID string, in BulkInput) (BulkResult, error) {
	now := a.now()
	date, entries, err := a.parseBulk(in, now)
	if err != nil {
		return BulkResult{}, err
	}
	c, err := a.ownClass(ctx, institutionID, classID)
	if err != nil {
		return BulkResult{}, err
	}
	if c.Status != StatusApproved {
		return BulkResult{}, notApproved(c.Status)
	}
	ssns := make([]identity.SSN, len(entries))
	for i, e := range entries {
		ssns[i] = e.ssn
	}
	known, err := a.Directory.Identify(ctx, ssns)
	if err != nil {
		return BulkResult{}, err
	}
	session, held := c.SessionOn(date)
	kinds := make([]string, len(entries))
	ids := make([]string, len(entries))
	var candidates []string
	for i, e := range entries {
		w, ok := known[e.ssn]
		ids[i] = w.WorkerID
		switch {
		case !ok || !c.OnRoster(w.WorkerID):
			kinds[i] = FlagNotOnRoster
		case !held || !InWindow(session, e.at, a.Location) || e.at.After(now.Add(deviceSkew)):
			kinds[i] = FlagOutsideSession
		default:
			candidates = append(candidates, w.WorkerID)
		}
	}
	overlapping := map[string]bool{}
	if len(candidates) > 0 {
		if overlapping, err = a.Store.Overlapping(ctx, candidates, c.ID, session); err != nil {
			return BulkResult{}, err
		}
	}
	var (
		res   BulkResult
		rows  []Checkin
		flags []Flag
		seen  = map[string]bool{}
	)
	for i, e := range entries {
		if kinds[i] == "" && overlapping[ids[i]] {
			kinds[i] = FlagOverlap
		}
		if kinds[i] != "" {
			res.Refused = append(res.Refused, Refused{Index: i, Code: kinds[i]})
			flags = append(flags, Flag{ID: a.newID(), Kind: kinds[i], ClassID: c.ID, WorkerID: ids[i], At: e.at,
				Detail: "bulk check-in line " + e.method + " for " + date.String(), CreatedAt: now})
			continue
		}
		res.Accepted++
		if seen[ids[i]] {
			continue
		}
		seen[ids[i]] = true
		rows = append(rows, Checkin{ID: a.newID(), ClassID: c.ID, WorkerID: ids[i], SessionDate: date,
			CheckedInAt: e.at, Method: e.method, CreatedAt: now})
	}
	err = a.Store.WithTx(ctx, func(ctx context.Context) error {
		for _, id := range ids {
			if id != "" {
				audit.Touch(ctx, id)
			}
		}
		if len(rows) > 0 {
			if _, err := a.Store.AddCheckins(ctx, rows); err != nil {
				return err
			}
		}
		if len(flags) > 0 {
			return a.Store.AddFlags(ctx, flags)
		}
		return nil
	})
	if err != nil {
		return BulkResult{}, err
	}
	return res, nil
}

// parseBulk checks a bulk check-in's format: every bad field at once, 422, nothing stored.
func (a *Checkins) parseBulk(in BulkInput, now time.Time) (civil.Date, []entry, error) {
	var fields []errs.FieldError
	date, err := civil.ParseDate(strings.TrimSpace(in.SessionDate))
	switch {
	case strings.TrimSpace(in.SessionDate) == "":
		fields = append(fields, errs.Field(FieldSessionDate, CodeRequired, "session_date is required"))
	case err != nil:
		fields = append(fields, errs.Field(FieldSessionDate, CodeInvalidDate, "session_date must be a date YYYY-MM-DD"))
	}
	switch {
	case len(in.Entries) == 0:
		fields = append(fields, errs.Field(FieldEntries, CodeRequired, "at least one entry is required"))
	case len(in.Entries) > MaxCheckinEntries:
		fields = append(fields, errs.Field(FieldEntries, CodeTooMany, "at most 1000 entries a request"))
	}
	if len(fields) > 0 {
		return civil.Date{}, nil, invalid(fields, "bulk check-in")
	}
	today := now.In(a.Location)
	out := make([]entry, len(in.Entries))
	for i, raw := range in.Entries {
		ssn, err := identity.ParseSSN(raw.SSN, today)
		if err != nil {
			fields = append(fields, errs.RowField(i, FieldSSN, identity.CodeInvalidSSN, "not a valid social security number"))
		}
		at, err := time.Parse(time.RFC3339, strings.TrimSpace(raw.CheckedInAt))
		if err != nil {
			fields = append(fields, errs.RowField(i, FieldCheckedInAt, CodeInvalidTime, "checked_in_at must be an RFC 3339 instant"))
		}
		if !slices.Contains(institutionMethods, raw.Method) {
			fields = append(fields, errs.RowField(i, FieldMethod, CodeInvalidMeth, "method must be card_reader, face_device, sign_sheet or manual"))
		}
		out[i] = entry{ssn: ssn, at: at.UTC().Truncate(time.Microsecond), method: raw.Method}
	}
	if len(fields) > 0 {
		return civil.Date{}, nil, invalid(fields, "bulk check-in")
	}
	return date, out, nil
}

// IssueCode returns the current rotating code of the institution's approved class: 404 for a
// class that is not the institution's, 409 invalid_transition unless it is approved.
func (a *Checkins) IssueCode(ctx context.Context, institutionID, classID string) (Code, error) {
	c, err := a.ownClass(ctx, institutionID, classID)
	if err != nil {
		return Code{}, err
	}
	if c.Status != StatusApproved {
		return Code{}, notApproved(c.Status)
	}
	return a.Codes.Issue(c.ID, a.now()), nil
}

// ownClass reads the institution's class; another's answers 404 like one that does not exist.
func (a *Checkins) ownClass(ctx context.Context, institutionID, id string) (Class, error) {
	if !validID(id) {
		return Class{}, notFound()
	}
	c, err := a.Store.Class(ctx, id)
	switch {
	case errs.KindOf(err) == errs.KindNotFound:
		return Class{}, notFound()
	case err != nil:
		return Class{}, err
	case c.InstitutionID != institutionID:
		return Class{}, notFound()
	}
	return c, nil
}

func notApproved(status string) error {
	return errs.Conflict(CodeInvalidTransition, "attendance is recorded only for an approved class; this one is %s", status)
}
