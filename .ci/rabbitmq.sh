#!/usr/bin/env bash
# A private RabbitMQ node for tests and benchmarks: no systemd, no root, nothing shared with
# a system broker. Every path the node writes (database, logs, pid, cookie, crash dump) lives
# under one folder, and it listens on 127.0.0.1 only.
#
#   .ci/rabbitmq.sh [--port P] [--dir D] start     start (no-op if this node already runs)
#   .ci/rabbitmq.sh [--port P] [--dir D] stop      stop (always safe; exit 0 if not running)
#   .ci/rabbitmq.sh [--port P] [--dir D] status    exit 0 and print the URI if it answers
#   .ci/rabbitmq.sh [--port P] [--dir D] kill      SIGKILL the node (a broker crash, for tests)
#   .ci/rabbitmq.sh [--port P] [--dir D] pause     SIGSTOP it (a hung broker, for tests) ...
#   .ci/rabbitmq.sh [--port P] [--dir D] resume    ... and SIGCONT it
#   .ci/rabbitmq.sh [--port P] [--dir D] uri       print amqp://guest:guest@127.0.0.1:P/
#   .ci/rabbitmq.sh [--port P] [--dir D] ctl ARGS  rabbitmqctl ARGS against this node
#   .ci/rabbitmq.sh free-port                     print a port P from 5673 up with P, P+10000
#                                                 and P+20000 all free
#
# --tls-port T (at start) adds an AMQPS listener on 127.0.0.1:T with a certificate for
# "localhost" signed by a throw-away CA made in D/tls (ca.pem is what clients trust).
#
# Defaults: port $QL_RABBITMQ_PORT or 5673 (or, with --dir alone, the port the node in that
# folder was started with); folder $QL_RABBITMQ_DIR or ${TMPDIR:-/tmp}/queuelab-rabbitmq-PORT.
# The Erlang distribution port is PORT + 20000. Two nodes with different ports and folders
# run side by side.
set -euo pipefail

port=
dir=
tls_port=
while (($#)); do
    case "$1" in
    --port) port=$2; shift 2 ;;
    --dir) dir=$2; shift 2 ;;
    --tls-port) tls_port=$2; shift 2 ;;
    *) break ;;
    esac
