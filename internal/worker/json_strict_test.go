package worker_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"skillrecord/internal/worker"
)

// TestReadJSON_CaseVariantKeyIsAnUnknownField refuses a row key that names a field only when
// case is ignored: "Name" beside "name" would otherwise overwrite it.
func TestReadJSON_CaseVariantKeyIsAnUnknownField(t *testing.T) {
	body := `{"cardholders":[{"ssn":"x","name":"张三"},{"ssn":"y","name":"李四","Name":"王五"}]}`
	rows, err := collect(worker.ReadJSON(strings.NewReader(body)))
	require.Error(t, err)
	assert.Equal(t, "unknown_field", codeOf(err))
	assert.Len(t, rows, 1, "the rows before the bad one were read")

	_, err = collect(worker.ReadJSON(strings.NewReader(`{"Cardholders":[]}`)))
	assert.Equal(t, "unknown_field", codeOf(err))

	rows, err = collect(worker.ReadJSON(strings.NewReader(`{"cardholders":[{"ssn":"x","name":"张三","card_number":"C1"}]}`)))
	require.NoError(t, err)
	require.Len(t, rows, 1)
	assert.Equal(t, "张三", rows[0].Name)
}

// TestReadJSON_InvalidUTF8StopsTheImport refuses the bytes ED A0 80 in a name instead of
// reading them as U+FFFD.
func TestReadJSON_InvalidUTF8StopsTheImport(t *testing.T) {
	body := "{\"cardholders\":[{\"ssn\":\"x\",\"name\":\"张\xed\xa0\x80\"}]}"
	rows, err := collect(worker.ReadJSON(strings.NewReader(body)))
	require.Error(t, err)
	assert.Equal(t, "invalid_utf8", codeOf(err))
	assert.Empty(t, rows)
}
