package training_test

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"skillrecord/internal/errs"
	"skillrecord/internal/identity"
	"skillrecord/internal/training"
)

func TestValidate_ValidRecordIsNormalised(t *testing.T) {
	in := validInput()
	in.ExternalID = " INST-2026:0001 "
	in.SSN = strings.ToLower(" " + string(workerSSN) + " ")
	in.Name = "\u3000张三 "
	in.TrainingType = " job_skills_upgrade"
	in.TraineeGroups = []string{" youth", "migrant_worker "}

	r, fields := in.Validate(today)
	require.Empty(t, fields)
	assert.Equal(t, training.Record{
		ExternalID:         "INST-2026:0001",
		SSN:                workerSSN,
		Name:               "张三",
		CourseName:         "焊工（中级）",
		TrainingType:       training.TypeJobSkillsUpgrade,
		OccupationCode:     "6-18-01-01",
		OccupationName:     "焊工",
		Level:              ptr(4),
		Hours:              40,
		StartDate:          training.Date{Y: 2026, M: time.March, D: 1},
		EndDate:            training.Date{Y: 2026, M: time.March, D: 20},
		Result:             training.ResultPassed,
		Subsidized:         true,
		SubsidyAmountCents: ptr(int64(150000)),
		TraineeGroups:      []string{training.GroupMigrantWorker, training.GroupYouth},
	}, r)
	assert.True(t, r.Passed())
	assert.True(t, r.HasGroup(training.GroupMigrantWorker))
	assert.False(t, r.HasGroup(training.GroupVeteran))
}

func TestValidate_OptionalFieldsMayBeAbsent(t *testing.T) {
	in := validInput()
	in.OccupationName, in.Level, in.Subsidized, in.SubsidyAmountCents, in.TraineeGroups = "", nil, nil, nil, nil
	r, fields := in.Validate(today)
	require.Empty(t, fields)
	assert.Nil(t, r.Level)
	assert.False(t, r.Subsidized)
	assert.Nil(t, r.SubsidyAmountCents)
	assert.Empty(t, r.TraineeGroups)
}

func TestValidate_AcceptsBoundaries(t *testing.T) {
	tests := []struct {
		name   string
		change func(*training.Input)
	}{
		{"one hour", func(in *training.Input) { in.Hours = ptr(1) }},
		{"2000 hours", func(in *training.Input) { in.Hours = ptr(2000) }},
		{"level 1", func(in *training.Input) { in.Level = ptr(1) }},
		{"level 5", func(in *training.Input) { in.Level = ptr(5) }},
		{"one-day course", func(in *training.Input) { in.StartDate, in.EndDate = "2026-03-01", "2026-03-01" }},
		{"ends today in CST though UTC is still yesterday", func(in *training.Input) { in.EndDate = "2026-11-27" }},
		{"starts on the birth date", func(in *training.Input) { in.StartDate = "1990-05-17" }},
		{"50-character name", func(in *training.Input) { in.Name = strings.Repeat("张", 50) }},
		{"200-character course", func(in *training.Input) { in.CourseName = strings.Repeat("课", 200) }},
		{"100-character occupation name", func(in *training.Input) { in.OccupationName = strings.Repeat("工", 100) }},
		{"64-character external id", func(in *training.Input) { in.ExternalID = strings.Repeat("a.b_c:d-", 8) }},
		{"zero subsidy", func(in *training.Input) { in.SubsidyAmountCents = ptr(int64(0)) }},
		{"subsidised without amount", func(in *training.Input) { in.SubsidyAmountCents = nil }},
		{"failed result", func(in *training.Input) { in.Result = training.ResultFailed }},
		{"every trainee group", func(in *training.Input) { in.TraineeGroups = training.Groups() }},
		{"name with middle dot", func(in *training.Input) { in.Name = "买买提·艾力" }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := validInput()
			tt.change(&in)
			_, fields := in.Validate(today.Add(-15 * time.Hour)) // 2026-11-27 00:04 CST
			assert.Empty(t, fields)
		})
	}
}

