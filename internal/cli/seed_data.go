package cli

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"

	"skillrecord/internal/certificate"
	"skillrecord/internal/civil"
	"skillrecord/internal/identity"
	"skillrecord/internal/org"
	"skillrecord/internal/training"
	"skillrecord/internal/worker"
)

// seedGen makes up the synthetic city of `skillrecord seed`. Everything about person n or
// organisation n comes from a random stream of its own (PCG keyed by the seed, the kind of
// thing and n), so the data do not depend on how the work is split between goroutines: the
// same seed, offsets and sizes give the same database.
type seedGen struct {
	seed        int64
	today       civil.Date // the bureau's today: no date is after it
	recordsMean int        // mean training records a person, 0 to 2×recordsMean evenly; 0: trainingsPerWorker
}

// Kinds of random stream.
const (
	streamPerson = iota + 1
	streamTraining
	streamCertificate
	streamOrg
)

func (g seedGen) rng(kind uint64, n int64) *rand.Rand {
	return rand.New(rand.NewPCG(uint64(g.seed)*0x9E3779B97F4A7C15^kind, uint64(n))) //nolint:gosec // bit pattern of the seed, overflow intended
}

// zaozhuangAreas are the county-level area codes of Zaozhuang (枣庄): 市中区, 薛城区, 峄城区,
// 台儿庄区, 山亭区, 滕州市.
var zaozhuangAreas = [...]string{"370402", "370403", "370404", "370405", "370406", "370481"}

var zaozhuangDistricts = [...]string{"市中区", "薛城区", "峄城区", "台儿庄区", "山亭区", "滕州市"}

// birthDays is the span of birth dates of the synthetic workers, from 1966-01-01: about forty
// years, so every worker is of working age.
const birthDays = 14_600

var firstBirthday = time.Date(1966, 1, 1, 0, 0, 0, 0, time.UTC)

// personSSN is person n's SSN: a valid number, different for every n below 87.6 million
// (area × birth date × sequence number).
func personSSN(n int64) identity.SSN {
	area := zaozhuangAreas[n%int64(len(zaozhuangAreas))]
	k := n / int64(len(zaozhuangAreas))
	birth := firstBirthday.AddDate(0, 0, int(k%birthDays))
	return identity.MakeSSN(area, birth, int((k/birthDays)%1000))
}

// personCard is person n's social security card number: Z and n in base 36, 9 characters.
func personCard(n int64) string {
	s := strings.ToUpper(strconv.FormatInt(n, 36))
	return "Z" + strings.Repeat("0", 8-len(s)) + s
}

// Surnames by rough frequency (the first ones are drawn more often), a few compound ones, and
// characters of given names.
var (
	surnames = []string{"王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡",
		"郭", "何", "高", "林", "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹", "彭", "曾", "肖",
		"田", "董", "袁", "潘", "于", "蒋", "蔡", "余", "杜", "叶", "程", "苏", "魏", "吕", "丁", "任", "沈", "姚",
		"卢", "姜", "崔", "钟", "谭", "陆", "汪", "范", "金", "石", "廖", "贾", "夏", "韦", "付", "方", "白", "邹",
		"孟", "熊", "秦", "邱", "江", "尹", "薛", "闫", "段", "雷", "侯", "龙", "史", "陶", "黎", "贺", "顾", "毛"}
	compoundSurnames = []string{"欧阳", "司马", "诸葛", "上官", "东方"}
	givenChars       = []string{"伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟",
		"涛", "明", "超", "霞", "平", "刚", "桂", "英", "华", "建", "国", "文", "玉", "兰", "志", "红", "海", "鹏",
		"辉", "斌", "萍", "鑫", "宇", "浩", "婷", "雪", "凤", "云", "飞", "峰", "春", "梅", "利", "亮", "成", "林"}
)

