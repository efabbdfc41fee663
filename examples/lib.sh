# Helpers shared by the example walks. Source it; it needs bash, curl and jq.
#   SKILLRECORD_URL   base URL of a running server (default http://127.0.0.1:8080)
#   EXAMPLES_STATE    directory where one walk leaves ids and secrets for the next (default ./.examples)
set -euo pipefail

BASE=${SKILLRECORD_URL:-http://127.0.0.1:8080}
STATE=${EXAMPLES_STATE:-./.examples}
mkdir -p "$STATE"

# call METHOD PATH EXPECTED_STATUS [TOKEN] [JSON_BODY]: prints the answer's body; fails (with the
# body on stderr) when the status is not the expected one.
call() {
  local method=$1 path=$2 want=$3 token=${4:-} body=${5:-}
  local args=(-sS -o "$STATE/body" -w '%{http_code}' -X "$method" "$BASE$path")
  [ -n "$token" ] && args+=(-H "Authorization: Bearer $token")
  [ -n "$body" ] && args+=(-H 'Content-Type: application/json' --data "$body")
  local got
  got=$(curl "${args[@]}")
  if [ "$got" != "$want" ]; then
    echo "$method $path answered $got, expected $want:" >&2
    cat "$STATE/body" >&2; echo >&2
    return 1
  fi
  cat "$STATE/body"
}

# save NAME VALUE / load NAME: hand a value from one walk to the next.
save() { printf '%s' "$2" >"$STATE/$1"; }
load() { cat "$STATE/$1"; }

# step TEXT: say what the walk does next.
step() { printf '\n== %s\n' "$*"; }
