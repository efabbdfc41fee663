package training

import (
	"strings"
	"time"

	"skillrecord/internal/sheet"
)

// The spreadsheet vocabulary of a training record: the one alias table of its column headers,
// the Chinese spellings of its enumerations, the advice that errors give, and the template.
// docs/spreadsheets.md documents the same table; change them together.

// trainingSchema is the alias table: each column's JSON field name is always accepted, and so
// are these headers (matched after sheet.Normalize: spaces, full-width brackets, case and "*"
// do not matter).
var trainingSchema = sheet.Schema{
	Kind: "training record",
	Keys: []string{
		FieldExternalID, FieldSSN, FieldName, FieldCourseName, FieldTrainingType, FieldOccupationCode,
		FieldOccupationName, FieldLevel, FieldHours, FieldStartDate, FieldEndDate, FieldResult,
		FieldSubsidized, FieldSubsidyAmountCents, FieldTraineeGroups, FieldSubsidyAmountCents + ":yuan",
	},
	Aliases: aliases(map[string][]string{
		FieldExternalID:                   {"记录编号", "培训记录编号", "外部编号", "业务编号"},
		FieldSSN:                          {"社会保障号码", "社会保障号", "社保号码", "身份证号", "身份证号码", "公民身份号码", "证件号码"},
		FieldName:                         {"姓名", "学员姓名"},
		FieldCourseName:                   {"课程名称", "培训课程", "课程"},
		FieldTrainingType:                 {"培训类型", "培训类别"},
		FieldOccupationCode:               {"职业编码", "职业代码", "职业(工种)编码"},
		FieldOccupationName:               {"职业名称", "职业(工种)名称", "职业(工种)", "工种"},
		FieldLevel:                        {"等级", "培训等级", "职业等级", "技能等级"},
		FieldHours:                        {"学时", "培训学时", "课时"},
		FieldStartDate:                    {"开始日期", "开班日期", "培训开始日期", "开课日期"},
		FieldEndDate:                      {"结束日期", "结业日期", "培训结束日期"},
		FieldResult:                       {"培训结果", "考核结果", "结业考核结果"},
		FieldSubsidized:                   {"是否补贴", "是否享受补贴", "补贴性培训"},
		FieldSubsidyAmountCents:           {"补贴金额(分)"},
		FieldSubsidyAmountCents + ":yuan": {"补贴金额(元)", "补贴金额", "补贴标准(元)"},
		FieldTraineeGroups:                {"人员类别", "重点群体", "人员类型"},
	}),
	Required: requiredFields[:],
	Ignored:  []string{"序号", "备注"},
}

func aliases(m map[string][]string) map[string]string {
	out := map[string]string{}
	for key, names := range m {
		for _, n := range names {
			out[sheet.Normalize(n)] = key
		}
	}
	return out
}

// Chinese names of the enumerations, as the template offers them.
var (
	typeNames = map[string]string{
		TypeEmploymentSkills: "就业技能培训", TypeJobSkillsUpgrade: "岗位技能提升培训", TypeEntrepreneurship: "创业培训",
		TypeApprenticeship: "企业新型学徒制", TypeGoldBlueCollar: "金蓝领", TypePreJob: "岗前培训",
		TypeJobTransfer: "转岗转业培训", TypeOther: "其他",
	}
	groupNames = map[string]string{
		GroupMigrantWorker: "农民工", GroupRuralTransfer: "农村转移劳动力", GroupVeteran: "退役军人",
		GroupDisabled: "残疾人", GroupYouth: "青年", GroupGraduate: "高校毕业生", GroupUnemployed: "失业人员",
		GroupPovertyAlleviated: "脱贫人口",
	}
	levelNames = [...]string{1: "一级/高级技师", 2: "二级/技师", 3: "三级/高级工", 4: "四级/中级工", 5: "五级/初级工"}
)

