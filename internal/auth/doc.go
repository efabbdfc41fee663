// Package auth holds the principals who sign in (bureau admins, workers, organisation clients
// and organisations' named staff), their passwords and secrets, and the rules for creating
// them. Storage is behind the interfaces declared here; HTTP, SQL and Redis are not known to
// this package.
package auth
