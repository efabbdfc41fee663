package indicator

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"

	"skillrecord/configs"
)

// Definition is one row of the table as configured: what the key counts (from the catalogue)
// with its name, unit, target and attribute (from configs/indicators.yaml).
type Definition struct {
	Key       Key
	Measure   Measure
	Name      string
	Unit      string
	Scale     int64   // 10000 for 万 units, else 1
	Target    float64 // in Unit
	Attribute string

	targetCount int64 // Target in raw counts: the row is met when its count reaches it
	count       func(Counts) int64
}

// Table is the configured indicator table, in docs/domain.md's order.
type Table struct {
	Period      string // the plan period the targets are for, e.g. 2021-2025
	Definitions []Definition
}

// unitsOf lists the units a measure may be reported in, with their scale.
var unitsOf = map[Measure]map[string]int64{
	Records:      {"万人次": 10000, "人次": 1},
	Workers:      {"万人": 10000, "人": 1},
	Designations: {"个": 1},
}

type tableFile struct {
	Period     string `yaml:"period"`
	Indicators []struct {
		Key       string   `yaml:"key"`
		Name      string   `yaml:"name"`
		Unit      string   `yaml:"unit"`
		Target    *float64 `yaml:"target"`
		Attribute string   `yaml:"attribute"`
	} `yaml:"indicators"`
}

// ParseTable reads an indicators file. It must list exactly the catalogue's keys, in order;
// each with a name, a unit that agrees with what the key counts (万人次/人次 for records,
// 万人/人 for workers, 个 for designations), a target ≥ 0 with at most 4 decimals, and an
// attribute. Unknown fields are refused.
func ParseTable(data []byte) (*Table, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	var f tableFile
	if err := dec.Decode(&f); err != nil {
		return nil, fmt.Errorf("indicators: %w", err)
	}
	if len(f.Indicators) != len(catalogue) {
		return nil, fmt.Errorf("indicators: want the %d rows of 专栏1, found %d", len(catalogue), len(f.Indicators))
	}
	t := &Table{Period: f.Period, Definitions: make([]Definition, len(catalogue))}
	for i, in := range f.Indicators {
		c := catalogue[i]
		if Key(in.Key) != c.key {
			return nil, fmt.Errorf("indicators: row %d must be %s, found %q", i+1, c.key, in.Key)
		}
		scale, ok := unitsOf[c.measure][in.Unit]
		if !ok {
			return nil, fmt.Errorf("indicators: %s counts %s; unit %q does not (want one of %s)", c.key, c.measure, in.Unit, unitList(c.measure))
		}
		if strings.TrimSpace(in.Name) == "" || strings.TrimSpace(in.Attribute) == "" {
			return nil, fmt.Errorf("indicators: %s needs a name and an attribute", c.key)
		}
		if in.Target == nil || *in.Target < 0 || math.IsInf(*in.Target, 0) || math.IsNaN(*in.Target) {
			return nil, fmt.Errorf("indicators: %s needs a target of 0 or more", c.key)
		}
		scaled := *in.Target * valueScale
		if math.Abs(scaled-math.Round(scaled)) > 1e-6 {
			return nil, fmt.Errorf("indicators: %s target has more than 4 decimals", c.key)
		}
		t.Definitions[i] = Definition{
			Key: c.key, Measure: c.measure, Name: in.Name, Unit: in.Unit, Scale: scale,
			Target: *in.Target, Attribute: in.Attribute, count: c.count,
			targetCount: int64(math.Ceil(math.Round(scaled) * float64(scale) / valueScale)),
		}
	}
	return t, nil
}

func unitList(m Measure) string {
	var out []string
	for u := range unitsOf[m] {
		out = append(out, u)
	}
	slices.Sort(out)
	return strings.Join(out, ", ")
}

// String names the measure for messages.
func (m Measure) String() string {
	switch m {
	case Records:
		return "records (人次)"
	case Workers:
		return "distinct workers (人)"
	case Designations:
		return "designations (个)"
	}
	return "unknown"
}

// DefaultTable is configs/indicators.yaml as built into the binary. It panics if that file is
// invalid, which its tests rule out.
func DefaultTable() *Table {
	t, err := ParseTable(configs.IndicatorsYAML)
	if err != nil {
		panic(errors.Join(errors.New("configs/indicators.yaml"), err))
	}
	return t
}

// Rows computes every row of the table from the counts of a period.
func (t *Table) Rows(c Counts) []Row {
	out := make([]Row, len(t.Definitions))
	for i, d := range t.Definitions {
		n := d.count(c)
		out[i] = Row{
			Key: d.Key, Name: d.Name, Unit: d.Unit, Count: n, Value: value(n, d.Scale),
			Target: d.Target, Attribute: d.Attribute, Met: n >= d.targetCount,
		}
	}
	return out
}
