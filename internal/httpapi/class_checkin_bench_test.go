package httpapi_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"

	"skillrecord/internal/apitest"
	"skillrecord/internal/auth"
	"skillrecord/internal/class"
	"skillrecord/internal/identity"
)

// BenchmarkCheckin measures the morning burst: POST /me/checkins through the whole router
// (token check, audit event in the check-in's transaction) on MariaDB and Redis, each request
// a different worker checking in with the class code, against the bare stack of DESIGN.md —
// gin binding the same body and running one MySQL INSERT into a table shaped like
// class_checkins — on the same database and connection pool. The machine is shared, so the
// two are measured in alternating rounds of 250 requests, 32 in flight (16 per core), and
// each op is one request of each; the report gives both rates and their ratio (goal: 0.5 or
// more):
//
//	go test -run '^$' -bench Checkin -benchtime 4000x ./internal/httpapi/
//
// The check-ins are deleted before each run; b.N may not exceed the pool of 4,000 workers.
func BenchmarkCheckin(b *testing.B) {
	if n, err := strconv.Atoi(os.Getenv("SKILLRECORD_CACHE_READ_BATCHERS")); err == nil {
		checkinEnv = map[string]string{"SKILLRECORD_CACHE_READ_BATCHERS": strconv.Itoa(n)} // to compare settings
	}
	if n, err := strconv.Atoi(os.Getenv("SKILLRECORD_BENCH_CHECKIN_WRITERS")); err == nil && n > 0 {
		class.GroupOptions.Writers = n // the group commit's writers, to compare settings
	}
	w := checkinWorld(b) // set up once: the sub-benchmarks are run with growing b.N
	b.Run("cold_token", func(b *testing.B) { benchCheckins(b, w, w.app.Mint, false) })
	b.Run("fresh_token", func(b *testing.B) { benchCheckins(b, w, w.app.MintSignedIn, false) })
	b.Run("warm_token", func(b *testing.B) { benchCheckins(b, w, w.app.Mint, true) })
}

// benchCheckins measures b.N check-ins against as many bare-stack requests. cold_token is each
// worker's token used for the first time, never seen by the deployment (its Ed25519 signature
// checked, its deny-list entry read from the database and stored: what a token costs after
// Redis lost its entries); fresh_token is each worker's token just issued by a sign-in on
// another instance (signature checked, deny-list entry primed by the grant); warm_token is
// each worker's token verified once before (the app's first screen, or signed by this
// instance), as the service remembers verified tokens until they expire. Each run mints its
// own tokens with mint, so that a repeated run (-count) is as cold as the first.
func benchCheckins(b *testing.B, w *checkinBench, mint func(testing.TB, auth.Principal) string, warm bool) {
	if b.N > len(w.workers) {
		b.Fatalf("b.N %d exceeds the pool of %d workers: use -benchtime %dx or less", b.N, len(w.workers), len(w.workers))
	}
	tokens := make([]string, b.N)
	for i := range tokens {
		tokens[i] = mint(b, auth.Principal{ID: w.workers[i], Role: auth.RoleWorker})
	}
	if warm {
		for _, tok := range tokens[:b.N] {
			res := w.app.As(tok).Do("POST", myCheckinsPath, map[string]any{"code": ""})
			if res.Status != http.StatusUnprocessableEntity {
				b.Fatalf("warm-up answered %d", res.Status)
			}
		}
	}
	if _, err := w.app.DB.SQL().ExecContext(context.Background(), "DELETE FROM class_checkins"); err != nil {
		b.Fatal(err)
	}
	baseline := bareInsertStack(b, w.app)
	checkin := w.checkinRequest(b, tokens)
	const round, inFlight = 250, 32
	var tBase, tCheckin, cpuBase, cpuCheckin time.Duration
	b.ReportAllocs()
	b.ResetTimer()
	for done := 0; done < b.N; done += round {
		n := min(round, b.N-done)
		cpu0 := processCPU(b)
		tBase += inParallel(n, inFlight, func(int) {
			if code := baseline(); code != http.StatusCreated {
				b.Errorf("baseline answered %d", code)
			}
		})
		cpu1 := processCPU(b)
		tCheckin += inParallel(n, inFlight, func(i int) {
			if code := checkin(done + i); code != http.StatusCreated {
				b.Errorf("check-in %d answered %d", done+i, code)
			}
		})
		cpuBase, cpuCheckin = cpuBase+cpu1-cpu0, cpuCheckin+processCPU(b)-cpu1
	}
	b.StopTimer()
	base, rate := float64(b.N)/tBase.Seconds(), float64(b.N)/tCheckin.Seconds()
	b.ReportMetric(rate, "checkin_req/s")
	b.ReportMetric(base, "baseline_req/s")
	b.ReportMetric(rate/base, "ratio")
	// This process's CPU per request of each side (the database's is not in it): a shared
	// machine's load moves it less than the rates.
	b.ReportMetric(float64(cpuCheckin.Microseconds())/float64(b.N), "cpu-µs/op")
	b.ReportMetric(float64(cpuBase.Microseconds())/float64(b.N), "bare-cpu-µs/op")
	if g, n := w.app.CheckinGroups(); g > 0 {
		b.ReportMetric(float64(n)/float64(g), "checkins/group")
	}
}

