// Package credential issues and checks signed verifiable credentials of skill certificates: a
// JWT signed with the service's Ed25519 key (alg EdDSA, kid in /.well-known/jwks.json) whose
// `vc` claim is a W3C Verifiable Credential Data Model 2.0 credential. Anyone can check the
// signature offline with the published keys; Verify also checks the certificate's current
// status, so that a revoked certificate's credential stops verifying at once.
//
// Only the holder may have a certificate's credential issued (it carries their name in full,
// which they asked for, and their SSN masked). A status check that reveals a worker's data is
// an access event.
//
// This package knows the credential's shape, how it is signed and what a check answers. It
// must not know HTTP, SQL or Redis (no gin, gorm or go-redis); certificates, workers, keys and
// the access log come in through small interfaces.
package credential
