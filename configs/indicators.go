package configs

import _ "embed"

// IndicatorsYAML is configs/indicators.yaml as built into the binary: the names, units,
// targets and attributes of the plan's indicator table (专栏1), which indicator.DefaultTable
// parses.
//
//go:embed indicators.yaml
var IndicatorsYAML []byte
