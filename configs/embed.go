package configs

import _ "embed"

// DefaultYAML is configs/skillrecord.yaml as built into the binary.
//
//go:embed skillrecord.yaml
var DefaultYAML []byte
