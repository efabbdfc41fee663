package config

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"time"

	"go.yaml.in/yaml/v3"

	"skillrecord/configs"
)

// DefaultPath is where Load looks for the settings file when SKILLRECORD_CONFIG is not set.
const DefaultPath = "configs/skillrecord.yaml"

// PathEnv names the variable that points at the settings file.
const PathEnv = "SKILLRECORD_CONFIG"

// Load builds the configuration: built-in defaults, then the settings file (SKILLRECORD_CONFIG,
// or configs/skillrecord.yaml when present), then SKILLRECORD_* variables read through getenv.
// The first problem found is returned as a *SettingError (or a file error naming the path).
func Load(getenv func(string) string) (*Config, error) {
	cfg := &Config{}
	if err := applyYAML(cfg, configs.DefaultYAML, "built-in defaults"); err != nil {
		return nil, err
	}
	path, explicit := getenv(PathEnv), true
	if path == "" {
		path, explicit = DefaultPath, false
	}
	data, err := os.ReadFile(path)
	switch {
	case err == nil:
		if err := applyYAML(cfg, data, path); err != nil {
			return nil, err
		}
	case errors.Is(err, fs.ErrNotExist) && !explicit:
		// No file: the built-in defaults stand.
	default:
		return nil, fmt.Errorf("invalid setting %s: cannot read settings file %q: %w", PathEnv, path, unwrapPathErr(err))
	}
	for _, f := range fields() {
		raw, ok := lookup(getenv, f.env)
		if !ok {
			continue
		}
		if err := f.set(cfg, raw); err != nil {
			return nil, &SettingError{Setting: f.key, Env: f.env, Problem: err.Error()}
		}
	}
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	return cfg, nil
}

// EnvNames lists every SKILLRECORD_* variable the service reads, SKILLRECORD_CONFIG included.
func EnvNames() []string {
	names := []string{PathEnv}
	for _, f := range fields() {
		names = append(names, f.env)
	}
	return names
}

// SettingKeys lists every key of the settings file.
func SettingKeys() []string {
	var keys []string
	for _, f := range fields() {
		keys = append(keys, f.key)
	}
	return keys
}

// lookup reads one variable; getenv cannot tell unset from empty, so empty means "not set".
func lookup(getenv func(string) string, name string) (string, bool) {
	v := getenv(name)
	return v, v != ""
}

func unwrapPathErr(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// applyYAML sets every scalar of the document on cfg. Unknown keys are errors, so that a typo
// in an operator's file does not pass silently.
func applyYAML(cfg *Config, data []byte, source string) error {
	if len(bytes.TrimSpace(data)) == 0 {
		return nil
	}
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return fmt.Errorf("settings file %s: %w", source, err)
	}
	if len(root.Content) == 0 {
		return nil
	}
	flat := map[string]*yaml.Node{}
	if err := flatten(root.Content[0], "", flat); err != nil {
		return fmt.Errorf("settings file %s: %w", source, err)
	}
	for key, node := range flat {
		f, ok := fieldByKey(key)
		if !ok {
			return fmt.Errorf("settings file %s: unknown setting %s (line %d)", source, key, node.Line)
		}
		if err := f.set(cfg, node.Value); err != nil {
			return &SettingError{Setting: key, Env: f.env, Problem: fmt.Sprintf("%s (%s, line %d)", err, source, node.Line)}
		}
	}
	return nil
}

func flatten(n *yaml.Node, prefix string, out map[string]*yaml.Node) error {
	switch n.Kind {
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			key := n.Content[i].Value
			if prefix != "" {
				key = prefix + "." + key
			}
			if err := flatten(n.Content[i+1], key, out); err != nil {
				return err
			}
		}
	case yaml.ScalarNode:
		if n.Tag == "!!null" {
			n.Value = ""
		}
		out[prefix] = n
	case yaml.SequenceNode:
		items := make([]string, 0, len(n.Content))
		for _, c := range n.Content {
			if c.Kind != yaml.ScalarNode {
				return fmt.Errorf("setting %s: want a list of plain values (line %d)", prefix, c.Line)
			}
			items = append(items, c.Value)
		}
		out[prefix] = &yaml.Node{Kind: yaml.ScalarNode, Value: strings.Join(items, ","), Line: n.Line}
	default:
		return fmt.Errorf("setting %s: unsupported value (line %d)", prefix, n.Line)
	}
	return nil
}

// field is one leaf setting, found by reflection over Config.
type field struct {
	key, env string
	secret   bool
	index    []int
}

var (
	fieldsOnce sync.Once
	fieldList  []field
)

func fields() []field {
	fieldsOnce.Do(func() {
		var walk func(t reflect.Type, index []int)
		walk = func(t reflect.Type, index []int) {
			for i := 0; i < t.NumField(); i++ {
				sf := t.Field(i)
				idx := append(append([]int(nil), index...), i)
				if key := sf.Tag.Get("setting"); key != "" {
					fieldList = append(fieldList, field{key: key, env: sf.Tag.Get("env"), secret: sf.Tag.Get("secret") == "true", index: idx})
					continue
				}
				if sf.Type.Kind() == reflect.Struct {
					walk(sf.Type, idx)
				}
			}
		}
		walk(reflect.TypeOf(Config{}), nil)
	})
	return fieldList
}

func fieldByKey(key string) (field, bool) {
	for _, f := range fields() {
		if f.key == key {
			return f, true
		}
	}
	return field{}, false
}

var durationType = reflect.TypeOf(time.Duration(0))

// set parses raw into the field. Its error never includes the value of a secret setting.
func (f field) set(cfg *Config, raw string) error {
	v := reflect.ValueOf(cfg).Elem().FieldByIndex(f.index)
	raw = strings.TrimSpace(raw)
	show := strconv.Quote(raw)
	if f.secret {
		show = "the value"
	}
	switch {
	case v.Type() == durationType:
		d, err := time.ParseDuration(raw)
		if err != nil {
			return fmt.Errorf("%s is not a duration such as 500ms, 15s or 10m", show)
		}
		v.SetInt(int64(d))
	case v.Kind() == reflect.String:
		v.SetString(raw)
	case v.Kind() == reflect.Int || v.Kind() == reflect.Int64:
		n, err := strconv.ParseInt(raw, 10, 64)
		if err != nil {
			return fmt.Errorf("%s is not a whole number", show)
		}
		v.SetInt(n)
	case v.Kind() == reflect.Bool:
		b, err := strconv.ParseBool(raw)
		if err != nil {
			return fmt.Errorf("%s is not true or false", show)
		}
		v.SetBool(b)
	case v.Kind() == reflect.Slice && v.Type().Elem().Kind() == reflect.String:
		var items []string
		for _, s := range strings.Split(raw, ",") {
			if s = strings.TrimSpace(s); s != "" {
				items = append(items, s)
			}
		}
		v.Set(reflect.ValueOf(items))
	default:
		return fmt.Errorf("unsupported setting type %s", v.Type())
	}
	return nil
}