// personName makes up a Chinese name: one surname (rarely a compound one) and one or two
// given-name characters.
func personName(r *rand.Rand) string {
	var b strings.Builder
	if r.IntN(100) == 0 {
		b.WriteString(compoundSurnames[r.IntN(len(compoundSurnames))])
	} else {
		// Squaring skews towards the common surnames at the front.
		x := r.Float64()
		b.WriteString(surnames[int(x*x*float64(len(surnames)))])
	}
	b.WriteString(givenChars[r.IntN(len(givenChars))])
	if r.IntN(100) < 65 {
		b.WriteString(givenChars[r.IntN(len(givenChars))])
	}
	return b.String()
}

// seedPerson is a synthetic cardholder.
type seedPerson struct {
	SSN  identity.SSN
	Name string
}

// person returns person n and the registry row that registers them.
func (g seedGen) person(n int64) (seedPerson, worker.ImportRow) {
	r := g.rng(streamPerson, n)
	p := seedPerson{SSN: personSSN(n), Name: personName(r)}
	issued := time.Date(2008+r.IntN(17), time.Month(1+r.IntN(12)), 1+r.IntN(28), 0, 0, 0, 0, time.UTC)
	return p, worker.ImportRow{
		SSN: string(p.SSN), Name: p.Name, CardNumber: personCard(n), IssueArea: "370400",
		CardStatus: "active", IssuedOn: issued.Format(time.DateOnly),
	}
}

// weighted is a choice among options by integer weights.
type weighted[T any] []struct {
	v T
	w int
}

func (ws weighted[T]) pick(r *rand.Rand) T {
	total := 0
	for _, o := range ws {
		total += o.w
	}
	x := r.IntN(total)
	for _, o := range ws {
		if x < o.w {
			return o.v
		}
		x -= o.w
	}
	return ws[len(ws)-1].v
}

// Proportions of the synthetic records, after the plan's mix of training: mostly employment and
// job-skills training, fewer entrepreneurship, apprenticeship and gold-blue-collar records.
var (
	trainingTypes = weighted[string]{
		{training.TypeEmploymentSkills, 30}, {training.TypeJobSkillsUpgrade, 30}, {training.TypePreJob, 10},
		{training.TypeJobTransfer, 5}, {training.TypeEntrepreneurship, 8}, {training.TypeApprenticeship, 6},
		{training.TypeGoldBlueCollar, 4}, {training.TypeOther, 7},
	}
	trainingsPerWorker = weighted[int]{{0, 20}, {1, 35}, {2, 25}, {3, 12}, {4, 5}, {5, 3}}
	certificateTypes   = weighted[string]{
		{certificate.TypeSkillLevel, 50}, {certificate.TypeVocationalQualification, 15},
		{certificate.TypeSpecialAbility, 20}, {certificate.TypeTraining, 15},
	}
	certificateLevels = weighted[int]{{5, 35}, {4, 30}, {3, 20}, {2, 10}, {1, 5}}
)

// groupShares are the per-record chances (percent) of each trainee group.
var groupShares = []struct {
	group   string
	percent int
}{
	{training.GroupMigrantWorker, 35}, {training.GroupRuralTransfer, 20}, {training.GroupVeteran, 3},
	{training.GroupDisabled, 2}, {training.GroupYouth, 20}, {training.GroupGraduate, 8},
	{training.GroupUnemployed, 10}, {training.GroupPovertyAlleviated, 5},
}

// occupation is an entry of the national occupational classification (国家职业分类大典).
type occupation struct{ code, name string }

var occupations = []occupation{
	{"6-31-01-03", "电工"}, {"6-18-02-04", "焊工"}, {"6-18-01-01", "车工"}, {"4-10-01-05", "养老护理员"},
	{"4-03-02-01", "中式烹调师"}, {"4-03-02-02", "中式面点师"}, {"4-10-01-02", "育婴员"},
	{"4-10-01-06", "家政服务员"}, {"4-12-01-01", "汽车维修工"}, {"4-10-03-01", "美发师"},
	{"4-10-03-02", "美容师"}, {"6-29-01-03", "砌筑工"}, {"4-01-06-01", "电子商务师"},
	{"5-01-02-01", "农艺工"}, {"6-20-01-02", "钳工"}, {"4-14-01-01", "保安员"},
}

