package cli

import (
	"context"
	"flag"
	"fmt"
	"io"
	"iter"
	"maps"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/sync/errgroup"

	"skillrecord/internal/certificate"
	"skillrecord/internal/civil"
	"skillrecord/internal/credit"
	"skillrecord/internal/errs"
	"skillrecord/internal/keys"
	"skillrecord/internal/org"
	"skillrecord/internal/sqlstore"
	"skillrecord/internal/training"
	"skillrecord/internal/worker"
)

const seedUsage = "usage: skillrecord seed --workers N --institutions M [--seed S] [--parallel P] [--certificates=false] [--records-per-worker R]"

// Limits of one seed run.
const (
	maxSeedWorkers      = 20_000_000
	maxSeedInstitutions = 100_000
	maxSeedRecordsMean  = 50
	seedBlock           = 1000 // workers per unit of work: one import chunk, about one training batch
)

// seedCommand runs `seed`: it fills the configured database with a synthetic city through the
// same use cases the API runs — the cardholder import (worker.Import), the directory
// (org.Service), training batches (training.Service.PostBatch and Void) and certificates
// (certificate.Service.Issue and Revoke) — so every row passed the same validation, real-name
// check and credit posting as real data. It refuses a database that holds data it did not
// make (see sqlstore.StartSeedRun).
func seedCommand(ctx context.Context, e Env, args []string) error {
	fs := flag.NewFlagSet("seed", flag.ContinueOnError)
	fs.SetOutput(e.Stderr)
	workers := fs.Int("workers", 1000, "synthetic cardholders to register (1 to 20,000,000)")
	institutions := fs.Int("institutions", 20, "training institutions to create (1 to 100,000)")
	seed := fs.Int64("seed", 1, "random seed: the same seed gives the same data")
	parallel := fs.Int("parallel", 4, "units of work run at once (1 on the embedded SQLite)")
	certificates := fs.Bool("certificates", true, "issue certificates (false: the registry and training records only, "+
		"for size runs: a certificate is a transaction of its own, and writes that emit events commit one at a time)")
	recordsMean := fs.Int("records-per-worker", 0, "mean training records a cardholder: each gets 0 to twice as many, "+
		"evenly (0: the city's shape, 0 to 5 records, 1.56 on average; 5 gives 20 M records to 4 M cardholders)")
	if err := fs.Parse(args); err != nil {
		return fmt.Errorf("%w: %w", ErrUsage, err)
	}
	if fs.NArg() > 0 || *workers < 1 || *workers > maxSeedWorkers || *institutions < 1 ||
		*institutions > maxSeedInstitutions || *parallel < 1 || *parallel > 64 || *recordsMean < 0 || *recordsMean > maxSeedRecordsMean {
		fmt.Fprintln(e.Stderr, seedUsage)
		return fmt.Errorf("%w: --workers must be 1 to %d, --institutions 1 to %d, --parallel 1 to 64, --records-per-worker 0 to %d",
			ErrUsage, maxSeedWorkers, maxSeedInstitutions, maxSeedRecordsMean)
	}
	cfg, log, err := loadConfig(e)
	if err != nil {
		return err
	}
	announceStorage(log, cfg, e.Version)
	material, err := keys.Load(keys.Settings{
		DataKey: cfg.Keys.Data, IndexKey: cfg.Keys.Index, SigningKey: cfg.Keys.Signing,
		PreviousDataKeys: cfg.Keys.DataPrevious, PreviousSigningKeys: cfg.Keys.SigningPrevious,
	}, cfg.Data.Dir, log)
	if err != nil {
		return err
	}
	db, err := openDB(ctx, cfg, log, true)
	if err != nil {
		return err
	}
	defer closeQuietly(log, "database", db)
	s := newSeeder(db, material, e.Now, e.Stdout)
	s.gen = seedGen{seed: *seed, today: civil.DateOf(e.Now().In(seedZone)), recordsMean: *recordsMean}
	s.workers, s.institutions, s.parallel = *workers, *institutions, *parallel
	s.certificates = *certificates
	return s.run(ctx)
}

// seedLease is the lease that keeps two seed runs from filling one database at once; a run
// that dies leaves it to expire after seedLeaseTTL.
const (
	seedLease    = "seed"
	seedLeaseTTL = time.Minute
)

