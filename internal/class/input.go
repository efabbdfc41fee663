package class

// Input is the JSON request of a class filing (POST /classes). Like training.Input its fields
// are loose — dates and times are strings, numbers are pointers — so that Validate can tell a
// missing field from a bad one and report every bad field at once.
type Input struct {
	ExternalID     string         `json:"external_id"`
	CourseName     string         `json:"course_name"`
	TrainingType   string         `json:"training_type"`
	OccupationCode string         `json:"occupation_code"`
	OccupationName string         `json:"occupation_name,omitempty"`
	Level          *int           `json:"level,omitempty"`
	SubsidyItem    string         `json:"subsidy_item"`
	Hours          *int           `json:"hours"`
	StartDate      string         `json:"start_date"`
	EndDate        string         `json:"end_date"`
	Sessions       []SessionInput `json:"sessions"`
	Location       string         `json:"location"`
	Teacher        string         `json:"teacher"`
	Capacity       *int           `json:"capacity"`
	Roster         []LineInput    `json:"roster"`
}

// SessionInput is one session of a filing: a date and its local start and end times.
type SessionInput struct {
	Date     string `json:"date"`
	StartsAt string `json:"starts_at"`
	EndsAt   string `json:"ends_at"`
}

// LineInput is one roster line: a worker's SSN and name, real-name checked against the
// cardholder registry.
type LineInput struct {
	SSN  string `json:"ssn"`
	Name string `json:"name"`
}

// RosterChange is the JSON request of PATCH /classes/{id}/roster: lines to add, SSNs to remove.
type RosterChange struct {
	Add    []LineInput `json:"add"`
	Remove []string    `json:"remove"`
}

// ReasonInput is the JSON request of a cancellation.
type ReasonInput struct {
	Reason string `json:"reason"`
}

// ReviewInput is the JSON request of the bureau's review.
type ReviewInput struct {
	Decision string `json:"decision"` // approve or reject
	Reason   string `json:"reason"`
}

// Review decisions.
const (
	DecisionApprove = "approve"
	DecisionReject  = "reject"
)

// The JSON field names of a filing.
const (
	FieldExternalID     = "external_id"
	FieldCourseName     = "course_name"
	FieldTrainingType   = "training_type"
	FieldOccupationCode = "occupation_code"
	FieldOccupationName = "occupation_name"
	FieldLevel          = "level"
	FieldSubsidyItem    = "subsidy_item"
	FieldHours          = "hours"
	FieldStartDate      = "start_date"
	FieldEndDate        = "end_date"
	FieldSessions       = "sessions"
	FieldLocation       = "location"
	FieldTeacher        = "teacher"
	FieldCapacity       = "capacity"
	FieldRoster         = "roster"
	FieldSSN            = "ssn"
	FieldName           = "name"
	FieldRemove         = "remove"
	FieldReason         = "reason"
	FieldDecision       = "decision"
)

// Field codes of a filing (training's and identity's codes are reused where they mean the
// same: required, invalid_external_id, invalid_ssn, invalid_date, …).
const (
	CodeRequired            = "required"
	CodeInvalidExternalID   = "invalid_external_id"
	CodeInvalidText         = "invalid_text"
	CodeInvalidTrainingType = "invalid_training_type"
	CodeInvalidLevel        = "invalid_level"
	CodeInvalidHours        = "invalid_hours"
	CodeInvalidDate         = "invalid_date"
	CodeInvalidDateRange    = "invalid_date_range"
	CodeInvalidSession      = "invalid_session"
	CodeDuplicateSession    = "duplicate_session"
	CodeInvalidCapacity     = "invalid_capacity"
	CodeOverCapacity        = "over_capacity"
	CodeUnknownSubsidyItem  = "unknown_subsidy_item"
	CodeCatalogueMismatch   = "catalogue_mismatch"
	CodeDuplicateInRoster   = "duplicate_in_roster"
	CodeNotOnRoster         = "not_on_roster"
	CodeInvalidDecision     = "invalid_decision"
	CodeInvalidReason       = "invalid_reason"
	CodeInvalidRosterChange = "invalid_roster_change"
	CodeInvalidFiling       = "invalid_filing"
)

// Bounds of a filing.
const (
	MaxCapacity = 1000
	MaxSessions = 400
	MaxHours    = 2000
	maxExternal = 64
	maxCourse   = 200
	maxOccName  = 100
	maxLocation = 200
	maxTeacher  = 50
	maxName     = 50
	maxReason   = 500
)
