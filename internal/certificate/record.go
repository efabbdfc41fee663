package certificate

import "time"

// Record is a certificate as the service keeps it: the domain certificate, the worker who
// holds it and when it was stored. Storage does not keep the holder's SSN (the worker id
// names the holder), so a Record read back has an empty SSN; Name is the holder's name in the
// registry's normal form.
type Record struct {
	Certificate
	WorkerID  string
	CreatedAt time.Time
}

// StatusOn is the status a reader sees on day (see StatusAt).
func (r Record) StatusOn(day Date) string { return StatusAt(r.Certificate, day) }

// Facts is what verification needs to know of one certificate: everything a verifier may see,
// the holder's name in full (answers mask it) and the blind index of that name, to compare the
// name a verifier posts. It is what the verification cache keeps, sealed, because it carries
// the name. Revoked is stored; expired is not, since it depends on the day of the answer.
type Facts struct {
	No             string `json:"no"`
	Type           string `json:"type"`
	OccupationCode string `json:"occ"`
	OccupationName string `json:"occ_name"`
	Level          *int   `json:"level,omitempty"`
	IssuedOn       Date   `json:"issued"`
	ValidUntil     *Date  `json:"until,omitempty"`
	Revoked        bool   `json:"revoked,omitempty"`
	IssuerOrgID    string `json:"issuer"`
	IssuerName     string `json:"issuer_name"`
	WorkerID       string `json:"worker"` // the holder's opaque id, for the access log
	HolderName     string `json:"holder"`
	NameIndex      []byte `json:"name_idx"`
}

// View is a verification answer: what docs/domain.md lets a verifier see — status on the day of
// the answer, type, occupation, level, dates, issuer and the holder's name, which every
// response converter must mask. It has no SSN and no name index.
type View struct {
	No             string
	Status         string
	Type           string
	OccupationCode string
	OccupationName string
	Level          *int
	IssuedOn       Date
	ValidUntil     *Date
	IssuerOrgID    string
	IssuerName     string
	HolderName     string // in full: mask it before it leaves the service (identity.MaskName)
}

// viewOn builds the answer of f on day.
func (f Facts) viewOn(day Date) View {
	status := StatusValid
	switch {
	case f.Revoked:
		status = StatusRevoked
	case f.ValidUntil != nil && f.ValidUntil.Before(day):
		status = StatusExpired
	}
	return View{
		No: f.No, Status: status, Type: f.Type, OccupationCode: f.OccupationCode, OccupationName: f.OccupationName,
		Level: f.Level, IssuedOn: f.IssuedOn, ValidUntil: f.ValidUntil, IssuerOrgID: f.IssuerOrgID,
		IssuerName: f.IssuerName, HolderName: f.HolderName,
	}
}