// seedZone is the bureau's calendar.
var seedZone = time.FixedZone("CST", 8*60*60)

// seeder holds one run of seed.
type seeder struct {
	db     *sqlstore.DB
	now    func() time.Time
	out    io.Writer
	gen    seedGen
	marker sqlstore.SeedRun
	outMu  sync.Mutex

	workers, institutions, parallel int
	certificates                    bool // run the certificates phase

	orgs      *org.Service
	registry  worker.Store
	trainings *training.Service
	certs     *certificate.Service

	instIDs, evalIDs []string

	done    struct{ workers, trainings, voided, certificates, revoked atomic.Int64 }
	gate    sync.RWMutex // held shared by a transaction, alone by one retried after a deadlock
	retried atomic.Int64 // transactions retried alone
}

func newSeeder(db *sqlstore.DB, m *keys.Material, now func() time.Time, out io.Writer) *seeder {
	poster := &credit.Poster{Ledger: db.Ledger(), Rules: credit.DefaultRules(), Now: now}
	directory := db.Workers(m)
	return &seeder{
		db: db, now: now, out: out,
		orgs:      &org.Service{Store: db, Now: now},
		registry:  directory,
		trainings: &training.Service{Store: db.Trainings(), Directory: directory, Poster: poster, Now: now},
		certs: &certificate.Service{Store: db.Certificates(m), Credits: credit.CertificatePoster{Poster: poster},
			Directory: directory, Now: now},
	}
}

func (s *seeder) printf(format string, args ...any) {
	s.outMu.Lock()
	defer s.outMu.Unlock()
	fmt.Fprintf(s.out, "seed: "+format+"\n", args...)
}

// run does the phases in order: marker, organisations, registry, trainings, certificates.
func (s *seeder) run(ctx context.Context) (err error) {
	start := s.now()
	lease, err := s.db.AcquireLease(ctx, seedLease, seedLeaseTTL, s.now)
	if errs.CodeOf(err) == sqlstore.CodeLeaseHeld {
		return fmt.Errorf("refusing to seed: another `skillrecord seed` is running on this database; wait for it to finish (%s)", errs.As(err).Message)
	}
	if err != nil {
		return fmt.Errorf("take the seed lease: %w", err)
	}
	defer func() { _ = lease.Release(ctx) }()
	if s.marker, err = s.db.StartSeedRun(ctx, s.gen.seed, s.workers, s.institutions, start); err != nil {
		return err
	}
	s.printf("run %d: %d workers (numbers from %d), %d training institutions, seed %d, %d at a time on %s",
		s.marker.ID, s.workers, s.marker.WorkerOffset, s.institutions, s.gen.seed, s.parallel, s.db.Dialect())
	if err := s.createOrgs(ctx); err != nil {
		return err
	}
	for _, phase := range []struct {
		name  string
		count *atomic.Int64
		width int // units of work at once, in multiples of s.parallel
		do    func(ctx context.Context, lo, hi int) error
	}{
		{"workers", &s.done.workers, 1, s.register},
		{"training records", &s.done.trainings, 1, s.postTrainings},
		// A certificate is one small transaction: the phase waits on commits, not on the CPU.
		{"certificates", &s.done.certificates, 4, s.issueCertificates},
	} {
		if phase.count == &s.done.certificates && !s.certificates {
			s.printf("certificates: none issued (--certificates=false)")
			continue
		}
		if err := s.blocks(ctx, phase.name, phase.count, s.parallel*phase.width, phase.do); err != nil {
			return fmt.Errorf("seed %s: %w", phase.name, err)
		}
	}
	if err := s.db.FinishSeedRun(ctx, s.marker, s.now()); err != nil {
		return err
	}
	s.printf("done in %s: %d workers, %d organisations, %d training records (%d voided), %d certificates (%d revoked); %d transactions retried alone after a deadlock",
		s.now().Sub(start).Round(time.Second), s.done.workers.Load(), len(s.instIDs)+len(s.evalIDs)+s.otherOrgs(),
		s.done.trainings.Load(), s.done.voided.Load(), s.done.certificates.Load(), s.done.revoked.Load(), s.retried.Load())
	return nil
}

