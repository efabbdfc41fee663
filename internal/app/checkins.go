package app

import (
	"time"

	"skillrecord/internal/class"
	"skillrecord/internal/config"
	"skillrecord/internal/httpapi"
	"skillrecord/internal/keys"
	"skillrecord/internal/sqlstore"
)

// checkinCodeLabel separates the rotating class codes' key from every other use of the index
// key: the codes' key is the index key's HMAC of this label, so it changes with that key and
// reveals nothing of it.
const checkinCodeLabel = "class-checkin-code"

// wireCheckins puts the attendance use cases of classes into the HTTP dependencies: the class
// store, the cardholder registry for the bulk lines' real-name check, the rotating codes keyed
// from the key material and the bureau's time zone.
func wireCheckins(d *httpapi.Deps, cfg *config.Config, db *sqlstore.DB, m *keys.Material, now func() time.Time) *class.Checkins {
	checkins := &class.Checkins{
		Store:     db.Classes(m),
		Directory: db.Workers(m),
		Codes:     class.NewCodes(m.Index.Index(checkinCodeLabel, "v1")),
		Location:  cfg.Location(),
		Now:       now,
	}
	// Phone check-ins are the morning burst: those that arrive together are read and
	// committed together (group commit).
	checkins.StartGroups(class.GroupOptions)
	d.Checkins = checkins
	return checkins
}
