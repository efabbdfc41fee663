package training_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"skillrecord/internal/training"
)

// BenchmarkParseBatch1000 parses a batch body of 1,000 records as POST /trainings/batch does
// before the use case sees it (JSON, CSV and XLSX), then validates it: the HTTP layer's own
// work per batch, beside BenchmarkBatchIngest1000 (internal/sqlstore) for the rest.
func BenchmarkParseBatch1000(b *testing.B) {
	const n = 1000
	body := struct {
		Records []training.Input `json:"records"`
	}{Records: batchOf(n)}
	jsonBody, err := json.Marshal(body)
	if err != nil {
		b.Fatal(err)
	}
	var csvBody strings.Builder
	csvBody.WriteString(minimalHeader + "\n")
	rows := [][]any{toAny(strings.Split(minimalHeader, ","))}
	for i := range n {
		row := minimalRow(fmt.Sprintf("INST-%04d", i), 40, "2026-01-05", "2026-01-06")
		for j, v := range row {
			if j > 0 {
				csvBody.WriteByte(',')
			}
			fmt.Fprint(&csvBody, v)
		}
		csvBody.WriteByte('\n')
		rows = append(rows, minimalRow(fmt.Sprintf("INST-%04d", i), 40, time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC), "2026-01-06"))
	}
	xlsxBody := buildXLSX(b, false, rows)
	check := func(b *testing.B, inputs []training.Input, err error) {
		if err != nil || len(inputs) != n {
			b.Fatalf("%d records, %v", len(inputs), err)
		}
		if _, err := training.ValidateBatch(inputs, today); err != nil {
			b.Fatal(err)
		}
	}
	b.Run("json", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(jsonBody)))
		for b.Loop() {
			inputs, err := training.ParseBatchJSON(bytes.NewReader(jsonBody), training.MaxBatch)
			check(b, inputs, err)
		}
	})
	b.Run("csv", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(csvBody.Len()))
		for b.Loop() {
			inputs, _, err := training.ParseBatchCSV(strings.NewReader(csvBody.String()), training.MaxBatch)
			check(b, inputs, err)
		}
	})
	b.Run("xlsx", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(xlsxBody)))
		for b.Loop() {
			inputs, _, err := training.ParseBatchXLSX(bytes.NewReader(xlsxBody), training.MaxBatch)
			check(b, inputs, err)
		}
	})
}
