package httpapi

import (
	"bytes"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"path"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"skillrecord/internal/errs"
	"skillrecord/internal/sheet"
)

// Media types of an import body besides JSON, CSV and XLSX.
const (
	mediaOctetStream = "application/octet-stream"
	mediaMultipart   = "multipart/form-data"
	mediaExcelLegacy = "application/vnd.ms-excel" // what Windows browsers call a .csv file
)

// oleMagic starts a legacy binary Excel workbook (.xls), which is not read.
var oleMagic = []byte{0xD0, 0xCF, 0x11, 0xE0}

// upload is an import body as it arrived: JSON, or a spreadsheet with its format and declared
// charset. Body is the JSON or the file itself (a multipart form's file part).
type upload struct {
	JSON    bool
	Format  sheet.Format
	Charset string
	Body    []byte
}

// readUpload reads the whole body and decides how to read it, by Content-Type:
// application/json (also when none is given); text/csv in UTF-8 or GB 18030 (charset gbk,
// gb18030 or gb2312); an XLSX workbook; application/octet-stream or application/vnd.ms-excel
// (an XLSX by its zip signature, else CSV); or multipart/form-data, a browser form, whose first
// file part is read by its file name's extension, else by its own content type. Anything else
// is 415; a body over its limit is 413. what names the import in the 415 message.
func readUpload(c *gin.Context, what string) (upload, error) {
	ct := c.GetHeader("Content-Type")
	if ct == "" {
		body, err := io.ReadAll(c.Request.Body)
		return upload{JSON: true, Body: body}, readErr(err)
	}
	mt, params, err := mime.ParseMediaType(ct)
	if err != nil {
		return upload{}, unsupportedUpload(what)
	}
	if mt != mediaMultipart && !knownUpload(mt) {
		return upload{}, unsupportedUpload(what)
	}
	body, err := io.ReadAll(c.Request.Body)
	if err != nil {
		return upload{}, bodyError(err)
	}
	if mt == mediaMultipart {
		return filePart(body, params["boundary"], what)
	}
	return typedUpload(mt, params["charset"], "", body, what)
}

func readErr(err error) error {
	if err != nil {
		return bodyError(err)
	}
	return nil
}

func knownUpload(mt string) bool {
	switch mt {
	case mediaJSON, mediaCSV, mediaXLSX, mediaOctetStream, mediaExcelLegacy:
		return true
	}
	return strings.HasSuffix(mt, "+json")
}

func unsupportedUpload(what string) error {
	return errs.Unsupported("unsupported_media_type",
		"send the %s as application/json, text/csv (UTF-8 or GB 18030), an XLSX workbook ("+mediaXLSX+"), application/octet-stream or a multipart/form-data file", what)
}

// typedUpload decides by media type mt (and a file name's extension, when there is one).
func typedUpload(mt, charset, filename string, body []byte, what string) (upload, error) {
	switch strings.ToLower(path.Ext(filename)) {
	case ".xlsx":
		mt = mediaXLSX
	case ".csv":
		mt = mediaCSV
	case ".xls":
		return upload{}, legacyExcel()
	}
	switch {
	case mt == mediaJSON || strings.HasSuffix(mt, "+json"):
		return upload{JSON: true, Body: body}, nil
	case mt == mediaCSV:
		if !sheet.IsUTF8(charset) && !sheet.IsGB18030(charset) {
			return upload{}, errs.Unsupported("unsupported_media_type", "a CSV file must be encoded in UTF-8 or GB 18030 (GBK)")
		}
		return upload{Format: sheet.CSV, Charset: charset, Body: body}, nil
	case mt == mediaXLSX:
		return upload{Format: sheet.XLSX, Body: body}, nil
	case mt == mediaOctetStream || mt == mediaExcelLegacy || mt == "":
		if bytes.HasPrefix(body, oleMagic) {
			return upload{}, legacyExcel()
		}
		return upload{Format: sheet.Sniff(body), Charset: charset, Body: body}, nil
	}
	return upload{}, unsupportedUpload(what)
}

func legacyExcel() error {
	return errs.Unsupported("unsupported_media_type", "an old Excel workbook (.xls) cannot be read: save it as .xlsx (Excel 工作簿) or CSV")
}

// filePart finds the first file part of a multipart form.
func filePart(body []byte, boundary, what string) (upload, error) {
	if boundary == "" {
		return upload{}, errs.Malformed("malformed_body", "the multipart/form-data body has no boundary")
	}
	r := multipart.NewReader(bytes.NewReader(body), boundary)
	for {
		p, err := r.NextPart()
		if errors.Is(err, io.EOF) {
			return upload{}, errs.Malformed("missing_file", "the form holds no file: attach the spreadsheet as a file field")
		}
		if err != nil {
			return upload{}, errs.Malformed("malformed_body", "the multipart/form-data body cannot be read")
		}
		if p.FileName() == "" {
			continue
		}
		data, err := io.ReadAll(p)
		if err != nil {
			return upload{}, errs.Malformed("malformed_body", "the multipart/form-data body cannot be read")
		}
		mt, params, _ := mime.ParseMediaType(p.Header.Get("Content-Type"))
		return typedUpload(mt, params["charset"], p.FileName(), data, what)
	}
}

// wantsXLSX reports whether the Accept header prefers an XLSX workbook to JSON: the workbook
// is listed with a q-value above 0 that no JSON type (nor */*) beats.
func wantsXLSX(accept string) bool {
	xlsx, other := -1.0, -1.0
	for _, item := range strings.Split(accept, ",") {
		mt, params, err := mime.ParseMediaType(strings.TrimSpace(item))
		if err != nil {
			continue
		}
		q := 1.0
		if v, ok := params["q"]; ok {
			q = parseQ(v)
		}
		switch mt {
		case mediaXLSX:
			xlsx = max(xlsx, q)
		case mediaJSON, ProblemContentType, "*/*", "application/*":
			other = max(other, q)
		}
	}
	return xlsx > 0 && xlsx >= other
}

// parseQ reads a q-value; a malformed one counts as 0.
func parseQ(v string) float64 {
	q, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
	if err != nil || q < 0 || q > 1 {
		return 0
	}
	return q
}
