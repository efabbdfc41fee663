package configs

import _ "embed"

// SubsidyCatalogueYAML is configs/subsidy-catalogue.yaml as built into the binary: the subsidy
// catalogue that class.DefaultCatalogue parses.
//
//go:embed subsidy-catalogue.yaml
var SubsidyCatalogueYAML []byte
