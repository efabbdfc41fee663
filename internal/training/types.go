package training

// Training types (培训类型) of docs/domain.md. The indicators count gold_blue_collar,
// apprenticeship and entrepreneurship records separately.
const (
	TypeEmploymentSkills = "employment_skills"  // 就业技能培训
	TypeJobSkillsUpgrade = "job_skills_upgrade" // 岗位技能提升培训
	TypeEntrepreneurship = "entrepreneurship"   // 创业培训
	TypeApprenticeship   = "apprenticeship"     // 企业新型学徒制
	TypeGoldBlueCollar   = "gold_blue_collar"   // 金蓝领
	TypePreJob           = "pre_job"            // 岗前培训
	TypeJobTransfer      = "job_transfer"       // 转岗转业培训
	TypeOther            = "other"              // 其他
)

// Trainee groups (重点群体) a record may carry; the indicators count migrant_worker records.
const (
	GroupMigrantWorker     = "migrant_worker"     // 农民工
	GroupRuralTransfer     = "rural_transfer"     // 农村转移劳动力
	GroupVeteran           = "veteran"            // 退役军人
	GroupDisabled          = "disabled"           // 残疾人
	GroupYouth             = "youth"              // 青年
	GroupGraduate          = "graduate"           // 高校毕业生
	GroupUnemployed        = "unemployed"         // 失业人员
	GroupPovertyAlleviated = "poverty_alleviated" // 脱贫人口
)

// Results of a training record.
const (
	ResultPassed = "passed" // 合格: earns credits under the credit rules
	ResultFailed = "failed" // 不合格: earns none
)

// typeList and groupList are the enumerations in their canonical order. They are arrays, not
// slices, so that no caller can change them.
var (
	typeList = [...]string{
		TypeEmploymentSkills, TypeJobSkillsUpgrade, TypeEntrepreneurship, TypeApprenticeship,
		TypeGoldBlueCollar, TypePreJob, TypeJobTransfer, TypeOther,
	}
	groupList = [...]string{
		GroupMigrantWorker, GroupRuralTransfer, GroupVeteran, GroupDisabled,
		GroupYouth, GroupGraduate, GroupUnemployed, GroupPovertyAlleviated,
	}
)

// Types returns the eight training types in their canonical order (a fresh slice).
func Types() []string { return append([]string(nil), typeList[:]...) }

// Groups returns the eight trainee groups in their canonical order (a fresh slice).
func Groups() []string { return append([]string(nil), groupList[:]...) }

// IsType reports whether s is one of the training types, spelled exactly.
func IsType(s string) bool { return indexOf(typeList[:], s) >= 0 }

// IsGroup reports whether s is one of the trainee groups, spelled exactly.
func IsGroup(s string) bool { return groupRank(s) >= 0 }

// groupRank is the position of g in the canonical group order, or -1.
func groupRank(g string) int { return indexOf(groupList[:], g) }

func indexOf(list []string, s string) int {
	for i, v := range list {
		if v == s {
			return i
		}
	}
	return -1
}
