// Package sqlstore is skillrecord's relational storage: it opens MySQL/MariaDB/TiDB through
// gorm.io/driver/mysql or, when no DSN is configured, an embedded SQLite file through a pure-Go
// driver; applies the versioned migrations of package migrations; carries transactions in the
// context (WithTx); translates driver errors into the errs vocabulary; and implements the store
// interfaces that the domain packages declare, with gorm row types and converters kept here.
//
// It must not know HTTP (gin) or the cache (go-redis): callers above it decide what to cache.
package sqlstore
