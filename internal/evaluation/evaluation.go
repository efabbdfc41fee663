package evaluation

import (
	"math"

	"skillrecord/internal/class"
)

// Cents is an amount of money in fen (分).
type Cents = class.Cents

// Figures are one institution's figures over the classes that ended in a period.
type Figures struct {
	InstitutionID    string
	InstitutionName  string
	Classes          int64 // approved or completed classes ending in the period
	Completed        int64 // of those, completed
	Trainees         int64 // their roster members
	Records          int64 // the non-void training records their completions produced
	Passed           int64
	AttendanceSum    float64 // the sum of the records' attendance rates
	Flags            map[string]int64
	ObjectionsUpheld int64
	DisputesUpheld   int64 // disputes of the institution's records or lines upheld, raised in the period
	ClaimedCents     Cents
	ApprovedCents    Cents
	DisbursedCents   Cents
	Certificates     int64 // trainees holding a valid certificate of their class's occupation
	VouchersUsed     int64 // training vouchers used (or settled) on the classes
}

func rate(n, d int64) *float64 {
	if d == 0 {
		return nil
	}
	r := math.Round(float64(n)/float64(d)*10_000) / 10_000
	return &r
}

// CompletionRate is completed classes / classes (nil when there are none).
func (f Figures) CompletionRate() *float64 { return rate(f.Completed, f.Classes) }

// PassRate is passed records / records (nil when there are none).
func (f Figures) PassRate() *float64 { return rate(f.Passed, f.Records) }

// MeanAttendance is the mean attendance rate of the records (nil when there are none).
func (f Figures) MeanAttendance() *float64 {
	if f.Records == 0 {
		return nil
	}
	r := math.Round(f.AttendanceSum/float64(f.Records)*10_000) / 10_000
	return &r
}

// CostPerCertificate is the subsidy disbursed per certificate held (nil without certificates).
func (f Figures) CostPerCertificate() *Cents {
	if f.Certificates == 0 {
		return nil
	}
	c := f.DisbursedCents / Cents(f.Certificates)
	return &c
}
