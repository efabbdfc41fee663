package worker

import (
	"time"

	"skillrecord/internal/identity"
)

// CardStatus is the state of a social security card.
type CardStatus string

// The card states of docs/domain.md. A worker has at most one active card: its current card.
const (
	CardActive    CardStatus = "active"
	CardLost      CardStatus = "lost"
	CardReplaced  CardStatus = "replaced"
	CardCancelled CardStatus = "cancelled"
)

// Valid reports whether s is one of the four card states, spelled exactly.
func (s CardStatus) Valid() bool {
	switch s {
	case CardActive, CardLost, CardReplaced, CardCancelled:
		return true
	}
	return false
}

// Cardholder is one validated line of the registry: a person and one of their cards.
type Cardholder struct {
	SSN        identity.SSN
	Name       string // normal form, see ParseName
	CardNumber string // canonical 9 characters, see identity.ParseCardNumber
	IssueArea  string // 6-digit area code of the issuing bureau
	CardStatus CardStatus
	IssuedOn   Date // zero when the registry does not say
}

// Worker is a registered person: one per SSN, for life.
type Worker struct {
	ID          string // opaque, non-sequential; the only way a URL names a worker
	SSN         identity.SSN
	Name        string
	ActivatedAt time.Time // zero until the worker activates their account
	CreatedAt   time.Time
	UpdatedAt   time.Time
	Cards       []Card // every card the worker has held, oldest first
}

// Activated reports whether the worker has activated their account.
func (w Worker) Activated() bool { return !w.ActivatedAt.IsZero() }

// CurrentCard returns the worker's active card, if any.
func (w Worker) CurrentCard() (Card, bool) {
	for _, c := range w.Cards {
		if c.Status == CardActive {
			return c, true
		}
	}
	return Card{}, false
}

// Card is a social security card issued to a worker.
type Card struct {
	ID        string
	WorkerID  string
	Number    string
	IssueArea string
	Status    CardStatus
	IssuedOn  Date // zero when unknown
	CreatedAt time.Time
	UpdatedAt time.Time
}