func TestValidate_RefusesEachBadField(t *testing.T) {
	tests := []struct {
		name   string
		change func(*training.Input)
		field  string
		code   string
	}{
		{"missing external id", func(in *training.Input) { in.ExternalID = "  " }, "external_id", "required"},
		{"external id with space", func(in *training.Input) { in.ExternalID = "A 1" }, "external_id", "invalid_external_id"},
		{"external id with slash", func(in *training.Input) { in.ExternalID = "A/1" }, "external_id", "invalid_external_id"},
		{"65-character external id", func(in *training.Input) { in.ExternalID = strings.Repeat("a", 65) }, "external_id", "invalid_external_id"},
		{"missing ssn", func(in *training.Input) { in.SSN = "" }, "ssn", "required"},
		{"bad ssn check char", func(in *training.Input) { in.SSN = "110105194912310021" }, "ssn", "invalid_ssn"},
		{"missing name", func(in *training.Input) { in.Name = " " }, "name", "required"},
		{"51-character name", func(in *training.Input) { in.Name = strings.Repeat("张", 51) }, "name", "invalid_name"},
		{"name with newline", func(in *training.Input) { in.Name = "张\n三" }, "name", "invalid_name"},
		{"name with zero-width space", func(in *training.Input) { in.Name = "张\u200b三" }, "name", "invalid_name"},
		{"name not utf-8", func(in *training.Input) { in.Name = "张\xff" }, "name", "invalid_name"},
		{"missing course", func(in *training.Input) { in.CourseName = "" }, "course_name", "required"},
		{"201-character course", func(in *training.Input) { in.CourseName = strings.Repeat("课", 201) }, "course_name", "invalid_course_name"},
		{"missing training type", func(in *training.Input) { in.TrainingType = "" }, "training_type", "required"},
		{"unknown training type", func(in *training.Input) { in.TrainingType = "yoga" }, "training_type", "invalid_training_type"},
		{"upper-case training type", func(in *training.Input) { in.TrainingType = "PRE_JOB" }, "training_type", "invalid_training_type"},
		{"missing occupation code", func(in *training.Input) { in.OccupationCode = "" }, "occupation_code", "required"},
		{"bad occupation code", func(in *training.Input) { in.OccupationCode = "6-18-01" }, "occupation_code", identity.CodeInvalidOccupationCode},
		{"101-character occupation name", func(in *training.Input) { in.OccupationName = strings.Repeat("工", 101) }, "occupation_name", "invalid_occupation_name"},
		{"level 0", func(in *training.Input) { in.Level = ptr(0) }, "level", "invalid_level"},
		{"level 6", func(in *training.Input) { in.Level = ptr(6) }, "level", "invalid_level"},
		{"missing hours", func(in *training.Input) { in.Hours = nil }, "hours", "required"},
		{"zero hours", func(in *training.Input) { in.Hours = ptr(0) }, "hours", "invalid_hours"},
		{"2001 hours", func(in *training.Input) { in.Hours = ptr(2001) }, "hours", "invalid_hours"},
		{"missing start date", func(in *training.Input) { in.StartDate = "" }, "start_date", "required"},
		{"unreal start date", func(in *training.Input) { in.StartDate = "2026-02-29" }, "start_date", "invalid_date"},
		{"slashed end date", func(in *training.Input) { in.EndDate = "2026/03/20" }, "end_date", "invalid_date"},
		{"end before start", func(in *training.Input) { in.EndDate = "2026-02-28" }, "end_date", "invalid_date_range"},
		{"end tomorrow", func(in *training.Input) { in.EndDate = "2026-11-28" }, "end_date", "invalid_date_range"},
		{"start before birth", func(in *training.Input) { in.StartDate = "1990-05-16" }, "start_date", "invalid_date_range"},
		{"missing result", func(in *training.Input) { in.Result = "" }, "result", "required"},
		{"unknown result", func(in *training.Input) { in.Result = "excellent" }, "result", "invalid_result"},
		{"subsidy without subsidised", func(in *training.Input) { in.Subsidized = ptr(false) }, "subsidy_amount_cents", "invalid_subsidy"},
		{"subsidy with subsidised absent", func(in *training.Input) { in.Subsidized = nil }, "subsidy_amount_cents", "invalid_subsidy"},
		{"negative subsidy", func(in *training.Input) { in.SubsidyAmountCents = ptr(int64(-1)) }, "subsidy_amount_cents", "invalid_subsidy"},
		{"absurd subsidy", func(in *training.Input) { in.SubsidyAmountCents = ptr(int64(training.MaxSubsidyAmountCents + 1)) }, "subsidy_amount_cents", "invalid_subsidy"},
		{"unknown trainee group", func(in *training.Input) { in.TraineeGroups = []string{"youth", "student"} }, "trainee_groups", "invalid_trainee_group"},
		{"empty trainee group", func(in *training.Input) { in.TraineeGroups = []string{""} }, "trainee_groups", "invalid_trainee_group"},
		{"repeated trainee group", func(in *training.Input) { in.TraineeGroups = []string{"youth", " youth"} }, "trainee_groups", "invalid_trainee_group"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := validInput()
			tt.change(&in)
			r, fields := in.Validate(today)
			assert.Equal(t, training.Record{}, r, "no record on error")
			require.Len(t, fields, 1, "%+v", fields)
			assert.Equal(t, tt.field, fields[0].Field)
			assert.Equal(t, tt.code, fields[0].Code)
			assert.Nil(t, fields[0].Index)
			assert.NotEmpty(t, fields[0].Message)
			assertNoLeak(t, fields, in.SSN, in.Name, in.ExternalID, in.CourseName)
		})
	}
}