// inParallel runs fn(0..n-1) on workers goroutines and returns how long it took.
func inParallel(n, workers int, fn func(i int)) time.Duration {
	var (
		next atomic.Int64
		wg   sync.WaitGroup
	)
	start := time.Now()
	for range min(workers, n) {
		wg.Go(func() {
			for i := int(next.Add(1) - 1); i < n; i = int(next.Add(1) - 1) {
				fn(i)
			}
		})
	}
	wg.Wait()
	return time.Since(start)
}

// checkinRequest fetches the classes' current codes and returns a function that sends the
// i-th worker's phone check-in with tokens[i] through the router and returns the status.
func (w *checkinBench) checkinRequest(b *testing.B, tokens []string) func(i int) int {
	codes := make([][]byte, len(w.classes))
	for i, id := range w.classes {
		res := w.inst.Do("GET", classesPath+"/"+id+"/checkin-code", nil)
		if res.Status != http.StatusOK {
			b.Fatalf("checkin-code answered %d", res.Status)
		}
		var body struct{ Code string }
		res.JSON(b, &body)
		codes[i] = []byte(fmt.Sprintf(`{"code":%q}`, body.Code))
	}
	h := w.app.Handler()
	return func(i int) int {
		req := httptest.NewRequest(http.MethodPost, myCheckinsPath, bytes.NewReader(codes[i%len(codes)]))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+tokens[i])
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec.Code
	}
}

// checkinEnv is the settings of the benchmark's app beyond the defaults.
var checkinEnv map[string]string

type checkinBench struct {
	app     *apitest.App
	inst    *apitest.Client
	classes []string
	workers []string // worker ids; worker i is on class i % len(classes)
}

