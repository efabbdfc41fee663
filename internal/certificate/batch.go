package certificate

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"strings"

	"skillrecord/internal/errs"
)

// MaxBatch is the most certificates one batch may carry.
const MaxBatch = 1000

// Codes of the batch-level errors (the same words as the training batch).
const (
	CodeBatchTooLarge    = "batch_too_large"    // Invalid: more certificates than allowed
	CodeEmptyBatch       = "empty_batch"        // Invalid: no certificates
	CodeInvalidBatch     = "invalid_batch"      // Invalid: some row breaks a rule
	CodeDuplicateInBatch = "duplicate_in_batch" // a certificate_no repeated in the batch
	CodeMalformedJSON    = "malformed_json"     // Malformed: not the expected JSON
	CodeWrongType        = "wrong_type"         // a value or cell of the wrong type
)

// ParseBatchJSON reads a batch body {"certificates":[...]} into inputs, in order: a body that is
// not that one object, or a certificate with a field that is not part of it or of the wrong
// JSON type, is errs.Malformed (malformed_json or unknown_field, listing every such row by its
// 0-based index); no certificates is empty_batch and more than limit batch_too_large
// (errs.Invalid; limit ≤ 0 means no limit).
func ParseBatchJSON(r io.Reader, limit int) ([]Input, error) {
	var body struct {
		Certificates []json.RawMessage `json:"certificates"`
	}
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&body); err != nil {
		if strings.HasPrefix(err.Error(), "json: unknown field ") {
			return nil, errs.Malformed("unknown_field", "the body may hold only certificates")
		}
		return nil, errs.Malformed(CodeMalformedJSON, "the body must be a JSON object {\"certificates\": [...]}")
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, errs.Malformed(CodeMalformedJSON, "the body holds more than one JSON value")
	}
	if err := checkCount(len(body.Certificates), limit); err != nil {
		return nil, err
	}
	inputs := make([]Input, len(body.Certificates))
	var bad []errs.FieldError
	unknown := false
	for i, raw := range body.Certificates {
		d := json.NewDecoder(bytes.NewReader(raw))
		d.DisallowUnknownFields()
		if err := d.Decode(&inputs[i]); err != nil {
			var typ *json.UnmarshalTypeError
			switch {
			case strings.HasPrefix(err.Error(), "json: unknown field "):
				unknown = true
				name := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
				bad = append(bad, errs.RowField(i, name, "unknown_field", "this field is not part of a certificate"))
			case errors.As(err, &typ) && typ.Field != "":
				bad = append(bad, errs.RowField(i, typ.Field, CodeWrongType, "has the wrong JSON type"))
			default:
				bad = append(bad, errs.RowField(i, "certificates", CodeWrongType, "each certificate must be a JSON object"))
			}
		}
	}
	switch {
	case unknown:
		return nil, errs.Malformed("unknown_field", "some certificates hold fields that are not part of a certificate").WithFields(bad...)
	case len(bad) > 0:
		return nil, errs.Malformed(CodeMalformedJSON, "some certificates hold values of the wrong JSON type").WithFields(bad...)
	}
	return inputs, nil
}

func checkCount(n, limit int) error {
	switch {
	case n == 0:
		return errs.Invalid(CodeEmptyBatch, "the batch holds no certificates")
	case limit > 0 && n > limit:
		return errs.Invalid(CodeBatchTooLarge, "the batch holds %d certificates; at most %d are allowed", n, limit)
	}
	return nil
}
