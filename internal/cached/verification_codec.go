package cached

import (
	"encoding/binary"
	"errors"
	"math"
	"time"

	"skillrecord/internal/certificate"
	"skillrecord/internal/civil"
)

// verificationCodec lays a cached verification out compactly, without reflection: a version
// byte; for an unknown number nothing more; else a flags byte (revoked, has level, has valid
// until), the level and the dates as uvarints (a date as YYYYMMDD), then the strings and the
// name index, each prefixed by its length (uvarint). Decoding turns the stored bytes into one
// string and slices the facts' strings out of it. The value is sealed (AES-GCM) before it
// reaches Redis, like every cached value with a name in it; a value of another layout (the
// JSON of earlier releases) does not decode, and its Get reads the database instead.
type verificationCodec struct{}

const (
	verificationAbsent = 0xA0 // an unknown number
	verificationFound  = 0xA1 // the facts follow

	flagRevoked    = 1 << 0
	flagLevel      = 1 << 1
	flagValidUntil = 1 << 2
)

var errBadVerification = errors.New("cached: malformed verification entry")

// Encode lays v out.
func (verificationCodec) Encode(v verification) ([]byte, error) {
	if !v.Found || v.Facts == nil {
		return []byte{verificationAbsent}, nil
	}
	f := v.Facts
	strs := [...]string{f.No, f.Type, f.OccupationCode, f.OccupationName, f.IssuerOrgID, f.IssuerName, f.WorkerID, f.HolderName}
	n := 2 + 3*binary.MaxVarintLen32 + len(strs)*binary.MaxVarintLen32 + len(f.NameIndex) + binary.MaxVarintLen32
	for _, s := range strs {
		n += len(s)
	}
	b := make([]byte, 0, n)
	var flags byte
	if f.Revoked {
		flags |= flagRevoked
	}
	if f.Level != nil {
		flags |= flagLevel
	}
	if f.ValidUntil != nil {
		flags |= flagValidUntil
	}
	b = append(b, verificationFound, flags)
	if !encodable(f.IssuedOn) || (f.ValidUntil != nil && !encodable(*f.ValidUntil)) {
		return nil, errBadVerification
	}
	if f.Level != nil {
		if *f.Level < 0 {
			return nil, errBadVerification
		}
		b = binary.AppendUvarint(b, uint64(*f.Level))
	}
	b = appendDate(b, f.IssuedOn)
	if f.ValidUntil != nil {
		b = appendDate(b, *f.ValidUntil)
	}
	for _, s := range strs {
		b = binary.AppendUvarint(b, uint64(len(s)))
		b = append(b, s...)
	}
	b = binary.AppendUvarint(b, uint64(len(f.NameIndex)))
	return append(b, f.NameIndex...), nil
}

// Decode reads what Encode laid out.
func (verificationCodec) Decode(b []byte) (verification, error) {
	switch {
	case len(b) == 1 && b[0] == verificationAbsent:
		return verification{}, nil
	case len(b) < 2 || b[0] != verificationFound:
		return verification{}, errBadVerification
	}
	flags := b[1]
	d := decoder{s: string(b), i: 2} // one copy; the strings below are slices of it
	f := &certificate.Facts{Revoked: flags&flagRevoked != 0}
	if flags&flagLevel != 0 {
		level := int(d.uvarint(math.MaxInt32)) //nolint:gosec // G115: bounded by MaxInt32
		f.Level = &level
	}
	f.IssuedOn = d.date()
	if flags&flagValidUntil != 0 {
		until := d.date()
		f.ValidUntil = &until
	}
	for _, p := range [...]*string{&f.No, &f.Type, &f.OccupationCode, &f.OccupationName, &f.IssuerOrgID, &f.IssuerName, &f.WorkerID, &f.HolderName} {
		*p = d.str()
	}
	idx := d.str()
	f.NameIndex = b[d.i-len(idx) : d.i : d.i] // refers to b (the opened value, the Get's own)
	if d.bad || d.i != len(d.s) {
		return verification{}, errBadVerification
	}
	return verification{Found: true, Facts: f}, nil
}

// encodable reports whether d fits the YYYYMMDD layout (the zero Date does: 0).
func encodable(d civil.Date) bool {
	return d.Y >= 0 && d.Y <= 9999 && d.M >= 0 && d.M <= 12 && d.D >= 0 && d.D <= 31
}

// appendDate writes d as the uvarint YYYYMMDD.
func appendDate(b []byte, d civil.Date) []byte {
	return binary.AppendUvarint(b, uint64(d.Y)*10000+uint64(d.M)*100+uint64(d.D)) //nolint:gosec // G115: Encode refuses negative fields
}

// decoder reads uvarints and length-prefixed strings from s; bad records the first failure.
type decoder struct {
	s   string
	i   int
	bad bool
}

func (d *decoder) uvarint(max uint64) uint64 {
	var x uint64
	for shift := uint(0); d.i < len(d.s) && shift < 64; shift += 7 {
		c := d.s[d.i]
		d.i++
		x |= uint64(c&0x7f) << shift
		if c < 0x80 {
			if x > max {
				d.bad = true
				return 0
			}
			return x
		}
	}
	d.bad = true
	return 0
}

func (d *decoder) date() civil.Date {
	v := d.uvarint(99991231)
	return civil.Date{Y: int(v / 10000), M: time.Month(v / 100 % 100), D: int(v % 100)} //nolint:gosec // G115: v ≤ 99991231
}

func (d *decoder) str() string {
	n := d.uvarint(uint64(len(d.s)))
	if d.bad || n > uint64(len(d.s)-d.i) { //nolint:gosec // G115: d.i never passes len(d.s)
		d.bad = true
		return ""
	}
	end := d.i + int(n) //nolint:gosec // G115: n ≤ len(d.s)-d.i, checked above
	s := d.s[d.i:end]
	d.i = end
	return s
}
