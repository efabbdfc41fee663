package sqlstore

import (
	"context"

	"skillrecord/internal/identity"
	"skillrecord/internal/worker"
)

var _ worker.Directory = (*WorkerStore)(nil)

// identifyChunk bounds the IN list of one lookup query.
const identifyChunk = 1000

// Identify looks registered workers up by SSN, one query per thousand SSNs.
func (s *WorkerStore) Identify(ctx context.Context, ssns []identity.SSN) (map[identity.SSN]worker.Identity, error) {
	out := make(map[identity.SSN]worker.Identity, len(ssns))
	byIndex := make(map[string]identity.SSN, len(ssns))
	indexes := make([][]byte, 0, len(ssns))
	for _, ssn := range ssns {
		idx := s.index.Index(workerIndexSSN, string(ssn))
		if _, dup := byIndex[string(idx)]; dup {
			continue
		}
		byIndex[string(idx)] = ssn
		indexes = append(indexes, idx)
	}
	for start := 0; start < len(indexes); start += identifyChunk {
		end := min(start+identifyChunk, len(indexes))
		var rows []struct {
			ID        string
			SSNIndex  []byte `gorm:"column:ssn_index"`
			NameIndex []byte
		}
		if err := s.db.conn(ctx).Table("workers").Select("id", "ssn_index", "name_index").
			Where("ssn_index IN ?", indexes[start:end]).Find(&rows).Error; err != nil {
			return nil, translate(err)
		}
		for _, r := range rows {
			if ssn, ok := byIndex[string(r.SSNIndex)]; ok {
				out[ssn] = worker.Identity{WorkerID: r.ID, NameIndex: r.NameIndex}
			}
		}
	}
	return out, nil
}

// NameIndex is the blind index of a name in its normal form, as the registry stores it.
func (s *WorkerStore) NameIndex(name string) []byte {
	n, err := worker.ParseName(name)
	if err != nil {
		return nil
	}
	return s.index.Index(workerIndexName, n)
}
