package fund

import "skillrecord/internal/class"

// Cents is an amount of money in fen (分), the catalogue's type.
type Cents = class.Cents

// Fund sources.
const (
	SourceEmploymentSubsidy     = "employment_subsidy"     // 就业补助资金
	SourceUnemploymentInsurance = "unemployment_insurance" // 失业保险基金
	SourceSkillsUpgradeAccount  = "skills_upgrade_account" // 职业技能提升行动专账
)

var sourceList = [...]string{SourceEmploymentSubsidy, SourceUnemploymentInsurance, SourceSkillsUpgradeAccount}

// Sources returns every fund source in its canonical order (a fresh slice).
func Sources() []string { return append([]string(nil), sourceList[:]...) }

// IsSource reports whether s is a fund source, spelled exactly.
func IsSource(s string) bool {
	for _, v := range sourceList {
		if v == s {
			return true
		}
	}
	return false
}

// Codes of the fund use cases' errors.
const (
	CodeInvalidSource    = "invalid_source"    // Invalid: not a fund source
	CodeInvalidYear      = "invalid_year"      // Invalid: not a year 2000–2100
	CodeInvalidAmount    = "invalid_amount"    // Invalid: a negative or missing amount
	CodeBudgetExceeded   = "budget_exceeded"   // Conflict: the disbursement would overdraw the budget
	CodeAlreadyDisbursed = "already_disbursed" // Conflict: the line (or claim) was paid before
)

// Budget is one source's budget for one calendar year and what was paid from it.
type Budget struct {
	Source         string
	Year           int
	BudgetCents    Cents
	DisbursedCents Cents
}

// Balance is what is left to pay.
func (b Budget) Balance() Cents { return b.BudgetCents - b.DisbursedCents }

// Covers reports whether the budget can pay amount more.
func (b Budget) Covers(amount Cents) bool { return b.DisbursedCents+amount <= b.BudgetCents }
