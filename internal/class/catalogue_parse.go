package class

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"

	"go.yaml.in/yaml/v3"

	"skillrecord/internal/identity"
	"skillrecord/internal/training"
)

type catalogueFile struct {
	Version string     `yaml:"version"`
	Items   []itemFile `yaml:"items"`
}

type itemFile struct {
	Key                 string   `yaml:"key"`
	Name                string   `yaml:"name"`
	TrainingTypes       []string `yaml:"training_types"`
	OccupationCodes     []string `yaml:"occupation_codes"`
	Level               *int     `yaml:"level"`
	AmountCents         *int64   `yaml:"amount_cents"`
	MinAttendance       *float64 `yaml:"min_attendance"`
	CertificateRequired *bool    `yaml:"certificate_required"`
	RequiresStatus      string   `yaml:"requires_status"`
	VoucherRequired     bool     `yaml:"voucher_required"`
}

// maxAmountCents bounds one item's subsidy per trainee (1 million yuan).
const maxAmountCents = 100_000_000

// ParseCatalogue reads a subsidy catalogue. Unknown keys are errors; so are a missing or
// malformed version, no items, a repeated or malformed key, an unknown training type, an
// occupation code that is neither a code nor a prefix ending in *, a level outside 1–5, a
// negative amount, a min_attendance outside 0–1 and a missing certificate_required. The error
// lists every problem.
func ParseCatalogue(data []byte) (*Catalogue, error) {
	var f catalogueFile
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&f); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, errors.New("subsidy catalogue: the file is empty")
		}
		return nil, fmt.Errorf("subsidy catalogue: %w", err)
	}
	var p []string
	bad := func(format string, args ...any) { p = append(p, fmt.Sprintf(format, args...)) }
	if !validKey(f.Version, true) {
		bad("version must be 1 to 64 characters of A-Z, a-z, 0-9, '.', '_' and '-'")
	}
	if len(f.Items) == 0 {
		bad("items: at least one item is needed")
	}
	c := &Catalogue{Version: f.Version}
	seen := map[string]bool{}
	for i, in := range f.Items {
		at := fmt.Sprintf("items[%d]", i)
		it := Item{Key: in.Key, Name: strings.TrimSpace(in.Name), TrainingTypes: in.TrainingTypes,
			OccupationCodes: in.OccupationCodes, Level: in.Level, MinAttendance: DefaultMinAttendance}
		switch {
		case !validKey(in.Key, false):
			bad("%s.key must be 1 to 64 characters of a-z, 0-9 and '_'", at)
		case seen[in.Key]:
			bad("%s.key %q repeats an earlier item", at, in.Key)
		}
		seen[in.Key] = true
		if it.Name == "" {
			bad("%s.name is missing", at)
		}
		if len(in.TrainingTypes) == 0 {
			bad("%s.training_types: at least one is needed", at)
		}
		for _, t := range in.TrainingTypes {
			if !training.IsType(t) {
				bad("%s.training_types: %q is not a training type", at, t)
			}
		}
		if len(in.OccupationCodes) == 0 {
			bad("%s.occupation_codes: at least one is needed", at)
		}
		for _, oc := range in.OccupationCodes {
			if !validOccupationPattern(oc) {
				bad("%s.occupation_codes: %q is neither a code d-dd-dd-dd nor a prefix ending in *", at, oc)
			}
		}
		if in.Level != nil && (*in.Level < training.MinLevel || *in.Level > training.MaxLevel) {
			bad("%s.level must be from 1 to 5", at)
		}
		switch {
		case in.AmountCents == nil:
			bad("%s.amount_cents is missing", at)
		case *in.AmountCents < 0 || *in.AmountCents > maxAmountCents:
			bad("%s.amount_cents must be from 0 to %d", at, maxAmountCents)
		default:
			it.AmountCents = Cents(*in.AmountCents)
		}
		if in.MinAttendance != nil {
			if *in.MinAttendance < 0 || *in.MinAttendance > 1 {
				bad("%s.min_attendance must be from 0 to 1", at)
			}
			it.MinAttendance = *in.MinAttendance
		}
		if in.CertificateRequired == nil {
			bad("%s.certificate_required is missing (true or false)", at)
		} else {
			it.CertificateRequired = *in.CertificateRequired
		}
		switch in.RequiresStatus {
		case "", StatusUnemployedRegistered, StatusInsured:
			it.RequiresStatus = in.RequiresStatus
		default:
			bad("%s.requires_status must be unemployed_registered or insured", at)
		}
		it.VoucherRequired = in.VoucherRequired
		c.Items = append(c.Items, it)
	}
	if len(p) > 0 {
		return nil, errors.New("subsidy catalogue: " + strings.Join(p, "; "))
	}
	return c, nil
}

// validKey reports whether s is 1–64 characters of a-z, 0-9 and '_' (a version also allows
// A-Z, '.' and '-').
func validKey(s string, version bool) bool {
	if s == "" || len(s) > 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9', c == '_':
		case version && (c >= 'A' && c <= 'Z' || c == '.' || c == '-'):
		default:
			return false
		}
	}
	return true
}

// validOccupationPattern accepts a whole occupation code, or a prefix of one (digits and
// hyphens in the code's shape, possibly empty) followed by "*".
func validOccupationPattern(s string) bool {
	p, wild := strings.CutSuffix(s, "*")
	if !wild {
		_, err := identity.ParseOccupationCode(s)
		return err == nil && s == strings.TrimSpace(s)
	}
	const shape = "d-dd-dd-dd"
	if len(p) >= len(shape) {
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