var courseKinds = map[string]string{
	training.TypeEmploymentSkills: "就业技能培训班", training.TypeJobSkillsUpgrade: "岗位技能提升培训班",
	training.TypeEntrepreneurship: "创业培训(SYB)", training.TypeApprenticeship: "企业新型学徒制培训",
	training.TypeGoldBlueCollar: "金蓝领技师培训", training.TypePreJob: "岗前培训",
	training.TypeJobTransfer: "转岗转业培训", training.TypeOther: "职业技能培训",
}

// earliestEnd is the first day synthetic trainings end on: the plan period's first day.
var earliestEnd = civil.Date{Y: 2021, M: 1, D: 1}

// randomDay is a day from first up to g.today, both included.
func (g seedGen) randomDay(r *rand.Rand, first civil.Date) civil.Date {
	span := int(g.today.Time().Sub(first.Time()).Hours()/24) + 1
	return civil.DateOf(first.Time().AddDate(0, 0, r.IntN(max(span, 1))))
}

// seedTraining is a made-up training record and whether its institution voids it after
// posting it.
type seedTraining struct {
	training.Input
	Void bool
}

// trainings makes up person n's training records, with external ids unique to the run; about
// one in two hundred is to be voided. A person has 0 to 5 records (trainingsPerWorker), or,
// with g.recordsMean set, 0 to twice that many, evenly.
func (g seedGen) trainings(n int64, p seedPerson, run int64) []seedTraining {
	r := g.rng(streamTraining, n)
	var count int
	if g.recordsMean > 0 {
		count = r.IntN(2*g.recordsMean + 1)
	} else {
		count = trainingsPerWorker.pick(r)
	}
	out := make([]seedTraining, 0, count)
	for j := range count {
		typ := trainingTypes.pick(r)
		occ := occupations[r.IntN(len(occupations))]
		hours := 16 + r.IntN(225)
		end := g.randomDay(r, earliestEnd)
		start := civil.DateOf(end.Time().AddDate(0, 0, -min(hours/8, 60)))
		in := training.Input{
			ExternalID: fmt.Sprintf("SEED%d-%d-%d", run, n, j), SSN: string(p.SSN), Name: p.Name,
			CourseName: occ.name + courseKinds[typ], TrainingType: typ, OccupationCode: occ.code,
			OccupationName: occ.name, Hours: &hours, StartDate: start.String(), EndDate: end.String(),
			Result: training.ResultPassed,
		}
		if r.IntN(100) < 8 {
			in.Result = training.ResultFailed
		}
		if typ == training.TypeJobSkillsUpgrade || typ == training.TypeGoldBlueCollar || r.IntN(100) < 20 {
			level := 1 + r.IntN(5)
			if typ == training.TypeGoldBlueCollar {
				level = 1 + r.IntN(3)
			}
			in.Level = &level
		}
		subsidized := r.IntN(100) < 65
		in.Subsidized = &subsidized
		if subsidized && r.IntN(100) < 90 {
			cents := int64(500+r.IntN(2501)) * 100
			in.SubsidyAmountCents = &cents
		}
		for _, gs := range groupShares {
			if r.IntN(100) < gs.percent {
				in.TraineeGroups = append(in.TraineeGroups, gs.group)
			}
		}
		out = append(out, seedTraining{Input: in, Void: r.IntN(200) == 0})
	}
	return out
}

