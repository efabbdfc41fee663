package worker

import (
	"strings"
	"time"

	"skillrecord/internal/errs"
	"skillrecord/internal/identity"
)

// Field names of a registry row, as the CSV header and the JSON objects spell them.
const (
	FieldSSN        = "ssn"
	FieldName       = "name"
	FieldCardNumber = "card_number"
	FieldIssueArea  = "issue_area"
	FieldCardStatus = "card_status"
	FieldIssuedOn   = "issued_on"
)

// Columns lists the fields of a registry row in the order of docs/domain.md's CSV header.
var Columns = [...]string{FieldSSN, FieldName, FieldCardNumber, FieldIssueArea, FieldCardStatus, FieldIssuedOn}

// Codes of row errors besides those of package identity and ParseName.
const (
	CodeRequired          = "required"
	CodeInvalidCardStatus = "invalid_card_status"
	CodeInvalidDate       = "invalid_date"
	CodeCardConflict      = "card_conflict"
)

// ImportRow is one registry row as it arrives, before validation.
type ImportRow struct {
	SSN        string `json:"ssn"`
	Name       string `json:"name"`
	CardNumber string `json:"card_number"`
	IssueArea  string `json:"issue_area"`
	CardStatus string `json:"card_status"`
	IssuedOn   string `json:"issued_on"`
}

// china is the bureau's zone: "today" is the civil date in China Standard Time.
var china = time.FixedZone("CST", 8*60*60)

// Parse validates the row and returns the cardholder it describes, or the problems of every bad
// field in column order. ssn, name, card_number and issue_area are required; an empty
// card_status means active and an empty issued_on means the date is not known. issued_on must be
// a real date written YYYY-MM-DD, from 1900-01-01 up to today (China Standard Time). The field
// errors never contain the values.
func (r ImportRow) Parse(now time.Time) (Cardholder, []errs.FieldError) {
	var (
		c     Cardholder
		bad   []errs.FieldError
		err   error
		local = now.In(china)
	)
	fail := func(field string, err error) {
		e := errs.As(err)
		bad = append(bad, errs.Field(field, e.Code, e.Message))
	}
	missing := func(field, raw string) bool {
		if strings.TrimSpace(raw) != "" {
			return false
		}
		bad = append(bad, errs.Field(field, CodeRequired, field+" is required"))
		return true
	}

	if !missing(FieldSSN, r.SSN) {
		if c.SSN, err = identity.ParseSSN(r.SSN, local); err != nil {
			fail(FieldSSN, err)
		}
	}
	if !missing(FieldName, r.Name) {
		if c.Name, err = ParseName(r.Name); err != nil {
			fail(FieldName, err)
		}
	}
	if !missing(FieldCardNumber, r.CardNumber) {
		if c.CardNumber, err = identity.ParseCardNumber(r.CardNumber); err != nil {
			fail(FieldCardNumber, err)
		}
	}
	if !missing(FieldIssueArea, r.IssueArea) {
		if c.IssueArea, err = identity.ParseAreaCode(r.IssueArea); err != nil {
			fail(FieldIssueArea, err)
		}
	}
	c.CardStatus = CardActive
	if s := strings.TrimSpace(r.CardStatus); s != "" {
		c.CardStatus = CardStatus(strings.ToLower(s))
		if !c.CardStatus.Valid() {
			bad = append(bad, errs.Field(FieldCardStatus, CodeInvalidCardStatus, "card_status must be active, lost, replaced or cancelled"))
		}
	}
	if s := strings.TrimSpace(r.IssuedOn); s != "" {
		d, err := ParseDate(s)
		if err != nil || d.Before(Date{Y: 1900, M: 1, D: 1}) || d.After(DateOf(local)) {
			bad = append(bad, errs.Field(FieldIssuedOn, CodeInvalidDate, "issued_on must be a real date written YYYY-MM-DD, not after today"))
		} else {
			c.IssuedOn = d
		}
	}
	if len(bad) > 0 {
		return Cardholder{}, bad
	}
	return c, nil
}

// set stores value in the field named column; it reports false for an unknown column.
func (r *ImportRow) set(column, value string) bool {
	switch column {
	case FieldSSN:
		r.SSN = value
	case FieldName:
		r.Name = value
	case FieldCardNumber:
		r.CardNumber = value
	case FieldIssueArea:
		r.IssueArea = value
	case FieldCardStatus:
		r.CardStatus = value
	case FieldIssuedOn:
		r.IssuedOn = value
	default:
		return false
	}
	return true
}
