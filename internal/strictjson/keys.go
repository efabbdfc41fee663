package strictjson

import (
	"bytes"
	"encoding"
	"encoding/json"
	"reflect"
	"strings"
	"sync"
)

// ExactKeys reports the first object key of data that does not name a field of t exactly
// (t being the type data is decoded into), looking into nested objects and arrays the way
// encoding/json would fill them; ok is false when there is none. Keys that name no field at
// all are reported too, so that one check covers both. Values of types that decode themselves
// (json.Unmarshaler, json.RawMessage, interfaces) are not looked into.
//
// Call it after data has decoded without error: it scans the bytes once, without building
// tokens, trusting them to be one valid JSON value; on anything else it reports nothing.
func ExactKeys(data []byte, t reflect.Type) (key string, ok bool) {
	sc := scanner{data: data}
	sc.value(shapeOf(t))
	return sc.found, sc.found != ""
}

// scanner walks valid JSON, following the target type's shape.
type scanner struct {
	data  []byte
	pos   int
	found string // the first inexact key
	bad   bool   // not the valid JSON it was promised
}

func (sc *scanner) done() bool { return sc.found != "" || sc.bad || sc.pos >= len(sc.data) }

func (sc *scanner) ws() {
	for sc.pos < len(sc.data) {
		switch sc.data[sc.pos] {
		case ' ', '\t', '\n', '\r':
			sc.pos++
		default:
			return
		}
	}
}

// value scans one value of shape s.
func (sc *scanner) value(s *shape) {
	sc.ws()
	if sc.done() {
		return
	}
	switch sc.data[sc.pos] {
	case '{':
		sc.object(s)
	case '[':
		sc.array(s)
	case '"':
		sc.str()
	default:
		for sc.pos < len(sc.data) {
			switch sc.data[sc.pos] {
			case ',', '}', ']', ' ', '\t', '\n', '\r':
				return
			}
			sc.pos++
		}
	}
}

func (sc *scanner) object(s *shape) {
	sc.pos++ // {
	for {
		sc.ws()
		if sc.done() {
			sc.bad = true
			return
		}
		switch sc.data[sc.pos] {
		case '}':
			sc.pos++
			return
		case ',':
			sc.pos++
			continue
		}
		raw := sc.str()
		if sc.bad {
			return
		}
		var next *shape
		switch s.kind {
		case reflect.Struct:
			ft, found := s.fields[string(raw)]
			if !found {
				name := string(raw)
				if bytes.IndexByte(raw, '\\') >= 0 {
					_ = json.Unmarshal(append(append([]byte{'"'}, raw...), '"'), &name)
					if ft, found = s.fields[name]; found {
						next = shapeOf(ft)
						break
					}
				}
				sc.found = name
				return
			}
			next = shapeOf(ft)
		case reflect.Map:
			next = shapeOf(s.elem)
		default:
			next = opaque
		}
		sc.ws()
		if sc.done() || sc.data[sc.pos] != ':' {
			sc.bad = true
			return
		}
		sc.pos++
		sc.value(next)
	}
}

func (sc *scanner) array(s *shape) {
	sc.pos++ // [
	next := opaque
	if s.kind == reflect.Slice || s.kind == reflect.Array {
		next = shapeOf(s.elem)
	}
	for {
		sc.ws()
		if sc.done() {
			sc.bad = true
			return
		}
		switch sc.data[sc.pos] {
		case ']':
			sc.pos++
			return
		case ',':
			sc.pos++
			continue
		}
		sc.value(next)
	}
}

// str scans a string and returns its raw bytes between the quotes (escapes left as they are).
func (sc *scanner) str() []byte {
	if sc.pos >= len(sc.data) || sc.data[sc.pos] != '"' {
		sc.bad = true
		return nil
	}
	start := sc.pos + 1
	for i := start; i < len(sc.data); i++ {
		switch sc.data[i] {
		case '\\':
			i++
		case '"':
			sc.pos = i + 1
			return sc.data[start:i]
		}
	}
	sc.bad = true
	return nil
}

// opaque is the shape of a value the check does not look into; its keys are not checked.
var opaque = &shape{}

// shape is what the check needs of a type, computed once per type.
type shape struct {
	kind   reflect.Kind            // Struct, Map, Slice, Array, or Invalid for an opaque type
	fields map[string]reflect.Type // a struct's JSON field names, exactly as encoding/json spells them
	elem   reflect.Type            // a map's, slice's or array's element
}

var shapes sync.Map // reflect.Type -> *shape

var (
	unmarshaler     = reflect.TypeFor[json.Unmarshaler]()
	textUnmarshaler = reflect.TypeFor[encoding.TextUnmarshaler]()
)

func shapeOf(t reflect.Type) *shape {
	if t == nil {
		return &shape{}
	}
	if s, ok := shapes.Load(t); ok {
		return s.(*shape)
	}
	s := &shape{}
	base := t
	for base.Kind() == reflect.Pointer {
		base = base.Elem()
	}
	switch {
	case reflect.PointerTo(base).Implements(unmarshaler), reflect.PointerTo(base).Implements(textUnmarshaler):
		// decodes itself
	case base.Kind() == reflect.Struct:
		s.kind, s.fields = reflect.Struct, map[string]reflect.Type{}
		addFields(s.fields, base, map[reflect.Type]bool{})
	case base.Kind() == reflect.Map, base.Kind() == reflect.Slice && base.Elem().Kind() != reflect.Uint8, base.Kind() == reflect.Array:
		s.kind, s.elem = base.Kind(), base.Elem()
	}
	shapes.Store(t, s)
	return s
}

// addFields adds the JSON names of t's fields, promoting those of embedded structs as
// encoding/json does (an outer name wins over an embedded one).
func addFields(fields map[string]reflect.Type, t reflect.Type, seen map[reflect.Type]bool) {
	if seen[t] {
		return
	}
	seen[t] = true
	var embedded []reflect.Type
	for i := range t.NumField() {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, _, _ := strings.Cut(tag, ",")
		if f.Anonymous && name == "" {
			ft := f.Type
			if ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			if ft.Kind() == reflect.Struct {
				embedded = append(embedded, ft)
				continue
			}
		}
		if !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		fields[name] = f.Type
	}
	for _, et := range embedded {
		inner := map[string]reflect.Type{}
		addFields(inner, et, seen)
		for n, ft := range inner {
			if _, taken := fields[n]; !taken {
				fields[n] = ft
			}
		}
	}
}
