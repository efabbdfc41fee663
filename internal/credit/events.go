package credit

import (
	"context"

	"skillrecord/internal/event"
)

// entryData is the data of a credits.posted or credits.converted event: the ledger entry
// without its hashes. Amounts are credits as numbers (12.5).
type entryData struct {
	Seq            int64  `json:"seq"`
	EntryKind      string `json:"entry_kind"`
	Amount         Tenths `json:"amount"`
	BalanceAfter   Tenths `json:"balance_after"`
	RuleVersion    string `json:"rule_version,omitempty"`
	SourceType     string `json:"source_type"`
	SourceID       string `json:"source_id"`
	OccupationCode string `json:"occupation_code,omitempty"`
}

// entryEvent is the event of one appended entry: credits.converted for a conversion's debit,
// credits.posted for every other entry. Its subject is the entry's source (the training
// record, certificate or conversion).
func entryEvent(e Entry) event.Event {
	kind := event.KindCreditsPosted
	if e.Kind == KindConversion {
		kind = event.KindCreditsConverted
	}
	return event.Event{
		Kind: kind, At: e.CreatedAt, WorkerRef: e.WorkerID, SubjectID: e.SourceID,
		Data: event.MarshalData(entryData{
			Seq: e.Seq, EntryKind: e.Kind, Amount: e.Amount, BalanceAfter: e.BalanceAfter, RuleVersion: e.RuleVersion,
			SourceType: e.SourceType, SourceID: e.SourceID, OccupationCode: e.OccupationCode,
		}),
	}
}

// appended emits the events of entries the Poster appended, in the caller's transaction.
func appended(ctx context.Context, entries []Entry) error {
	if len(entries) == 0 {
		return nil
	}
	events := make([]event.Event, len(entries))
	for i, e := range entries {
		events[i] = entryEvent(e)
	}
	return event.Emit(ctx, events...)
}
