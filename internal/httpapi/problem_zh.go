package httpapi

import (
	"fmt"
	"net/http"
	"strings"

	"golang.org/x/text/language"

	"skillrecord/internal/errs"
)

// The Chinese of problem details: the titles of the statuses, the detail of each code and the
// message of each field-error code. The `code` words stay as they are; a code without a
// translation keeps its English text. This is the one translation table of the API.

// zhTitles are the titles of the statuses.
var zhTitles = map[int]string{
	http.StatusBadRequest:            "请求无法读取",
	http.StatusUnauthorized:          "未认证",
	http.StatusForbidden:             "无权操作",
	http.StatusNotFound:              "未找到",
	http.StatusMethodNotAllowed:      "不支持该方法",
	http.StatusConflict:              "与现有数据冲突",
	http.StatusRequestEntityTooLarge: "请求体过大",
	http.StatusUnsupportedMediaType:  "不支持的文件格式",
	http.StatusUnprocessableEntity:   "数据不符合规则",
	http.StatusTooManyRequests:       "请求过于频繁",
	http.StatusInternalServerError:   "服务器内部错误",
	http.StatusServiceUnavailable:    "服务暂不可用",
}

// zhDetails are the details of the problem codes.
var zhDetails = map[string]string{
	"internal":                     "服务器内部错误；报告问题时请提供 request_id",
	"unavailable":                  "服务所依赖的组件暂不可用，请稍后重试",
	"malformed_json":               "请求体不是规定格式的 JSON",
	"malformed_body":               "请求体无法读取",
	"unknown_field":                "请求中含有不属于该接口的字段",
	"body_too_large":               "请求体超过大小上限；请拆分文件",
	"unsupported_media_type":       "不支持该文件格式：请上传 xlsx 工作簿、CSV（UTF-8 或 GBK）或 JSON",
	"missing_file":                 "表单中没有文件：请以文件字段上传表格",
	"malformed_csv":                "CSV 文件无法读取：请另存为“CSV UTF-8（逗号分隔）”或“CSV（逗号分隔）”",
	"malformed_xlsx":               "文件不是可读取的 xlsx 工作簿：请另存为“Excel 工作簿（*.xlsx）”",
	"unknown_column":               "表头中有无法识别的列：请对照模板修改列名",
	"missing_column":               "表头缺少必填列：请对照模板补齐",
	"duplicate_column":             "同一项目出现在多列中：请删除重复的列",
	"empty_batch":                  "文件中没有数据行",
	"batch_too_large":              "一次最多提交 1000 条记录：请拆分文件",
	"import_too_large":             "一次导入的行数超过上限：请拆分文件",
	"invalid_batch":                "部分记录不符合规则，整批未写入；请按 errors 中列出的行和列修改后重新上传",
	"duplicate_conflict":           "该编号已用于另一条不同的记录",
	"name_mismatch":                "姓名与持卡人员信息库中登记的姓名不一致",
	"unknown_cardholder":           "持卡人员信息库中没有该社会保障号码",
	"insufficient_credits":         "技能学分余额不足",
	"not_found":                    "未找到该对象",
	"method_not_allowed":           "该地址不支持此请求方法",
	"forbidden":                    "无权进行此操作",
	"unauthenticated":              "需要登录或提供有效的访问令牌",
	"invalid_grant":                "用户名或密码错误",
	"invalid_token":                "访问令牌无效或已过期",
	"rate_limited":                 "请求过于频繁，请稍后再试",
	"too_many_attempts":            "尝试次数过多，请稍后再试",
	"certificate_type_not_allowed": "本机构无权颁发该类型的证书",
	"already_revoked":              "该证书已被撤销",
	"already_void":                 "该记录已作废",
	"already_activated":            "该账户已激活",
	"reason_required":              "请填写 1 到 500 个字的原因",
	"weak_password":                "密码强度不足",
	"invalid_cursor":               "分页游标无效：请使用上一页返回的 next_cursor",
	"username_taken":               "该用户名已被占用",
	"invalid_username":             "用户名应为 3 至 64 位小写字母、数字或 . _ @ -",
	"invalid_display_name":         "姓名应为 1 至 64 个字符",
	"organization_removed":         "该机构已被移出目录",
}

