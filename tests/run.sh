#!/usr/bin/env bash
# The project's one test command (DESIGN.md section 9); .ci/run calls it.
#
#   bash tests/run.sh [dotnet test args...]   provision services, build, run every test project
#   bash tests/run.sh --exec CMD [ARGS...]    provision services, run CMD inside them (e.g. a
#                                             benchmark), tear down; no build, no summary
#
# It works on a bare Debian 12 machine that has only the .NET SDK and node/npm, as root, in CI
# (CI=true, no stdin, fresh clone): it installs what the tests need from Debian packages and npm,
# starts a throwaway PostgreSQL, runs `dotnet test` with TRX loggers, then the JavaScript client's tests
# (`node --test` in clients/js, against the silo just built) and prints, as the very last line,
# `N passed, N failed, N skipped` summed over all test projects and the node tests.
#
# Environment the tests see (exported below):
#   GRID_TEST_POSTGRES  Npgsql connection string. If already set by the caller, that server is used
#                       and nothing below about PostgreSQL is provisioned or exported.
#   GRID_TEST_PG_BIN    PostgreSQL 15 server binaries (/usr/lib/postgresql/15/bin).
#   GRID_TEST_PGDATA    data directory of the throwaway cluster, so outage tests can stop/start it.
#   GRID_TEST_PG_USER   OS user owning that cluster; pg_ctl refuses to run as root, so as root run
#                       it through GRID_TEST_PG_CTL instead of calling pg_ctl directly.
#   GRID_TEST_PG_CTL    a generated script: `$GRID_TEST_PG_CTL stop|start|restart|status [-m fast|immediate]`
#                       runs pg_ctl on that cluster as its owner, waits, and logs to the same file;
#                       port, socket dir and settings live in the cluster's config, so a restart
#                       comes back on the same port.
#   GRID_TEST_ORACLES   tests/oracles, whose node_modules holds the npm oracles (anvil, ethers, ...).
#   GRID_SILO_DLL       (node tests only) the Release silo the clients/js tests start.
#
# Knobs for people (not needed in CI):
#   GRID_TEST_SOLUTION  solution or project to test instead of Grid.sln.
#   GRID_TEST_HANG_TIMEOUT  per-test inactivity limit for --blame-hang-timeout (default 10m).
#
# Results (TRX, the node tests' TAP, blame sequence files, the PostgreSQL log) go to tests/.results/, which is gitignored
# and wiped at the start of every run.
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO_ROOT"

export DOTNET_CLI_TELEMETRY_OPTOUT=1
export DOTNET_NOLOGO=1
export DOTNET_CLI_WORKLOAD_UPDATE_NOTIFY_DISABLE=1
export DOTNET_GENERATE_ASPNET_CERTIFICATE=false
export NUGET_XMLDOC_MODE=skip
export NPM_CONFIG_UPDATE_NOTIFIER=false
export DEBIAN_FRONTEND=noninteractive
if [[ "${CI:-}" == "true" ]]; then
    # Leftover MSBuild worker nodes would outlive the run on a CI machine.
    export MSBUILDDISABLENODEREUSE=1
fi

readonly RESULTS_DIR="$REPO_ROOT/tests/.results"
readonly ORACLES_DIR="$REPO_ROOT/tests/oracles"
readonly PG_VERSION=15
readonly PG_BIN="/usr/lib/postgresql/$PG_VERSION/bin"
readonly PG_PORT_BASE=55432
readonly PG_OS_USER_DEFAULT=gridtest
# A test project that drives Debian's Chromium; Chromium is installed only when it exists.
readonly BROWSER_TESTS_DIR="$REPO_ROOT/tests/Grid.Browser.Tests"
# The JavaScript client, tested with node's own runner after the .NET tests.
readonly JS_CLIENT_DIR="$REPO_ROOT/clients/js"
readonly JS_TAP="$RESULTS_DIR/js-client.tap"

MODE="test"               # "test" or "exec"
PG_TMP=""                 # temp dir of our own cluster; empty when none was started
PG_DATA="" PG_LOG="" PG_OS_USER="" PG_PORT=""
APT_UPDATED=""
# Summary state, printed by the EXIT trap so it is the last line whatever happened.
PASSED=0 FAILED=0 SKIPPED=0 PROVISIONED=""

