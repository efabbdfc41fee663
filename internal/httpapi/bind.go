package httpapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"reflect"
	"strings"

	"github.com/gin-gonic/gin"

	"skillrecord/internal/errs"
	"skillrecord/internal/strictjson"
)

// bindJSON decodes the request body into dst. Unknown fields, trailing data and bodies that
// are not JSON objects are 400 malformed_json / unknown_field; an oversized body is 413.
func bindJSON(c *gin.Context, dst any) error {
	body, err := readJSONBody(c.Request)
	if err != nil {
		return err
	}
	return decodeJSON(body, dst)
}

// readJSONBody reads r's body after checking that it is declared as JSON (or not declared):
// another media type is 415, a body over the route's limit 413 (bodyLimit).
func readJSONBody(r *http.Request) ([]byte, error) {
	if ct := r.Header.Get("Content-Type"); ct != "" {
		mt, _, err := mime.ParseMediaType(ct)
		if err != nil || (mt != "application/json" && !strings.HasSuffix(mt, "+json")) {
			return nil, errs.Unsupported("unsupported_media_type", "send the body as application/json")
		}
	}
	if r.Body == nil {
		return nil, nil // what io.ReadAll of http.NoBody gives: decodeJSON answers "empty"
	}
	body, err := io.ReadAll(r.Body)
	if err != nil {
		return nil, bodyError(err)
	}
	return body, nil
}

// decodeJSON strictly decodes one JSON value from body: a body that is not valid UTF-8 is 400
// invalid_utf8 before any decoding, and a key that names a field only when case is ignored
// ("Hours" for hours) is an unknown field like any other.
func decodeJSON(body []byte, dst any) error {
	if err := strictjson.CheckUTF8(body); err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		return jsonError(err)
	}
	if dec.More() {
		return errs.Malformed("malformed_json", "the body holds more than one JSON value")
	}
	if key, ok := strictjson.ExactKeys(body, reflect.TypeOf(dst)); ok {
		return unknownField(key)
	}
	return nil
}

// unknownField is the 400 of a body key that is not part of the request.
func unknownField(name string) error {
	return errs.Malformed("unknown_field", "unknown field %q", name).
		WithFields(errs.Field(name, "unknown_field", "this field is not part of the request"))
}

func jsonError(err error) error {
	var (
		syntax *json.SyntaxError
		typ    *json.UnmarshalTypeError
	)
	if e := errs.As(err); e != nil {
		return e // a field type's own validation (e.g. credits in tenths) keeps its code
	}
	switch {
	case errors.Is(err, io.EOF):
		return errs.Malformed("malformed_json", "the request body is empty")
	case errors.As(err, &syntax):
		return errs.Malformed("malformed_json", "the body is not valid JSON (at byte %d)", syntax.Offset)
	case errors.As(err, &typ):
		field := typ.Field
		if field == "" {
			field = "body"
		}
		return errs.Malformed("malformed_json", "field %s must be %s", field, jsonKind(typ.Type.Kind().String())).
			WithFields(errs.Field(field, "wrong_type", fmt.Sprintf("must be %s", jsonKind(typ.Type.Kind().String()))))
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		return unknownField(strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`))
	default:
		return errs.Malformed("malformed_json", "the body is not valid JSON")
	}
}

func jsonKind(goKind string) string {
	switch goKind {
	case "string":
		return "a string"
	case "bool":
		return "true or false"
	case "slice", "array":
		return "an array"
	case "struct", "map":
		return "an object"
	default:
		return "a number"
	}
}
