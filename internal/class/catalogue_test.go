package class_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"skillrecord/internal/class"
)

func TestDefaultCatalogue_ParsesWithBothKindsOfItem(t *testing.T) {
	c := class.DefaultCatalogue()
	require.NotEmpty(t, c.Version)
	var withCert, without bool
	for _, it := range c.Items {
		withCert = withCert || it.CertificateRequired
		without = without || !it.CertificateRequired
		assert.GreaterOrEqual(t, it.MinAttendance, 0.0)
		assert.LessOrEqual(t, it.MinAttendance, 1.0)
	}
	assert.True(t, withCert, "an item that requires a certificate")
	assert.True(t, without, "an item that does not")
}

func TestParseCatalogue_DefaultsMinAttendance(t *testing.T) {
	c, err := class.ParseCatalogue([]byte(`
version: "t-1"
items:
  - key: a
    name: A
    training_types: [other]
    occupation_codes: ["6-18-*", "4-01-02-03"]
    amount_cents: 100
    certificate_required: false
`))
	require.NoError(t, err)
	it, ok := c.Item("a")
	require.True(t, ok)
	assert.Equal(t, class.DefaultMinAttendance, it.MinAttendance)
	assert.True(t, it.MatchesOccupation("6-18-01-01"))
	assert.True(t, it.MatchesOccupation("4-01-02-03"))
	assert.False(t, it.MatchesOccupation("6-19-01-01"))
	assert.False(t, it.MatchesOccupation("4-01-02-04"))
}

func TestParseCatalogue_RefusesBadFiles(t *testing.T) {
	item := func(extra string) string {
		return "version: v1\nitems:\n  - key: a\n    name: A\n    training_types: [other]\n    occupation_codes: [\"6-*\"]\n    amount_cents: 1\n    certificate_required: true\n" + extra
	}
	for name, doc := range map[string]string{
		"empty":           "",
		"no version":      "items: []",
		"no items":        "version: v1\nitems: []",
		"unknown key":     item("    colour: red\n"),
		"bad type":        "version: v1\nitems:\n  - {key: a, name: A, training_types: [cooking], occupation_codes: [\"6-*\"], amount_cents: 1, certificate_required: true}",
		"bad code":        "version: v1\nitems:\n  - {key: a, name: A, training_types: [other], occupation_codes: [\"6-1\"], amount_cents: 1, certificate_required: true}",
		"bad level":       "version: v1\nitems:\n  - {key: a, name: A, training_types: [other], occupation_codes: [\"6-*\"], level: 6, amount_cents: 1, certificate_required: true}",
		"negative amount": "version: v1\nitems:\n  - {key: a, name: A, training_types: [other], occupation_codes: [\"6-*\"], amount_cents: -1, certificate_required: true}",
		"attendance > 1":  "version: v1\nitems:\n  - {key: a, name: A, training_types: [other], occupation_codes: [\"6-*\"], amount_cents: 1, min_attendance: 1.5, certificate_required: true}",
		"no certificate":  "version: v1\nitems:\n  - {key: a, name: A, training_types: [other], occupation_codes: [\"6-*\"], amount_cents: 1}",
		"repeated key":    item("  - {key: a, name: B, training_types: [other], occupation_codes: [\"6-*\"], amount_cents: 1, certificate_required: true}\n"),
		"upper-case key":  "version: v1\nitems:\n  - {key: A, name: A, training_types: [other], occupation_codes: [\"6-*\"], amount_cents: 1, certificate_required: true}",
	} {
		t.Run(name, func(t *testing.T) {
			_, err := class.ParseCatalogue([]byte(doc))
			assert.Error(t, err)
		})
	}
}
