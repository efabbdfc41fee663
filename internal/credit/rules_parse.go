package credit

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"

	"go.yaml.in/yaml/v3"

	"skillrecord/internal/certificate"
)

// rulesFile is the layout of credit-rules.yaml.
type rulesFile struct {
	Version  string `yaml:"version"`
	Training *struct {
		Passed *struct {
			HoursPerCredit *wholeNumber `yaml:"hours_per_credit"`
			Rounding       string       `yaml:"rounding"`
			MaxPerRecord   *amount      `yaml:"max_per_record"`
		} `yaml:"passed"`
		Failed *amount `yaml:"failed"`
	} `yaml:"training"`
	Certificates map[string]*struct {
		ByLevel map[int]*amount `yaml:"by_level"`
		Fixed   *amount         `yaml:"fixed"`
	} `yaml:"certificates"`
}

// amount is a credit amount in the rules file: a number with at most one decimal.
type amount Tenths

// UnmarshalYAML reads a plain number scalar as ParseTenths does.
func (a *amount) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind != yaml.ScalarNode || (n.Tag != "!!int" && n.Tag != "!!float") {
		return fmt.Errorf("line %d: want a number of credits", n.Line)
	}
	t, err := ParseTenths(n.Value)
	if err != nil {
		return fmt.Errorf("line %d: credits must be a number with at most one decimal: %w", n.Line, err)
	}
	*a = amount(t)
	return nil
}

// wholeNumber is an integer setting of the rules file; 16.5 is refused, not truncated.
type wholeNumber int

// UnmarshalYAML reads a plain integer scalar.
func (w *wholeNumber) UnmarshalYAML(n *yaml.Node) error {
	var v int
	if n.Kind != yaml.ScalarNode || n.Tag != "!!int" || n.Decode(&v) != nil {
		return fmt.Errorf("line %d: want a whole number", n.Line)
	}
	*w = wholeNumber(v)
	return nil
}

// Limits on the rule values, to catch typos.
const (
	maxHoursPerCredit = 2000
	maxRuleAmount     = Tenths(1000 * 10)
	maxVersionLen     = 32
)

// ParseRules parses and checks a credit-rules file. Every problem is reported with the path of
// the setting: unknown keys, a missing or malformed version (1–32 of A-Z a-z 0-9 . _ -), hours
// per credit outside 1–2000, rounding other than "down", amounts that are negative, above 1000
// or finer than 0.1, a certificate type that is unknown or missing, by_level for a type that
// earns a fixed amount or the reverse, levels other than exactly 1–5, and a higher level (lower
// number) earning less than a lower one.
func ParseRules(data []byte) (*Rules, error) {
	var f rulesFile
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&f); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, errors.New("credit rules: the file is empty")
		}
		return nil, fmt.Errorf("credit rules: %w", err)
	}
	var p problems
	r := &Rules{Version: f.Version, certs: make(map[string]certRule)}
	if !validVersion(f.Version) {
		p.add("version", "must be 1 to %d characters of A-Z, a-z, 0-9, '.', '_' and '-'", maxVersionLen)
	}
	switch {
	case f.Training == nil:
		p.add("training", "is missing")
	case f.Training.Passed == nil:
		p.add("training.passed", "is missing")
	default:
		tp := f.Training.Passed
		if tp.HoursPerCredit == nil || *tp.HoursPerCredit < 1 || *tp.HoursPerCredit > maxHoursPerCredit {
			p.add("training.passed.hours_per_credit", "must be a whole number from 1 to %d", maxHoursPerCredit)
		} else {
			r.hoursPerCredit = int(*tp.HoursPerCredit)
		}
		if tp.Rounding != "down" {
			p.add("training.passed.rounding", `must be "down" (the only rounding supported)`)
		}
		r.maxPerRecord = p.amount("training.passed.max_per_record", tp.MaxPerRecord)
		r.failed = p.amount("training.failed", f.Training.Failed)
	}
	for _, t := range certificate.Types() {
		c, ok := f.Certificates[t]
		if !ok || c == nil {
			p.add("certificates."+t, "is missing")
			continue
		}
		r.certs[t] = p.certRule("certificates."+t, certificate.CountsByLevel(t), c.ByLevel, c.Fixed)
	}
	for t := range f.Certificates {
		if !certificate.IsType(t) {
			p.add("certificates."+t, "is not a certificate type")
		}
	}
	if err := p.err(); err != nil {
		return nil, err
	}
	return r, nil
}

func (p *problems) certRule(path string, byLevel bool, levels map[int]*amount, fixed *amount) certRule {
	rule := certRule{byLevel: byLevel}
	if !byLevel {
		if levels != nil {
			p.add(path+".by_level", "is not allowed: this type earns a fixed amount")
		}
		rule.fixed = p.amount(path+".fixed", fixed)
		return rule
	}
	if fixed != nil {
		p.add(path+".fixed", "is not allowed: this type earns by level")
	}
	if len(levels) != certificate.MaxLevel {
		p.add(path+".by_level", "must give exactly the levels 1 to 5")
	}
	for level := certificate.MaxLevel; level >= certificate.MinLevel; level-- {
		a, ok := levels[level]
		if !ok {
			p.add(fmt.Sprintf("%s.by_level.%d", path, level), "is missing")
			continue
		}
		rule.levels[level] = p.amount(fmt.Sprintf("%s.by_level.%d", path, level), a)
		if level < certificate.MaxLevel && rule.levels[level] < rule.levels[level+1] {
			p.add(fmt.Sprintf("%s.by_level.%d", path, level), "must not be less than level %d", level+1)
		}
	}
	return rule
}

// problems collects every problem of a rules file.
type problems []string

func (p *problems) add(path, format string, args ...any) {
	*p = append(*p, path+" "+fmt.Sprintf(format, args...))
}

// amount checks a required amount from 0 to 1000 credits.
func (p *problems) amount(path string, a *amount) Tenths {
	switch {
	case a == nil:
		p.add(path, "is missing")
	case Tenths(*a) < 0 || Tenths(*a) > maxRuleAmount:
		p.add(path, "must be from 0 to %s credits", maxRuleAmount)
	default:
		return Tenths(*a)
	}
	return 0
}

func (p problems) err() error {
	if len(p) == 0 {
		return nil
	}
	return errors.New("credit rules: " + strings.Join(p, "; "))
}

func validVersion(v string) bool {
	if v == "" || len(v) > maxVersionLen {
		return false
	}
	return strings.Trim(v, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") == ""
}
