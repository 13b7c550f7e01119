# Stratus developer entry points. `make up` and `make test` work on a fresh
# Debian 12 machine with the Swift toolchain installed.

SHELL := /bin/bash
.DEFAULT_GOAL := up

# The Swift toolchain may be installed at /opt/swift without being on PATH.
ifeq ($(shell command -v swift 2>/dev/null),)
export PATH := /opt/swift/usr/bin:$(PATH)
endif
SWIFT ?= swift

PORT ?= 8000

# Debian packages that the build, the tests and the benchmark need. nginx is
# the benchmark baseline and the tests' upstream server (it must support
# `return` and `proxy_pass`), wrk generates load, and golang-go builds the Go
# baseline server. etcd-server is the store peer that the store conformance
# suite, bench/store and bench/registry start, libsqlite3-dev backs the
# embedded store, golang-etcd-server-dev holds etcd's Go client, which
# bench/store drives etcd with, and libyaml-dev parses StratusKit's
# configuration files. haproxy is bench/gateway's second proxy baseline.
DEB_PACKAGES := nginx wrk golang-go python3 python3-venv prometheus etcd-server libsqlite3-dev golang-etcd-server-dev libyaml-dev haproxy

# PyPI packages that test scripts import, installed into a virtual
# environment so that Debian's system Python stays untouched (PEP 668).
# etcd3gw is the etcd gateway client that the control plane's
# compatibility test drives against etcd and the control plane, and
# openapi-spec-validator checks the control plane's /openapi.json.
PIP_PACKAGES := opentelemetry-proto protobuf etcd3gw openapi-spec-validator
PYTHON_ENV := .build/python

# apt-get needs root: use sudo when running as another user.
SUDO := $(if $(filter 0,$(shell id -u)),,$(shell command -v sudo 2>/dev/null))

.PHONY: bootstrap bootstrap-packages bootstrap-python build up test bench bench-store bench-registry bench-gateway fuzz clean

bootstrap: bootstrap-packages bootstrap-python

# Creates the test scripts' Python environment and installs PIP_PACKAGES
# when an import of them fails.
bootstrap-python: bootstrap-packages
	@test -x $(PYTHON_ENV)/bin/python || python3 -m venv $(PYTHON_ENV)
	@if $(PYTHON_ENV)/bin/python -c "import opentelemetry.proto.trace.v1.trace_pb2, google.protobuf.json_format, etcd3gw, openapi_spec_validator" 2>/dev/null; then \
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

build:
	$(SWIFT) build -c release

up: bootstrap build
	@echo "stratus-hello: starting on http://127.0.0.1:$(PORT)/ (Ctrl-C stops it)"
	.build/release/stratus-hello --port $(PORT)

test: bootstrap
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build --parallel

bench: bootstrap
	bench/http/run

# The embedded store and etcd side by side; see BENCHMARKS.md.
bench-store: bootstrap
	bench/store/run

# The service registry over the embedded store and over etcd side by side;
# see BENCHMARKS.md.
bench-registry: bootstrap
	bench/registry/run

# stratus gateway beside nginx and HAProxy in front of one upstream; see
# BENCHMARKS.md.
bench-gateway: bootstrap
	bench/gateway/run

# Builds the request-parser fuzz target with libFuzzer and runs it for
# FUZZ_SECONDS (default 60); see docs/fuzzing.md.
fuzz:
	Fuzz/run

clean:
	rm -rf .build bench/http/hello-go
