// Package evaluation is the bureau's performance evaluation (绩效评估) of training
// institutions' subsidised classes: per institution, over the classes that ended in a period,
// the classes and trainees, completion and pass rates, mean attendance, supervision flags by
// kind, objections and disputes upheld, the subsidy claimed, approved and disbursed, and the
// cost per certificate. evaluation.go is the figures and their derived rates; service.go reads
// them through the Store it declares. No file here knows about HTTP, SQL or the cache.
package evaluation
