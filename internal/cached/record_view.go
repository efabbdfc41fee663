package cached

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"math"

	"skillrecord/internal/record"
)

// recordEntry is the cached value of a worker's record: the worker's own answer, rendered
// (body and ETag) so that a hit is written out as it is, and the summary it was rendered
// from, kept as JSON and decoded only by the readers that need it (a share, an admin
// lookup, a view that no longer holds). The whole entry is sealed.
type recordEntry struct {
	view    record.View
	summary []byte          // JSON of the record.Summary
	built   *record.Summary // set when the entry was just built: no need to decode
}

// renderEntry renders s as of today into an entry.
func (r *Records) renderEntry(s record.Summary, today string) (recordEntry, error) {
	sj, err := json.Marshal(s)
	if err != nil {
		return recordEntry{}, err
	}
	v, err := r.render(s, today)
	if err != nil {
		return recordEntry{}, err
	}
	return recordEntry{view: v, summary: sj, built: &s}, nil
}

// decodeSummary returns the entry's summary.
func (e recordEntry) decodeSummary() (record.Summary, error) {
	if e.built != nil {
		return *e.built, nil
	}
	var s record.Summary
	err := json.Unmarshal(e.summary, &s)
	return s, err
}

// recordCodec lays an entry out as a version byte, then the ETag, From, Until and body, each
// prefixed by its length (uvarint), then the summary's JSON to the end. Decoding only slices
// the stored bytes.
type recordCodec struct{}

const recordEntryVersion = 1

var errBadRecordEntry = errors.New("cached: malformed record entry")

// Encode lays e out.
func (recordCodec) Encode(e recordEntry) ([]byte, error) {
	v := e.view
	b := make([]byte, 0, 1+4*binary.MaxVarintLen32+len(v.ETag)+len(v.From)+len(v.Until)+len(v.Body)+len(e.summary))
	b = append(b, recordEntryVersion)
	for _, s := range []string{v.ETag, v.From, v.Until} {
		b = binary.AppendUvarint(b, uint64(len(s)))
		b = append(b, s...)
	}
	b = binary.AppendUvarint(b, uint64(len(v.Body)))
	b = append(b, v.Body...)
	return append(b, e.summary...), nil
}

// Decode slices b into an entry; the entry keeps referring to b.
func (recordCodec) Decode(b []byte) (recordEntry, error) {
	if len(b) == 0 || b[0] != recordEntryVersion {
		return recordEntry{}, errBadRecordEntry
	}
	b = b[1:]
	var parts [4][]byte
	for i := range parts {
		n, k := binary.Uvarint(b)
		if k <= 0 || n > math.MaxInt {
			return recordEntry{}, errBadRecordEntry
		}
		b = b[k:]
		m := int(n)
		if m > len(b) {
			return recordEntry{}, errBadRecordEntry
		}
		parts[i], b = b[:m], b[m:]
	}
	return recordEntry{
		view:    record.View{ETag: string(parts[0]), From: string(parts[1]), Until: string(parts[2]), Body: parts[3]},
		summary: b,
	}, nil
}