// checkinWorld sets up four classes in session with 1,000 workers each.
func checkinWorld(b *testing.B) *checkinBench {
	{
		const classes, roster = 4, 1000
		a := apitest.NewApp(b, apitest.Options{Env: checkinEnv})
		admin := a.AdminToken(b)
		instID, tok := a.OrgToken(b, admin, "training_institution")
		inst := a.As(tok)
		loc, _ := time.LoadLocation("Asia/Shanghai")
		date := a.Now().In(loc).AddDate(0, 0, 2).Format("2006-01-02")
		people := make([]apitest.Person, classes*roster)
		for i := range people {
			people[i] = apitest.NewPerson()
		}
		a.Register(b, admin, people...)
		w := &checkinBench{app: a}
		ids := map[string]string{}
		for c := range classes {
			lines := make([]map[string]any, roster)
			for j := range roster {
				p := people[c*roster+j]
				lines[j] = map[string]any{"ssn": p.SSN, "name": p.Name}
			}
			res := inst.Do("POST", classesPath, map[string]any{
				"external_id": fmt.Sprintf("BENCH-%d", c), "course_name": "焊工安全岗前培训", "training_type": "pre_job",
				"occupation_code": "6-18-02-04", "subsidy_item": "pre_job_safety", "hours": 6,
				"start_date": date, "end_date": date,
				"sessions": []map[string]any{{"date": date, "starts_at": "08:00", "ends_at": "18:00"}},
				"location": "市中区公共实训基地", "teacher": "王老师", "capacity": roster, "roster": lines,
			})
			if res.Status != http.StatusCreated {
				b.Fatalf("filing answered %d: %.300s", res.Status, res.Body)
			}
			var body struct{ ID string }
			res.JSON(b, &body)
			if r := a.As(admin).Do("POST", "/api/v1/admin/classes/"+body.ID+"/review", map[string]any{"decision": "approve"}); r.Status != http.StatusOK {
				b.Fatalf("review answered %d", r.Status)
			}
			w.classes = append(w.classes, body.ID)
		}
		ssns := make([]identity.SSN, len(people))
		for i, p := range people {
			ssns[i] = identity.SSN(p.SSN)
		}
		ws, err := a.DB.Workers(a.Keys).Identify(context.Background(), ssns)
		if err != nil {
			b.Fatal(err)
		}
		for _, p := range people {
			ids[p.SSN] = ws[identity.SSN(p.SSN)].WorkerID
		}
		day, _ := time.ParseInLocation("2006-01-02", date, loc)
		a.Advance(day.Add(9*time.Hour + 30*time.Minute).Sub(a.Now()))
		w.inst = a.As(a.Mint(b, auth.Principal{ID: uuid.NewString(), Role: auth.RoleTrainingInstitution, OrgID: instID}))
		// Worker i sits in class i % classes, so that consecutive requests hit different classes.
		w.workers = make([]string, len(people))
		for i := range people {
			w.workers[i] = ids[people[(i%classes)*roster+i/classes].SSN]
		}
		return w
	}
}

// bareInsertStack returns the bare stack's request: gin binding a small JSON body and answering 201
// after one INSERT into a table shaped like class_checkins, on the app's pool.
func bareInsertStack(b *testing.B, a *apitest.App) func() int {
	db := a.DB.SQL()
	if _, err := db.ExecContext(context.Background(), `CREATE TABLE IF NOT EXISTS bench_checkins (
		id CHAR(36) NOT NULL, class_id CHAR(36) NOT NULL, worker_id CHAR(36) NOT NULL, session_date DATE NOT NULL,
		checked_in_at DATETIME(6) NOT NULL, method VARCHAR(16) NOT NULL, created_at DATETIME(6) NOT NULL,
		PRIMARY KEY (id), UNIQUE KEY uk_bench_session (class_id, worker_id, session_date),
		KEY idx_bench_worker_date (worker_id, session_date)) ENGINE=InnoDB`); err != nil {
		b.Fatal(err)
	}
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	classID := uuid.NewString()
	r.POST("/baseline", func(c *gin.Context) {
		var in struct {
			Code string `json:"code"`
		}
		if err := c.ShouldBindJSON(&in); err != nil {
			c.Status(http.StatusBadRequest)
			return
		}
		now := time.Now().UTC()
		_, err := db.ExecContext(c.Request.Context(), "INSERT INTO bench_checkins (id, class_id, worker_id, session_date, checked_in_at, method, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
			uuid.NewString(), classID, uuid.NewString(), now.Truncate(24*time.Hour), now, "phone", now)
		if err != nil {
			c.Status(http.StatusInternalServerError)
			return
		}
		c.JSON(http.StatusCreated, gin.H{"class_id": classID, "method": "phone", "checked_in_at": now})
	})
	body := []byte(`{"code":"123456"}`)
	return func() int {
		req := httptest.NewRequest(http.MethodPost, "/baseline", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		rec := httptest.NewRecorder()
		r.ServeHTTP(rec, req)
		return rec.Code
	}
}
