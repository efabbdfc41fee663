#!/usr/bin/env bash
# The training institution signs in with its client, posts a completed training (and posts it
# again, which changes nothing: external_id is the idempotency key), and issues the trainee a
# training certificate.
source "$(dirname "$0")/lib.sh"

step "institution signs in (grant_type client_credentials)"
tok=$(call POST /api/v1/auth/token 200 "" \
  "$(jq -c '{grant_type:"client_credentials", client_id, client_secret}' "$STATE/institution_client.json")" |
  jq -r .access_token)

training='{"external_id":"2026-WELD-0001","ssn":"11010519491231002X","name":"张三",
  "course_name":"焊工（初级）","training_type":"employment_skills","occupation_code":"6-18-02-04",
  "hours":80,"start_date":"2026-09-01","end_date":"2026-09-30","result":"passed",
  "subsidized":true,"subsidy_amount_cents":120000,"trainee_groups":["migrant_worker"]}'

step "institution posts the training: 201 created"
call POST /api/v1/trainings 201 "$tok" "$training" | jq .

step "the same record again: 200, nothing new (safe to retry after a timeout)"
call POST /api/v1/trainings 200 "$tok" "$training" | jq -c '{id, status}'

step "institution issues a training certificate"
call POST /api/v1/certificates 201 "$tok" '{"certificate_no":"ZZ-2026-000001","ssn":"11010519491231002X",
  "name":"张三","type":"training","occupation_code":"6-18-02-04","occupation_name":"焊工",
  "issued_on":"2026-10-08"}' | jq .
save certificate_no ZZ-2026-000001
