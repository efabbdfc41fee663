package auth

import (
	"context"
	"time"
)

// Role is what a principal may do; organisation clients take their organisation's type.
type Role string

// The roles of docs/domain.md's authorisation table.
const (
	RoleWorker              Role = "worker"
	RoleTrainingInstitution Role = "training_institution"
	RoleEvaluationOrg       Role = "evaluation_org"
	RoleEmployer            Role = "employer"
	RoleCollege             Role = "college"
	RoleDataExchange        Role = "data_exchange" // the bureau's employment and social-security systems
	RoleAdmin               Role = "admin"
)

// Roles lists every role.
var Roles = []Role{RoleWorker, RoleTrainingInstitution, RoleEvaluationOrg, RoleEmployer, RoleCollege, RoleDataExchange, RoleAdmin}

// Principal is an authenticated caller, as its access token describes it.
type Principal struct {
	ID        string // worker id, admin id or client id: opaque, never personal data
	Role      Role
	OrgID     string // the organisation of a client or staff member; empty for workers and admins
	Staff     bool   // a named staff member of OrgID rather than an API client
	TokenID   string // jti of the access token
	ExpiresAt time.Time

	session string // refresh family the access token was issued in, if any
}

// Session is the refresh family (sign-in session) the access token belongs to, if any.
func (p Principal) Session() string { return p.session }

// IsOrg reports whether the principal acts for an organisation.
func (p Principal) IsOrg() bool { return p.OrgID != "" }

type principalKey struct{}

// WithPrincipal returns ctx carrying p.
func WithPrincipal(ctx context.Context, p Principal) context.Context {
	return context.WithValue(ctx, principalKey{}, p)
}

// PrincipalFrom returns the principal in ctx, if any.
func PrincipalFrom(ctx context.Context) (Principal, bool) {
	p, ok := ctx.Value(principalKey{}).(Principal)
	return p, ok
}
