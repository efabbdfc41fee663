package worker

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"iter"
	"reflect"
	"regexp"
	"strings"

	"skillrecord/internal/errs"
	"skillrecord/internal/strictjson"
)

// ReadJSON streams the rows of a JSON body {"cardholders": [row, …]}, decoding one row at a time
// so that the body is never held whole. Rows are objects with the string fields of ImportRow
// (null counts as empty); unknown fields, in a row or beside "cardholders", are refused. The
// sequence stops after yielding an error: errs Malformed with code malformed_json or
// unknown_field (with the row index when a row is at fault), malformed_body (with the read
// error as its cause, e.g. *http.MaxBytesError) when the body cannot be read, or errs Invalid
// code required when the body has no "cardholders" array. A body that is not valid UTF-8 stops
// the sequence with strictjson's invalid_utf8 before the bad bytes are decoded, and a key that
// names a field only when case is ignored ("Name" for name) is an unknown field. Error messages
// never contain values.
func ReadJSON(body io.Reader) iter.Seq2[ImportRow, error] { return ReadJSONOf(body, cardholders) }

// ReadJSONOf is ReadJSON for a body {t.Key: [row, …]} of the rows of table t.
func ReadJSONOf[R any](body io.Reader, t Table[R]) iter.Seq2[R, error] {
	return func(yield func(R, error) bool) {
		var zero R
		dec := json.NewDecoder(strictjson.UTF8Reader(body))
		dec.DisallowUnknownFields()
		if err := t.expectDelim(dec, '{'); err != nil {
			yield(zero, err)
			return
		}
		found := false
		for dec.More() {
			tok, err := dec.Token()
			if err != nil {
				yield(zero, t.jsonError(err, -1))
				return
			}
			key, _ := tok.(string)
			if key != t.Key {
				yield(zero, t.unknownField(key, -1))
				return
			}
			if found {
				yield(zero, errs.Malformed("malformed_json", "the body names %s twice", t.Key))
				return
			}
			found = true
			if !t.readRows(dec, yield) {
				return
			}
		}
		if err := t.expectDelim(dec, '}'); err != nil {
			yield(zero, err)
			return
		}
		if _, err := dec.Token(); !errors.Is(err, io.EOF) {
			if err == nil {
				err = errs.Malformed("malformed_json", "the body holds more than one JSON value")
			}
			yield(zero, t.jsonError(err, -1))
			return
		}
		if !found {
			yield(zero, errs.Invalid(CodeRequired, "the body must hold a %s array", t.Key).
				WithFields(errs.Field(t.Key, CodeRequired, "an array of rows is required")))
		}
	}
}

// readRows reads the rows array (or null) and yields its rows. It reports whether the caller
// should go on.
func (t Table[R]) readRows(dec *json.Decoder, yield func(R, error) bool) bool {
	var zero R
	tok, err := dec.Token()
	if err != nil {
		yield(zero, t.jsonError(err, -1))
		return false
	}
	if tok == nil {
		return true // "rows": null is an empty list
	}
	if d, ok := tok.(json.Delim); !ok || d != '[' {
		yield(zero, errs.Malformed("malformed_json", "%s must be an array", t.Key).
			WithFields(errs.Field(t.Key, "wrong_type", "must be an array")))
		return false
	}
	for i := 0; dec.More(); i++ {
		row, err := decodeRow[R](dec)
		if err != nil {
			yield(zero, t.jsonError(err, i))
			return false
		}
		if !yield(row, nil) {
			return false
		}
	}
	if err := t.expectDelim(dec, ']'); err != nil {
		yield(zero, err)
		return false
	}
	return true
}

// decodeRow decodes the next row strictly: no unknown fields, keys spelled exactly.
func decodeRow[R any](dec *json.Decoder) (R, error) {
	var (
		raw json.RawMessage
		row R
	)
	if err := dec.Decode(&raw); err != nil {
		return row, err
	}
	d := json.NewDecoder(bytes.NewReader(raw))
	d.DisallowUnknownFields()
	if err := d.Decode(&row); err != nil {
		return row, err
	}
	if name, ok := strictjson.ExactKeys(raw, reflect.TypeFor[*R]()); ok {
		return row, fmt.Errorf("json: unknown field %q", name)
	}
	return row, nil
}

// expectDelim reads the next token and fails unless it is the delimiter want.
func (t Table[R]) expectDelim(dec *json.Decoder, want json.Delim) error {
	tok, err := dec.Token()
	if err != nil {
		return t.jsonError(err, -1)
	}
	if d, ok := tok.(json.Delim); !ok || d != want {
		if want == '{' {
			return errs.Malformed("malformed_json", "the body must be a JSON object {\"%s\": [...]}", t.Key)
		}
		return errs.Malformed("malformed_json", "the body is not valid JSON")
	}
	return nil
}

// fieldName is what an unknown field may be called in an answer: a plain identifier, or nothing.
var fieldName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]{0,63}$`)

func (t Table[R]) unknownField(name string, index int) error {
	if !fieldName.MatchString(name) {
		name = "(unnamed)"
	}
	fe := errs.Field(name, "unknown_field", "this field is not part of a "+t.Noun)
	if index >= 0 {
		fe = errs.RowField(index, name, "unknown_field", "this field is not part of a "+t.Noun)
	} else {
		fe.Message = "this field is not part of the request"
	}
	return errs.Malformed("unknown_field", "the body has a field that is not part of the request").WithFields(fe)
}

// jsonError classifies a decoding failure; index is the row at fault, or -1.
func (t Table[R]) jsonError(err error, index int) error {
	if e := errs.As(err); e != nil {
		return e
	}
	var (
		syntax *json.SyntaxError
		typ    *json.UnmarshalTypeError
	)
	where := ""
	if index >= 0 {
		where = " in a row of " + t.Key
	}
	switch {
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return errs.Malformed("malformed_json", "the body ends before the JSON value does")
	case errors.As(err, &syntax):
		return errs.Malformed("malformed_json", "the body is not valid JSON (at byte %d)", syntax.Offset)
	case errors.As(err, &typ):
		field := typ.Field
		if field == "" {
			field = t.Key
		}
		msg := "must be a string"
		if field == t.Key {
			msg = "each row must be an object"
		}
		fe := errs.Field(field, "wrong_type", msg)
		if index >= 0 {
			fe = errs.RowField(index, field, "wrong_type", msg)
		}
		return errs.Malformed("malformed_json", "a value%s has the wrong type", where).WithFields(fe)
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		return t.unknownField(strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`), index)
	default:
		return errs.Malformed("malformed_body", "the request body could not be read").WithCause(err)
	}
}
