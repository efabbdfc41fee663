#!/usr/bin/env bash
# The employer verifies the certificate by number and holder name. A wrong name answers exactly
# like an unknown number: 404.
source "$(dirname "$0")/lib.sh"

step "employer signs in (grant_type client_credentials)"
tok=$(call POST /api/v1/auth/token 200 "" \
  "$(jq -c '{grant_type:"client_credentials", client_id, client_secret}' "$STATE/employer_client.json")" |
  jq -r .access_token)
no=$(load certificate_no)

step "employer verifies certificate $no with the holder's name"
call POST /api/v1/verify/certificates 200 "$tok" "$(jq -nc --arg no "$no" '{certificate_no:$no, name:"张三"}')" | jq .

step "the same number with another name: 404, like a number that does not exist"
call POST /api/v1/verify/certificates 404 "$tok" "$(jq -nc --arg no "$no" '{certificate_no:$no, name:"李四"}')" | jq .
