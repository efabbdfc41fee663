package training

// Input is the JSON request shape of one training record (POST /trainings, one element of
// POST /trainings/batch, one row of a CSV or XLSX batch). Its fields are deliberately loose —
// dates are strings, numbers and booleans are pointers — so that Validate can tell a missing
// field from a bad one and report every bad field at once; a value of the wrong JSON type is
// left to the decoder (400). Field names are the JSON names of the API contract.
type Input struct {
	ExternalID         string   `json:"external_id"`
	SSN                string   `json:"ssn"`
	Name               string   `json:"name"`
	CourseName         string   `json:"course_name"`
	TrainingType       string   `json:"training_type"`
	OccupationCode     string   `json:"occupation_code"`
	OccupationName     string   `json:"occupation_name,omitempty"`
	Level              *int     `json:"level,omitempty"`
	Hours              *int     `json:"hours"`
	StartDate          string   `json:"start_date"`
	EndDate            string   `json:"end_date"`
	Result             string   `json:"result"`
	Subsidized         *bool    `json:"subsidized,omitempty"`
	SubsidyAmountCents *int64   `json:"subsidy_amount_cents,omitempty"`
	TraineeGroups      []string `json:"trainee_groups,omitempty"`
}

// The JSON field names of a record, in the order in which Validate checks them.
const (
	FieldExternalID         = "external_id"
	FieldSSN                = "ssn"
	FieldName               = "name"
	FieldCourseName         = "course_name"
	FieldTrainingType       = "training_type"
	FieldOccupationCode     = "occupation_code"
	FieldOccupationName     = "occupation_name"
	FieldLevel              = "level"
	FieldHours              = "hours"
	FieldStartDate          = "start_date"
	FieldEndDate            = "end_date"
	FieldResult             = "result"
	FieldSubsidized         = "subsidized"
	FieldSubsidyAmountCents = "subsidy_amount_cents"
	FieldTraineeGroups      = "trainee_groups"
)

// The codes of the field errors Validate and the batch functions report. The SSN and the
// occupation code use identity's codes (invalid_ssn, invalid_occupation_code).
const (
	CodeRequired              = "required"
	CodeInvalidExternalID     = "invalid_external_id"
	CodeInvalidName           = "invalid_name"
	CodeInvalidCourseName     = "invalid_course_name"
	CodeInvalidTrainingType   = "invalid_training_type"
	CodeInvalidOccupationName = "invalid_occupation_name"
	CodeInvalidLevel          = "invalid_level"
	CodeInvalidHours          = "invalid_hours"
	CodeInvalidDate           = "invalid_date"
	CodeInvalidDateRange      = "invalid_date_range"
	CodeInvalidResult         = "invalid_result"
	CodeInvalidSubsidy        = "invalid_subsidy"
	CodeInvalidTraineeGroup   = "invalid_trainee_group"
	CodeInvalidReason         = "invalid_reason"
	CodeWrongType             = "wrong_type"
	CodeDuplicateInBatch      = "duplicate_in_batch"
)

// Bounds of the numeric fields.
const (
	MinHours = 1
	MaxHours = 2000
	MinLevel = 1 // 高级技师
	MaxLevel = 5 // 初级工
	// MaxSubsidyAmountCents bounds one record's subsidy (100 million yuan): far above any real
	// training subsidy, low enough that sums over millions of records cannot overflow.
	MaxSubsidyAmountCents = 10_000_000_000
)

// requiredFields are the fields without which a record is refused; a CSV or XLSX batch must
// have a column for each. subsidized (default false), trainee_groups (default none),
// occupation_name, level and subsidy_amount_cents are optional.
var requiredFields = [...]string{
	FieldExternalID, FieldSSN, FieldName, FieldCourseName, FieldTrainingType,
	FieldOccupationCode, FieldHours, FieldStartDate, FieldEndDate, FieldResult,
}