func (s *seeder) otherOrgs() int {
	_, employers, colleges := orgsFor(s.institutions)
	return employers + colleges
}

// blocks runs do over the run's workers in blocks of seedBlock, width at a time, and prints
// progress every few seconds.
func (s *seeder) blocks(ctx context.Context, name string, count *atomic.Int64, width int, do func(ctx context.Context, lo, hi int) error) error {
	start := s.now()
	stop := make(chan struct{})
	var ticker sync.WaitGroup
	ticker.Go(func() {
		t := time.NewTicker(3 * time.Second)
		defer t.Stop()
		for {
			select {
			case <-stop:
				return
			case <-t.C:
				s.printf("%s: %d so far (%.0f/s)", name, count.Load(), float64(count.Load())/s.now().Sub(start).Seconds())
			}
		}
	})
	g, gctx := errgroup.WithContext(ctx)
	if s.db.Dialect() == sqlstore.SQLite {
		width = 1 // one writer at a time
	}
	g.SetLimit(width)
	for lo := 0; lo < s.workers; lo += seedBlock {
		g.Go(func() error { return do(gctx, lo, min(lo+seedBlock, s.workers)) })
	}
	err := g.Wait()
	close(stop)
	ticker.Wait()
	if err == nil {
		s.printf("%s: %d in %s", name, count.Load(), s.now().Sub(start).Round(time.Millisecond))
	}
	return err
}

// createOrgs creates the run's organisations through the directory use case.
func (s *seeder) createOrgs(ctx context.Context) error {
	evaluation, employers, colleges := orgsFor(s.institutions)
	n := s.marker.OrgOffset // the number of the next organisation
	next := func() int64 { n++; return n - 1 }
	create := func(in org.CreateInput) (string, error) {
		o, err := s.orgs.Create(ctx, in)
		if err != nil {
			return "", fmt.Errorf("seed organisations: %w", err)
		}
		return o.ID, nil
	}
	for i := range s.institutions {
		id, err := create(s.gen.institution(next(), i))
		if err != nil {
			return err
		}
		s.instIDs = append(s.instIDs, id)
	}
	for range evaluation {
		id, err := create(s.gen.otherOrg(next(), org.EvaluationOrg))
		if err != nil {
			return err
		}
		s.evalIDs = append(s.evalIDs, id)
	}
	for range employers {
		if _, err := create(s.gen.otherOrg(next(), org.Employer)); err != nil {
			return err
		}
	}
	for range colleges {
		if _, err := create(s.gen.otherOrg(next(), org.College)); err != nil {
			return err
		}
	}
	s.printf("organisations: %d training institutions, %d evaluation organisations, %d employers, %d colleges",
		s.institutions, evaluation, employers, colleges)
	return nil
}

// person is the run's i-th person.
func (s *seeder) person(i int) (int64, seedPerson, worker.ImportRow) {
	n := s.marker.WorkerOffset + int64(i)
	p, row := s.gen.person(n)
	return n, p, row
}

// register imports persons lo…hi−1 into the cardholder registry.
func (s *seeder) register(ctx context.Context, lo, hi int) error {
	rows := make([]worker.ImportRow, 0, hi-lo)
	for i := lo; i < hi; i++ {
		_, _, row := s.person(i)
		rows = append(rows, row)
	}
	seq := iter.Seq2[worker.ImportRow, error](func(yield func(worker.ImportRow, error) bool) {
		for _, r := range rows {
			if !yield(r, nil) {
				return
			}
		}
	})
	res, err := worker.Import(ctx, s.registry, seq, s.now())
	if err != nil {
		return err
	}
	if len(res.Errors) > 0 {
		e := res.Errors[0]
		return fmt.Errorf("the registry refused %d synthetic rows (first: row %d, %s %s)", len(res.Errors), lo+e.Index, e.Field, e.Code)
	}
	s.done.workers.Add(int64(res.Imported + res.Updated))
	return nil
}

