package class

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"strconv"
	"strings"
	"time"
)

// CodeStep is how long one rotating class code (签到码) is shown; the code of the step before
// the current one is still accepted, so a code is good for between one and two steps.
const CodeStep = 30 * time.Second

// ShortCodeDigits is the length of the short code a worker types.
const ShortCodeDigits = 6

// payloadPrefix starts every QR payload; the version lets a later format live beside it.
const payloadPrefix = "c1."

// Codes derives the rotating class codes from a secret key: a code is an HMAC over the class id
// and the time step, so the server stores nothing to check one. The key is derived from the
// service's key material under a label of its own (see the app's wiring).
type Codes struct {
	key []byte
}

// NewCodes returns the code derivation under key (at least 32 bytes of secret).
func NewCodes(key []byte) *Codes { return &Codes{key: append([]byte(nil), key...)} }

// Code is what a classroom screen shows: the short code to type, the longer QR payload to scan
// (both accepted by a phone check-in) and the instant at which they change.
type Code struct {
	Short     string
	Payload   string
	ExpiresAt time.Time // the end of the current step; the code stays good one step more
}

// Step is the number of the CodeStep-long interval that holds t.
func Step(t time.Time) int64 { return t.Unix() / int64(CodeStep/time.Second) }

// Issue returns the class's code for the step holding now.
func (k *Codes) Issue(classID string, now time.Time) Code {
	step := Step(now)
	mac := k.mac(classID, step)
	return Code{
		Short:     short(mac),
		Payload:   payloadPrefix + strings.ReplaceAll(classID, "-", "") + "." + strconv.FormatInt(step, 10) + "." + base64.RawURLEncoding.EncodeToString(mac[:16]),
		ExpiresAt: time.Unix((step+1)*int64(CodeStep/time.Second), 0).UTC(),
	}
}

// MatchShort reports whether code is the class's short code for the current step or the one
// before it.
func (k *Codes) MatchShort(classID, code string, now time.Time) bool {
	step := Step(now)
	for _, s := range [2]int64{step, step - 1} {
		m := k.mac(classID, s)
		if hmac.Equal([]byte(short(m)), []byte(code)) {
			return true
		}
	}
	return false
}

// Payload is a QR payload taken apart: the class it names and whether its MAC and step are
// good at the time it was checked.
type Payload struct {
	ClassID string
	Valid   bool // the MAC is the server's and the step is the current or the previous one
}

// ParsePayload reads a QR payload; ok is false when s does not have the payload's form (it may
// be a short code). A payload with a forged MAC or a stale step parses with Valid false.
func (k *Codes) ParsePayload(s string, now time.Time) (p Payload, ok bool) {
	rest, found := strings.CutPrefix(s, payloadPrefix)
	if !found {
		return Payload{}, false
	}
	parts := strings.Split(rest, ".")
	if len(parts) != 3 || len(parts[0]) != 32 {
		return Payload{}, false
	}
	raw, err := hex.DecodeString(parts[0])
	if err != nil || strings.ToLower(parts[0]) != parts[0] {
		return Payload{}, false
	}
	id := hex.EncodeToString(raw[0:4]) + "-" + hex.EncodeToString(raw[4:6]) + "-" + hex.EncodeToString(raw[6:8]) + "-" +
		hex.EncodeToString(raw[8:10]) + "-" + hex.EncodeToString(raw[10:16])
	step, err := strconv.ParseInt(parts[1], 10, 64)
	if err != nil || strconv.FormatInt(step, 10) != parts[1] {
		return Payload{}, false
	}
	mac, err := base64.RawURLEncoding.DecodeString(parts[2])
	if err != nil || len(mac) != 16 {
		return Payload{}, false
	}
	cur := Step(now)
	fresh := step == cur || step == cur-1
	want := k.mac(id, step)
	return Payload{ClassID: id, Valid: fresh && hmac.Equal(mac, want[:16])}, true
}

// IsShortCode reports whether s has the short code's form (ShortCodeDigits ASCII digits).
func IsShortCode(s string) bool {
	if len(s) != ShortCodeDigits {
		return false
	}
	for i := range len(s) {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// mac is HMAC-SHA256(key, class id ‖ 0 ‖ step as 8 big-endian bytes).
func (k *Codes) mac(classID string, step int64) []byte {
	h := hmac.New(sha256.New, k.key)
	h.Write([]byte(classID))
	var b [9]byte
	binary.BigEndian.PutUint64(b[1:], uint64(step)) //nolint:gosec // G115: the step's two's-complement bits are what is MACed, so the conversion is meant to keep them as they are
	h.Write(b[:])
	return h.Sum(nil)
}

// short turns a MAC into ShortCodeDigits decimal digits (dynamic truncation as in RFC 4226).
func short(mac []byte) string {
	off := mac[len(mac)-1] & 0x0f
	v := binary.BigEndian.Uint32(mac[off:off+4]) & 0x7fffffff
	s := strconv.FormatUint(uint64(v%1_000_000), 10)
	return strings.Repeat("0", ShortCodeDigits-len(s)) + s
}
