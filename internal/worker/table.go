package worker

// Table describes the rows of a JSON import document for ReadJSONOf, so that every import (the
// cardholder registry, employment data) reads its JSON bodies alike: Key is the array's name
// ({"cardholders": [...]}) and Noun names a row in messages. R's JSON field tags are the
// fields. (Spreadsheets go through package sheet, each import with its own alias table.)
type Table[R any] struct {
	Key  string
	Noun string
}

// cardholders is the registry import's table.
var cardholders = Table[ImportRow]{Key: "cardholders", Noun: "cardholder row"}
