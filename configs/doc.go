// Package configs holds the default settings file and the rule files, built into the binary so
// that it starts with sane defaults wherever it runs.
package configs
