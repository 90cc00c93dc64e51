#!/usr/bin/env bash
# A local Credit Grid cluster on 127.0.0.1: N silos sharing one PostgreSQL database.
#
#   bash deploy/local/cluster.sh start [N]   PostgreSQL, build once, start the silos 1..N that are not
#                                            running (N defaults to the largest silo started so far, else 3)
#   bash deploy/local/cluster.sh stop [i]    graceful stop of silo i, or of every silo and then the
#                                            PostgreSQL this script started
#   bash deploy/local/cluster.sh kill <i>    SIGKILL silo i (a crash); `start` or `restart i` brings it back
#   bash deploy/local/cluster.sh restart <i> stop silo i if it runs, start it again on the same ports
#   bash deploy/local/cluster.sh status      silos (pid, ready or not) and the PostgreSQL in use
#   bash deploy/local/cluster.sh admin-key   prints the admin key
#   bash deploy/local/cluster.sh env         `export` lines for eval: GRID_LOCAL_POSTGRES, GRID_LOCAL_ADMIN_KEY,
#                                            GRID_LOCAL_CLUSTER_SECRET, GRID_LOCAL_GATEWAYS, GRID_LOCAL_GATEWAY_<i>
#   bash deploy/local/cluster.sh clean       stop everything, delete deploy/local/.run and its PostgreSQL data
#
# Silo i (1-based) is named silo-<i>, serves HTTP on 127.0.0.1:GATEWAY_BASE+i and announces
# http://127.0.0.1:CLUSTER_BASE+i as its cluster endpoint. Its working directory, log (silo.log)
# and pid file live in deploy/local/.run/silo-<i>/.
#
# Environment:
#   GRID_LOCAL_RUN_DIR           state directory instead of deploy/local/.run (tests use a temporary one)
#   GRID_LOCAL_SILO_DLL          a built Grid.Silo.dll to run instead of building silo/ in Release
#   GRID_LOCAL_POSTGRES          Npgsql connection string of a server to use; no PostgreSQL is managed then
#                                (the string `env` prints for the managed server still means that server)
#   GRID_LOCAL_ADMIN_KEY         admin key; otherwise one is generated once into .run/admin-key (mode 600)
#   GRID_LOCAL_CLUSTER_SECRET    secret the silos present on grain calls to each other (Grid:Cluster:Secret,
#                                32+ characters); otherwise generated once into .run/cluster-secret (mode 600)
#   GRID_LOCAL_GATEWAY_BASE      default 5080  (silo i: gateway port base+i)
#   GRID_LOCAL_CLUSTER_BASE      default 11110 (silo i: cluster port base+i)
#   GRID_LOCAL_PG_PORT           default 55480, port of the managed PostgreSQL
#   GRID_LOCAL_PG_USER           default gridlocal, OS user that owns the managed PostgreSQL when run as root
#   GRID_LOCAL_HEARTBEAT_PERIOD  passed to the silos as Grid:Cluster:HeartbeatPeriod when set (e.g. 00:00:01)
#   GRID_LOCAL_SUSPECT_TIMEOUT   passed to the silos as Grid:Cluster:SuspectTimeout when set (e.g. 00:00:05)
#   GRID_LOCAL_READY_TIMEOUT     seconds to wait for a silo to answer /health/ready, default 60
#   GRID_LOCAL_STOP_TIMEOUT      seconds to wait for a silo to exit after SIGTERM, default 40
#
# The silos run the Release build in silo/bin/Release; rebuilding Release while they run (for
# example tests/run.sh) replaces their binaries, so stop the cluster first.
set -euo pipefail

LOCAL_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$LOCAL_DIR/../.." && pwd)"
readonly LOCAL_DIR REPO_ROOT
readonly RUN_DIR="${GRID_LOCAL_RUN_DIR:-$LOCAL_DIR/.run}"

readonly GATEWAY_BASE="${GRID_LOCAL_GATEWAY_BASE:-5080}"
readonly CLUSTER_BASE="${GRID_LOCAL_CLUSTER_BASE:-11110}"
readonly PG_PORT="${GRID_LOCAL_PG_PORT:-55480}"
readonly READY_TIMEOUT="${GRID_LOCAL_READY_TIMEOUT:-60}"
readonly STOP_TIMEOUT="${GRID_LOCAL_STOP_TIMEOUT:-40}"
readonly DEFAULT_SILOS=3
readonly MAX_SILOS=50

readonly PG_VERSION=15
readonly PG_BIN="/usr/lib/postgresql/$PG_VERSION/bin"
readonly PG_DATABASE=grid

