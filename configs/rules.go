package configs

import _ "embed"

// CreditRulesYAML is configs/credit-rules.yaml as built into the binary: the default
// skill-credit rules that credit.DefaultRules parses.
//
//go:embed credit-rules.yaml
var CreditRulesYAML []byte
