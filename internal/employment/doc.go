// Package employment is employment data from the bureau's other systems (就业登记, 失业登记,
// 参保) and the employment follow-up of trainees (就业跟踪: 上岗率 and 稳岗率).
//
// Import reads spells from JSON (package worker's reader) or a spreadsheet (ReadSheet, on
// package sheet: Chinese headers, title rows, GB 18030 CSV), checks each row's
// SSN and name against the cardholder registry (实名制: unknown_cardholder, name_mismatch) and
// stores it under the worker's opaque id, idempotent by the sending system's source_id; the
// SSN and name are not kept. Evaluate computes the follow-up figures per Group (an institution,
// or one of its classes) from the trainees of training records that ended in a period and
// their spells; the Evaluator answers both the institutions' lines and the classes'.
//
// This package must not know HTTP, SQL or Redis.
package employment
