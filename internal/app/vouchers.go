package app

import (
	"context"
	"time"

	"skillrecord/internal/class"
	"skillrecord/internal/config"
	"skillrecord/internal/httpapi"
	"skillrecord/internal/keys"
	"skillrecord/internal/sqlstore"
	"skillrecord/internal/voucher"
)

// wireVouchers puts the training voucher use cases into the HTTP dependencies: a voucher is
// used through the class store's roster write and the class use cases' flag insert, its code
// is signed with the service's signing key, and a class approval issues the directed vouchers
// in the approval's transaction. It returns the service.
func wireVouchers(d *httpapi.Deps, cfg *config.Config, db *sqlstore.DB, m *keys.Material, classes *class.Service, now func() time.Time) *voucher.Service {
	svc := &voucher.Service{
		Store:     db.Vouchers(),
		Catalogue: classes.Catalogue,
		Classes:   voucherClasses{ClassStore: db.Classes(m), flags: classes},
		Keys:      m,
		Location:  cfg.Location(),
		Now:       now,
	}
	classes.Approvals = svc
	d.Vouchers = svc
	return svc
}

// voucherClasses is the class store's lock and roster write with the class use cases' flag
// insert.
type voucherClasses struct {
	*sqlstore.ClassStore
	flags *class.Service
}

func (v voucherClasses) Raise(ctx context.Context, f class.Flag) error { return v.flags.Raise(ctx, f) }
