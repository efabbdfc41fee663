package org

import (
	"context"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"skillrecord/internal/errs"
	"skillrecord/internal/identity"
	"skillrecord/internal/page"
)

// Type is an organisation's kind; its clients act with the role of the same name.
type Type string

// Organisation types.
const (
	TrainingInstitution Type = "training_institution"
	EvaluationOrg       Type = "evaluation_org"
	Employer            Type = "employer"
	College             Type = "college"
	DataExchange        Type = "data_exchange" // the bureau's employment and social-security systems
)

// Status is an organisation's standing in the directory.
type Status string

// Statuses. Only an active organisation's credentials work.
const (
	Active    Status = "active"
	Suspended Status = "suspended"
	Removed   Status = "removed"
)

// Designation kinds counted by the indicators.
var designationKinds = map[string]bool{
	"public_training_base": true, "national_high_skill_base": true,
	"provincial_master_studio": true, "national_master_studio": true,
}

// Designation is a title granted to an organisation on a date (YYYY-MM-DD).
type Designation struct {
	Kind      string
	GrantedOn time.Time // UTC midnight
}

// Org is one organisation of the directory.
type Org struct {
	ID           string
	Name         string
	Type         Type
	CreditCode   string
	RegionCode   string
	Status       Status
	StatusReason string
	Designations []Designation
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// Filter narrows a listing; empty fields match everything.
type Filter struct {
	Type   Type
	Status Status
}

// Store keeps organisations. Create returns an errs Conflict on a duplicate credit code; Get
// returns NotFound for an unknown id. Update runs fn on the current value inside a transaction
// and stores what it returns.
type Store interface {
	CreateOrg(ctx context.Context, o Org) error
	GetOrg(ctx context.Context, id string) (Org, error)
	ListOrgs(ctx context.Context, f Filter, p page.Request) ([]Org, error) // up to p.Limit+1, ordered by id
	UpdateOrg(ctx context.Context, id string, fn func(*Org) error) (Org, error)
}

// CreateInput is a new organisation as the bureau submits it.
type CreateInput struct {
	Name         string
	Type         string
	CreditCode   string
	RegionCode   string
	Designations []DesignationInput
}

// DesignationInput is a designation as submitted.
type DesignationInput struct {
	Kind      string
	GrantedOn string
}

// ValidType reports whether t is an organisation type.
func ValidType(t string) bool {
	switch Type(t) {
	case TrainingInstitution, EvaluationOrg, Employer, College, DataExchange:
		return true
	}
	return false
}

// ValidStatus reports whether s is a status.
func ValidStatus(s string) bool {
	switch Status(s) {
	case Active, Suspended, Removed:
		return true
	}
	return false
}

// Validate checks a new organisation and returns it normalised (status active).
func (in CreateInput) Validate(id string, now time.Time) (Org, error) {
	var fields []errs.FieldError
	name := strings.TrimSpace(in.Name)
	if n := utf8.RuneCountInString(name); n < 1 || n > 200 {
		fields = append(fields, errs.Field("name", "invalid_name", "1 to 200 characters"))
	}
	if !ValidType(in.Type) {
		fields = append(fields, errs.Field("type", "invalid_type", "training_institution, evaluation_org, employer or college"))
	}
	code, err := identity.ParseCreditCode(in.CreditCode)
	if err != nil {
		fields = append(fields, errs.Field("credit_code", "invalid_credit_code", "an 18-character unified social credit code with a valid check character"))
	}
	region, err := identity.ParseAreaCode(in.RegionCode)
	if err != nil {
		fields = append(fields, errs.Field("region_code", "invalid_area_code", "a 6-digit administrative area code"))
	}
	desigs, dfields := ValidateDesignations(in.Designations, now)
	fields = append(fields, dfields...)
	if len(fields) > 0 {
		return Org{}, errs.Invalid(fields[0].Code, "the organisation is not valid").WithFields(fields...)
	}
	return Org{
		ID: id, Name: name, Type: Type(in.Type), CreditCode: string(code), RegionCode: region,
		Status: Active, Designations: desigs, CreatedAt: now.UTC(), UpdatedAt: now.UTC(),
	}, nil
}

// ValidateDesignations checks designations: a known kind, a real date not after today, no
// duplicates.
func ValidateDesignations(in []DesignationInput, now time.Time) ([]Designation, []errs.FieldError) {
	var (
		out    []Designation
		fields []errs.FieldError
		seen   = map[string]bool{}
	)
	today := now.UTC().Truncate(24 * time.Hour)
	for i, d := range in {
		prefix := "designations[" + strconv.Itoa(i) + "]"
		if !designationKinds[d.Kind] {
			fields = append(fields, errs.Field(prefix+".kind", "invalid_designation", "public_training_base, national_high_skill_base, provincial_master_studio or national_master_studio"))
			continue
		}
		day, err := time.Parse(time.DateOnly, d.GrantedOn)
		if err != nil || day.After(today) {
			fields = append(fields, errs.Field(prefix+".granted_on", "invalid_date", "a date YYYY-MM-DD, not in the future"))
			continue
		}
		key := d.Kind + "|" + d.GrantedOn
		if seen[key] {
			fields = append(fields, errs.Field(prefix, "duplicate_designation", "listed twice"))
			continue
		}
		seen[key] = true
		out = append(out, Designation{Kind: d.Kind, GrantedOn: day})
	}
	return out, fields
}
