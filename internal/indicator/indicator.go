package indicator

import (
	"math"

	"skillrecord/internal/civil"
)

// Date is the domain's civil date.
type Date = civil.Date

// Key names one row of the indicator table.
type Key string

// The rows of docs/domain.md's 专栏1 table, in its order.
const (
	SubsidizedTraining       Key = "subsidized_training"
	MigrantWorkerTraining    Key = "migrant_worker_training"
	GoldBlueCollar           Key = "gold_blue_collar"
	Apprenticeship           Key = "apprenticeship"
	EntrepreneurshipTraining Key = "entrepreneurship_training"
	HighSkillTalent          Key = "high_skill_talent"
	NewCertificates          Key = "new_certificates"
	NewHighSkill             Key = "new_high_skill"
	PublicTrainingBases      Key = "public_training_bases"
	NationalHighSkillBases   Key = "national_high_skill_bases"
	MasterStudios            Key = "master_studios"
)

// Measure is what a row counts, which fixes the units it may be reported in.
type Measure int

// Measures.
const (
	Records      Measure = iota + 1 // 人次: records (person-times)
	Workers                         // 人: distinct workers
	Designations                    // 个: designations granted
)

// Designation kinds (package org's vocabulary) that the designation rows count.
const (
	KindPublicTrainingBase     = "public_training_base"
	KindNationalHighSkillBase  = "national_high_skill_base"
	KindProvincialMasterStudio = "provincial_master_studio"
	KindNationalMasterStudio   = "national_master_studio"
)

// valueScale is 10^4: values are rounded to 4 decimals, and targets may have at most 4.
const valueScale = 1e4

// Counts are the raw numbers the Store computes for a period, one field per thing counted.
type Counts struct {
	SubsidizedTrainings       int64 // non-void subsidised records ending in the period
	MigrantWorkerTrainings    int64 // of those, with trainee group migrant_worker
	GoldBlueCollarWorkers     int64 // distinct workers with a non-void gold_blue_collar record ending in the period
	ApprenticeshipWorkers     int64 // distinct workers with a non-void apprenticeship record ending in the period
	EntrepreneurshipTrainings int64 // non-void entrepreneurship records ending in the period
	HighSkillWorkers          int64 // distinct holders of a valid level 1–3 skill certificate at the end date
	NewCertificates           int64 // skill_level + vocational_qualification issued in the period, not revoked by its end
	NewHighSkillCertificates  int64 // of those, level 1–3
	Designations              map[string]int64
}

// row is one entry of the catalogue: a key, what it counts, and where its count comes from.
type row struct {
	key     Key
	measure Measure
	count   func(Counts) int64
}

// catalogue is docs/domain.md's table in its order. The YAML gives names, units and targets; what
// each key counts is decided here only.
var catalogue = [...]row{
	{SubsidizedTraining, Records, func(c Counts) int64 { return c.SubsidizedTrainings }},
	{MigrantWorkerTraining, Records, func(c Counts) int64 { return c.MigrantWorkerTrainings }},
	{GoldBlueCollar, Workers, func(c Counts) int64 { return c.GoldBlueCollarWorkers }},
	{Apprenticeship, Workers, func(c Counts) int64 { return c.ApprenticeshipWorkers }},
	{EntrepreneurshipTraining, Records, func(c Counts) int64 { return c.EntrepreneurshipTrainings }},
	{HighSkillTalent, Workers, func(c Counts) int64 { return c.HighSkillWorkers }},
	{NewCertificates, Records, func(c Counts) int64 { return c.NewCertificates }},
	{NewHighSkill, Records, func(c Counts) int64 { return c.NewHighSkillCertificates }},
	{PublicTrainingBases, Designations, func(c Counts) int64 { return c.Designations[KindPublicTrainingBase] }},
	{NationalHighSkillBases, Designations, func(c Counts) int64 { return c.Designations[KindNationalHighSkillBase] }},
	{MasterStudios, Designations, func(c Counts) int64 {
		return c.Designations[KindProvincialMasterStudio] + c.Designations[KindNationalMasterStudio]
	}},
}

// Keys returns the table's keys in order (a fresh slice).
func Keys() []Key {
	out := make([]Key, len(catalogue))
	for i, r := range catalogue {
		out[i] = r.key
	}
	return out
}

// Row is one computed row of the table.
type Row struct {
	Key       Key
	Name      string
	Unit      string
	Count     int64   // the raw number: records, workers or designations
	Value     float64 // Count in Unit: Count/10000 for 万 units (4 decimals), else Count
	Target    float64 // in Unit
	Attribute string  // 预期性
	Met       bool    // Value ≥ Target
}

// Report is the table for one period.
type Report struct {
	Period Period
	Rows   []Row
}

// value converts a count into a unit with the given scale, rounded to 4 decimals.
func value(count, scale int64) float64 {
	if scale == 1 {
		return float64(count)
	}
	return math.Round(float64(count)/float64(scale)*valueScale) / valueScale
}