# Files in .run/
readonly ADMIN_KEY_FILE="$RUN_DIR/admin-key"    # generated admin key, mode 600
readonly CLUSTER_SECRET_FILE="$RUN_DIR/cluster-secret" # generated secret silos present to each other, mode 600
readonly PG_LOCATION_FILE="$RUN_DIR/pg-location" # directory of the managed PostgreSQL; absent when none
readonly BUILD_LOG="$RUN_DIR/build.log"
readonly LOCK_FILE="$RUN_DIR/lock"

export DOTNET_CLI_TELEMETRY_OPTOUT=1
export DOTNET_NOLOGO=1
export DOTNET_GENERATE_ASPNET_CERTIFICATE=false

log() { printf '[cluster] %s\n' "$*"; }
die() {
    printf '[cluster] error: %s\n' "$*" >&2
    exit 1
}

usage() {
    sed -n '2,14p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
}

# ---------------------------------------------------------------- helpers

check_number() { # name value
    [[ "$2" =~ ^[0-9]+$ ]] || die "$1 must be a number, got '$2'"
}

silo_index() { # value -> validated index
    if ! [[ "${1:-}" =~ ^[1-9][0-9]*$ ]] || (($1 > MAX_SILOS)); then
        die "silo number must be 1..$MAX_SILOS, got '${1:-}'"
    fi
    echo "$1"
}

silo_dir() { echo "$RUN_DIR/silo-$1"; }
gateway_port() { echo $((GATEWAY_BASE + $1)); }
cluster_port() { echo $((CLUSTER_BASE + $1)); }
gateway_url() { echo "http://127.0.0.1:$(gateway_port "$1")"; }
cluster_endpoint() { echo "http://127.0.0.1:$(cluster_port "$1")"; }

# True if something accepts connections on 127.0.0.1:$1.
port_in_use() {
    timeout 2 bash -c "exec 3<>/dev/tcp/127.0.0.1/$1" 2>/dev/null
}

# Indices of the silos that have a directory in .run, ascending.
known_silos() {
    local d i
    for d in "$RUN_DIR"/silo-*; do
        [[ -d "$d" ]] || continue
        i="${d##*/silo-}"
        if [[ "$i" =~ ^[1-9][0-9]*$ ]]; then echo "$i"; fi
    done | sort -n
}

# Prints the pid of silo $1 if its pid file names a live silo process started from its directory.
# A stale pid file (crash, reboot) or a pid reused by another program prints nothing.
silo_pid() {
    local dir pid cmdline cwd
    dir="$(silo_dir "$1")"
    [[ -f "$dir/pid" ]] || return 1
    pid="$(<"$dir/pid")"
    [[ "$pid" =~ ^[0-9]+$ ]] || return 1
    cmdline="$(tr '\0' ' ' 2>/dev/null <"/proc/$pid/cmdline")" || return 1
    [[ "$cmdline" == *Grid.Silo.dll* ]] || return 1
    cwd="$(readlink "/proc/$pid/cwd" 2>/dev/null)" || return 1
    [[ "$cwd" == "$dir" ]] || return 1
    echo "$pid"
}

child_alive() {
    local state
    state="$(awk '{ print $3 }' "/proc/$1/stat" 2>/dev/null)" || return 1
    [[ -n "$state" && "$state" != Z && "$state" != X ]]
}

silo_ready() {
    curl -fsS -o /dev/null --max-time 2 "$(gateway_url "$1")/health/ready" 2>/dev/null
}

# Serialises the commands that change state; fd 9 must not leak into the silos or PostgreSQL.
take_lock() {
    mkdir -p "$RUN_DIR"
    exec 9>"$LOCK_FILE"
    flock -w 120 9 || die "another cluster.sh has held $LOCK_FILE for 2 minutes"
}

# Single-quotes $1 for the shell.
quote() {
    local q="'\\''"
    printf "'%s'" "${1//\'/$q}"
}

strip_password() {
    sed -E 's/(^|;)[[:space:]]*(password|pwd)[[:space:]]*=[^;]*/\1/Ig; s/;;+/;/g; s/;$//' <<<"$1"
}

# ---------------------------------------------------------------- admin key, cluster secret

random_hex() {
    if command -v openssl >/dev/null 2>&1; then
        openssl rand -hex 32
    else
        head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n'
    fi
}

