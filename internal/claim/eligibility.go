package claim

import (
	"slices"

	"skillrecord/internal/class"
)

// Evaluate applies the eligibility rules to one trainee under the class's catalogue item:
// the reasons that make the line ineligible, in a fixed order (none = eligible).
func Evaluate(f Facts, it class.Item) []string {
	var out []string
	if f.TrainingID == "" || f.Result != "passed" {
		out = append(out, ReasonNotPassed)
	}
	if f.AttendanceRate < it.MinAttendance {
		out = append(out, ReasonAttendanceBelowMinimum)
	}
	if it.CertificateRequired && !f.HasCertificate {
		out = append(out, ReasonCertificateMissing)
	}
	if f.YearCount >= MaxPerYear {
		out = append(out, ReasonAnnualLimitReached)
	}
	if f.SameSubsidised {
		out = append(out, ReasonOccupationLevel)
	}
	if !f.CardActive {
		out = append(out, ReasonCardInactive)
	}
	if it.RequiresStatus != "" && !slices.Contains(f.Statuses, it.RequiresStatus) {
		out = append(out, ReasonEmploymentStatus)
	}
	if it.VoucherRequired && !f.HasVoucher {
		out = append(out, ReasonVoucherMissing)
	}
	return out
}

// Amount is what an eligible line is worth under the item: its amount, or 0 when reasons
// make it ineligible.
func Amount(reasons []string, it class.Item) Cents {
	if len(reasons) > 0 {
		return 0
	}
	return it.AmountCents
}

// AmountOf is what the trainee's line is worth under the item: Amount, and under a
// voucher_required item at most the voucher's face value.
func AmountOf(f Facts, reasons []string, it class.Item) Cents {
	a := Amount(reasons, it)
	if it.VoucherRequired && a > f.VoucherCents {
		a = f.VoucherCents
	}
	return a
}
