package sheet

import (
	"bytes"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"

	"skillrecord/internal/errs"
)

// Format is the kind of file a spreadsheet arrived as.
type Format int

// The formats a spreadsheet may arrive as.
const (
	CSV Format = iota
	XLSX
)

// String returns the format's usual file extension.
func (f Format) String() string {
	if f == XLSX {
		return "xlsx"
	}
	return "csv"
}

// zipMagic starts every XLSX workbook (a zip archive).
var zipMagic = []byte("PK\x03\x04")

// Sniff tells an XLSX workbook (by its zip signature) from a CSV file.
func Sniff(body []byte) Format {
	if bytes.HasPrefix(body, zipMagic) {
		return XLSX
	}
	return CSV
}

// IsGB18030 reports whether a declared charset names GB 18030 or one of its subsets (GBK,
// GB 2312), which GB 18030 decodes alike.
func IsGB18030(charset string) bool {
	switch strings.ToLower(strings.TrimSpace(charset)) {
	case "gb18030", "gbk", "gb2312", "cp936", "x-gbk", "windows-936":
		return true
	}
	return false
}

// IsUTF8 reports whether a declared charset names UTF-8 (or none is declared).
func IsUTF8(charset string) bool {
	switch strings.ToLower(strings.TrimSpace(charset)) {
	case "", "utf-8", "utf8":
		return true
	}
	return false
}

// ToUTF8 returns a CSV body as UTF-8 text without a byte-order mark. A body with a UTF-16
// byte-order mark is UTF-16 (Excel's "Unicode 文本"). A body declared GB 18030
// (or GBK, GB 2312) is decoded; an undeclared body that is not valid UTF-8 but decodes as
// GB 18030 is taken to be GB 18030, which is what Excel and WPS write on Chinese Windows.
// Anything else is errs.Malformed with code malformed_csv.
func ToUTF8(body []byte, charset string) ([]byte, error) {
	if bytes.HasPrefix(body, []byte("\uFEFF")) {
		return body[3:], nil
	}
	if bytes.HasPrefix(body, []byte{0xFF, 0xFE}) || bytes.HasPrefix(body, []byte{0xFE, 0xFF}) {
		// UTF-16 with its byte-order mark: Excel's "Unicode 文本".
		out, err := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewDecoder().Bytes(body)
		if err != nil || !utf8.Valid(out) {
			return nil, errs.Malformed(CodeMalformedCSV, "the UTF-16 text cannot be read")
		}
		return out, nil
	}
	gb := IsGB18030(charset)
	if !gb && utf8.Valid(body) {
		return body, nil
	}
	out, err := simplifiedchinese.GB18030.NewDecoder().Bytes(body)
	if err != nil || !utf8.Valid(out) || bytes.ContainsRune(out, utf8.RuneError) {
		return nil, errs.Malformed(CodeMalformedCSV, "the CSV is neither UTF-8 nor GB 18030 (GBK) text; save it as \"CSV UTF-8\" or \"CSV (逗号分隔)\"")
	}
	return out, nil
}