log() { printf '[run.sh] %s\n' "$*"; }

# ---------------------------------------------------------------- apt

need_root() {
    if [[ $EUID -ne 0 ]]; then
        log "need root to $1; run as root or install it yourself"
        return 1
    fi
}

# One `apt-get update` per run, shared by every install below.
apt_update_once() {
    if [[ -z "$APT_UPDATED" ]]; then
        log "apt-get update"
        apt-get update -o DPkg::Lock::Timeout=300
        APT_UPDATED=1
    fi
}

apt_install() {
    need_root "apt-get install $*"
    apt_update_once
    log "apt-get install $*"
    # --force-confold: an existing config file must never turn into a question.
    apt-get install -y --no-install-recommends \
        -o DPkg::Lock::Timeout=300 \
        -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold \
        "$@"
}

# ---------------------------------------------------------------- PostgreSQL

install_postgres_packages() {
    # postgresql-common first, told not to create a 'main' cluster: the server package's
    # postinst would otherwise create one and start it on 5432 (we never use it), and a
    # failed start there fails the whole install.
    apt_install postgresql-common
    sed -ri 's/^#?[[:space:]]*create_main_cluster[[:space:]]*=.*/create_main_cluster = false/' \
        /etc/postgresql-common/createcluster.conf
    apt_install "postgresql-$PG_VERSION"
}

# Runs a command as the cluster's owner: PostgreSQL refuses to run as root. From / so that
# the unprivileged user never starts in a directory it cannot read.
as_pg_user() {
    if [[ $EUID -eq 0 ]]; then
        (cd / && runuser -u "$PG_OS_USER" -- "$@")
    else
        "$@"
    fi
}

ensure_pg_os_user() {
    if [[ $EUID -ne 0 ]]; then
        PG_OS_USER="$(id -un)"
        return
    fi
    PG_OS_USER="${GRID_TEST_PG_USER:-$PG_OS_USER_DEFAULT}"
    if ! id -u "$PG_OS_USER" >/dev/null 2>&1; then
        log "creating system user $PG_OS_USER to own the test cluster"
        # `|| id` tolerates a concurrent run creating the same user first.
        useradd --system --user-group --no-create-home --home-dir /nonexistent \
            --shell /usr/sbin/nologin "$PG_OS_USER" || id -u "$PG_OS_USER" >/dev/null
    fi
}

# True if something already accepts connections on 127.0.0.1:$1.
port_in_use() {
    timeout 2 bash -c "exec 3<>/dev/tcp/127.0.0.1/$1" 2>/dev/null
}

next_free_port() {
    local port=$1
    while port_in_use "$port"; do
        port=$((port + 1))
        if ((port > PG_PORT_BASE + 500)); then
            log "no free port in $PG_PORT_BASE..$port"
            return 1
        fi
    done
    echo "$port"
}

# All settings live in the cluster's own config (not pg_ctl -o), so a test that restarts
# the server with plain `pg_ctl start` gets the same port and socket.
write_pg_conf() {
    local port=$1
    cat >"$PG_DATA/grid_test.conf" <<EOF
# Written by tests/run.sh for a throwaway test cluster.
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$PG_TMP/socket'
max_connections = 300
# Durable commits: the ledger tests and benchmarks rely on them, so never turn these off.
fsync = on
synchronous_commit = on
full_page_writes = on
EOF
    chown "$PG_OS_USER" "$PG_DATA/grid_test.conf"
}

# The helper tests call to stop/start the server (see GRID_TEST_PG_CTL above).
# shellcheck disable=SC2016 # the $-expressions belong to the generated script
write_pg_ctl_wrapper() {
    local wrapper="$PG_TMP/pg_ctl"
    {
        echo '#!/usr/bin/env bash'
        echo '# Generated by tests/run.sh: pg_ctl on the test cluster, run as its owner.'
        echo 'set -euo pipefail'
        printf 'cmd=(%q -D %q -l %q -w -t 60 "$@")\n' "$PG_BIN/pg_ctl" "$PG_DATA" "$PG_LOG"
        printf 'if [[ $EUID -eq 0 ]]; then cd / && exec runuser -u %q -- "${cmd[@]}"; fi\n' "$PG_OS_USER"
        echo 'exec "${cmd[@]}"'
    } >"$wrapper"
    chmod 755 "$wrapper"
}

