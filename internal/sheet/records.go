package sheet

import "iter"

// Records reads a spreadsheet of one kind of record: a CSV (UTF-8, or GB 18030 when charset
// declares it or the text is not UTF-8) or the first sheet of an XLSX workbook, with the header
// row that schema locates below any title rows. Blank rows are skipped; each other data row is
// handed cell by cell to set, with the cell's field key, after value has rewritten the cell for
// that key (a Chinese enumeration word, a date: nil keeps cells as they are). Columns the
// schema ignores are not handed over. The Positions give each yielded row's sheet row number.
// A bad document is an errs.Malformed error before any row.
func Records[T any](body []byte, format Format, charset string, schema Schema,
	value func(g *Grid, key, cell string) string, set func(row *T, key, cell string)) (iter.Seq2[T, error], *Positions, error) {
	g, err := Read(body, format, charset)
	if err != nil {
		return nil, nil, err
	}
	h, err := schema.Locate(g)
	if err != nil {
		return nil, nil, err
	}
	data, err := h.Data(g)
	if err != nil {
		return nil, nil, err
	}
	var kept Rows
	for i, cells := range data.Cells {
		if !IsBlank(cells) {
			kept.Cells = append(kept.Cells, cells)
			kept.Lines = append(kept.Lines, data.Lines[i])
		}
	}
	seq := func(yield func(T, error) bool) {
		for _, cells := range kept.Cells {
			var row T
			for j, c := range cells {
				if j >= len(h.Keys) || h.Keys[j] == "" || h.Keys[j] == "-" {
					continue
				}
				if value != nil {
					c = value(g, h.Keys[j], c)
				}
				set(&row, h.Keys[j], c)
			}
			if !yield(row, nil) {
				return
			}
		}
	}
	return seq, NewPositions(g, h, kept), nil
}
