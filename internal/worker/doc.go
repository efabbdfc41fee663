// Package worker is the cardholder registry (持卡人员基础信息库) and the activation of worker
// accounts.
//
// The bureau imports the registry (Import): one Worker per social security number, holding every
// social security Card issued to it over a lifetime; the record follows the SSN, never the card.
// At most one card of a worker is active at a time: a row that names a new card as active makes
// it the current card and marks the previous one replaced. A worker activates their account
// (Activate) by proving the SSN, the registered name and the number of the current card, and
// choosing a password; from then on the password grant of package auth signs them in.
//
// The rows of an import arrive as JSON (ReadJSON) or as a clerk's spreadsheet (ReadSheet,
// ReadCSV: CSV or XLSX through package sheet, with the Chinese header and status table of
// sheet.go).
//
// The registry is the source of truth for real-name checks (实名制): ParseName gives the one
// normal form of a name that every comparison must use.
//
// Import and Activate work against the Store interface declared here; package sqlstore
// implements it, sealing the SSN, the name and the card number and indexing them with a blind
// index. This package must not know HTTP, SQL or the cache (no gin, gorm or go-redis), must not
// log, and never puts personal data (SSN, name, card number) into an error message: errors name
// the field and the row, never the value.
package worker