start_postgres() {
    local port=$PG_PORT_BASE attempt
    # A few attempts: another process may grab the port between the check and the bind.
    for attempt in 1 2 3 4 5; do
        port="$(next_free_port "$port")"
        write_pg_conf "$port"
        if as_pg_user "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$PG_LOG" -w -t 60 start >/dev/null; then
            PG_PORT=$port
            return 0
        fi
        log "PostgreSQL did not start on port $port (attempt $attempt); end of its log:"
        tail -n 20 "$PG_LOG" || true
        port=$((port + 1))
    done
    return 1
}

wait_pg_ready() {
    local _
    for _ in $(seq 1 60); do
        if "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT" -U postgres -t 2; then
            return 0
        fi
        sleep 1
    done
    log "PostgreSQL on port $PG_PORT never became ready"
    return 1
}

provision_postgres() {
    if [[ -n "${GRID_TEST_POSTGRES:-}" ]]; then
        log "using GRID_TEST_POSTGRES from the environment"
        return 0
    fi
    if [[ ! -x "$PG_BIN/postgres" ]]; then
        install_postgres_packages
    fi
    ensure_pg_os_user

    # /tmp explicitly: the unprivileged owner must be able to reach the directory, which a
    # TMPDIR under /root would forbid.
    PG_TMP="$(mktemp -d /tmp/grid-pg.XXXXXXXX)"
    PG_DATA="$PG_TMP/data"
    PG_LOG="$PG_TMP/postgres.log"
    mkdir -p "$PG_TMP/socket"
    touch "$PG_LOG"
    chown -R "$PG_OS_USER" "$PG_TMP"

    log "initdb in $PG_DATA (owner $PG_OS_USER)"
    # --no-locale: the machine may have no generated locales; UTF8 is what the app stores.
    as_pg_user "$PG_BIN/initdb" -D "$PG_DATA" --auth=trust -U postgres \
        --encoding=UTF8 --no-locale >"$PG_TMP/initdb.log" 2>&1 || {
        cat "$PG_TMP/initdb.log"
        return 1
    }
    echo "include = 'grid_test.conf'" >>"$PG_DATA/postgresql.conf"

    start_postgres
    wait_pg_ready
    write_pg_ctl_wrapper
    log "PostgreSQL $PG_VERSION ready on 127.0.0.1:$PG_PORT"

    export GRID_TEST_POSTGRES="Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=postgres;Pooling=true"
    export GRID_TEST_PG_BIN="$PG_BIN"
    export GRID_TEST_PGDATA="$PG_DATA"
    export GRID_TEST_PG_USER="$PG_OS_USER"
    export GRID_TEST_PG_CTL="$PG_TMP/pg_ctl"
}

# Stops our cluster however it was left (running, stopped by a test, half started) and
# removes its directory. Keeps the server log with the results for post-mortems.
stop_postgres() {
    [[ -n "$PG_TMP" && -d "$PG_TMP" ]] || return 0
    if [[ -f "$PG_DATA/postmaster.pid" ]]; then
        as_pg_user "$PG_BIN/pg_ctl" -D "$PG_DATA" -m fast -w -t 30 stop ||
            as_pg_user "$PG_BIN/pg_ctl" -D "$PG_DATA" -m immediate -w -t 10 stop || true
        if [[ -f "$PG_DATA/postmaster.pid" ]]; then
            # Last resort, and only if that pid still is our postmaster (a stale pid file
            # may name some other process by now).
            local pid
            pid="$(head -n 1 "$PG_DATA/postmaster.pid")"
            if [[ "$pid" =~ ^[0-9]+$ ]] &&
                [[ "$(cat "/proc/$pid/comm" 2>/dev/null)" == postgres ]] &&
                [[ "$(stat -c %U "/proc/$pid" 2>/dev/null)" == "$PG_OS_USER" ]]; then
                kill -KILL "$pid" || true
            fi
        fi
    fi
    if [[ -d "$RESULTS_DIR" && -f "$PG_LOG" ]]; then
        cp "$PG_LOG" "$RESULTS_DIR/postgres.log" || true
    fi
    rm -rf "$PG_TMP"
    PG_TMP=""
}

# ---------------------------------------------------------------- Chromium, npm oracles

