// Package inspection draws the bureau's random inspections of training institutions
// (双随机、一公开: random institutions, random records, results made public) and keeps each
// drawn sample with the seed it was drawn from, so that anyone holding the seed and the same
// data can draw it again and check that the bureau did not choose.
//
// The draw, version 1, exactly (Draw, DrawInstitutions, DrawRecords):
//
//  1. The seed is a string of 1–64 printable ASCII characters; an integer seed is its decimal
//     form (42 and "42" are the same seed). When none is given the bureau generates one, a
//     random integer from 0 to 2^53−1.
//  2. Institution candidates are the ids of the active training institutions, sorted
//     ascending (byte order), without duplicates. Record candidates of an institution are the
//     ids of its non-void training records whose end_date lies in the window: the twelve
//     months that end today (China Standard Time), from the day after today's date one year
//     ago up to today, both included. They too are sorted ascending.
//  3. A random stream is ChaCha8 (math/rand/v2) keyed with SHA-256 of its label parts, each
//     followed by one zero byte: "skillrecord-inspection-v1", then "institutions" and the
//     seed for the institutions; "skillrecord-inspection-v1", "records", the seed and the
//     institution id for each institution's records. Each institution's records have their own
//     stream, so a change in one institution's records does not change another's sample.
//     When classes are asked for (ClassesPerInstitution > 0), an institution's class
//     candidates are the ids of its approved subsidised classes, sorted ascending, drawn from
//     the stream "skillrecord-inspection-v1", "classes", the seed and the institution id
//     (DrawClasses); asking for classes does not change the records drawn.
//  4. From n sorted candidates, k are taken by a partial Fisher–Yates shuffle: for i = 0 …
//     k−1, j = i + Rand.IntN(n−i) and candidates i and j swap; the first k are the sample,
//     reported in ascending order. When k ≥ n every candidate is taken.
//
// This package must not know HTTP or SQL.
package inspection
