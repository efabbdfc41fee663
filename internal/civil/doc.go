// Package civil holds the calendar date of the domain — the day a training ended or a
// certificate was issued — without a time of day or a zone. It depends on nothing.
package civil