provision_chromium() {
    # Browser tests use Debian's /usr/bin/chromium, never a downloaded browser.
    if [[ ! -d "$BROWSER_TESTS_DIR" ]]; then
        log "no tests/Grid.Browser.Tests: Chromium not needed"
        return 0
    fi
    if [[ ! -x /usr/bin/chromium ]]; then
        # fonts-liberation: readable text in screenshots without chromium's other recommends.
        apt_install chromium fonts-liberation
    fi
}

# The oracles (stripe, the Anvil package) and clients/js need node 20 or later, as machines of this kind have it.
require_node() {
    local major
    if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
        log "node and npm are needed (node 20 or later) for the npm oracles and the clients/js tests; install them first"
        return 1
    fi
    major="$(node -p 'process.versions.node.split(".")[0]')"
    if ((major < 20)); then
        log "node $(node --version) is too old: the npm oracles and clients/js need node 20 or later"
        return 1
    fi
}

provision_oracles() {
    export GRID_TEST_ORACLES="$ORACLES_DIR"
    if [[ ! -f "$ORACLES_DIR/package.json" ]]; then
        log "no tests/oracles/package.json: no npm oracles"
        return 0
    fi
    require_node
    log "npm ci in tests/oracles"
    (cd "$ORACLES_DIR" && npm ci --no-audit --no-fund)
}

# ---------------------------------------------------------------- dotnet test and summary

BUILD_RC=0 TEST_RC=0 TRX_COUNT=0 EMPTY_TRX=0 EXPECTED_TRX=0 ABORTED_RUNS=0 JS_RC=0 JS_RAN=
CHILD_PGID=""             # process group of the running dotnet command, if any

# Runs a command in a process group of its own and waits for it. Waiting on a background job
# lets a signal reach our trap at once, and the group lets on_exit end the whole tree:
# vstest keeps running through Ctrl-C while a test hangs, and killing only `dotnet` would
# orphan vstest.console and the test host.
run_in_group() {
    local rc=0
    # Job control puts the job in a process group of its own ($! is the group id). Unlike a plain
    # `cmd &`, it also leaves SIGINT and SIGQUIT at their defaults: without job control bash starts
    # background commands with them ignored, every child inherits that, and the silo tests that
    # press Ctrl+C (SIGINT) on a child silo would wait forever.
    set -m
    "$@" &
    CHILD_PGID=$!
    set +m
    wait "$CHILD_PGID" || rc=$?
    # Whatever the command left in its group (a silo or Anvil a crashed or hang-killed test host started) goes with it.
    kill -KILL -- "-$CHILD_PGID" 2>/dev/null || true
    CHILD_PGID=""
    return "$rc"
}

stop_child_group() {
    [[ -n "$CHILD_PGID" ]] || return 0
    log "stopping dotnet (process group $CHILD_PGID)"
    kill -TERM -- "-$CHILD_PGID" 2>/dev/null || return 0
    for _ in $(seq 1 20); do
        kill -0 -- "-$CHILD_PGID" 2>/dev/null || return 0
        sleep 0.5
    done
    kill -KILL -- "-$CHILD_PGID" 2>/dev/null || true
}

