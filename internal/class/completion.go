package class

import (
	"crypto/sha256"
	"math"
	"slices"
	"strings"
	"time"

	"skillrecord/internal/errs"
	"skillrecord/internal/identity"
)

// CompletionInput is the JSON request of POST /classes/{id}/completion: one line per roster
// member.
type CompletionInput struct {
	Trainees []TraineeInput `json:"trainees"`
}

// TraineeInput is one trainee's outcome.
type TraineeInput struct {
	SSN           string `json:"ssn"`
	Result        string `json:"result"` // passed or failed
	CertificateNo string `json:"certificate_no,omitempty"`
}

// Trainee is a validated TraineeInput.
type Trainee struct {
	SSN           identity.SSN
	Result        string
	CertificateNo string
}

// Field codes of a completion.
const (
	CodeInvalidResult        = "invalid_result"
	CodeInvalidCertificateNo = "invalid_certificate_no"
	CodeCertificateRequired  = "certificate_required"
	CodeDuplicateTrainee     = "duplicate_trainee"
	CodeMissingTrainee       = "missing_trainee"
)

// The JSON field names of a completion.
const (
	FieldTrainees      = "trainees"
	FieldResult        = "result"
	FieldCertificateNo = "certificate_no"
)

// ParseTrainees checks a completion's lines (by index): a valid SSN, once; a result passed
// or failed; an optional certificate number of 6–32 characters of A-Z, 0-9 and '-'.
func ParseTrainees(in CompletionInput, today time.Time) ([]Trainee, []errs.FieldError) {
	if len(in.Trainees) == 0 {
		return nil, []errs.FieldError{errs.Field(FieldTrainees, CodeRequired, "list every roster member's result")}
	}
	var bad []errs.FieldError
	out := make([]Trainee, len(in.Trainees))
	seen := map[identity.SSN]bool{}
	for i, t := range in.Trainees {
		ssn, err := identity.ParseSSN(t.SSN, today)
		switch {
		case strings.TrimSpace(t.SSN) == "":
			bad = append(bad, errs.RowField(i, FieldSSN, CodeRequired, "ssn is required"))
		case err != nil:
			bad = append(bad, errs.RowField(i, FieldSSN, identity.CodeInvalidSSN, "ssn is not a valid social security number"))
		case seen[ssn]:
			bad = append(bad, errs.RowField(i, FieldSSN, CodeDuplicateTrainee, "the trainee is listed twice"))
		}
		seen[ssn] = true
		result := strings.TrimSpace(t.Result)
		if result != "passed" && result != "failed" {
			bad = append(bad, errs.RowField(i, FieldResult, CodeInvalidResult, "result must be passed or failed"))
		}
		cert := strings.ToUpper(strings.TrimSpace(t.CertificateNo))
		if cert != "" && !validCertificateNo(cert) {
			bad = append(bad, errs.RowField(i, FieldCertificateNo, CodeInvalidCertificateNo, "certificate_no must be 6 to 32 characters of A-Z, 0-9 and '-'"))
		}
		out[i] = Trainee{SSN: ssn, Result: result, CertificateNo: cert}
	}
	return out, bad
}

func validCertificateNo(s string) bool {
	if len(s) < 6 || len(s) > 32 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; (c < 'A' || c > 'Z') && (c < '0' || c > '9') && c != '-' {
			return false
		}
	}
	return true
}

// AttendanceRate is attended / total as a fraction rounded to four decimals (0 when there
// are no sessions).
func AttendanceRate(attended, total int) float64 {
	if total <= 0 {
		return 0
	}
	return math.Round(float64(min(attended, total))/float64(total)*10_000) / 10_000
}

// Subsidy is what a trainee's record is paid under the item: its amount when the trainee
// passed, attended at least the item's minimum share, and holds a certificate where the item
// requires one; else nil (subsidised training without a payable subsidy).
func (it Item) Subsidy(passed bool, rate float64, certificateNo string) *int64 {
	if !passed || rate < it.MinAttendance || (it.CertificateRequired && certificateNo == "") {
		return nil
	}
	v := int64(it.AmountCents)
	return &v
}

// completionDigest is the SHA-256 of a completion's content by worker (order-free): the
// comparison of a completion posted again.
func completionDigest(workerIDs []string, ts []Trainee) []byte {
	lines := make([]string, len(ts))
	for i, t := range ts {
		lines[i] = workerIDs[i] + "|" + t.Result + "|" + t.CertificateNo
	}
	slices.Sort(lines)
	sum := sha256.Sum256([]byte(strings.Join(lines, "\n")))
	return sum[:]
}
