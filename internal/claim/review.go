package claim

import (
	"fmt"
	"strings"

	"skillrecord/internal/class"
	"skillrecord/internal/errs"
	"skillrecord/internal/text"
)

// Review decisions.
const (
	DecisionApprove = "approve"
	DecisionReject  = "reject"
)

// ReviewInput is the JSON request of POST /admin/claims/{id}/review.
type ReviewInput struct {
	Decision    string            `json:"decision"`
	Reason      string            `json:"reason"`
	Adjustments []AdjustmentInput `json:"adjustments,omitempty"`
}

// AdjustmentInput lowers one line's amount.
type AdjustmentInput struct {
	LineID      string `json:"line_id"`
	AmountCents *int64 `json:"amount_cents"`
	Reason      string `json:"reason"`
}

const maxText = 2000

// adjust applies the adjustments to the claim's lines (an adjustment may only lower an
// eligible line, to 0 at least) and recomputes the total; the fields of every bad one are
// listed by index.
func adjust(c *Claim, in []AdjustmentInput) error {
	var bad []errs.FieldError
	seen := map[string]bool{}
	for i, a := range in {
		at := func(field string) string { return fmt.Sprintf("adjustments[%d].%s", i, field) }
		idx := -1
		for j, l := range c.Lines {
			if l.ID == strings.TrimSpace(a.LineID) {
				idx = j
			}
		}
		reason, err := class.ParseReason(a.Reason, true)
		switch {
		case idx < 0 || seen[a.LineID]:
			bad = append(bad, errs.Field(at("line_id"), CodeInvalidAdjustment, "not a line of this claim, or named twice"))
			continue
		case a.AmountCents == nil:
			bad = append(bad, errs.Field(at("amount_cents"), CodeRequired, "amount_cents is required"))
			continue
		case *a.AmountCents < 0 || Cents(*a.AmountCents) > c.Lines[idx].AmountCents:
			bad = append(bad, errs.Field(at("amount_cents"), CodeInvalidAdjustment, "an adjustment may only lower a line, to 0 at least"))
			continue
		case err != nil:
			bad = append(bad, errs.Field(at("reason"), errs.CodeOf(err), "a reason of 1 to 500 characters is required"))
			continue
		}
		seen[a.LineID] = true
		c.Lines[idx].AmountCents, c.Lines[idx].AdjustReason = Cents(*a.AmountCents), reason
	}
	if len(bad) > 0 {
		return errs.Invalid(bad[0].Code, "the adjustments are not valid").WithFields(bad...)
	}
	c.TotalCents = 0
	for _, l := range c.Lines {
		c.TotalCents += l.AmountCents
	}
	return nil
}

// ObjectionInput is the JSON request of POST /public/notices/{id}/objections.
type ObjectionInput struct {
	Text    string `json:"text"`
	Contact string `json:"contact,omitempty"`
}

// parseObjection checks an objection: text 1–2000 characters, contact at most 100.
func parseObjection(in ObjectionInput) (ObjectionInput, error) {
	t, ok := text.Clean(in.Text, maxText)
	if !ok || t == "" {
		return in, errs.Invalid(CodeRequired, "text must be 1 to %d characters without control characters", maxText).
			WithFields(errs.Field("text", CodeRequired, "1 to 2000 characters"))
	}
	contact, ok := text.Clean(in.Contact, 100)
	if !ok {
		return in, errs.Invalid("invalid_contact", "contact must be at most 100 characters without control characters").
			WithFields(errs.Field("contact", "invalid_contact", "at most 100 characters"))
	}
	return ObjectionInput{Text: t, Contact: contact}, nil
}

// ResolveInput is the JSON request of POST /admin/objections/{id}/resolve.
type ResolveInput struct {
	Upheld *bool  `json:"upheld"`
	Reason string `json:"reason"`
}
