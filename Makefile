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
# baseline server.
DEB_PACKAGES := nginx wrk golang-go python3

# apt-get needs root: use sudo when running as another user.
SUDO := $(if $(filter 0,$(shell id -u)),,$(shell command -v sudo 2>/dev/null))

.PHONY: bootstrap build up test bench fuzz clean

bootstrap:
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

# TODO: build and run the request-parser fuzz target once it exists.
fuzz:
	@echo "fuzz: the request-parser fuzz target is not yet available" >&2
	@exit 1

clean:
	rm -rf .build bench/http/hello-go
