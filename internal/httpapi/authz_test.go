package httpapi_test

import (
	"net/http"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"skillrecord/internal/apitest"
	"skillrecord/internal/auth"
	"skillrecord/internal/httpapi"
)

// TestAuthorization_EveryOperationWithEveryRole walks every operation of api/openapi.yaml with
// no token and with a token of each role, and checks the answer against the access table:
// 401 without a token, 403 for a role the table does not list, and neither for one it does.
func TestAuthorization_EveryOperationWithEveryRole(t *testing.T) {
	a := apitest.NewApp(t)
	admin := a.AdminToken(t)
	tokens := map[auth.Role]string{auth.RoleAdmin: admin, auth.RoleWorker: a.Mint(t, auth.Principal{ID: "0190a1b2-0000-7000-8000-00000000000a", Role: auth.RoleWorker})}
	orgs := map[auth.Role]string{}
	for _, r := range []auth.Role{auth.RoleTrainingInstitution, auth.RoleEvaluationOrg, auth.RoleEmployer, auth.RoleCollege, auth.RoleDataExchange} {
		orgs[r], tokens[r] = a.OrgToken(t, admin, string(r))
	}
	// Logout revokes the token it is called with: give it tokens of its own.
	fresh := func(role auth.Role) string {
		return a.Mint(t, auth.Principal{ID: "0190a1b2-0000-7000-8000-00000000000b", Role: role, OrgID: orgs[role]})
	}
	doc, _ := apitest.Spec(t)
	param := regexp.MustCompile(`\{[^}]+\}`)
	var ops []string
	for path, item := range doc.Paths.Map() {
		for method := range item.Operations() {
			ops = append(ops, method+" "+path)
		}
	}
	sort.Strings(ops)
	for _, op := range ops {
		method, path, _ := strings.Cut(op, " ")
		if !strings.HasPrefix(path, "/api/v1/") {
			continue // operations endpoints and the JWKS are public by design
		}
		route := method + " " + param.ReplaceAllStringFunc(path, func(p string) string { return ":" + strings.Trim(p, "{}") })
		url := param.ReplaceAllString(path, "0190a1b2-0000-7000-8000-000000000001")
		roles, listed := httpapi.AccessTable()[route]
		assert.Truef(t, listed, "%s is in the contract but not in the access table", route)
		public := len(roles) == 1 && roles[0] == "public"
		t.Run(op, func(t *testing.T) {
			res := a.As("").Do(method, url, nil)
			if public {
				assert.NotEqual(t, http.StatusUnauthorized, res.Status, "public route asks for no token")
				assert.NotEqual(t, http.StatusForbidden, res.Status)
				return
			}
			assert.Equal(t, http.StatusUnauthorized, res.Status, "no token")
			for _, role := range auth.Roles {
				tok := tokens[role]
				if route == "POST /api/v1/auth/logout" {
					tok = fresh(role)
				}
				res := a.As(tok).Do(method, url, nil)
				if contains(roles, role) {
					assert.NotContainsf(t, []int{http.StatusUnauthorized, http.StatusForbidden}, res.Status, "%s may call it", role)
				} else {
					assert.Equalf(t, http.StatusForbidden, res.Status, "%s may not call it", role)
				}
			}
		})
	}
}

func contains(roles []auth.Role, r auth.Role) bool {
	for _, x := range roles {
		if x == r {
			return true
		}
	}
	return false
}
