package apitest

import (
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"skillrecord/internal/identity"
)

// Person is a cardholder made up for a test.
type Person struct {
	SSN  string
	Name string
	Card string
}

// personSeq numbers the people of this process from a starting point taken from the clock,
// so that no two of them share a number (and so an SSN or a card number), and runs of the
// tests start at different people.
var personSeq = func() *atomic.Int64 {
	var n atomic.Int64
	n.Store(time.Now().UnixNano() % 1_000_000 * 1000)
	return &n
}()

var surnames = []string{"张", "王", "李", "赵", "刘", "陈", "杨", "黄", "周", "吴"}
var given = []string{"伟", "芳", "娜", "敏", "静", "磊", "洋", "艳", "勇", "军"}

// NewPerson makes up a cardholder with a valid SSN and card number unique to this process.
func NewPerson() Person {
	n := personSeq.Add(1)
	birth := time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, int(n/1000%15000))
	return Person{
		SSN:  string(identity.MakeSSN("370402", birth, int(n%1000))),
		Name: surnames[n%10] + given[(n/10)%10] + given[(n/100)%10],
		Card: fmt.Sprintf("Z%08d", n%100_000_000),
	}
}

// Register imports people into the cardholder registry through the API.
func (a *App) Register(t testing.TB, adminToken string, people ...Person) {
	t.Helper()
	var b strings.Builder
	b.WriteString("ssn,name,card_number,issue_area,card_status,issued_on\n")
	for _, p := range people {
		fmt.Fprintf(&b, "%s,%s,%s,370400,active,2020-01-15\n", p.SSN, p.Name, p.Card)
	}
	res := a.As(adminToken).Do("POST", "/api/v1/admin/cardholders/import", b.String(), "Content-Type", "text/csv")
	if res.Status != http.StatusOK || strings.Contains(string(res.Body), `"index"`) {
		t.Fatalf("cardholder import answered %d: %s", res.Status, res.Body)
	}
}

// WorkerToken registers, activates and signs in a new worker; it returns the person, the
// worker id and an access token.
func (a *App) WorkerToken(t testing.TB, adminToken string) (Person, string, string) {
	t.Helper()
	p := NewPerson()
	a.Register(t, adminToken, p)
	res := a.As("").Do("POST", "/api/v1/workers/activate", map[string]string{
		"ssn": p.SSN, "name": p.Name, "card_number": p.Card, "password": "worker-pass-1"})
	if res.Status != http.StatusCreated {
		t.Fatalf("activation answered %d: %s", res.Status, res.Body)
	}
	var body struct {
		WorkerID string `json:"worker_id"`
	}
	res.JSON(t, &body)
	tok, _ := a.Token(t, map[string]string{"grant_type": "password", "username": p.SSN, "password": "worker-pass-1"})
	return p, body.WorkerID, tok
}
