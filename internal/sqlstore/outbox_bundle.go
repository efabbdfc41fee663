package sqlstore

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	"github.com/klauspost/compress/flate"

	"skillrecord/internal/errs"
	"skillrecord/internal/event"
	"skillrecord/internal/text"
)

// An outbox row holds one event, or a bundle: a run of consecutive events of one kind that one
// transaction emitted (migration 00038). A batch of a thousand records stores its thousand
// training.posted and thousand credits.posted events in 12 rows instead of two thousand, each
// with its three index entries. A bundle's data is the JSON array of its
// events without their kind (bundled), its events column their number; its other columns are
// its first event's. Readers expand a row into its events (expand), each at its position
// event.Seq(row id, index), so that the relay and the feed still give out one event at a time.
//
// Since 2026-12-07 a bundle's JSON array is stored compressed when that is shorter: deflated
// (RFC 1951) and base64-encoded after the prefix "deflate:" (deflatedPrefix). A JSON array
// never starts so, and bundles written before stay readable as they are. The bundles' bounds
// are those of the JSON (bundleBytes), so a bundle holds the same events either way; the
// compressed data of a batch's bundles is about a third of the JSON's bytes, and that is what
// the outbox INSERT then sends, parses and stores (see docs/performance.md, Batch ingest).

// outboxBundle bounds the events of one bundle (and the events of one multi-row INSERT), and
// bundleBytes its data: the column is a TEXT of at most 65,535 bytes on MySQL, and a bundle
// holds ~167 training.posted or ~185 credits.posted events.
const (
	outboxBundle = 2000
	bundleBytes  = 60000
)

// bundled is one event of a bundle as its data stores it. The kind is the row's; at and
// org_id are left out when they equal the row's (its first event's), as they mostly do for
// the events of one transaction.
type bundled struct {
	ID        string          `json:"id"`
	At        *time.Time      `json:"at"`
	WorkerRef string          `json:"worker_ref"`
	OrgID     *string         `json:"org_id"`
	SubjectID string          `json:"subject_id"`
	Data      json.RawMessage `json:"data"`
}

// outboxRow is one row of event_outbox as read or to be written.
type outboxRow struct {
	id     int64
	first  event.Event // the row's only event, or its first (columns event_id … subject_id)
	data   string      // the only event's data, or the bundle's JSON array
	events int
}

// runs splits events into outbox rows, in order: consecutive events of one kind share a row,
// a bundle, up to outboxBundle events and bundleBytes of data; an event alone in its row is
// stored as before bundles.
func runs(events []event.Event) ([]outboxRow, error) {
	var (
		out  []outboxRow
		buf  []byte // the open bundle's data so far
		open []event.Event
	)
	flush := func() {
		switch len(open) {
		case 0:
			return
		case 1:
			out = append(out, outboxRow{first: open[0], data: string(open[0].Data), events: 1})
		default:
			first := open[0]
			first.WorkerRef = "" // a bundle's events name their workers in its data
			buf = append(buf, ']')
			out = append(out, outboxRow{first: first, data: packBundle(buf), events: len(open)})
		}
		buf, open = buf[:0], nil
	}
	var one []byte
	for i, e := range events {
		if !event.KnownKind(e.Kind) || e.SubjectID == "" {
			return nil, errs.Internal(fmt.Errorf("event kind %q, subject %q", e.Kind, e.SubjectID), "event without a known kind or a subject")
		}
		if len(open) > 0 && (e.Kind != open[0].Kind || len(open) == outboxBundle) {
			flush()
		}
		if len(open) > 0 {
			one = appendBundled(one[:0], e, open[0])
			if len(buf)+1+len(one)+1 > bundleBytes {
				flush()
			}
		}
		if len(open) == 0 {
			one = appendBundled(one[:0], e, e)
			buf = append(buf, '[')
		} else {
			buf = append(buf, ',')
		}
		buf = append(buf, one...)
		open = events[i-len(open) : i+1]
	}
	flush()
	return out, nil
}

