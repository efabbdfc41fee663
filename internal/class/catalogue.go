package class

import (
	"slices"
	"strings"

	"skillrecord/configs"
)

// Cents is an amount of money in fen (分), the smallest unit of the yuan.
type Cents int64

// DefaultMinAttendance is the share of sessions a trainee must attend when an item names none.
const DefaultMinAttendance = 0.8

// Catalogue is one version of the subsidy catalogue (configs/subsidy-catalogue.yaml). Build it
// with ParseCatalogue or DefaultCatalogue; it does not change afterwards, so one value serves
// every request.
type Catalogue struct {
	Version string
	Items   []Item
}

// Item is one entry of the catalogue: what a subsidised class of this kind must be, and what
// it pays.
type Item struct {
	Key                 string
	Name                string
	TrainingTypes       []string
	OccupationCodes     []string // exact codes, or prefixes ending in "*"
	Level               *int     // the required target level, or nil for any
	AmountCents         Cents    // the subsidy per trainee
	MinAttendance       float64  // 0–1
	CertificateRequired bool
	// RequiresStatus is the employment status a trainee must hold on the class's start date
	// (StatusUnemployedRegistered or StatusInsured), or "" for none.
	RequiresStatus string
	// VoucherRequired says that a trainee's line is subsidised only with a training voucher
	// used on the class.
	VoucherRequired bool
}

// Employment statuses a catalogue item may require on the class's start date.
const (
	StatusUnemployedRegistered = "unemployed_registered" // 失业登记
	StatusInsured              = "insured"               // 参保
)

// DefaultCatalogue returns the catalogue built into the binary. It panics if that file is
// invalid, which a test guards against; each call returns a fresh value.
func DefaultCatalogue() *Catalogue {
	c, err := ParseCatalogue(configs.SubsidyCatalogueYAML)
	if err != nil {
		panic("class: the built-in subsidy-catalogue.yaml is invalid: " + err.Error())
	}
	return c
}

// Item returns the entry with the key.
func (c *Catalogue) Item(key string) (Item, bool) {
	for _, it := range c.Items {
		if it.Key == key {
			return it, true
		}
	}
	return Item{}, false
}

// MatchesOccupation reports whether code is one of the item's codes or starts with one of its
// prefixes.
func (it Item) MatchesOccupation(code string) bool {
	for _, c := range it.OccupationCodes {
		if p, ok := strings.CutSuffix(c, "*"); ok {
			if strings.HasPrefix(code, p) {
				return true
			}
		} else if c == code {
			return true
		}
	}
	return false
}

// Mismatches lists the fields of f that do not fit the item: training_type, occupation_code,
// level (in that order; none when it fits).
func (it Item) Mismatches(f Filing) []string {
	var out []string
	if !slices.Contains(it.TrainingTypes, f.TrainingType) {
		out = append(out, FieldTrainingType)
	}
	if !it.MatchesOccupation(f.OccupationCode) {
		out = append(out, FieldOccupationCode)
	}
	if it.Level != nil && (f.Level == nil || *f.Level != *it.Level) {
		out = append(out, FieldLevel)
	}
	return out
}
