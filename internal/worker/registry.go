package worker

import (
	"time"

	"github.com/google/uuid"

	"skillrecord/internal/errs"
	"skillrecord/internal/event"
	"skillrecord/internal/identity"
)

// Registry is the part of the cardholder registry that one unit of work reads and changes: the
// workers and cards a Store loaded for it. Apply records one cardholder row in it; Changes
// tells the Store what to write back. It is not safe for concurrent use.
type Registry struct {
	bySSN   map[identity.SSN]*workerEntry
	byCard  map[string]*cardEntry
	cardsOf map[string][]*cardEntry // by worker id, oldest first

	workers  []*workerEntry // in load order, then creation order
	cards    []*cardEntry
	newID    func() string
	replaced []event.Event // card.replaced, in the order Apply replaced the cards
}

type workerEntry struct {
	w              Worker
	isNew, renamed bool
}

type cardEntry struct {
	c              Card
	isNew, changed bool
}

// NewRegistry returns a Registry over the loaded workers and cards. cards are every card
// loaded: those of the given workers and those found by number, which may belong to workers
// that were not loaded. The Cards field of the workers is not used.
func NewRegistry(workers []Worker, cards []Card) *Registry {
	r := &Registry{
		bySSN:   make(map[identity.SSN]*workerEntry, len(workers)),
		byCard:  make(map[string]*cardEntry, len(cards)),
		cardsOf: make(map[string][]*cardEntry, len(workers)),
		newID:   func() string { return uuid.Must(uuid.NewV7()).String() },
	}
	for _, w := range workers {
		w.Cards = nil
		e := &workerEntry{w: w}
		r.bySSN[w.SSN] = e
		r.workers = append(r.workers, e)
	}
	for _, c := range cards {
		e := &cardEntry{c: c}
		r.byCard[c.Number] = e
		r.cardsOf[c.WorkerID] = append(r.cardsOf[c.WorkerID], e)
		r.cards = append(r.cards, e)
	}
	return r
}

// Apply records row c at time now. It creates the worker if the SSN is new (created reports
// so) and otherwise updates the name when it differs. The card is added, or its area, status
// and issue date are updated (a row without issued_on keeps the date already known). When the
// row's card is active, any other active card of the worker becomes replaced: the new card is
// now the current one. A card number registered to another SSN is refused with an errs
// Conflict error of code card_conflict, and nothing of the row is applied.
func (r *Registry) Apply(c Cardholder, now time.Time) (created bool, err error) {
	we := r.bySSN[c.SSN]
	ce := r.byCard[c.CardNumber]
	if ce != nil && (we == nil || ce.c.WorkerID != we.w.ID) {
		return false, errs.Conflict(CodeCardConflict, "the card number is registered to another social security number")
	}
	switch {
	case we == nil:
		we = &workerEntry{isNew: true, w: Worker{
			ID: r.newID(), SSN: c.SSN, Name: c.Name, CreatedAt: now, UpdatedAt: now,
		}}
		r.bySSN[c.SSN] = we
		r.workers = append(r.workers, we)
		created = true
	case we.w.Name != c.Name:
		we.w.Name, we.w.UpdatedAt = c.Name, now
		we.renamed = !we.isNew
	}

	if ce == nil {
		ce = &cardEntry{isNew: true, c: Card{
			ID: r.newID(), WorkerID: we.w.ID, Number: c.CardNumber, IssueArea: c.IssueArea,
			Status: c.CardStatus, IssuedOn: c.IssuedOn, CreatedAt: now, UpdatedAt: now,
		}}
		r.byCard[c.CardNumber] = ce
		r.cardsOf[we.w.ID] = append(r.cardsOf[we.w.ID], ce)
		r.cards = append(r.cards, ce)
	} else {
		next := ce.c
		next.IssueArea, next.Status = c.IssueArea, c.CardStatus
		if !c.IssuedOn.IsZero() {
			next.IssuedOn = c.IssuedOn
		}
		if next != ce.c {
			next.UpdatedAt = now
			ce.c, ce.changed = next, !ce.isNew
		}
	}

	if c.CardStatus == CardActive {
		for _, other := range r.cardsOf[we.w.ID] {
			if other != ce && other.c.Status == CardActive {
				other.c.Status, other.c.UpdatedAt = CardReplaced, now
				other.changed = !other.isNew
				r.replaced = append(r.replaced, replacedEvent(we.w.ID, other.c, ce.c, now))
			}
		}
	}
	return created, nil
}

// Changes is what a unit of work must write back.
type Changes struct {
	NewWorkers     []Worker // to insert
	RenamedWorkers []Worker // existing workers whose name (and updated_at) changed
	NewCards       []Card   // to insert, in their final state
	UpdatedCards   []Card   // existing cards whose area, status, issue date (and updated_at) changed
}

// Changes returns what Apply changed, in a stable order.
func (r *Registry) Changes() Changes {
	var ch Changes
	for _, e := range r.workers {
		switch {
		case e.isNew:
			ch.NewWorkers = append(ch.NewWorkers, e.w)
		case e.renamed:
			ch.RenamedWorkers = append(ch.RenamedWorkers, e.w)
		}
	}
	for _, e := range r.cards {
		switch {
		case e.isNew:
			ch.NewCards = append(ch.NewCards, e.c)
		case e.changed:
			ch.UpdatedCards = append(ch.UpdatedCards, e.c)
		}
	}
	return ch
}

// Events returns the change events of what Apply did (card.replaced for each active card a new
// active card replaced), for the Store to emit in the unit of work's transaction.
func (r *Registry) Events() []event.Event { return r.replaced }

// replacedData is the data of a card.replaced event: card ids and the issuing area, never a
// card number.
type replacedData struct {
	CardID         string `json:"card_id"`
	ReplacedCardID string `json:"replaced_card_id"`
	IssueArea      string `json:"issue_area"`
}

func replacedEvent(workerID string, old, current Card, now time.Time) event.Event {
	return event.Event{
		Kind: event.KindCardReplaced, At: now, WorkerRef: workerID, SubjectID: current.ID,
		Data: event.MarshalData(replacedData{CardID: current.ID, ReplacedCardID: old.ID, IssueArea: current.IssueArea}),
	}
}
