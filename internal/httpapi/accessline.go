package httpapi

import (
	"io"
	"strconv"
	"sync"
	"time"

	"skillrecord/internal/text"
)

// requestLine is the access log's line of one request, in the JSON that slog's JSON handler
// writes for the same record (time, level INFO, msg "request", then the fields in this order),
// built without slog: through slog.Record and the JSON handler the line of a cached read cost
// a tenth of the service's CPU (duration_ms alone went through encoding/json). The fields are
// the same as the slog line's; none of them can hold personal data (the route is the template,
// the principal an opaque role:id).
type requestLine struct {
	at        time.Time
	requestID string
	method    string
	route     string
	status    int
	duration  time.Duration
	bytesOut  int
	clientIP  string
	principal string // "" = no principal: the field is left out
}

// lineBufs holds the buffers lines are built in; a line is a few hundred bytes.
var lineBufs = sync.Pool{New: func() any { b := make([]byte, 0, 512); return &b }}

// writeTo writes the line to w in one Write, as slog does.
func (l *requestLine) writeTo(w io.Writer) error {
	bp := lineBufs.Get().(*[]byte)
	b := l.append((*bp)[:0])
	_, err := w.Write(b)
	*bp = b
	lineBufs.Put(bp)
	return err
}

// append appends the line, with its newline, to b.
func (l *requestLine) append(b []byte) []byte {
	b = append(b, `{"time":"`...)
	b = l.at.AppendFormat(b, time.RFC3339Nano)
	b = append(b, `","level":"INFO","msg":"request","request_id":`...)
	b = text.AppendJSON(b, l.requestID)
	b = append(b, `,"method":`...)
	b = text.AppendJSON(b, l.method)
	b = append(b, `,"route":`...)
	b = text.AppendJSON(b, l.route)
	b = append(b, `,"status":`...)
	b = strconv.AppendInt(b, int64(l.status), 10)
	b = append(b, `,"duration_ms":`...)
	// Milliseconds with microseconds, as slog wrote float64(µs)/1000 through encoding/json
	// (which uses the shortest 'f' form for values from 1e-6 to 1e21).
	b = strconv.AppendFloat(b, float64(l.duration.Microseconds())/1000, 'f', -1, 64)
	b = append(b, `,"bytes_out":`...)
	b = strconv.AppendInt(b, int64(l.bytesOut), 10)
	b = append(b, `,"client_ip":`...)
	b = text.AppendJSON(b, l.clientIP)
	if l.principal != "" {
		b = append(b, `,"principal":`...)
		b = text.AppendJSON(b, l.principal)
	}
	return append(b, "}\n"...)
}

// hexDigits are the digits of the request ids.
const hexDigits = "0123456789abcdef"
