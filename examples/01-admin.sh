#!/usr/bin/env bash
# The bureau's admin signs in, imports one cardholder into the registry, and adds a training
# institution and an employer to the directory, each with an API client.
# Needs an admin account: `skillrecord admin create --username U --password P` (ADMIN_USER, ADMIN_PASSWORD).
source "$(dirname "$0")/lib.sh"
ADMIN_USER=${ADMIN_USER:-bureau.ops}
ADMIN_PASSWORD=${ADMIN_PASSWORD:-change-me-2026}

step "admin signs in (grant_type password)"
admin=$(call POST /api/v1/auth/token 200 "" \
  "$(jq -nc --arg u "$ADMIN_USER" --arg p "$ADMIN_PASSWORD" '{grant_type:"password", username:$u, password:$p}')" |
  jq -r .access_token)
save admin_token "$admin"

step "admin imports a cardholder into the registry (the source of truth for real names)"
call POST /api/v1/admin/cardholders/import 200 "$admin" '{"cardholders":[
  {"ssn":"11010519491231002X","name":"张三","card_number":"A12345678","issue_area":"370400",
   "card_status":"active","issued_on":"2020-05-01"}]}' | jq .

step "admin adds a training institution to the directory"
inst=$(call POST /api/v1/admin/organizations 201 "$admin" '{"name":"枣庄市示范职业培训学校",
  "type":"training_institution","credit_code":"91370400MA3C00010Y","region_code":"370400"}' | jq -r .id)
echo "institution $inst"

step "admin issues the institution an API client (the secret is shown once)"
call POST "/api/v1/admin/organizations/$inst/clients" 201 "$admin" '{}' >"$STATE/institution_client.json"
jq '{client_id, client_secret: "(shown once; kept for the next walk)"}' "$STATE/institution_client.json"

step "admin adds an employer, with its client"
employer=$(call POST /api/v1/admin/organizations 201 "$admin" '{"name":"枣庄市示范机械有限公司",
  "type":"employer","credit_code":"91350100M000100Y43","region_code":"370400"}' | jq -r .id)
call POST "/api/v1/admin/organizations/$employer/clients" 201 "$admin" '{}' >"$STATE/employer_client.json"
echo "employer $employer, client $(jq -r .client_id "$STATE/employer_client.json")"
