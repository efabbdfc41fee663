package identity

import "strings"

// The Mask functions build the display form of personal data for readers who may not see it in
// full. They work on runes, trim surrounding white space first, and never reveal a value whose
// kept parts would cover all of it: such a value becomes only '*'s of the same rune length.
// Masked values are for responses only, never for storage or lookup.

// maskKeep keeps the first head and last tail runes of trimmed s and stars the rest. When s has
// no more than head+tail runes, every rune is starred.
func maskKeep(s string, head, tail int) string {
	r := []rune(trim(s))
	n := len(r)
	if n <= head+tail {
		return strings.Repeat("*", n)
	}
	var b strings.Builder
	b.Grow(n + 8)
	b.WriteString(string(r[:head]))
	b.WriteString(strings.Repeat("*", n-head-tail))
	b.WriteString(string(r[n-tail:]))
	return b.String()
}

// MaskSSN keeps the first 6 and last 4 characters of an SSN and replaces the rest by '*':
// 11010519491231002X → 110105********002X. A value of 10 runes or fewer becomes all '*'s.
func MaskSSN(s string) string { return maskKeep(s, 6, 4) }

// MaskCard keeps the last 3 characters of a card number and replaces the rest by '*':
// A12345678 → ******678. A value of 3 runes or fewer becomes all '*'s.
func MaskCard(s string) string { return maskKeep(s, 0, 3) }

// MaskPhone keeps the first 3 and last 4 characters of a phone number and replaces the rest by
// '*': 13812345678 → 138****5678. A value of 7 runes or fewer becomes all '*'s.
func MaskPhone(s string) string { return maskKeep(s, 3, 4) }

// MaskName keeps the surname of a name and replaces every other rune by '*'. The surname is the
// first rune, or the first two when the name has at least 3 runes and starts with a common
// compound surname (复姓, e.g. 欧阳): 张三 → 张*, 张三丰 → 张**, 欧阳娜娜 → 欧阳**,
// 欧阳修 → 欧阳*, 欧阳 → 欧*. A 1-rune name becomes "*". Other scripts keep their first rune:
// "John Smith" → "J*********". Surrounding white space is trimmed first.
func MaskName(name string) string {
	r := []rune(trim(name))
	n := len(r)
	if n <= 1 {
		return strings.Repeat("*", n)
	}
	keep := 1
	if n >= 3 && compoundSurnames[string(r[:2])] {
		keep = 2
	}
	return string(r[:keep]) + strings.Repeat("*", n-keep)
}

// compoundSurnames holds the common two-character surnames (复姓) of the 百家姓 and a few other
// frequent ones, in simplified and traditional characters.
var compoundSurnames = func() map[string]bool {
	list := []string{
		// Simplified.
		"欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙",
		"宇文", "司徒", "夏侯", "轩辕", "令狐", "端木", "独孤", "南宫", "西门", "申屠",
		"太史", "澹台", "公冶", "赫连", "呼延", "钟离", "闾丘", "万俟", "拓跋", "百里",
		"东郭", "濮阳", "淳于", "单于", "司空", "闻人", "左丘", "第五", "谷梁", "梁丘",
		"公羊", "宗政", "太叔", "仲孙", "鲜于", "亓官", "司寇", "仉督", "子车", "颛孙",
		"巫马", "公西", "漆雕", "乐正", "壤驷", "公良", "夹谷", "宰父", "段干", "南门",
		"羊舌", "微生", "东门", "乞伏", "完颜", "纳兰",
		// Traditional.
		"歐陽", "司馬", "諸葛", "東方", "尉遲", "公孫", "長孫", "軒轅", "獨孤", "南宮",
		"西門", "鍾離", "閭丘", "萬俟", "東郭", "濮陽", "單于", "聞人", "穀梁", "鮮于",
		"顓孫", "樂正", "壤駟", "夾谷", "東門", "南門", "仲孫", "司寇",
	}
	m := make(map[string]bool, len(list))
	for _, s := range list {
		m[s] = true
	}
	return m
}()