run_dotnet_tests() {
    local solution="${GRID_TEST_SOLUTION:-Grid.sln}"
    if [[ -z "${GRID_TEST_SOLUTION:-}" && $# -eq 0 ]]; then
        # Every test project of the solution must write results with tests in them (see summarize_trx).
        EXPECTED_TRX=$(grep -cE '^Project\(.*\.Tests\.csproj"' Grid.sln || true)
    fi
    log "dotnet build $solution -c Release"
    run_in_group dotnet build "$solution" -c Release || BUILD_RC=$?
    if ((BUILD_RC != 0)); then
        log "build failed (exit $BUILD_RC)"
        return 0
    fi
    log "dotnet test $solution -c Release --no-build"
    # --blame-hang-timeout: a hung test aborts its project instead of hanging CI.
    # The .NET tests are bounded as a whole too (GRID_TEST_TIMEOUT, default 45m): with provisioning and the build before
    # them and the node tests (10 minutes at most) after, a run cut short still stops what it started and prints its
    # summary, where CI's own limit would cut it off silently.
    run_in_group timeout --kill-after=60 "${GRID_TEST_TIMEOUT:-45m}" dotnet test "$solution" -c Release --no-build \
        --results-directory "$RESULTS_DIR" --logger trx \
        --blame-hang-timeout "${GRID_TEST_HANG_TIMEOUT:-10m}" --blame-hang-dump-type none \
        "$@" || TEST_RC=$?
    if ((TEST_RC == 124 || TEST_RC == 137)); then
        log "dotnet test ran past ${GRID_TEST_TIMEOUT:-45m} and was stopped"
    fi
}

# The JavaScript client's tests against the Release silo just built: spec output on the console, TAP
# (whose closing `# pass N`, `# fail N`, `# cancelled N` and its `# SKIP` lines are summed below) to the results.
# Under CI=true the tests fail, never skip, when the silo or Anvil is missing.
run_js_client_tests() {
    if [[ ! -f "$JS_CLIENT_DIR/package.json" ]]; then
        return 0
    fi
    if ((BUILD_RC != 0)); then
        log "build failed: the clients/js tests need the silo, not run"
        return 0
    fi
    export GRID_SILO_DLL="$REPO_ROOT/silo/bin/Release/net10.0/Grid.Silo.dll"
    JS_RAN=1
    log "node --test clients/js (silo $GRID_SILO_DLL)"
    local tests=("$JS_CLIENT_DIR"/test/*.test.js)
    run_in_group timeout 600 node --test \
        --test-reporter=spec --test-reporter-destination=stdout \
        --test-reporter=tap --test-reporter-destination="$JS_TAP" \
        "${tests[@]}" || JS_RC=$?
}

# The last `# NAME N` line of the node tests' TAP, or 0.
tap_count() {
    local value
    value="$(sed -n "s/^# $1 \([0-9][0-9]*\)\$/\1/p" "$JS_TAP" 2>/dev/null | tail -n 1)"
    echo "${value:-0}"
}

summarize_js() {
    [[ -n "$JS_RAN" ]] || return 0
    if [[ ! -s "$JS_TAP" ]]; then
        log "node tests wrote no TAP ($JS_TAP), counted as 1 failure"
        FAILED=$((FAILED + 1))
        return 0
    fi
    local passed failed skipped
    passed=$(tap_count pass)
    failed=$(($(tap_count fail) + $(tap_count cancelled)))
    # Skipped tests and skipped suites (a suite skipped whole lists none of its tests, and node's own
    # `# skipped` count leaves it out) each have one `ok N - name # SKIP` line.
    skipped=$(grep -cE '^ *ok [0-9]+ - .* # SKIP' "$JS_TAP" || true)
    skipped=$((skipped + $(tap_count todo)))
    log "node tests: $passed passed, $failed failed, $skipped skipped"
    PASSED=$((PASSED + passed))
    FAILED=$((FAILED + failed))
    SKIPPED=$((SKIPPED + skipped))
    if ((passed + failed == 0)); then
        log "node tests: none ran, counted as 1 failure"
        FAILED=$((FAILED + 1))
    fi
}

# Prints attribute $1 of the <Counters .../> element $2, or 0.
counter() {
    local value
    value="$(sed -n "s/.*[[:space:]]$1=\"\([0-9][0-9]*\)\".*/\1/p" <<<"$2")"
    echo "${value:-0}"
}

# Sums the counters of every TRX file. A skipped xunit test is in `total` but not `executed`
# (VSTest leaves notExecuted at 0). A run aborted by a hang (--blame-hang-timeout) or a test
# host crash (or a test host that cannot start) records no result for the test that killed it,
# only VSTest's own message, so each such run counts as one failure.
summarize_trx() {
    local f counters total executed
    while IFS= read -r -d '' f; do
        TRX_COUNT=$((TRX_COUNT + 1))
        counters="$(grep -o -m 1 '<Counters [^>]*>' "$f" || true)"
        if [[ -z "$counters" ]]; then
            log "no <Counters> in $f"
            EMPTY_TRX=$((EMPTY_TRX + 1)) # a truncated file: it does not count as a project that reported its tests
            continue
        fi
        total=$(counter total "$counters")
        executed=$(counter executed "$counters")
        if ((total == 0)); then
            EMPTY_TRX=$((EMPTY_TRX + 1)) # a test project whose tests were never found (its adapter failed to load, say)
        fi
        PASSED=$((PASSED + $(counter passed "$counters")))
        FAILED=$((FAILED + $(counter failed "$counters") + $(counter error "$counters") \
            + $(counter timeout "$counters") + $(counter aborted "$counters")))
        if ((total > executed)); then
            SKIPPED=$((SKIPPED + total - executed))
        fi
        if grep -qE 'The active test run was aborted|Testhost process for source.* exited with error' "$f"; then
            log "test run aborted (hung or crashed test host), counted as 1 failure: $f"
            ABORTED_RUNS=$((ABORTED_RUNS + 1))
            FAILED=$((FAILED + 1))
        fi
    done < <(find "$RESULTS_DIR" -name '*.trx' -print0 2>/dev/null)
}

# Returns non-zero, after saying why, unless the run is a clean pass.
verdict() {
    local ok=0
    if ((BUILD_RC != 0)); then log "FAIL: build failed"; ok=1; fi
    if ((BUILD_RC == 0 && TRX_COUNT == 0)); then log "FAIL: no TRX results were written"; ok=1; fi
    if ((BUILD_RC == 0 && EXPECTED_TRX > 0 && TRX_COUNT - EMPTY_TRX < EXPECTED_TRX)); then
        log "FAIL: $EXPECTED_TRX test projects, but only $((TRX_COUNT - EMPTY_TRX)) wrote results with tests in them"; ok=1
    fi
    if ((FAILED > 0)); then log "FAIL: $FAILED failed ($ABORTED_RUNS of them aborted test runs)"; ok=1; fi
    if ((BUILD_RC == 0 && PASSED + FAILED == 0)); then log "FAIL: no test ran"; ok=1; fi
    if ((TEST_RC != 0)); then log "FAIL: dotnet test exited $TEST_RC"; ok=1; fi
    if ((JS_RC != 0)); then log "FAIL: node --test (clients/js) exited $JS_RC"; ok=1; fi
    if ((ok != 0 && FAILED == 0)); then
        FAILED=1 # a failed run never ends on "0 failed" (a build failure, a run stopped before any result)
    fi
    return $ok
}

# ---------------------------------------------------------------- exit handling

cleanup() {
    stop_child_group
    stop_postgres
    if [[ "${CI:-}" == "true" ]]; then
        # The compiler server would otherwise outlive the CI run.
        dotnet build-server shutdown || true
    fi
}

on_exit() {
    local rc=$?
    set +e
    # Cleanup is bounded (timeouts everywhere); a second Ctrl-C must not cut it short.
    trap - EXIT
    trap '' INT TERM HUP
    # Quiet, so the summary stays the very last line; kept with the results for debugging.
    if [[ -d "$RESULTS_DIR" ]]; then
        cleanup >>"$RESULTS_DIR/cleanup.log" 2>&1
    else
        cleanup >/dev/null 2>&1
    fi
    if [[ "$MODE" == test ]]; then
        if ((rc != 0)) && [[ -z "$PROVISIONED" ]]; then
            log "FAIL: stopped while provisioning (exit $rc)"
        fi
        if ((rc != 0 && FAILED == 0)); then
            FAILED=1
        fi
        echo "$PASSED passed, $FAILED failed, $SKIPPED skipped"
    fi
    exit "$rc"
}

main() {
    if [[ "${1:-}" == "--exec" ]]; then
        MODE="exec"
        shift
        if (($# == 0)); then
            log "usage: tests/run.sh --exec CMD [ARGS...]"
            exit 2
        fi
        # Keep the caller's stdin (fd 3) for CMD only, e.g. an interactive psql.
        exec 3<&0
    fi
    # Never wait on a terminal or an open pipe: CI has no stdin and nothing here may prompt.
    exec </dev/null

    rm -rf "$RESULTS_DIR"
    mkdir -p "$RESULTS_DIR"
    trap on_exit EXIT
    # Turn signals into a normal exit so the EXIT trap stops PostgreSQL.
    trap 'exit 130' INT
    trap 'exit 143' TERM
    trap 'exit 129' HUP

    provision_postgres
    provision_chromium
    provision_oracles
    PROVISIONED=1

    if [[ "$MODE" == exec ]]; then
        local rc=0
        "$@" <&3 3<&- || rc=$?
        exit "$rc"
    fi

    run_dotnet_tests "$@"
    run_js_client_tests
    summarize_trx
    summarize_js
    verdict
}

main "$@"