// cert makes up the k-th certificate of a run, for person p. The first twenty of a run
// go through every type and level, so that a small database has some of each.
func (g seedGen) cert(k int64, p seedPerson, run int64) certificate.Input {
	r := g.rng(streamCertificate, k)
	typ, level := certificateTypes.pick(r), certificateLevels.pick(r)
	if k < 20 {
		typ, level = certificate.Types()[k/5], 1+int(k%5)
	}
	occ := occupations[r.IntN(len(occupations))]
	issued := g.randomDay(r, civil.Date{Y: 2015, M: 1, D: 1})
	in := certificate.Input{
		No: fmt.Sprintf("SR%d-%010d", run, k), SSN: string(p.SSN), Name: p.Name, Type: typ,
		OccupationCode: occ.code, OccupationName: occ.name, IssuedOn: issued.String(),
	}
	if typ == certificate.TypeSkillLevel || typ == certificate.TypeVocationalQualification || k < 20 {
		in.Level = &level
	}
	if r.IntN(100) < 25 {
		in.ValidUntil = civil.DateOf(issued.Time().AddDate(4, 0, 0)).String() // some have expired by now
	}
	return in
}

var (
	institutionBrands = []string{"鲁南", "运河", "墨子", "鲁班", "抱犊崮", "微山湖", "龙泉", "荆河", "善国", "奚仲",
		"薛国", "冠世", "匡衡", "铁道游击队", "熊耳山", "青檀", "汉诺", "鲁源", "泰和", "益康"}
	institutionKinds = []string{"职业培训学校", "技工学校", "职业技能培训中心", "公共实训基地", "企业培训中心", "职业中等专业学校"}
	designationKinds = []string{"public_training_base", "national_high_skill_base", "provincial_master_studio", "national_master_studio"}
)

// creditCode is organisation n's unified social credit code: prefix (registration authority
// and kind), the area, then n in the code's alphabet, and the check character.
func creditCode(prefix, area string, n int64) string {
	const alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
	b := []byte(prefix + area + "000000000")
	for i := len(b) - 1; i >= len(prefix)+len(area) && n > 0; i-- {
		b[i] = alphabet[n%int64(len(alphabet))]
		n /= int64(len(alphabet))
	}
	return string(identity.MakeCreditCode(string(b)))
}

// institution makes up training institution number n (counted over all runs), with some
// designations: the first four of a run carry one kind each, so that every kind exists.
func (g seedGen) institution(n int64, i int) org.CreateInput {
	r := g.rng(streamOrg, n)
	d := r.IntN(len(zaozhuangDistricts))
	in := org.CreateInput{
		Name: zaozhuangDistricts[d] + institutionBrands[r.IntN(len(institutionBrands))] +
			institutionKinds[r.IntN(len(institutionKinds))],
		Type: string(org.TrainingInstitution), CreditCode: creditCode("52", zaozhuangAreas[d], n), RegionCode: zaozhuangAreas[d],
	}
	grant := func(kind string) {
		in.Designations = append(in.Designations, org.DesignationInput{Kind: kind, GrantedOn: g.randomDay(r, earliestEnd).String()})
	}
	if i < len(designationKinds) {
		grant(designationKinds[i])
	}
	for k, percent := range []int{10, 3, 8, 2} {
		if i >= len(designationKinds) && r.IntN(100) < percent {
			grant(designationKinds[k])
		}
	}
	return in
}

// otherOrg makes up organisation n of another type: evaluation organisations, employers and
// colleges.
func (g seedGen) otherOrg(n int64, typ org.Type) org.CreateInput {
	r := g.rng(streamOrg, n)
	d := r.IntN(len(zaozhuangDistricts))
	brand := institutionBrands[r.IntN(len(institutionBrands))]
	name, prefix := zaozhuangDistricts[d]+brand+"职业技能等级认定中心", "12"
	switch typ {
	case org.Employer:
		name, prefix = "枣庄"+brand+"机械制造有限公司", "91"
	case org.College:
		name, prefix = "枣庄"+brand+"职业学院", "12"
	}
	return org.CreateInput{Name: name, Type: string(typ), CreditCode: creditCode(prefix, zaozhuangAreas[d], n), RegionCode: zaozhuangAreas[d]}
}

// orgsFor is how many organisations a run with m institutions creates: m institutions, one
// evaluation organisation per ten (at least one), one employer per twenty (at least one) and
// one college.
func orgsFor(m int) (evaluation, employers, colleges int) {
	return max(1, m/10), max(1, m/20), 1
}
