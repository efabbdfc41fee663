package training

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"

	"skillrecord/internal/errs"
	"skillrecord/internal/strictjson"
)

// Codes of the batch-level errors.
const (
	CodeBatchTooLarge   = "batch_too_large"  // Invalid: more records than allowed
	CodeEmptyBatch      = "empty_batch"      // Invalid: no records
	CodeInvalidBatch    = "invalid_batch"    // Invalid: some record breaks a rule
	CodeMalformedJSON   = "malformed_json"   // Malformed: not the expected JSON
	CodeUnknownField    = "unknown_field"    // Malformed: a JSON field that is not part of a record
	CodeMalformedCSV    = "malformed_csv"    // Malformed: not readable as UTF-8 CSV
	CodeMalformedXLSX   = "malformed_xlsx"   // Malformed: not a readable XLSX workbook
	CodeUnknownColumn   = "unknown_column"   // Malformed: a header that is not a field name
	CodeMissingColumn   = "missing_column"   // Malformed: a required field has no column
	CodeDuplicateColumn = "duplicate_column" // Malformed: a field has two columns
)

// ParseBatchJSON reads a batch body {"records":[...]} into inputs, one per record, in order.
//
// It refuses, as errs.Malformed, a body that is not that one JSON object (malformed_json), a
// field that is not part of the body or of a record (unknown_field), and record values of the
// wrong JSON type (malformed_json); every such record is listed as a FieldError with its 0-based
// index, code unknown_field or wrong_type. It refuses, as errs.Invalid, a batch of more than
// limit records (batch_too_large; limit ≤ 0 means no limit) and one without records (empty_batch).
// The values themselves are checked later by ValidateBatch. A body that is not valid UTF-8 is
// refused first (errs.Malformed, strictjson's invalid_utf8), and a key that names a field
// only when case is ignored ("Hours" for hours) is an unknown field like any other.
func ParseBatchJSON(r io.Reader, limit int) ([]Input, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, errs.Malformed(CodeMalformedJSON, "the request body could not be read").WithCause(err)
	}
	if err := strictjson.CheckUTF8(data); err != nil {
		return nil, err
	}
	var body batchBody
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&body); err != nil {
		return nil, bodyError(err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, errs.Malformed(CodeMalformedJSON, "the body holds more than one JSON value")
	}
	if name, ok := strictjson.ExactKeys(data, batchBodyType); ok {
		return nil, errs.Malformed(CodeUnknownField, "unknown field %q", name).
			WithFields(errs.Field(name, CodeUnknownField, "this field is not part of the request"))
	}
	if err := checkCount(len(body.Records), limit); err != nil {
		return nil, err
	}
	inputs := make([]Input, len(body.Records))
	var fields []errs.FieldError
	unknown := false
	for i, raw := range body.Records {
		d := json.NewDecoder(bytes.NewReader(raw))
		d.DisallowUnknownFields()
		err := d.Decode(&inputs[i])
		if err == nil {
			if name, ok := strictjson.ExactKeys(raw, inputType); ok {
				err = fmt.Errorf("json: unknown field %q", name)
			}
		}
		if err != nil {
			fe := recordError(i, err)
			unknown = unknown || fe.Code == CodeUnknownField
			fields = append(fields, fe)
		}
	}
	switch {
	case unknown:
		return nil, errs.Malformed(CodeUnknownField, "%s fields that are not part of a training record", recordsHold(len(fields))).WithFields(fields...)
	case len(fields) > 0:
		return nil, errs.Malformed(CodeMalformedJSON, "%s values of the wrong JSON type", recordsHold(len(fields))).WithFields(fields...)
	}
	return inputs, nil
}

// batchBody is the envelope of a JSON batch.
type batchBody struct {
	Records []json.RawMessage `json:"records"`
}

var (
	batchBodyType = reflect.TypeFor[*batchBody]()
	inputType     = reflect.TypeFor[*Input]()
)

// checkCount applies the batch size limits.
func checkCount(n, limit int) error {
	switch {
	case n == 0:
		return errs.Invalid(CodeEmptyBatch, "the batch holds no records")
	case limit > 0 && n > limit:
		return errs.Invalid(CodeBatchTooLarge, "the batch holds %d records; at most %d are allowed", n, limit)
	}
	return nil
}

// bodyError translates a decoding error of the batch envelope.
func bodyError(err error) error {
	var typ *json.UnmarshalTypeError
	switch {
	case errors.Is(err, io.EOF):
		return errs.Malformed(CodeMalformedJSON, "the request body is empty")
	case errors.As(err, &typ):
		return errs.Malformed(CodeMalformedJSON, "the body must be an object whose records field is an array of objects")
	}
	if name, ok := unknownField(err); ok {
		return errs.Malformed(CodeUnknownField, "unknown field %q", name).
			WithFields(errs.Field(name, CodeUnknownField, "this field is not part of the request"))
	}
	return errs.Malformed(CodeMalformedJSON, "the body is not valid JSON")
}

// recordError describes why record i could not be decoded.
func recordError(i int, err error) errs.FieldError {
	var typ *json.UnmarshalTypeError
	if errors.As(err, &typ) {
		field := typ.Field
		if field == "" {
			return errs.RowField(i, "records", CodeWrongType, "each record must be a JSON object")
		}
		return errs.RowField(i, field, CodeWrongType, "must be "+jsonKind(typ.Type.Kind().String()))
	}
	if name, ok := unknownField(err); ok {
		return errs.RowField(i, name, CodeUnknownField, "this field is not part of a training record")
	}
	return errs.RowField(i, "records", CodeWrongType, "the record is not valid JSON")
}

// unknownField extracts the field name of encoding/json's unknown-field error. The name comes
// from the request's keys, never from its values.
func unknownField(err error) (string, bool) {
	const prefix = "json: unknown field "
	msg := err.Error()
	if !strings.HasPrefix(msg, prefix) {
		return "", false
	}
	return strings.Trim(strings.TrimPrefix(msg, prefix), `"`), true
}

func jsonKind(goKind string) string {
	switch goKind {
	case "string":
		return "a string"
	case "bool":
		return "true or false"
	case "slice", "array":
		return "an array"
	case "ptr", "struct", "map":
		return "an object"
	default:
		return "an integer"
	}
}

// recordsHold starts a message about n records: "1 record holds", "3 records hold".
func recordsHold(n int) string {
	if n == 1 {
		return "1 record holds"
	}
	return fmt.Sprintf("%d records hold", n)
}
