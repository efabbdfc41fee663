package inspection_test

import (
	"crypto/sha256"
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"skillrecord/internal/errs"
	"skillrecord/internal/inspection"
)

func ids(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("id-%03d", i)
	}
	return out
}

// redraw follows the package documentation step by step, as an outside auditor would.
func redraw(seed string, parts []string, candidates []string, k int) []string {
	h := sha256.New()
	for _, p := range append([]string{"skillrecord-inspection-v1"}, parts...) {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	var key [32]byte
	copy(key[:], h.Sum(nil))
	r := rand.New(rand.NewChaCha8(key))
	c := slices.Clone(candidates)
	slices.Sort(c)
	c = slices.Compact(c)
	if k >= len(c) {
		return c
	}
	for i := 0; i < k; i++ {
		j := i + r.IntN(len(c)-i)
		c[i], c[j] = c[j], c[i]
	}
	out := c[:k]
	slices.Sort(out)
	return out
}

func TestDraw_FollowsTheDocumentedProcedure(t *testing.T) {
	c := ids(50)
	assert.Equal(t, redraw("42", []string{"institutions", "42"}, c, 7), inspection.DrawInstitutions("42", c, 7))
	assert.Equal(t, redraw("42", []string{"records", "42", "inst-9"}, c, 7), inspection.DrawRecords("42", "inst-9", c, 7))
}

func TestDraw_SameSeedSameSampleWhateverTheCandidateOrder(t *testing.T) {
	c := ids(200)
	first := inspection.DrawRecords("seed-1", "inst", c, 10)
	shuffled := slices.Clone(c)
	rand.Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
	assert.Equal(t, first, inspection.DrawRecords("seed-1", "inst", shuffled, 10))
	assert.Len(t, first, 10)
	assert.True(t, slices.IsSorted(first))
	assert.NotEqual(t, first, inspection.DrawRecords("seed-2", "inst", c, 10), "another seed, another sample")
	assert.NotEqual(t, first, inspection.DrawRecords("seed-1", "other", c, 10), "another institution, another stream")
}

// TestDraw_GoldenSample pins the algorithm: a change to it changes every published sample, so
// it must come with a new version label.
func TestDraw_GoldenSample(t *testing.T) {
	assert.Equal(t, []string{"id-000", "id-002", "id-003", "id-013", "id-015"},
		inspection.DrawInstitutions("20261127", ids(20), 5))
}

func TestDraw_FewerCandidatesThanAskedTakesAll(t *testing.T) {
	assert.Equal(t, []string{"a", "b", "c"}, inspection.DrawInstitutions("1", []string{"c", "a", "b", "a"}, 5))
	assert.Empty(t, inspection.DrawRecords("1", "x", nil, 5))
}

func TestDraw_IsUniform(t *testing.T) {
	c := ids(10)
	hits := map[string]int{}
	const rounds = 20000
	for i := range rounds {
		for _, id := range inspection.DrawInstitutions(inspection.SeedOf(int64(i)), c, 3) {
			hits[id]++
		}
	}
	for _, id := range c {
		// Each is drawn with probability 3/10: 6000 expected, σ ≈ 65.
		assert.InDelta(t, 6000, hits[id], 400, id)
	}
}

func TestSeeds(t *testing.T) {
	assert.Equal(t, inspection.Seed("42"), inspection.SeedOf(42))
	assert.Equal(t, inspection.Seed("-7"), inspection.SeedOf(-7))
	for _, ok := range []string{"a", "x-Y_z.9", "9223372036854775807"} {
		_, err := inspection.ParseSeed(ok)
		assert.NoError(t, err, ok)
	}
	for _, bad := range []string{"", "has space", "双随机", string(make([]byte, 65))} {
		_, err := inspection.ParseSeed(bad)
		assert.Equal(t, "invalid_seed", errs.CodeOf(err), bad)
	}
	for range 100 {
		n, err := strconv.ParseInt(string(inspection.NewSeed()), 10, 64)
		require.NoError(t, err)
		assert.True(t, n >= 0 && n < 1<<53, n)
	}
}