// appendBundled appends e to b as a bundle whose first event is first stores it: the JSON of
// bundled, written directly (no reflection). e.Data goes in as it is: it is JSON, as
// event.MarshalData makes it (checking it again cost ~4 ms of CPU a 1,000-record batch).
func appendBundled(b []byte, e, first event.Event) []byte {
	b = append(b, `{"id":`...)
	b = text.AppendJSON(b, e.ID)
	if !e.At.Equal(first.At) {
		b = append(b, `,"at":"`...)
		b = e.At.UTC().AppendFormat(b, time.RFC3339Nano)
		b = append(b, '"')
	}
	if e.WorkerRef != "" {
		b = append(b, `,"worker_ref":`...)
		b = text.AppendJSON(b, e.WorkerRef)
	}
	if e.OrgID != first.OrgID {
		b = append(b, `,"org_id":`...)
		b = text.AppendJSON(b, e.OrgID)
	}
	b = append(b, `,"subject_id":`...)
	b = text.AppendJSON(b, e.SubjectID)
	b = append(b, `,"data":`...)
	b = append(b, e.Data...)
	return append(b, '}')
}

// expand returns the events of row r at positions after after, in order.
func (r outboxRow) expand(after int64) ([]event.Event, error) {
	if r.events <= 1 {
		e := r.first
		e.Seq = event.Seq(r.id, 0)
		e.Data = []byte(r.data)
		if e.Seq <= after {
			return nil, nil
		}
		return []event.Event{e}, nil
	}
	data, err := unpackBundle(r.data)
	var b []bundled
	if err == nil {
		err = json.Unmarshal(data, &b)
	}
	if err != nil || len(b) != r.events {
		if err == nil {
			err = fmt.Errorf("bundle of %d events holds %d", r.events, len(b))
		}
		return nil, errs.Internal(fmt.Errorf("event outbox row %d: %w", r.id, err), "unreadable event outbox row")
	}
	out := make([]event.Event, 0, len(b))
	for i, x := range b {
		seq := event.Seq(r.id, i)
		if seq <= after {
			continue
		}
		e := event.Event{Seq: seq, ID: strings.TrimSpace(x.ID), Kind: r.first.Kind, At: r.first.At,
			WorkerRef: x.WorkerRef, OrgID: r.first.OrgID, SubjectID: x.SubjectID, Data: x.Data}
		if x.At != nil {
			e.At = x.At.UTC()
		}
		if x.OrgID != nil {
			e.OrgID = *x.OrgID
		}
		out = append(out, e)
	}
	return out, nil
}

// deflatedPrefix starts the data of a bundle stored compressed; base64 of its deflated JSON
// array follows.
const deflatedPrefix = "deflate:"

// deflaters are the compressors of packBundle: a flate.Writer holds ~1 MB of tables.
var deflaters = sync.Pool{New: func() any {
	w, _ := flate.NewWriter(nil, flate.BestSpeed) // BestSpeed is a valid level: no error
	return w
}}

// packBundle returns a bundle's data as stored: its JSON array deflated and base64-encoded
// after deflatedPrefix, or the JSON itself when that is not longer. Never longer than the JSON,
// so that it fits the column wherever the JSON does.
func packBundle(jsonArray []byte) string {
	var z bytes.Buffer
	z.Grow(len(jsonArray) / 2)
	w := deflaters.Get().(*flate.Writer)
	w.Reset(&z)
	_, werr := w.Write(jsonArray) // writes to a bytes.Buffer do not fail
	cerr := w.Close()
	deflaters.Put(w)
	if werr != nil || cerr != nil || len(deflatedPrefix)+base64.StdEncoding.EncodedLen(z.Len()) >= len(jsonArray) {
		return string(jsonArray)
	}
	out := make([]byte, len(deflatedPrefix)+base64.StdEncoding.EncodedLen(z.Len()))
	copy(out, deflatedPrefix)
	base64.StdEncoding.Encode(out[len(deflatedPrefix):], z.Bytes())
	return string(out)
}

// unpackBundle returns the JSON array of a bundle's stored data (packBundle).
func unpackBundle(data string) ([]byte, error) {
	enc, deflated := strings.CutPrefix(data, deflatedPrefix)
	if !deflated {
		return []byte(data), nil
	}
	z, err := base64.StdEncoding.DecodeString(enc)
	if err != nil {
		return nil, err
	}
	r := flate.NewReader(bytes.NewReader(z))
	defer r.Close()
	return io.ReadAll(r)
}
