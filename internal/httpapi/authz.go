package httpapi

import "skillrecord/internal/auth"

// public marks routes that need no token.
const public = "public"

// access is docs/domain.md's authorisation table, by route: method and template as gin sees them.
// A route that is not listed is refused to everyone (deny by default); a test checks that every
// operation of api/openapi.yaml is listed and that every other role is refused.
var access = map[string][]auth.Role{
	// Authentication and discovery.
	"POST /api/v1/auth/token":        {public},
	"POST /api/v1/auth/logout":       auth.Roles,
	"POST /api/v1/workers/activate":  {public},
	"POST /api/v1/auth/set-password": {public},
	"POST /api/v1/verify/credential": {public},
	"GET /api/v1/openapi.yaml":       {public},

	// Bureau: directory, registry, indicators, audit, inspections, admin access.
	"POST /api/v1/admin/cardholders/import":                {auth.RoleAdmin},
	"POST /api/v1/admin/organizations":                     {auth.RoleAdmin},
	"GET /api/v1/admin/organizations":                      {auth.RoleAdmin},
	"GET /api/v1/admin/organizations/:id":                  {auth.RoleAdmin},
	"PATCH /api/v1/admin/organizations/:id":                {auth.RoleAdmin},
	"POST /api/v1/admin/organizations/:id/clients":         {auth.RoleAdmin},
	"GET /api/v1/admin/organizations/:id/stats":            {auth.RoleAdmin},
	"POST /api/v1/admin/organizations/:id/users":           {auth.RoleAdmin},
	"GET /api/v1/admin/organizations/:id/users":            {auth.RoleAdmin},
	"PATCH /api/v1/admin/organizations/:id/users/:user_id": {auth.RoleAdmin},
	"GET /api/v1/admin/indicators":                         {auth.RoleAdmin},
	"POST /api/v1/admin/inspections":                       {auth.RoleAdmin},
	"GET /api/v1/admin/inspections/:id":                    {auth.RoleAdmin},
	"GET /api/v1/admin/audit-events":                       {auth.RoleAdmin},
	"POST /api/v1/admin/workers/record":                    {auth.RoleAdmin},
	"POST /api/v1/admin/workers/ledger/verify":             {auth.RoleAdmin},
	"GET /api/v1/admin/evaluation":                         {auth.RoleAdmin},

	// Subsidised training classes: the catalogue to everyone signed in; filing, roster and
	// cancellation to institutions; a class's page to its institution and the bureau (others
	// 404); review, the full list and the supervision flags to the bureau.
	"GET /api/v1/subsidy-catalogue":         auth.Roles,
	"POST /api/v1/classes":                  {auth.RoleTrainingInstitution},
	"GET /api/v1/classes":                   {auth.RoleTrainingInstitution},
	"GET /api/v1/classes/:id":               {auth.RoleTrainingInstitution, auth.RoleAdmin},
	"PATCH /api/v1/classes/:id/roster":      {auth.RoleTrainingInstitution},
	"POST /api/v1/classes/:id/cancel":       {auth.RoleTrainingInstitution},
	"POST /api/v1/classes/:id/completion":   {auth.RoleTrainingInstitution},
	"POST /api/v1/admin/classes/:id/review": {auth.RoleAdmin},
	"GET /api/v1/admin/classes":             {auth.RoleAdmin},

	// Subsidy claims: drafted and read by the class's institution, reviewed by the bureau;
	// public notices and objections need no sign-in.
	"POST /api/v1/classes/:id/claims":               {auth.RoleTrainingInstitution},
	"GET /api/v1/classes/:id/claims":                {auth.RoleTrainingInstitution},
	"GET /api/v1/admin/claims":                      {auth.RoleAdmin},
	"GET /api/v1/admin/claims/:id":                  {auth.RoleAdmin},
	"POST /api/v1/admin/claims/:id/review":          {auth.RoleAdmin},
	"GET /api/v1/public/notices":                    {public},
	"GET /api/v1/public/notices/:id":                {public},
	"POST /api/v1/public/notices/:id/objections":    {public},
	"GET /api/v1/admin/objections":                  {auth.RoleAdmin},
	"POST /api/v1/admin/objections/:id/resolve":     {auth.RoleAdmin},
	"POST /api/v1/admin/claims/:id/disburse":        {auth.RoleAdmin},
	"PUT /api/v1/admin/funds/:source/budgets/:year": {auth.RoleAdmin},
	"GET /api/v1/admin/funds":                       {auth.RoleAdmin},
	"GET /api/v1/admin/funds/entries":               {auth.RoleAdmin},
	"POST /api/v1/admin/funds/verify":               {auth.RoleAdmin},
	"GET /api/v1/admin/supervision-flags":           {auth.RoleAdmin},

	// Attendance: the institution posts check-ins and shows the rotating code of its class;
	// a worker checks in with the code.
	"POST /api/v1/classes/:id/checkins":    {auth.RoleTrainingInstitution},
	"GET /api/v1/classes/:id/checkin-code": {auth.RoleTrainingInstitution},
	"POST /api/v1/me/checkins":             {auth.RoleWorker},

	// Training institutions.
	"POST /api/v1/trainings":          {auth.RoleTrainingInstitution},
	"POST /api/v1/trainings/batch":    {auth.RoleTrainingInstitution},
	"GET /api/v1/trainings":           {auth.RoleTrainingInstitution},
	"POST /api/v1/trainings/:id/void": {auth.RoleTrainingInstitution},

	// Certificates: evaluation organisations; training institutions only for type training
	// (checked by the service).
	"POST /api/v1/certificates":            {auth.RoleEvaluationOrg, auth.RoleTrainingInstitution},
	"POST /api/v1/certificates/batch":      {auth.RoleEvaluationOrg, auth.RoleTrainingInstitution},
	"POST /api/v1/certificates/:no/revoke": {auth.RoleEvaluationOrg, auth.RoleTrainingInstitution},

	// Import templates: the roles that may post that kind of file.
	"GET /api/v1/templates/trainings.xlsx":    {auth.RoleTrainingInstitution},
	"GET /api/v1/templates/certificates.xlsx": {auth.RoleEvaluationOrg, auth.RoleTrainingInstitution},
	"GET /api/v1/templates/cardholders.xlsx":  {auth.RoleAdmin},

	// Workers: their own record, credits, access log and shares.
	"GET /api/v1/me/record":                         {auth.RoleWorker},
	"GET /api/v1/me/trainings":                      {auth.RoleWorker},
	"GET /api/v1/me/classes":                        {auth.RoleWorker},
	"GET /api/v1/me/subsidies":                      {auth.RoleWorker},
	"POST /api/v1/me/disputes":                      {auth.RoleWorker},
	"POST /api/v1/admin/voucher-batches":            {auth.RoleAdmin},
	"GET /api/v1/admin/voucher-batches":             {auth.RoleAdmin},
	"GET /api/v1/admin/voucher-batches/:key":        {auth.RoleAdmin},
	"POST /api/v1/admin/voucher-batches/:key/close": {auth.RoleAdmin},
	"GET /api/v1/admin/voucher-batches/:key/stats":  {auth.RoleAdmin},
	"GET /api/v1/me/vouchers/available":             {auth.RoleWorker},
	"POST /api/v1/me/vouchers":                      {auth.RoleWorker},
	"GET /api/v1/me/vouchers":                       {auth.RoleWorker},
	"GET /api/v1/me/vouchers/:id/code":              {auth.RoleWorker},
	"POST /api/v1/me/vouchers/:id/accept":           {auth.RoleWorker},
	"POST /api/v1/classes/:id/vouchers":             {auth.RoleTrainingInstitution},
	"GET /api/v1/me/disputes":                       {auth.RoleWorker},
	"GET /api/v1/disputes":                          {auth.RoleTrainingInstitution},
	"GET /api/v1/admin/disputes":                    {auth.RoleAdmin},
	"POST /api/v1/admin/disputes/:id/resolve":       {auth.RoleAdmin},
	"GET /api/v1/me/certificates":                   {auth.RoleWorker},
	"GET /api/v1/me/credits":                        {auth.RoleWorker},
	"GET /api/v1/me/access-log":                     {auth.RoleWorker},
	"POST /api/v1/me/shares":                        {auth.RoleWorker},
	"GET /api/v1/me/shares":                         {auth.RoleWorker},
	"DELETE /api/v1/me/shares/:id":                  {auth.RoleWorker},
	"GET /api/v1/me/certificates/:no/credential":    {auth.RoleWorker},

	// Verification and sharing.
	"POST /api/v1/verify/certificates": {auth.RoleEmployer, auth.RoleCollege, auth.RoleAdmin},
	"GET /api/v1/shared/:token":        {auth.RoleEmployer, auth.RoleCollege},

	// Colleges.
	"POST /api/v1/credit-conversions": {auth.RoleCollege},

	// The bureau's employment and social-security systems (data_exchange), and the bureau:
	// the change-event feed and employment data in; the employment follow-up is the bureau's.
	"GET /api/v1/admin/events":                {auth.RoleDataExchange, auth.RoleAdmin},
	"POST /api/v1/admin/employment/import":    {auth.RoleDataExchange, auth.RoleAdmin},
	"GET /api/v1/admin/evaluation/employment": {auth.RoleAdmin},
}

// allowed reports whether role may call the route, and whether the route is public.
func allowed(route string, role auth.Role) (ok, isPublic bool) {
	roles, listed := access[route]
	if !listed {
		return false, false
	}
	for _, r := range roles {
		if r == public {
			return true, true
		}
		if r == role {
			return true, false
		}
	}
	return false, false
}