// postTrainings posts the training records of persons lo…hi−1 in batches. Persons come in
// groups that share a home institution (groups of workers/institutions persons, 50 to 1,000,
// so that every institution gets records and batches stay large): six records in seven go to
// the home institution, the others to the next one. About one in two hundred is then voided.
func (s *seeder) postTrainings(ctx context.Context, lo, hi int) error {
	group := min(max(s.workers/len(s.instIDs), 50), seedBlock)
	byInst := map[string][]seedTraining{}
	for i := lo; i < hi; i++ {
		n, p, _ := s.person(i)
		home := i / group
		for j, t := range s.gen.trainings(n, p, s.marker.ID) {
			inst := s.instIDs[home%len(s.instIDs)]
			if (n+int64(j))%7 == 0 {
				inst = s.instIDs[(home+1)%len(s.instIDs)]
			}
			byInst[inst] = append(byInst[inst], t)
		}
	}
	insts := slices.Sorted(maps.Keys(byInst))
	for _, inst := range insts {
		for batch := range slices.Chunk(byInst[inst], training.MaxBatch) {
			inputs := make([]training.Input, len(batch))
			for i, t := range batch {
				inputs[i] = t.Input
			}
			var results []training.Result
			err := s.retry(ctx, func() (err error) { results, err = s.trainings.PostBatch(ctx, inst, inputs); return err })
			if err != nil {
				return err
			}
			s.done.trainings.Add(int64(len(results)))
			for _, r := range results {
				if !batch[r.Index].Void {
					continue
				}
				if err := s.retry(ctx, func() error {
					_, err := s.trainings.Void(ctx, inst, r.ID, "培训记录重复上报，予以作废")
					return err
				}); err != nil {
					return err
				}
				s.done.voided.Add(1)
			}
		}
	}
	return nil
}

// issueCertificates issues the certificates of persons lo…hi−1: the run's first twenty
// persons one each of every type and level; otherwise about one person in eight gets one,
// and a quarter of those a second. About one in a hundred is revoked.
func (s *seeder) issueCertificates(ctx context.Context, lo, hi int) error {
	evaluation := s.evalIDs
	for i := lo; i < hi; i++ {
		n, p, _ := s.person(i)
		r := s.gen.rng(streamCertificate, -n-1)
		count := 0
		switch {
		case i < 20:
			count = 1
		case r.IntN(100) < 12:
			count = 1
			if r.IntN(100) < 25 {
				count = 2
			}
		}
		for j := range count {
			k := int64(2*i + j)
			if i < 20 {
				k = int64(i)
			} else {
				k += 20
			}
			in := s.gen.cert(k, p, s.marker.ID)
			orgID, role := evaluation[i%len(evaluation)], string(org.EvaluationOrg)
			if in.Type == certificate.TypeTraining {
				orgID, role = s.instIDs[(i/seedBlock)%len(s.instIDs)], string(org.TrainingInstitution)
			}
			var rec certificate.Record
			if err := s.retry(ctx, func() (err error) { rec, err = s.certs.Issue(ctx, orgID, role, in); return err }); err != nil {
				return err
			}
			s.done.certificates.Add(1)
			if r.IntN(100) == 0 {
				if err := s.retry(ctx, func() error {
					_, err := s.certs.Revoke(ctx, orgID, rec.No, "证书信息有误，予以撤销")
					return err
				}); err != nil {
					return err
				}
				s.done.revoked.Add(1)
			}
		}
	}
	return nil
}

// retry runs fn, and after a deadlock or lock-wait timeout runs it again, up to four more
// times, alone: it waits for the units of work in flight to end their transactions and holds
// the others back meanwhile, so that the transaction it retries has nobody to deadlock with.
// Batches of many records (five a cardholder, --records-per-worker) take gap locks in the
// workers' records of the distinct-worker types next to one another (the cardholders of
// concurrent units were registered at the same time, so their ids interleave); on 2026-12-07 a
// batch retried beside the others deadlocked ten times in a row and ended a run.
func (s *seeder) retry(ctx context.Context, fn func() error) error {
	s.gate.RLock()
	err := fn()
	s.gate.RUnlock()
	for attempt := 1; attempt < 5 && err != nil && ctx.Err() == nil && sqlstore.IsRetryable(err); attempt++ {
		s.retried.Add(1)
		s.gate.Lock()
		err = fn()
		s.gate.Unlock()
	}
	return err
}
