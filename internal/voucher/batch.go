package voucher

import (
	"slices"
	"strings"

	"github.com/google/uuid"

	"skillrecord/internal/class"
	"skillrecord/internal/errs"
	"skillrecord/internal/fund"
	"skillrecord/internal/text"
	"skillrecord/internal/training"
)

// Bounds of a batch.
const (
	MaxValidDays      = 90
	MaxQuantity       = 1_000_000
	maxFaceValueCents = 100_000_000
	maxListed         = 200
)

// ParseBatch validates a batch request against the catalogue: every problem is a field of one
// 422 invalid_batch.
func ParseBatch(in BatchInput, cat *class.Catalogue) (Batch, error) {
	var bad []errs.FieldError
	field := func(name, code, msg string) { bad = append(bad, errs.Field(name, code, msg)) }
	b := Batch{Key: strings.TrimSpace(in.Key), Kind: strings.TrimSpace(in.Kind), SubsidyItem: strings.TrimSpace(in.SubsidyItem),
		FaceValueCents: Cents(in.FaceValueCents), ValidDays: in.ValidDays, Quantity: in.Quantity,
		FundSource: strings.TrimSpace(in.FundSource), Status: BatchOpen}
	if !validKey(b.Key) {
		field("key", "invalid_key", "1 to 64 characters of a-z, 0-9, '_' and '-'")
	}
	name, ok := text.Clean(in.Name, 200)
	if !ok || name == "" {
		field("name", "invalid_name", "1 to 200 characters")
	}
	b.Name = name
	if b.Kind != KindGeneral && b.Kind != KindDirected {
		field("kind", "invalid_kind", "general or directed")
	}
	if _, ok := cat.Item(b.SubsidyItem); !ok {
		field("subsidy_item", "unknown_subsidy_item", "a key of the subsidy catalogue")
	}
	if b.FaceValueCents <= 0 || b.FaceValueCents > maxFaceValueCents {
		field("face_value_cents", "invalid_amount", "from 1 to 100000000 fen")
	}
	if b.ValidDays < 1 || b.ValidDays > MaxValidDays {
		field("valid_days", "invalid_valid_days", "from 1 to 90")
	}
	if b.Quantity < 1 || b.Quantity > MaxQuantity {
		field("quantity", "invalid_quantity", "from 1 to 1000000")
	}
	if !fund.IsSource(b.FundSource) {
		field("fund_source", fund.CodeInvalidSource, "employment_subsidy, unemployment_insurance or skills_upgrade_account")
	}
	e := in.Eligible
	for _, g := range e.TraineeGroups {
		if !training.IsGroup(g) {
			field("eligible.trainee_groups", "invalid_trainee_group", "a trainee group")
		}
	}
	for _, oc := range e.OccupationCodes {
		if !validOccupation(oc) {
			field("eligible.occupation_codes", "invalid_occupation_code", "a code d-dd-dd-dd or a prefix ending in *")
		}
	}
	for _, id := range e.InstitutionIDs {
		if _, err := uuid.Parse(id); err != nil || len(id) != 36 {
			field("eligible.institution_ids", "invalid_institution_id", "an organisation id")
		}
	}
	for _, a := range e.CardAreas {
		if !digits(a) || len(a) < 2 || len(a) > 6 {
			field("eligible.card_areas", "invalid_card_area", "2 to 6 digits of an area code")
		}
	}
	if len(e.TraineeGroups) > maxListed || len(e.OccupationCodes) > maxListed || len(e.InstitutionIDs) > maxListed || len(e.CardAreas) > maxListed {
		field("eligible", "too_many", "at most 200 entries a list")
	}
	b.Eligible = e
	if len(bad) > 0 {
		return Batch{}, errs.Invalid(CodeInvalidBatch, "the voucher batch is not valid").WithFields(bad...)
	}
	return b, nil
}

// Same reports whether two batches were asked for with the same fields (an idempotent repeat).
func (b Batch) Same(o Batch) bool {
	return b.Key == o.Key && b.Name == o.Name && b.Kind == o.Kind && b.SubsidyItem == o.SubsidyItem &&
		b.FaceValueCents == o.FaceValueCents && b.ValidDays == o.ValidDays && b.Quantity == o.Quantity &&
		b.FundSource == o.FundSource && slices.Equal(b.Eligible.TraineeGroups, o.Eligible.TraineeGroups) &&
		slices.Equal(b.Eligible.OccupationCodes, o.Eligible.OccupationCodes) &&
		slices.Equal(b.Eligible.InstitutionIDs, o.Eligible.InstitutionIDs) && slices.Equal(b.Eligible.CardAreas, o.Eligible.CardAreas)
}

// Admits reports whether the worker may claim a voucher of the batch: one of its trainee
// groups and one of its card areas, where the batch names any.
func (b Batch) Admits(p Profile) bool {
	if len(b.Eligible.TraineeGroups) > 0 && !slices.ContainsFunc(p.Groups, func(g string) bool {
		return slices.Contains(b.Eligible.TraineeGroups, g)
	}) {
		return false
	}
	if len(b.Eligible.CardAreas) > 0 && !slices.ContainsFunc(p.Areas, func(a string) bool {
		return slices.ContainsFunc(b.Eligible.CardAreas, func(pre string) bool { return strings.HasPrefix(a, pre) })
	}) {
		return false
	}
	return true
}

// Scope is where the batch's vouchers may be used.
func (b Batch) Scope() Scope {
	return Scope{SubsidyItem: b.SubsidyItem, OccupationCodes: b.Eligible.OccupationCodes, InstitutionIDs: b.Eligible.InstitutionIDs}
}

// Fits reports whether a voucher of the scope may be used on the class: the class's subsidy
// item, one of the occupations and one of the institutions, where the scope names any.
func (s Scope) Fits(c class.Class) bool {
	if c.SubsidyItem != s.SubsidyItem {
		return false
	}
	if len(s.OccupationCodes) > 0 && !(class.Item{OccupationCodes: s.OccupationCodes}).MatchesOccupation(c.OccupationCode) {
		return false
	}
	return len(s.InstitutionIDs) == 0 || slices.Contains(s.InstitutionIDs, c.InstitutionID)
}

func validKey(s string) bool {
	if s == "" || len(s) > 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9', c == '_', c == '-':
		default:
			return false
		}
	}
	return true
}

func digits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// validOccupation accepts a code d-dd-dd-dd or a prefix of one followed by "*".
func validOccupation(s string) bool {
	p, wild := strings.CutSuffix(s, "*")
	const shape = "d-dd-dd-dd"
	if (!wild && len(p) != len(shape)) || len(p) > len(shape) || (wild && len(p) == len(shape)) {
		return false
	}
	for i := 0; i < len(p); i++ {
		if shape[i] == '-' {
			if p[i] != '-' {
				return false
			}
		} else if p[i] < '0' || p[i] > '9' {
			return false
		}
	}
	return true
}
