// Package org is the directory of organisations — training institutions, evaluation
// organisations, employers and colleges — with their status, designations and API clients.
// Storage is behind the Store interface; HTTP, SQL and Redis are not known here.
package org
