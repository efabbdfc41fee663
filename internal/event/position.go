package event

// An event's position in the outbox (Event.Seq) is the outbox row that holds it and its index
// in that row: a row holds one event, or a bundle of up to MaxBundle consecutive events of one
// kind from one transaction. Seq packs both into one number that grows in outbox order.
const (
	indexBits = 20

	// MaxBundle bounds the events of one outbox row.
	MaxBundle = 1 << indexBits
)

// Seq is the position of the index-th event (0-based) of outbox row row.
func Seq(row int64, index int) int64 { return row<<indexBits | int64(index) }

// RowOf is the outbox row of position seq.
func RowOf(seq int64) int64 { return seq >> indexBits }

// IndexOf is the index in its outbox row of the event at position seq.
func IndexOf(seq int64) int { return int(seq & (MaxBundle - 1)) }

// AfterRow is the position after every event of outbox row row (and before the next row's).
func AfterRow(row int64) int64 { return Seq(row, MaxBundle-1) }

// maxRow is the largest row id a position can hold.
const maxRow = 1<<(63-indexBits) - 1
