package sqlstore

// AppendLiteral is appendLiteral (tests only).
var AppendLiteral = appendLiteral
