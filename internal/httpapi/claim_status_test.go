package httpapi_test

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestClaims_RequiredEmploymentStatusOnTheStartDateOrTheLineIsNotDue(t *testing.T) {
	f := newClaimFixture(t)
	p0, p1, p2 := f.people[0], f.people[1], f.people[2]
	csv := "source_id,ssn,name,kind,employer_credit_code,start_date,end_date\n" +
		fmt.Sprintf("SY-1,%s,%s,unemployed_registered,,%s,\n", p0.SSN, p0.Name, f.day(-30)) +
		fmt.Sprintf("SY-2,%s,%s,insured,%s,%s,\n", p1.SSN, p1.Name, employerCode, f.day(-30)) +
		// registered unemployed, but the spell ended before the class starts
		fmt.Sprintf("SY-3,%s,%s,unemployed_registered,,%s,%s\n", p2.SSN, p2.Name, f.day(-30), f.day(-1))
	got := importSpells(t, f.app.As(f.admin), csv, "Content-Type", "text/csv")
	require.Equal(t, 3, got.Imported, "%+v", got.Errors)

	id := f.fileApproved(t, "ST-1", classOpt{occupation: "4-07-02-01", item: "entrepreneurship", trainingTy: "entrepreneurship", members: []int{0, 1, 2}})
	f.end(t)
	f.complete(t, id, trainee{0, "passed", 2, ""}, trainee{1, "passed", 2, ""}, trainee{2, "passed", 2, ""})
	c := f.draft(t, id, http.StatusCreated)
	assert.Equal(t, true, f.line(t, c, 0)["eligible"])
	assert.EqualValues(t, 100000, f.line(t, c, 0)["amount_cents"])
	assert.Equal(t, []string{"employment_status_required"}, reasons(f.line(t, c, 1)))
	assert.Equal(t, []string{"employment_status_required"}, reasons(f.line(t, c, 2)))
	assert.EqualValues(t, 100000, c["total_cents"])
}
