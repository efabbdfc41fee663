package worker

import (
	"context"
	"strings"
	"time"

	"skillrecord/internal/auth"
	"skillrecord/internal/errs"
	"skillrecord/internal/identity"
)

// Codes of Activate's refusals.
const (
	// CodeRegistryMismatch answers every activation whose SSN, name and card number do not
	// together match a registered worker and that worker's current (active) card: an unknown
	// SSN, a wrong name, a wrong card, a card that is no longer current and a worker with no
	// active card all answer alike, so the answer never tells which part was wrong.
	CodeRegistryMismatch = "registry_mismatch"
	// CodeAlreadyActivated answers the activation of an account that is already active.
	CodeAlreadyActivated = "already_activated"
)

// ActivateInput is what a worker proves and chooses when activating their account.
type ActivateInput struct {
	SSN        string
	Name       string
	CardNumber string
	Password   string
}

// Activation is the outcome of a successful activation.
type Activation struct {
	WorkerID string // the opaque id of the worker
}

// Activate turns a registered cardholder into a worker who can sign in. The fields are checked
// first (required, invalid_ssn, invalid_name, invalid_card_number, and the password policy of
// auth.ValidatePassword: weak_password), all before the registry is consulted, so that these
// answers reveal nothing about it. Then the SSN, the name (in the normal form of ParseName)
// and the number of the worker's current active card must all match the registry, or the
// answer is errs Invalid registry_mismatch, the same whichever part is wrong. A worker who has
// already activated gets errs Conflict already_activated.
func Activate(ctx context.Context, store Store, in ActivateInput, now time.Time) (Activation, error) {
	ssn, name, card, err := validateActivation(in, now)
	if err != nil {
		return Activation{}, err
	}
	// The worker stays locked from the check of their card to the activation's commit, so that
	// a cardholder import replacing the card cannot slip in between.
	var id string
	err = store.LockWorker(ctx, ssn, func(ctx context.Context, w Worker) error {
		current, ok := w.CurrentCard()
		if !ok || current.Number != card || w.Name != name {
			return mismatch()
		}
		if w.Activated() {
			return alreadyActivated()
		}
		hash, err := auth.HashPassword(in.Password)
		if err != nil {
			return errs.Internal(err, "hash password")
		}
		if err := store.Activate(ctx, w.ID, hash, now.UTC().Truncate(time.Microsecond)); err != nil {
			if errs.KindOf(err) == errs.KindConflict {
				return alreadyActivated().WithCause(err)
			}
			return err
		}
		id = w.ID
		return nil
	})
	switch {
	case errs.KindOf(err) == errs.KindNotFound:
		return Activation{}, mismatch()
	case err != nil:
		return Activation{}, err
	}
	return Activation{WorkerID: id}, nil
}

// validateActivation checks the form of every field and reports all bad ones at once; the
// error's code is that of the first.
func validateActivation(in ActivateInput, now time.Time) (identity.SSN, string, string, error) {
	var (
		bad  []errs.FieldError
		ssn  identity.SSN
		name string
		card string
		err  error
	)
	check := func(field, raw string, parse func(string) error) {
		if strings.TrimSpace(raw) == "" {
			bad = append(bad, errs.Field(field, CodeRequired, field+" is required"))
			return
		}
		if err := parse(raw); err != nil {
			e := errs.As(err)
			bad = append(bad, errs.Field(field, e.Code, e.Message))
		}
	}
	check(FieldSSN, in.SSN, func(s string) error { ssn, err = identity.ParseSSN(s, now.In(china)); return err })
	check(FieldName, in.Name, func(s string) error { name, err = ParseName(s); return err })
	check(FieldCardNumber, in.CardNumber, func(s string) error { card, err = identity.ParseCardNumber(s); return err })
	if in.Password == "" {
		bad = append(bad, errs.Field("password", CodeRequired, "password is required"))
	} else if err := auth.ValidatePassword("password", in.Password); err != nil {
		bad = append(bad, errs.As(err).Fields...)
	}
	if len(bad) > 0 {
		return "", "", "", errs.Invalid(bad[0].Code, "the activation request is not valid").WithFields(bad...)
	}
	return ssn, name, card, nil
}

func mismatch() *errs.Error {
	return errs.Invalid(CodeRegistryMismatch, "the social security number, name and card number do not match a cardholder and their current card in the registry")
}

func alreadyActivated() *errs.Error {
	return errs.Conflict(CodeAlreadyActivated, "this account has already been activated; sign in instead")
}
