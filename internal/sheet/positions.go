package sheet

import (
	"fmt"

	"skillrecord/internal/errs"
)

// Positions ties the data rows of a parsed spreadsheet to the sheet: the row number of each
// data row and the header of each field's column. An import reader returns it beside the
// records, so that the errors found later (validation, the real-name check, conflicts), which
// name rows by 0-based index and fields by JSON name, can name the place the clerk sees.
type Positions struct {
	Format    Format
	HeaderRow int               // the sheet's row number of the header
	Lines     []int             // by data-row index: the sheet's row number
	Labels    map[string]string // by field: the header as written
}

// NewPositions records where the data rows and columns of h are.
func NewPositions(g *Grid, h Header, rows Rows) *Positions {
	p := &Positions{Format: g.Format, HeaderRow: h.Row, Lines: rows.Lines, Labels: map[string]string{}}
	for j, k := range h.Keys {
		if k != "" && k != "-" {
			p.Labels[FieldOf(k)] = h.Labels[j]
		}
	}
	return p
}

// Hint says, for an error code, what to write instead (e.g. the allowed values); "" for none.
type Hint func(field, code string) string

// Place adds the sheet row and column to every field error of err that names a data row, and
// puts them in front of its message ("row 5, 培训类型: …"), followed by hint's advice. Other
// errors are returned unchanged. It is nil-safe: a batch that was not a spreadsheet has no
// positions.
func (p *Positions) Place(err error, hint Hint) error {
	e := errs.As(err)
	if p == nil || e == nil || len(e.Fields) == 0 {
		return err
	}
	fields := make([]errs.FieldError, len(e.Fields))
	for n, fe := range e.Fields {
		fields[n] = p.place(fe, hint)
	}
	e.Fields = fields
	return e
}

func (p *Positions) place(fe errs.FieldError, hint Hint) errs.FieldError {
	if fe.Index == nil || *fe.Index < 0 || *fe.Index >= len(p.Lines) || fe.Row != nil {
		return fe
	}
	row := p.Lines[*fe.Index]
	fe.Row = &row
	fe.Column = p.Labels[fe.Field]
	where := fe.Column
	if where == "" {
		where = fe.Field
	}
	msg := fmt.Sprintf("row %d, %s: %s", row, where, fe.Message)
	if hint != nil {
		if h := hint(fe.Field, fe.Code); h != "" {
			msg += "; " + h
		}
	}
	fe.Message = msg
	return fe
}
