#!/usr/bin/env bash
# The worker activates an account with the details on the social security card, signs in with
# the SSN, and reads the record and the skill-credit ledger.
source "$(dirname "$0")/lib.sh"

step "worker activates (must match the registry and the current card)"
call POST /api/v1/workers/activate 201 "" '{"ssn":"11010519491231002X","name":"张三",
  "card_number":"A12345678","password":"Worker-pass-2026"}' | jq .

step "worker signs in: username is the SSN"
tok=$(call POST /api/v1/auth/token 200 "" \
  '{"grant_type":"password","username":"11010519491231002X","password":"Worker-pass-2026"}' |
  jq -r .access_token)

step "worker reads the record (personal data unmasked for the worker only)"
call GET /api/v1/me/record 200 "$tok" | jq .

step "worker reads the skill-credit ledger"
call GET /api/v1/me/credits 200 "$tok" | jq .
