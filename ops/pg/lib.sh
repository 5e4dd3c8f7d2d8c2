# Shared by the scripts in ops/pg (sourced, not run): the database they work on, named the way the hosts name it.

readonly EVAL_DEFAULT_DB='Host=127.0.0.1;Port=5432;Username=evaluation;Password=evaluation;Database=evaluation'

# Reads an Npgsql key=value connection string (EVAL_DB's form) into host, port, user, password, database and
# target_session. A multi-host Host (h1:p1,h2:p2) becomes libpq's lists: host=h1,h2 and port=p1,p2.
parse_npgsql() {
  host=127.0.0.1 port=5432 user=evaluation password=evaluation database=evaluation target_session=""
  local pair key value hosts=() ports=() entry
  # Npgsql accepts several spellings for each key; these are the ones people actually write.
  IFS=';' read -ra pairs <<<"$1"
  for pair in "${pairs[@]}"; do
    [[ "$pair" == *=* ]] || continue
    key="$(echo "${pair%%=*}" | tr -d ' ' | tr '[:upper:]' '[:lower:]')"
    value="${pair#*=}"
    case "$key" in
      host | server) host="$value" ;;
      port) port="$value" ;;
      username | userid | user | uid) user="$value" ;;
      password | pwd) password="$value" ;;
      database | db) database="$value" ;;
      targetsessionattributes) target_session="$value" ;;
    esac
  done

  if [[ "$host" == *,* || "$host" == *:* ]]; then
    IFS=',' read -ra entries <<<"$host"
    for entry in "${entries[@]}"; do
      entry="$(echo "$entry" | tr -d ' ')"
      if [[ "$entry" == *:* ]]; then
        hosts+=("${entry%%:*}") ports+=("${entry##*:}")
      else
        hosts+=("$entry") ports+=("$port")
      fi
    done
    host="$(IFS=,; echo "${hosts[*]}")" port="$(IFS=,; echo "${ports[*]}")"
  fi
}

# Points psql, pg_dump and pg_restore (through libpq's environment) at the database of an Npgsql connection
# string; with several hosts, at the one that takes writes.
use_npgsql() {
  parse_npgsql "$1"
  export PGHOST="$host" PGPORT="$port" PGUSER="$user" PGPASSWORD="$password" PGDATABASE="$database"
  case "$(echo "$target_session" | tr '[:upper:]' '[:lower:]')" in
    "" | any) unset PGTARGETSESSIONATTRS ;;
    primary | read-write | readwrite) export PGTARGETSESSIONATTRS=read-write ;;
    *) export PGTARGETSESSIONATTRS="$target_session" ;;
  esac
}

# Writes FILE.sha256 next to FILE, in sha256sum's format with the bare file name, so that
# `sha256sum -c FILE.sha256` checks it from the file's folder.
write_checksum() {
  (cd "$(dirname "$1")" && sha256sum "$(basename "$1")" >"$(basename "$1").sha256")
}

# True when FILE matches FILE.sha256; a missing checksum file is a mismatch.
checksum_matches() {
  [[ -f "$1.sha256" ]] && (cd "$(dirname "$1")" && sha256sum --status -c "$(basename "$1").sha256")
}
