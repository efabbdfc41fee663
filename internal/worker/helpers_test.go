package worker_test

import (
	"iter"
	"strings"

	"skillrecord/internal/errs"
	"skillrecord/internal/worker"
)

func codeOf(err error) string { return errs.CodeOf(err) }

// collect drains a row sequence, returning the rows before the first error and that error.
func collect(seq iter.Seq2[worker.ImportRow, error]) ([]worker.ImportRow, error) {
	var rows []worker.ImportRow
	for r, err := range seq {
		if err != nil {
			return rows, err
		}
		rows = append(rows, r)
	}
	return rows, nil
}

func csvBody(lines ...string) *strings.Reader {
	return strings.NewReader(strings.Join(lines, "\n") + "\n")
}