// The spellings a cell may use for each enumeration, beyond the API's words.
var (
	typeWords = sheet.NewEnum(map[string][]string{
		TypeEmploymentSkills: {"就业技能培训", "就业技能"}, TypeJobSkillsUpgrade: {"岗位技能提升培训", "岗位技能提升"},
		TypeEntrepreneurship: {"创业培训"}, TypeApprenticeship: {"企业新型学徒制", "企业新型学徒制培训", "新型学徒制"},
		TypeGoldBlueCollar: {"金蓝领", "金蓝领培训"}, TypePreJob: {"岗前培训"},
		TypeJobTransfer: {"转岗转业培训", "转岗转业"}, TypeOther: {"其他", "其它"},
	})
	resultWords = sheet.NewEnum(map[string][]string{
		ResultPassed: {"合格", "通过", "结业"}, ResultFailed: {"不合格", "未通过", "不通过"},
	})
	boolWords = sheet.NewEnum(map[string][]string{
		"true": {"是", "Y", "yes", "√"}, "false": {"否", "N", "no", "×"},
	})
	groupWords = sheet.NewEnum(map[string][]string{
		GroupMigrantWorker: {"农民工"}, GroupRuralTransfer: {"农村转移劳动力"}, GroupVeteran: {"退役军人"},
		GroupDisabled: {"残疾人"}, GroupYouth: {"青年"}, GroupGraduate: {"高校毕业生"},
		GroupUnemployed: {"失业人员", "登记失业人员"}, GroupPovertyAlleviated: {"脱贫人口", "脱贫劳动力"},
	})
	// levelWords turns the Chinese writings of a skill level (五级, 初级工, 初级) into 1–5.
	levelWords = sheet.NewEnum(map[string][]string{
		"1": {"一级", "1级", "高级技师", "一级/高级技师"},
		"2": {"二级", "2级", "技师", "二级/技师"},
		"3": {"三级", "3级", "高级工", "高级", "三级/高级工"},
		"4": {"四级", "4级", "中级工", "中级", "四级/中级工"},
		"5": {"五级", "5级", "初级工", "初级", "五级/初级工"},
	})
)

// SheetHint says what to write instead, for the errors of a training row in a spreadsheet.
func SheetHint(field, code string) string {
	switch code {
	case CodeInvalidTrainingType:
		return "write one of " + listNames(typeList[:], typeNames)
	case CodeInvalidResult:
		return "write 合格 or 不合格"
	case CodeInvalidTraineeGroup:
		return "write any of " + listNames(groupList[:], groupNames) + ", separated by 、 or ；"
	case CodeInvalidDate:
		return "write a date such as 2026-10-08, 2026/10/8 or 2026年10月8日, or use a date cell"
	case CodeInvalidSubsidy:
		return "an amount is allowed only when 是否补贴 is 是; leave it empty or write 0 otherwise"
	case "invalid_ssn":
		return "write the 18-character number as text (format the cell as 文本, or Excel rounds it)"
	case "invalid_occupation_code":
		return "write a code of the 国家职业分类大典 such as 6-18-01-01"
	case CodeRequired:
		return "fill in this cell"
	}
	return ""
}

func listNames(words []string, names map[string]string) string {
	out := make([]string, len(words))
	for i, w := range words {
		out[i] = names[w]
	}
	return strings.Join(out, ", ")
}

// Template is the XLSX template of a training batch: the Chinese headers, a sample row and
// drop-down lists for the enumerations; ParseBatchSheet reads it back.
func Template(today time.Time) ([]byte, error) {
	types := make([]string, len(typeList))
	for i, t := range typeList {
		types[i] = typeNames[t]
	}
	day := time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, time.UTC)
	return sheet.Template("培训记录", []sheet.TemplateColumn{
		{Header: "记录编号", Sample: "PX2026-0001", Text: true, Note: "本机构自己的记录编号，每条记录唯一；重复上传同一编号的相同记录不会重复登记"},
		{Header: "社会保障号码", Sample: "11010519491231002X", Text: true, Width: 22},
		{Header: "姓名", Sample: "张三"},
		{Header: "课程名称", Sample: "焊工（中级）", Width: 20},
		{Header: "培训类型", Sample: typeNames[TypeJobSkillsUpgrade], Choices: types, Width: 18},
		{Header: "职业编码", Sample: "6-18-01-01", Text: true},
		{Header: "职业名称", Sample: "焊工"},
		{Header: "等级", Sample: "四级/中级工", Choices: levelNames[1:], Note: "可不填"},
		{Header: "学时", Sample: 40},
		{Header: "开始日期", Sample: day.AddDate(0, 0, -20), Date: true},
		{Header: "结束日期", Sample: day.AddDate(0, 0, -1), Date: true},
		{Header: "培训结果", Sample: "合格", Choices: []string{"合格", "不合格"}},
		{Header: "是否补贴", Sample: "是", Choices: []string{"是", "否"}},
		{Header: "补贴金额(元)", Sample: 1500, Note: "单位：元，最多两位小数；不补贴的填0或不填"},
		{Header: "人员类别", Sample: "农民工、青年", Width: 20, Note: "可多选，用顿号（、）或分号隔开：" + listNames(groupList[:], groupNames)},
	})
}
