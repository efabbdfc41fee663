// Package config loads skillrecord's settings: the defaults built into the binary
// (configs/skillrecord.yaml), then the operator's settings file, then SKILLRECORD_* environment
// variables, validated once. It knows nothing of the packages that use the settings.
package config