done
cmd=${1:-status}
(($#)) && shift
if [[ -z $port && -n $dir ]]; then
    if [[ -s $dir/port ]]; then
        port=$(tr -dc 0-9 <"$dir/port")
    elif [[ $cmd == stop || $cmd == kill || $cmd == resume ]]; then
        exit 0 # no node was ever started in that folder: nothing to stop
    fi
fi
port=${port:-${QL_RABBITMQ_PORT:-5673}}
dir=${dir:-${QL_RABBITMQ_DIR:-}}
[[ $port =~ ^[0-9]+$ ]] && ((port > 0 && port + 20000 < 65536)) || {
    echo "rabbitmq.sh: port must be 1..45535 (the distribution port is port + 20000): $port" >&2
    exit 2
}
dir=${dir:-${TMPDIR:-/tmp}/queuelab-rabbitmq-$port}
bin=/usr/lib/rabbitmq/bin # the real scripts; /usr/sbin's wrappers switch to the rabbitmq user

# Everything the server and its CLI tools read or write, pointed into the folder. HOME holds
# the Erlang cookie that server and CLI must share; it must exist before any CLI call.
export HOME=$dir
export RABBITMQ_NODENAME=ql$port@localhost
export RABBITMQ_NODE_IP_ADDRESS=127.0.0.1
export RABBITMQ_NODE_PORT=$port
export RABBITMQ_DIST_PORT=$((port + 20000))
export RABBITMQ_MNESIA_BASE=$dir/mnesia
export RABBITMQ_LOG_BASE=$dir/log
export RABBITMQ_PID_FILE=$dir/rabbitmq.pid
export RABBITMQ_ENABLED_PLUGINS_FILE=$dir/enabled_plugins
export RABBITMQ_CONFIG_FILE=$dir/rabbitmq.conf
export RABBITMQ_ADVANCED_CONFIG_FILE=$dir/advanced.config
export RABBITMQ_CONF_ENV_FILE=$dir/rabbitmq-env.conf
export ERL_CRASH_DUMP=$dir/erl_crash.dump
# Loopback only, for the Erlang distribution port and for an epmd this node starts.
export RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}"
export ERL_EPMD_ADDRESS=127.0.0.1
export RABBITMQ_CTL_ERL_ARGS=${RABBITMQ_CTL_ERL_ARGS:-}

say() { echo "rabbitmq.sh: $*" >&2; }
uri() { echo "amqp://guest:guest@127.0.0.1:$port/"; }
# A CLI call costs 1.5-2.5 s (it boots an Erlang VM), so ask only a node whose process lives.
# A node that lost its pid file (a second start deletes it) still owns the AMQP port: ask it too.
# check_running, not ping: ping answers while the node still boots the rabbit application.
rawRunning() { [[ -d $dir ]] && timeout 20 "$bin/rabbitmq-diagnostics" -q check_running >/dev/null 2>&1; }
running() { { alive || portBusy "$port"; } && rawRunning; }
portBusy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
# The node's OS pid, only if that process really is this node (a stale pid file could name
# an unrelated process by now).
osPid() {
    local p
    [[ -s $RABBITMQ_PID_FILE ]] || return 1
    p=$(tr -dc 0-9 <"$RABBITMQ_PID_FILE")
    # beam's arguments carry "-home DIR" (the node name travels in the environment).
    [[ -n $p ]] && tr '\0' '\n' <"/proc/$p/cmdline" 2>/dev/null | grep -qxF -- "$dir" && echo "$p"
}
alive() { local p; p=$(osPid) && [[ -n $p ]] && kill -0 "$p" 2>/dev/null; }

start() {
    if alive; then
        # Up or still booting (another start under way): wait for it to be ready.
        if timeout 90 "$bin/rabbitmqctl" wait --timeout 60 "$RABBITMQ_PID_FILE" >/dev/null 2>&1; then
            uri
            return 0
        fi
        say "node in $dir runs but does not answer; killing it"
        killNode
    elif portBusy "$port" && rawRunning; then # running, but its pid file was lost
        uri
        return 0
    fi
    for p in "$port" "$((port + 20000))" $tls_port; do
        if portBusy "$p"; then
            say "127.0.0.1:$p is in use by another program; choose another port with --port"
            return 1
        fi
    done
    mkdir -p "$dir/log"
    echo "$port" >"$dir/port"
    rm -rf "$dir/mnesia" # a fresh node each time: no queues left from an earlier run
    printf '[].\n' >"$RABBITMQ_ENABLED_PLUGINS_FILE"
    printf '[].\n' >"$RABBITMQ_ADVANCED_CONFIG_FILE"
    : >"$RABBITMQ_CONF_ENV_FILE"
    # No listeners.tcp.default here: it would override the loopback address above.
    cat >"$RABBITMQ_CONFIG_FILE" <<EOF
log.console = false
log.file.level = warning
disk_free_limit.absolute = 50MB
EOF
    if [[ -n $tls_port ]]; then
        makeCertificates || { say "could not make TLS certificates in $dir/tls"; return 1; }
        cat >>"$RABBITMQ_CONFIG_FILE" <<EOF
listeners.ssl.1 = 127.0.0.1:$tls_port
ssl_options.cacertfile = $dir/tls/ca.pem
ssl_options.certfile = $dir/tls/server.pem
ssl_options.keyfile = $dir/tls/server.key
ssl_options.verify = verify_none
ssl_options.fail_if_no_peer_cert = false
EOF
    fi
    # 9>&-: the node must not inherit (and hold for ever) the folder lock.
    "$bin/rabbitmq-server" -detached >"$dir/log/start.out" 2>&1 9>&- || true
    # wait returns once the rabbit application runs (or fails after ~6 s on a busy port).
    if ! timeout 90 "$bin/rabbitmqctl" wait --timeout 60 "$RABBITMQ_PID_FILE" >>"$dir/log/start.out" 2>&1; then
        say "node ql$port did not start; see $dir/log/"
        tail -n 20 "$dir/log/start.out" >&2 || true
        killNode
        return 1
    fi
    uri
}

makeCertificates() (
    set -e
    mkdir -p "$dir/tls"
    cd "$dir/tls"
    ec=(-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes)
    openssl req -x509 "${ec[@]}" -days 30 -subj "/CN=QueueLab test CA" -keyout ca.key -out ca.pem 2>/dev/null
    openssl req "${ec[@]}" -subj "/CN=localhost" -keyout server.key -out server.csr 2>/dev/null
    printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n' >server.ext
    openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 30 \
        -extfile server.ext -out server.pem 2>/dev/null
    chmod 644 server.key # the broker reads it; the folder is private to this test node
)

killNode() {
    local p
    p=$(osPid) || return 0
    [[ -n $p ]] || return 0
    kill -9 "$p" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
    rm -f "$RABBITMQ_PID_FILE"
}

stop() {
    local p
    if p=$(osPid); then
        kill -CONT "$p" 2>/dev/null || true # a paused node cannot shut down
    fi
    if [[ -d $dir ]] && { alive || portBusy "$port"; }; then
        timeout 60 "$bin/rabbitmqctl" shutdown >/dev/null 2>&1 || true
    fi
    killNode # what shutdown left, or a node that no longer answers
    rm -f "$RABBITMQ_PID_FILE"
    return 0
}

# One start or stop at a time per folder: a second rabbitmq-server launched while the first
# boots fails and deletes the running node's pid file.
lock() {
    mkdir -p "$dir"
    exec 9>"$dir/.lock"
    flock -w 120 9 || { say "another start/stop holds $dir/.lock"; exit 1; }
}

case "$cmd" in
start) lock; start ;;
stop) [[ -d $dir ]] && lock; stop ;;
status)
    if running; then uri; else say "node ql$port (folder $dir) is not running"; exit 1; fi
    ;;
kill) killNode ;;
pause | resume)
    p=$(osPid) || { say "node ql$port (folder $dir) is not running"; exit 1; }
    kill "-$([[ $cmd == pause ]] && echo STOP || echo CONT)" "$p"
    ;;
uri) uri ;;
free-port)
    for ((p = 5673; p < 5773; ++p)); do
        if ! portBusy "$p" && ! portBusy "$((p + 10000))" && ! portBusy "$((p + 20000))"; then
            echo "$p"
            exit 0
        fi
    done
    say "no free port in 5673..5772 (with P+10000 and P+20000 free too)"
    exit 1
    ;;
ctl)
    [[ -d $dir ]] || { say "no node folder $dir"; exit 1; }
    exec timeout 60 "$bin/rabbitmqctl" "$@"
    ;;
*)
    echo "usage: $0 [--port P] [--dir D] [--tls-port T] start|stop|status|kill|pause|resume|uri|free-port|ctl ARGS" >&2
    exit 2
    ;;
esac
