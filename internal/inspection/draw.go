package inspection

import (
	"crypto/sha256"
	"math/rand/v2"
	"slices"
)

// label is the first part of every stream key; it changes if the algorithm ever does.
const label = "skillrecord-inspection-v1"

// stream returns the random stream keyed with SHA-256 of parts, each followed by a zero byte.
func stream(parts ...string) *rand.Rand {
	h := sha256.New()
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	var key [32]byte
	copy(key[:], h.Sum(nil))
	return rand.New(rand.NewChaCha8(key))
}

// Pick takes k of candidates uniformly at random without replacement with r: the candidates
// are sorted and deduplicated first, then shuffled by a partial Fisher–Yates. The sample comes
// back in ascending order. When k ≥ the number of candidates, all of them are taken.
func Pick(r *rand.Rand, candidates []string, k int) []string {
	c := slices.Clone(candidates)
	slices.Sort(c)
	c = slices.Compact(c)
	if k >= len(c) {
		return c
	}
	if k <= 0 {
		return []string{}
	}
	for i := range k {
		j := i + r.IntN(len(c)-i)
		c[i], c[j] = c[j], c[i]
	}
	out := c[:k:k]
	slices.Sort(out)
	return out
}

// DrawInstitutions draws k of the candidate institution ids for seed.
func DrawInstitutions(seed Seed, candidates []string, k int) []string {
	return Pick(stream(label, "institutions", string(seed)), candidates, k)
}

// DrawClasses draws k of an institution's candidate class ids (its approved subsidised
// classes) for seed, from the institution's own "classes" stream.
func DrawClasses(seed Seed, institutionID string, candidates []string, k int) []string {
	return Pick(stream(label, "classes", string(seed), institutionID), candidates, k)
}

// DrawRecords draws k of an institution's candidate record ids for seed.
func DrawRecords(seed Seed, institutionID string, candidates []string, k int) []string {
	return Pick(stream(label, "records", string(seed), institutionID), candidates, k)
}