// zhFields are the messages of field-error codes.
var zhFields = map[string]string{
	"required":                        "必须填写",
	"wrong_type":                      "格式不对：数字填阿拉伯数字，日期填 2026-10-08、2026/10/8 或 2026年10月8日，是否类填“是”或“否”",
	"wrong_type:hours":                "学时须为整数，如 40",
	"wrong_type:level":                "等级须填 1 到 5，或五级/初级工、四级/中级工、三级/高级工、二级/技师、一级/高级技师",
	"wrong_type:subsidized":           "请填“是”或“否”",
	"wrong_type:subsidy_amount_cents": "金额格式不对：按元填写时最多两位小数，如 1500 或 1500.50；按分填写时须为整数",
	"unknown_field":                   "不是该接口的字段",
	"unknown_column":                  "无法识别的列名，请对照模板修改",
	"missing_column":                  "缺少这一列，请对照模板补齐",
	"duplicate_column":                "与前面的列重复",
	"duplicate_in_batch":              "记录编号与本文件中前面的一行重复",
	"duplicate_conflict":              "该编号已用于另一条不同的记录",
	"invalid_ssn":                     "不是有效的社会保障号码（18位，末位可为X）；请把单元格设为“文本”格式，以免被 Excel 改写",
	"invalid_name":                    "姓名须为 1 到 50 个字，不含控制字符",
	"invalid_external_id":             "记录编号须为 1 到 64 个字母、数字或 . _ : -",
	"invalid_course_name":             "课程名称须为 1 到 100 个字，不含控制字符",
	"invalid_training_type":           "不是可选值，可填：就业技能培训、岗位技能提升培训、创业培训、企业新型学徒制、金蓝领、岗前培训、转岗转业培训、其他",
	"invalid_occupation_code":         "职业编码须按《国家职业分类大典》填写，如 6-18-01-01",
	"invalid_occupation_name":         "职业名称须为 1 到 100 个字，不含控制字符",
	"invalid_level":                   "等级须为 1 到 5：五级/初级工、四级/中级工、三级/高级工、二级/技师、一级/高级技师",
	"invalid_hours":                   "学时须为 1 到 2000 的整数",
	"invalid_date":                    "不是有效日期，可填 2026-10-08、2026/10/8 或 2026年10月8日，或使用日期格式的单元格",
	"invalid_date_range":              "日期不合理：开始日期不能晚于结束日期，日期不能晚于今天，也不能早于本人出生日期；有效期须晚于发证日期",
	"invalid_result":                  "不是可选值，可填：合格、不合格",
	"invalid_subsidy":                 "只有“是否补贴”为“是”时才能填写补贴金额（0 至 1 亿元）；不补贴的请填 0 或留空",
	"invalid_trainee_group":           "不是可选值，可填（可多项，用顿号或分号隔开）：农民工、农村转移劳动力、退役军人、残疾人、青年、高校毕业生、失业人员、脱贫人口",
	"invalid_certificate_no":          "证书编号须为 6 到 32 个大写字母、数字或“-”",
	"invalid_certificate_type":        "不是可选值，可填：职业技能等级证书、职业资格证书、专项职业能力证书、培训合格证书",
	"certificate_type_not_allowed":    "本机构无权颁发该类型的证书",
	"invalid_card_number":             "社保卡号须为 9 位字母或数字",
	"invalid_area_code":               "发卡地区须为 6 位行政区划代码，如 370400",
	"invalid_card_status":             "不是可选值，可填：正常、挂失、换卡、注销",
	"card_conflict":                   "该社保卡号已登记在另一人名下",
	"name_mismatch":                   "姓名与持卡人员信息库中登记的不一致",
	"unknown_cardholder":              "持卡人员信息库中没有该社会保障号码",
	"invalid_reason":                  "原因须为 1 到 500 个字",
	"username_taken":                  "已被占用",
	"invalid_username":                "3 至 64 位小写字母、数字或 . _ @ -",
	"invalid_display_name":            "1 至 64 个字符",
}

// prefersChinese reports whether an Accept-Language header (q-values respected) asks for
// Chinese before English: zh, zh-CN, zh-Hans and the like.
func prefersChinese(acceptLanguage string) bool {
	if acceptLanguage == "" {
		return false
	}
	tags, _, err := language.ParseAcceptLanguage(acceptLanguage)
	if err != nil {
		return false
	}
	for _, t := range tags { // ParseAcceptLanguage sorts by q, highest first, and drops q=0
		base, _ := t.Base()
		switch base.String() {
		case "zh":
			return true
		case "en":
			return false
		}
	}
	return false
}

// localize turns p's title, detail and field messages into Chinese where the table has them.
func localize(p *Problem) {
	if t, ok := zhTitles[p.Status]; ok {
		p.Title = t
	}
	if d, ok := zhDetails[p.Code]; ok {
		p.Detail = d
	}
	if len(p.Errors) == 0 {
		return
	}
	fields := make([]errs.FieldError, len(p.Errors))
	for i, fe := range p.Errors {
		fe.Message = zhFieldMessage(fe)
		fields[i] = fe
	}
	p.Errors = fields
}

// zhField is the Chinese message of a field error's code, first for its field
// ("wrong_type:hours"), then for the code alone.
func zhField(fe errs.FieldError) (string, bool) {
	if msg, ok := zhFields[fe.Code+":"+fe.Field]; ok {
		return msg, true
	}
	msg, ok := zhFields[fe.Code]
	return msg, ok
}

// zhFieldMessage is a field error in Chinese: in a spreadsheet "第5行 培训类型：…", else the
// message of its code; its English message when the table lacks the code.
func zhFieldMessage(fe errs.FieldError) string {
	msg, ok := zhField(fe)
	if !ok {
		return fe.Message
	}
	if fe.Row == nil {
		return msg
	}
	where := fe.Column
	if where == "" {
		where = fe.Field
	}
	return fmt.Sprintf("第%d行 %s：%s", *fe.Row, where, msg)
}

// zhReasons are the Chinese reasons of the bad rows, keyed by the sheet's row number, for the
// reason column of a refused file.
func zhReasons(fields []errs.FieldError) map[int]string {
	out := map[int]string{}
	for _, fe := range fields {
		if fe.Row == nil {
			continue
		}
		msg, ok := zhField(fe)
		if !ok {
			msg = fe.Message
		}
		where := fe.Column
		if where == "" {
			where = fe.Field
		}
		line := where + "：" + msg
		if prev := out[*fe.Row]; prev != "" {
			line = prev + "\n" + line
		}
		out[*fe.Row] = line
	}
	for r, s := range out {
		out[r] = strings.TrimSpace(s)
	}
	return out
}
