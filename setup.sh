#!/usr/bin/env bash
# QueueLab set-up on Debian 12, as root: installs what is missing (apt), builds, then
#   bash setup.sh run     starts the main job (see README.md)
#   bash setup.sh test    builds and passes every test, plain and under ASan + UBSan
#   bash setup.sh bench   builds optimised and runs the benchmarks
#   bash setup.sh build   installs and builds only
# Build folders: build/ (RelWithDebInfo) and build-asan/ (sanitizers).
set -euo pipefail
cd "$(dirname "$0")"
mode=${1:-run}
jobs=${QL_JOBS:-$(nproc)}

packages=(cmake ninja-build g++ pkg-config qt6-base-dev libqcustomplot-dev qt6-svg-dev
          xvfb xauth librabbitmq-dev rabbitmq-server amqp-tools python3-pika)

install_deps() {
    local missing=()
    for p in "${packages[@]}"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
    done
    if ((${#missing[@]})); then
        echo "setup: installing ${missing[*]}"
        if [[ $(id -u) -ne 0 ]]; then
            echo "setup: run as root (or install these packages first): ${missing[*]}" >&2
            exit 2
        fi
        export DEBIAN_FRONTEND=noninteractive
        apt-get -o DPkg::Lock::Timeout=600 update -q
        apt-get -o DPkg::Lock::Timeout=600 install -y -q --no-install-recommends "${missing[@]}"
    fi
}

configure_build() { # dir, extra cmake args...
    local dir=$1; shift
    cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" >/dev/null
    cmake --build "$dir" -j "$jobs"
}

install_deps
case "$mode" in
build)
    configure_build build
    ;;
run)
    # The workbench on the hello example, simulated on the embedded engine. Without a display
    # (a server, CI) it runs on Xvfb and saves what the window showed as build/queuelab.png.
    configure_build build -DQUEUELAB_BUILD_TESTS=OFF -DQUEUELAB_BUILD_BENCH=OFF
    if [[ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]]; then
        exec ./build/app/queuelab scenarios/hello.json --run
    fi
    echo "setup: no display; running the window on Xvfb and saving it as build/queuelab.png"
    xvfb-run -a ./build/app/queuelab scenarios/hello.json --run --screenshot build/queuelab.png --after 6000
    ./build/app/queuelab-cli run scenarios/hello.json
    ;;
test)
    configure_build build -DQUEUELAB_WERROR=ON
    # The AMQP tests run against a private RabbitMQ on a loopback port (.ci/rabbitmq.sh),
    # started here for both test runs and stopped on every way out, failures included.
    # tst_live_amqp starts (and kills) a second node in "$QL_RABBITMQ_DIR-second".
    amqp_port=${QL_RABBITMQ_PORT:-$(bash .ci/rabbitmq.sh free-port)}
    export QL_RABBITMQ_PORT=$amqp_port QL_RABBITMQ_DIR=${QL_RABBITMQ_DIR:-${TMPDIR:-/tmp}/queuelab-rabbitmq-$amqp_port}
    export QUEUELAB_AMQP_URI=amqp://guest:guest@127.0.0.1:$amqp_port/
    trap 'bash .ci/rabbitmq.sh --dir "$QL_RABBITMQ_DIR-second" stop; bash .ci/rabbitmq.sh stop' EXIT
    trap 'exit 130' INT TERM
    bash .ci/rabbitmq.sh start >/dev/null
    ctest --test-dir build --output-on-failure -j "$jobs"
    configure_build build-asan -DQUEUELAB_SANITIZE=ON -DQUEUELAB_BUILD_BENCH=OFF -DQUEUELAB_WERROR=ON
    ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
        ctest --test-dir build-asan --output-on-failure -j "$jobs"
    ;;
bench)
    configure_build build -DQUEUELAB_BUILD_TESTS=OFF
    cmake --build build --target bench
    ;;
*)
    echo "usage: bash setup.sh [run|test|bench|build]" >&2
    exit 2
    ;;
esac