# Generates a 64-hex-digit secret into file $1 (mode 600) unless it exists.
ensure_secret_file() { # file what
    [[ -s "$1" ]] && return 0
    mkdir -p "$RUN_DIR"
    local value
    value="$(random_hex)"
    [[ ${#value} -eq 64 ]] || die "could not generate the $2"
    (umask 077 && printf '%s\n' "$value" >"$1")
    chmod 600 "$1"
    log "generated the $2 into ${1#"$REPO_ROOT"/}"
}

ensure_secrets() {
    [[ -n "${GRID_LOCAL_ADMIN_KEY:-}" ]] || ensure_secret_file "$ADMIN_KEY_FILE" "admin key"
    [[ -n "${GRID_LOCAL_CLUSTER_SECRET:-}" ]] || ensure_secret_file "$CLUSTER_SECRET_FILE" "cluster secret"
}

admin_key() {
    if [[ -n "${GRID_LOCAL_ADMIN_KEY:-}" ]]; then
        echo "$GRID_LOCAL_ADMIN_KEY"
    elif [[ -s "$ADMIN_KEY_FILE" ]]; then
        head -n 1 "$ADMIN_KEY_FILE"
    else
        return 1
    fi
}

cluster_secret() {
    if [[ -n "${GRID_LOCAL_CLUSTER_SECRET:-}" ]]; then
        echo "$GRID_LOCAL_CLUSTER_SECRET"
    elif [[ -s "$CLUSTER_SECRET_FILE" ]]; then
        head -n 1 "$CLUSTER_SECRET_FILE"
    else
        return 1
    fi
}

# ---------------------------------------------------------------- PostgreSQL

PG_DIR=""     # directory of the managed cluster: data/, postgres.log, the unix socket
PG_OS_USER="" # its owner

managed_connection_string() {
    echo "Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=$PG_DATABASE"
}

# True when GRID_LOCAL_POSTGRES names a server of the user's. The managed server's own string (what
# `env` exports) does not count, so `eval "$(cluster.sh env)"` followed by `start` still starts it.
external_postgres() {
    [[ -n "${GRID_LOCAL_POSTGRES:-}" && "$GRID_LOCAL_POSTGRES" != "$(managed_connection_string)" ]]
}

# The connection string the silos get. An external server must be named in every command's environment.
connection_string() {
    if external_postgres; then
        echo "$GRID_LOCAL_POSTGRES"
    else
        managed_connection_string
    fi
}

resolve_pg_user() {
    if [[ $EUID -eq 0 ]]; then
        PG_OS_USER="${GRID_LOCAL_PG_USER:-gridlocal}"
    else
        PG_OS_USER="$(id -un)"
    fi
}

# Runs a command as the cluster's owner (PostgreSQL refuses root), from / so the owner never starts
# in a directory it cannot read, and without our lock descriptor.
as_pg_user() {
    if [[ $EUID -eq 0 ]]; then
        (cd / && runuser -u "$PG_OS_USER" -- "$@" 9>&-)
    else
        (cd / && "$@" 9>&-)
    fi
}

# Loads PG_DIR from .run/pg-location; fails if this script manages no PostgreSQL.
load_pg_location() {
    [[ -s "$PG_LOCATION_FILE" ]] || return 1
    PG_DIR="$(head -n 1 "$PG_LOCATION_FILE")"
    resolve_pg_user
    [[ -n "$PG_DIR" ]]
}

pg_running() {
    [[ -f "$PG_DIR/data/postmaster.pid" ]] &&
        as_pg_user "$PG_BIN/pg_ctl" -D "$PG_DIR/data" status >/dev/null 2>&1
}

ensure_pg_os_user() {
    [[ $EUID -eq 0 ]] || return 0
    if ! id -u "$PG_OS_USER" >/dev/null 2>&1; then
        log "creating system user $PG_OS_USER to own the local PostgreSQL"
        useradd --system --user-group --no-create-home --home-dir /nonexistent \
            --shell /usr/sbin/nologin "$PG_OS_USER" 2>/dev/null || id -u "$PG_OS_USER" >/dev/null 2>&1 ||
            die "could not create OS user $PG_OS_USER (set GRID_LOCAL_PG_USER to an existing non-root user)"
    fi
}

# Sets PG_DIR to where a new cluster lives: .run/pg, unless its owner cannot reach .run (a repo under
# /root, say) or the socket path would be too long for a unix socket; then /tmp/grid-local-pg-<uid>.
choose_pg_dir() {
    PG_DIR="$RUN_DIR/pg"
    local fallback="/tmp/grid-local-pg-$EUID"
    if ((${#PG_DIR} + 20 > 100)); then
        log "the path of ${RUN_DIR#"$REPO_ROOT"/} is too long for PostgreSQL's socket; its data goes to $fallback"
        PG_DIR="$fallback"
    elif [[ $EUID -eq 0 ]] && ! (cd / && runuser -u "$PG_OS_USER" -- test -x "$RUN_DIR") 2>/dev/null; then
        log "$PG_OS_USER cannot reach ${RUN_DIR#"$REPO_ROOT"/}; the PostgreSQL data goes to $fallback"
        PG_DIR="$fallback"
    fi
}

write_pg_config() {
    cat >"$PG_DIR/data/grid_local.conf" <<EOF
# Written by deploy/local/cluster.sh; rewritten at every start.
listen_addresses = '127.0.0.1'
port = $PG_PORT
unix_socket_directories = '$PG_DIR'
max_connections = 300
EOF
    cat >"$PG_DIR/data/pg_hba.conf" <<EOF
# Written by deploy/local/cluster.sh: trust, but only over the owner's socket and 127.0.0.1.
local all all trust
host  all all 127.0.0.1/32 trust
EOF
    [[ $EUID -ne 0 ]] || chown "$PG_OS_USER" "$PG_DIR/data/grid_local.conf" "$PG_DIR/data/pg_hba.conf"
}

init_pg() {
    log "initdb in $PG_DIR/data (owner $PG_OS_USER)"
    mkdir -p "$PG_DIR"
    chmod 700 "$PG_DIR"
    [[ $EUID -ne 0 ]] || chown -R "$PG_OS_USER" "$PG_DIR"
    # --no-locale: the machine may have no generated locales.
    as_pg_user "$PG_BIN/initdb" -D "$PG_DIR/data" --auth=trust -U postgres \
        --encoding=UTF8 --no-locale >"$PG_DIR/initdb.log" 2>&1 ||
        die "initdb failed; see $PG_DIR/initdb.log"
    echo "include = 'grid_local.conf'" >>"$PG_DIR/data/postgresql.conf"
}

ensure_postgres() {
    if external_postgres; then
        log "PostgreSQL: using GRID_LOCAL_POSTGRES ($(strip_password "$GRID_LOCAL_POSTGRES"))"
        return 0
    fi
    [[ -x "$PG_BIN/postgres" && -x "$PG_BIN/initdb" ]] ||
        die "PostgreSQL $PG_VERSION is not installed ($PG_BIN missing): apt-get install postgresql-$PG_VERSION, or set GRID_LOCAL_POSTGRES"
    check_number GRID_LOCAL_PG_PORT "$PG_PORT"
    resolve_pg_user
    ensure_pg_os_user

    local initialized="" running_port
    if load_pg_location && [[ -f "$PG_DIR/data/PG_VERSION" ]]; then
        initialized=1
        if pg_running; then
            running_port="$(sed -n 4p "$PG_DIR/data/postmaster.pid")"
            [[ "$running_port" == "$PG_PORT" ]] ||
                die "the local PostgreSQL runs on port $running_port; run cluster.sh stop before changing GRID_LOCAL_PG_PORT"
            log "PostgreSQL already running in $PG_DIR"
            create_database
            return 0
        fi
    fi
    if port_in_use "$PG_PORT"; then
        die "port $PG_PORT is taken by another program; set GRID_LOCAL_PG_PORT to a free port"
    fi
    if [[ -z "$initialized" ]]; then
        choose_pg_dir
        if [[ -e "$PG_DIR" ]]; then
            # Left over (e.g. .run deleted while the data stayed in /tmp): reuse it only if it is ours.
            [[ "$(stat -c %U "$PG_DIR")" == "$PG_OS_USER" ]] ||
                die "$PG_DIR exists and is not owned by $PG_OS_USER; remove it or set GRID_LOCAL_PG_USER"
        fi
        [[ -f "$PG_DIR/data/PG_VERSION" ]] || init_pg
        printf '%s\n' "$PG_DIR" >"$PG_LOCATION_FILE"
    fi

    write_pg_config
    touch "$PG_DIR/postgres.log"
    [[ $EUID -ne 0 ]] || chown "$PG_OS_USER" "$PG_DIR/postgres.log"
    log "starting PostgreSQL $PG_VERSION on 127.0.0.1:$PG_PORT"
    as_pg_user "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/postgres.log" -w -t 60 start >/dev/null ||
        die "PostgreSQL did not start within 60 s; see $PG_DIR/postgres.log"
    create_database
}

create_database() {
    local _ exists
    for _ in $(seq 1 30); do
        "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT" -U postgres -t 2 && break
        sleep 1
    done
    "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT" -U postgres -t 2 ||
        die "PostgreSQL on 127.0.0.1:$PG_PORT does not accept connections; see $PG_DIR/postgres.log"
    exists="$("$PG_BIN/psql" -X -q -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -tA \
        -c "SELECT 1 FROM pg_database WHERE datname = '$PG_DATABASE'" </dev/null)" ||
        die "cannot query PostgreSQL on 127.0.0.1:$PG_PORT"
    if [[ "$exists" != 1 ]]; then
        "$PG_BIN/createdb" -h 127.0.0.1 -p "$PG_PORT" -U postgres "$PG_DATABASE" </dev/null ||
            die "could not create database $PG_DATABASE"
        log "created database $PG_DATABASE"
    fi
}

stop_postgres() {
    if ! load_pg_location; then
        ! external_postgres || log "PostgreSQL: GRID_LOCAL_POSTGRES is not managed here; left alone"
        return 0
    fi
    if ! pg_running; then
        log "PostgreSQL already stopped"
        return 0
    fi
    if as_pg_user "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m fast -w -t 30 stop >/dev/null 2>&1 ||
        as_pg_user "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m immediate -w -t 10 stop >/dev/null 2>&1; then
        log "PostgreSQL stopped"
    else
        die "PostgreSQL in $PG_DIR did not stop; see $PG_DIR/postgres.log"
    fi
}

# ---------------------------------------------------------------- build

SILO_DLL=""

find_silo_dll() {
    local candidate
    SILO_DLL=""
    if [[ -n "${GRID_LOCAL_SILO_DLL:-}" ]]; then
        [[ -f "$GRID_LOCAL_SILO_DLL" ]] || die "GRID_LOCAL_SILO_DLL names no file: $GRID_LOCAL_SILO_DLL"
        SILO_DLL="$GRID_LOCAL_SILO_DLL"
        return 0
    fi
    for candidate in "$REPO_ROOT"/silo/bin/Release/net*/Grid.Silo.dll; do
        [[ -f "$candidate" ]] && SILO_DLL="$candidate"
    done
    [[ -n "$SILO_DLL" ]]
}

build_silo() {
    if [[ -n "${GRID_LOCAL_SILO_DLL:-}" ]]; then
        find_silo_dll # prebuilt (the tests' own build): nothing to build
        return
    fi
    command -v dotnet >/dev/null 2>&1 || die "dotnet is not on PATH; install the .NET SDK (see global.json)"
    log "building the silo (dotnet build -c Release silo)"
    # --disable-build-servers: no MSBuild node or compiler server is left running afterwards.
    if ! (cd "$REPO_ROOT" && dotnet build -c Release silo --nologo -v quiet --disable-build-servers \
        </dev/null >"$BUILD_LOG" 2>&1 9>&-); then
        grep -E ': error ' "$BUILD_LOG" | sort -u | head -n 20 >&2 || true
        die "build failed; full output in ${BUILD_LOG#"$REPO_ROOT"/}"
    fi
    find_silo_dll || die "the build wrote no silo/bin/Release/net*/Grid.Silo.dll"
}

# ---------------------------------------------------------------- silos

launch_silo() { # i
    local i=$1 dir pid key secret conn
    dir="$(silo_dir "$i")"
    key="$(admin_key)" || die "no admin key"
    secret="$(cluster_secret)" || die "no cluster secret"
    conn="$(connection_string)"
    mkdir -p "$dir"
    rm -f "$dir/pid"
    printf '\n==== %s: cluster.sh starts silo-%s\n' "$(date '+%F %T')" "$i" >>"$dir/silo.log"
    # The settings go through the environment, never the command line (ps shows that to everyone).
    # setsid: a Ctrl-C in the terminal that ran this script does not reach the silos. Without job
    # control bash starts background commands with SIGINT and SIGQUIT ignored; `trap -` undoes that,
    # so SIGINT still stops a silo gracefully.
    (
        cd "$dir"
        trap - INT QUIT
        export ASPNETCORE_URLS
        ASPNETCORE_URLS="$(gateway_url "$i")"
        export Grid__Storage__Provider=postgres
        export Grid__Storage__ConnectionString="$conn"
        export Grid__Auth__AdminKey="$key"
        export Grid__Cluster__Enabled=true
        export Grid__Cluster__SiloName="silo-$i"
        export Grid__Cluster__Secret="$secret"
        export Grid__Cluster__Endpoint
        Grid__Cluster__Endpoint="$(cluster_endpoint "$i")"
        if [[ -n "${GRID_LOCAL_HEARTBEAT_PERIOD:-}" ]]; then
            export Grid__Cluster__HeartbeatPeriod="$GRID_LOCAL_HEARTBEAT_PERIOD"
        fi
        if [[ -n "${GRID_LOCAL_SUSPECT_TIMEOUT:-}" ]]; then
            export Grid__Cluster__SuspectTimeout="$GRID_LOCAL_SUSPECT_TIMEOUT"
        fi
        exec setsid dotnet "$SILO_DLL"
    ) </dev/null >>"$dir/silo.log" 2>&1 9>&- &
    pid=$!
    echo "$pid" >"$dir/pid"
}

# Waits until silo $1 answers /health/ready. When it exits or the time runs out, prints one line and
# (with $2 = tail) the end of its log, and fails.
wait_ready() { # i [tail]
    local i=$1 deadline dir pid
    dir="$(silo_dir "$i")"
    pid="$(<"$dir/pid")"
    deadline=$((SECONDS + READY_TIMEOUT))
    while ((SECONDS < deadline)); do
        if silo_ready "$i"; then
            return 0
        fi
        # The pid is our own child here, so it cannot have been reused; a zombie has exited.
        if ! child_alive "$pid"; then
            rm -f "$dir/pid"
            if [[ "${2:-}" == tail ]]; then tail -n 15 "$dir/silo.log" | sed 's/^/    /' >&2; fi
            printf '[cluster] error: silo-%s exited while starting; log: %s/silo.log\n' "$i" "${dir#"$REPO_ROOT"/}" >&2
            return 1
        fi
        sleep 0.5
    done
    printf '[cluster] error: silo-%s (pid %s) is not ready after %s s (GRID_LOCAL_READY_TIMEOUT); log: %s/silo.log\n' \
        "$i" "$pid" "$READY_TIMEOUT" "${dir#"$REPO_ROOT"/}" >&2
    return 1
}

print_table() { # indices...
    local i pid
    printf '%-9s %-24s %-26s %s\n' NAME GATEWAY CLUSTER-ENDPOINT PID
    for i in "$@"; do
        pid="$(silo_pid "$i")" || pid="-"
        printf '%-9s %-24s %-26s %s\n' "silo-$i" "$(gateway_url "$i")" "$(cluster_endpoint "$i")" "$pid"
    done
}

# Starts the given silos that are not running (building first if no silo runs) and waits for them.
start_silos() { # indices...
    local i missing=() all=("$@")
    for i in "$@"; do
        if ! silo_pid "$i" >/dev/null; then missing+=("$i"); fi
    done
    if ((${#missing[@]} == 0)); then
        log "all requested silos are already running"
        print_table "${all[@]}"
        return 0
    fi

    for i in "${missing[@]}"; do
        if port_in_use "$(gateway_port "$i")"; then
            die "silo-$i: port $(gateway_port "$i") is taken by another program; set GRID_LOCAL_GATEWAY_BASE"
        fi
        if port_in_use "$(cluster_port "$i")"; then
            die "silo-$i: port $(cluster_port "$i") is taken by another program; set GRID_LOCAL_CLUSTER_BASE"
        fi
    done

    ensure_secrets
    ensure_postgres
    if (($(known_running_count) == 0)); then
        build_silo
    else
        # The running silos use the binaries that are there; a new silo joins with the same ones.
        find_silo_dll || build_silo
        log "other silos are running, so no rebuild: starting silo-$(join_by ', silo-' "${missing[@]}") on the current build"
    fi

    for i in "${missing[@]}"; do
        launch_silo "$i"
        log "started silo-$i (pid $(<"$(silo_dir "$i")/pid")), waiting for /health/ready"
    done
    local not_ready=() how=tail
    for i in "${missing[@]}"; do
        if ! wait_ready "$i" "$how"; then
            not_ready+=("$i")
            how="" # one log tail is enough; the others are named
        fi
    done
    if ((${#not_ready[@]} > 0)); then
        print_table "${all[@]}" >&2
        die "${#not_ready[@]} of ${#missing[@]} silos did not become ready: silo-$(join_by ', silo-' "${not_ready[@]}")"
    fi
    log "ready: silo-$(join_by ', silo-' "${missing[@]}")"
    print_table "${all[@]}"
}

join_by() {
    local sep=$1 first=$2
    shift 2
    printf '%s' "$first" "${@/#/$sep}"
}

known_running_count() {
    local i n=0
    for i in $(known_silos); do
        if silo_pid "$i" >/dev/null; then n=$((n + 1)); fi
    done
    echo "$n"
}

# SIGTERM to each given running silo, then waits for all of them (bounded).
stop_silos() { # indices...
    local i pid pids=() names=() stopping=() failed=0 deadline
    for i in "$@"; do
        if pid="$(silo_pid "$i")"; then
            kill -TERM "$pid" 2>/dev/null || true
            pids+=("$pid")
            names+=("$i")
        else
            rm -f "$(silo_dir "$i")/pid"
            log "silo-$i is not running"
        fi
    done
    ((${#names[@]} > 0)) || return 0
    log "sent SIGTERM to silo-$(join_by ', silo-' "${names[@]}"); waiting up to ${STOP_TIMEOUT} s"
    stopping=("${names[@]}")
    deadline=$((SECONDS + STOP_TIMEOUT))
    while ((${#stopping[@]} > 0 && SECONDS < deadline)); do
        sleep 0.25
        local still=()
        for i in "${stopping[@]}"; do
            if silo_pid "$i" >/dev/null; then
                still+=("$i")
            else
                rm -f "$(silo_dir "$i")/pid"
                log "silo-$i stopped ($(stop_kind "$i"))"
            fi
        done
        stopping=("${still[@]+"${still[@]}"}")
    done
    for i in "${stopping[@]+"${stopping[@]}"}"; do
        printf '[cluster] error: silo-%s did not stop within %s s; "cluster.sh kill %s" forces it\n' "$i" "$STOP_TIMEOUT" "$i" >&2
        failed=1
    done
    return "$failed"
}

# How a silo that is not running ended, from its pid file and log: "stopped" (by cluster.sh), "killed"
# (cluster.sh kill), "exited" (on its own or by a signal from elsewhere, with its stop line) or "crashed".
stopped_state() {
    local dir last
    dir="$(silo_dir "$1")"
    last="$(grep '^==== ' "$dir/silo.log" 2>/dev/null | tail -n 1)" || true
    if [[ "$last" == *killed* ]]; then
        echo "killed"
    elif [[ ! -f "$dir/pid" ]]; then
        echo "stopped"
    elif [[ "$(stop_kind "$1")" == graceful ]]; then
        echo "exited"
    else
        echo "crashed (see silo.log)"
    fi
}

# Whether the silo's log, since cluster.sh last started it, ends its run with the silo's own stop line.
stop_kind() {
    if awk '/^==== .* starts silo-/ { seen = 0 } /stopped; all activations deactivated/ { seen = 1 } END { exit !seen }' \
        "$(silo_dir "$1")/silo.log" 2>/dev/null; then
        echo "graceful"
    else
        echo "no graceful-stop line in its log"
    fi
}

# ---------------------------------------------------------------- commands

cmd_start() {
    local n=${1:-} i indices=() top
    if [[ -z "$n" ]]; then
        top="$(known_silos | tail -n 1)"
        n="${top:-$DEFAULT_SILOS}"
    fi
    if ! [[ "$n" =~ ^[1-9][0-9]*$ ]] || ((n > MAX_SILOS)); then
        die "start: N must be 1..$MAX_SILOS, got '$n'"
    fi
    check_number GRID_LOCAL_GATEWAY_BASE "$GATEWAY_BASE"
    check_number GRID_LOCAL_CLUSTER_BASE "$CLUSTER_BASE"
    check_number GRID_LOCAL_READY_TIMEOUT "$READY_TIMEOUT"
    take_lock
    for ((i = 1; i <= n; i++)); do indices+=("$i"); done
    start_silos "${indices[@]}"
}

cmd_stop() {
    if [[ ! -d "$RUN_DIR" ]]; then
        log "nothing to stop (no ${RUN_DIR#"$REPO_ROOT"/})"
        return 0
    fi
    check_number GRID_LOCAL_STOP_TIMEOUT "$STOP_TIMEOUT"
    take_lock
    if [[ -n "${1:-}" ]]; then
        local i
        i="$(silo_index "$1")"
        stop_silos "$i" || exit 1
        return 0
    fi
    local rc=0 silos
    mapfile -t silos < <(known_silos)
    if ((${#silos[@]} > 0)); then
        stop_silos "${silos[@]}" || rc=1
    fi
    if ((rc != 0)); then
        die "some silos are still running; PostgreSQL left running for them"
    fi
    stop_postgres
}

cmd_kill() {
    local i pid deadline
    i="$(silo_index "${1:-}")"
    take_lock
    if ! pid="$(silo_pid "$i")"; then
        rm -f "$(silo_dir "$i")/pid"
        log "silo-$i is not running"
        return 0
    fi
    kill -KILL "$pid" 2>/dev/null || true
    deadline=$((SECONDS + 10))
    while silo_pid "$i" >/dev/null; do
        ((SECONDS < deadline)) || die "silo-$i (pid $pid) still exists 10 s after SIGKILL"
        sleep 0.1
    done
    rm -f "$(silo_dir "$i")/pid"
    printf '\n==== %s: cluster.sh killed silo-%s (SIGKILL)\n' "$(date '+%F %T')" "$i" >>"$(silo_dir "$i")/silo.log"
    log "killed silo-$i (pid $pid, SIGKILL)"
}

cmd_restart() {
    local i
    i="$(silo_index "${1:-}")"
    check_number GRID_LOCAL_STOP_TIMEOUT "$STOP_TIMEOUT"
    take_lock
    stop_silos "$i" || exit 1
    start_silos "$i"
}

cmd_status() {
    local i pid state silos conn
    mapfile -t silos < <(known_silos)
    if ((${#silos[@]} == 0)); then
        log "no silos (start them with: cluster.sh start [N])"
    else
        printf '%-9s %-8s %-22s %-24s %s\n' NAME PID STATE GATEWAY CLUSTER-ENDPOINT
        for i in "${silos[@]}"; do
            if pid="$(silo_pid "$i")"; then
                if silo_ready "$i"; then state="ready"; else state="running, not ready"; fi
            else
                pid="-"
                state="$(stopped_state "$i")"
            fi
            printf '%-9s %-8s %-22s %-24s %s\n' "silo-$i" "$pid" "$state" "$(gateway_url "$i")" "$(cluster_endpoint "$i")"
        done
    fi
    conn="$(strip_password "$(connection_string)")"
    if external_postgres; then
        echo "PostgreSQL: $conn (GRID_LOCAL_POSTGRES, not managed here)"
    elif load_pg_location 2>/dev/null; then
        if pg_running; then state="running"; else state="stopped"; fi
        echo "PostgreSQL: $conn ($state, data in $PG_DIR)"
    else
        echo "PostgreSQL: none started yet (will be $conn)"
    fi
}

cmd_admin_key() {
    admin_key || die "no admin key yet: run cluster.sh start (or set GRID_LOCAL_ADMIN_KEY)"
}

cmd_env() {
    local i silos urls=() key
    ensure_secrets
    key="$(admin_key)"
    mapfile -t silos < <(known_silos)
    if ((${#silos[@]} == 0)); then
        for ((i = 1; i <= DEFAULT_SILOS; i++)); do silos+=("$i"); done
    fi
    echo "export GRID_LOCAL_POSTGRES=$(quote "$(connection_string)")"
    echo "export GRID_LOCAL_ADMIN_KEY=$(quote "$key")"
    echo "export GRID_LOCAL_CLUSTER_SECRET=$(quote "$(cluster_secret)")"
    for i in "${silos[@]}"; do
        urls+=("$(gateway_url "$i")")
        echo "export GRID_LOCAL_GATEWAY_$i=$(quote "$(gateway_url "$i")")"
    done
    echo "export GRID_LOCAL_GATEWAYS=$(quote "${urls[*]}")"
}

cmd_clean() {
    local pg_dir=""
    cmd_stop
    if load_pg_location; then pg_dir="$PG_DIR"; fi
    if [[ -n "$pg_dir" && "$pg_dir" != "$RUN_DIR"/* && -d "$pg_dir" ]]; then
        rm -rf "$pg_dir"
        log "removed $pg_dir"
    fi
    rm -rf "$RUN_DIR"
    log "removed ${RUN_DIR#"$REPO_ROOT"/}"
}

main() {
    local cmd=${1:-}
    shift || true
    case "$cmd" in
        start) cmd_start "$@" ;;
        stop) cmd_stop "$@" ;;
        kill) cmd_kill "$@" ;;
        restart) cmd_restart "$@" ;;
        status) cmd_status ;;
        admin-key) cmd_admin_key ;;
        env) cmd_env ;;
        clean) cmd_clean ;;
        -h | --help | help) usage ;;
        *)
            usage >&2
            exit 2
            ;;
    esac
}

main "$@"
