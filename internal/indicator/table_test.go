package indicator_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"skillrecord/configs"
	"skillrecord/internal/indicator"
)

// designOrder is docs/domain.md's 专栏1 table, key by key.
var designOrder = []indicator.Key{
	"subsidized_training", "migrant_worker_training", "gold_blue_collar", "apprenticeship",
	"entrepreneurship_training", "high_skill_talent", "new_certificates", "new_high_skill",
	"public_training_bases", "national_high_skill_bases", "master_studios",
}

func TestDefaultTable_HasDesignsKeysUnitsAndTargetsInOrder(t *testing.T) {
	tbl := indicator.DefaultTable()
	require.Len(t, tbl.Definitions, len(designOrder))
	want := map[indicator.Key]struct {
		unit   string
		target float64
	}{
		"subsidized_training": {"万人次", 16.5}, "migrant_worker_training": {"万人次", 5},
		"gold_blue_collar": {"万人", 0.4}, "apprenticeship": {"万人", 0.3},
		"entrepreneurship_training": {"万人次", 3.3}, "high_skill_talent": {"万人", 7},
		"new_certificates": {"万人次", 5}, "new_high_skill": {"万人次", 2},
		"public_training_bases": {"个", 1}, "national_high_skill_bases": {"个", 1}, "master_studios": {"个", 5},
	}
	for i, d := range tbl.Definitions {
		assert.Equal(t, designOrder[i], d.Key)
		assert.Equal(t, want[d.Key].unit, d.Unit, d.Key)
		assert.Equal(t, want[d.Key].target, d.Target, d.Key)
		assert.Equal(t, "预期性", d.Attribute, d.Key)
		assert.NotEmpty(t, d.Name, d.Key)
	}
	assert.Equal(t, designOrder, indicator.Keys())
}

func TestParseTable_UnitMustAgreeWithWhatTheKeyCounts(t *testing.T) {
	for _, tc := range []struct{ name, from, to string }{
		{"a worker count in 人次", "unit: 万人\n    target: 0.4", "unit: 万人次\n    target: 0.4"},
		{"a record count in 人", "unit: 万人次\n    target: 16.5", "unit: 万人\n    target: 16.5"},
		{"designations in 万", "unit: 个\n    target: 5", "unit: 万人次\n    target: 5"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			yml := strings.Replace(string(configs.IndicatorsYAML), tc.from, tc.to, 1)
			require.NotEqual(t, string(configs.IndicatorsYAML), yml, "the replacement applies")
			_, err := indicator.ParseTable([]byte(yml))
			assert.ErrorContains(t, err, "does not")
		})
	}
}

func TestParseTable_RefusesMissingReorderedOrUnknownRows(t *testing.T) {
	base := string(configs.IndicatorsYAML)
	for name, yml := range map[string]string{
		"renamed key":     strings.Replace(base, "key: apprenticeship", "key: apprentices", 1),
		"unknown field":   strings.Replace(base, "attribute: 预期性", "attribute: 预期性\n    weight: 2", 1),
		"too many digits": strings.Replace(base, "target: 16.5", "target: 16.50001", 1),
		"negative target": strings.Replace(base, "target: 16.5", "target: -1", 1),
		"no rows":         "period: 2021-2025\nindicators: []\n",
	} {
		t.Run(name, func(t *testing.T) {
			_, err := indicator.ParseTable([]byte(yml))
			assert.Error(t, err)
		})
	}
}

func TestRows_ValueIsTheCountInTheUnitAndMetComparesWithTheTarget(t *testing.T) {
	rows := indicator.DefaultTable().Rows(indicator.Counts{
		SubsidizedTrainings:    165000, // exactly 16.5 万人次: met
		MigrantWorkerTrainings: 49999,  // 4.9999 万人次: not met
		GoldBlueCollarWorkers:  4001,   // 0.4001 万人
		ApprenticeshipWorkers:  3,      // 0.0003 万人
		HighSkillWorkers:       123456, // 12.3456 万人
		Designations: map[string]int64{
			indicator.KindPublicTrainingBase: 1, indicator.KindProvincialMasterStudio: 3, indicator.KindNationalMasterStudio: 2,
		},
	})
	byKey := map[indicator.Key]indicator.Row{}
	for _, r := range rows {
		byKey[r.Key] = r
	}
	check := func(k indicator.Key, count int64, value float64, met bool) {
		t.Helper()
		r := byKey[k]
		assert.Equal(t, count, r.Count, k)
		assert.Equal(t, value, r.Value, k)
		assert.Equal(t, met, r.Met, k)
	}
	check("subsidized_training", 165000, 16.5, true)
	check("migrant_worker_training", 49999, 4.9999, false)
	check("gold_blue_collar", 4001, 0.4001, true)
	check("apprenticeship", 3, 0.0003, false)
	check("high_skill_talent", 123456, 12.3456, true)
	check("entrepreneurship_training", 0, 0, false)
	check("public_training_bases", 1, 1, true)
	check("national_high_skill_bases", 0, 0, false)
	check("master_studios", 5, 5, true)
}