func TestValidate_ReportsEveryBadFieldAtOnce(t *testing.T) {
	in := training.Input{
		ExternalID:         "bad id",
		SSN:                "110105194912310021",
		Name:               "",
		TrainingType:       "x",
		OccupationCode:     "61801",
		Level:              ptr(9),
		Hours:              ptr(0),
		StartDate:          "2026-12-01",
		EndDate:            "2026-13-01",
		Result:             "ok",
		SubsidyAmountCents: ptr(int64(5)),
		TraineeGroups:      []string{"nobody"},
	}
	_, fields := in.Validate(today)
	assert.Equal(t, map[string]string{
		"external_id":          "invalid_external_id",
		"ssn":                  "invalid_ssn",
		"name":                 "required",
		"course_name":          "required",
		"training_type":        "invalid_training_type",
		"occupation_code":      "invalid_occupation_code",
		"level":                "invalid_level",
		"hours":                "invalid_hours",
		"start_date":           "invalid_date_range",
		"end_date":             "invalid_date",
		"result":               "invalid_result",
		"subsidy_amount_cents": "invalid_subsidy",
		"trainee_groups":       "invalid_trainee_group",
	}, fieldCodes(t, fields))
	assertNoLeak(t, fields, in.SSN, "bad id", "61801", "nobody")
}

func TestValidate_FutureStartReportsBothDates(t *testing.T) {
	in := validInput()
	in.StartDate, in.EndDate = "2026-11-28", "2026-11-29"
	_, fields := in.Validate(today)
	assert.Equal(t, map[string]string{"start_date": "invalid_date_range", "end_date": "invalid_date_range"}, fieldCodes(t, fields))
}

func TestParseVoidReason(t *testing.T) {
	got, err := training.ParseVoidReason("  录入错误 ")
	require.NoError(t, err)
	assert.Equal(t, "录入错误", got)

	_, err = training.ParseVoidReason(" ")
	e := requireErr(t, err, errs.KindInvalid, "required")
	assert.Equal(t, "reason", e.Fields[0].Field)
	_, err = training.ParseVoidReason(strings.Repeat("x", 501))
	requireErr(t, err, errs.KindInvalid, "invalid_reason")
	_, err = training.ParseVoidReason("a\x00b")
	requireErr(t, err, errs.KindInvalid, "invalid_reason")
}
