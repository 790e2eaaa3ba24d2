# Thin front for the two commands the README documents: `make demo` and `make test`.
# Everything runs from the pinned virtualenv (.venv, from requirements.txt) with the
# collection linked into a local collections path (.collections), so a plain clone works.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := $(CURDIR)/.venv
BIN := $(VENV)/bin
COLLECTIONS := $(CURDIR)/.collections
COLLECTION_LINK := $(COLLECTIONS)/ansible_collections/stateful/nfs
# ansible-test must run inside .../ansible_collections/<namespace>/<name>/
SANITY_TREE := $(CURDIR)/.tmp/ansible_collections/stateful/nfs

export ANSIBLE_COLLECTIONS_PATH := $(COLLECTIONS)
export ANSIBLE_CONFIG := $(CURDIR)/ansible.cfg
export PATH := $(BIN):$(PATH)

.PHONY: help setup demo test lint sanity units packaging integration bench lab-up lab-down changelog clean fresh-packages bench-tools test-tools lab-hosts-tools lab-hosts-up lab-hosts-down gitops-tools

help:
	@echo "make demo   - set up, start the lab, run the tutorial (playbooks/site.yml) and print the report"
	@echo "make test   - set up, then ansible-lint and Galaxy's import checks, ansible-test sanity, unit, packaging,"
	@echo "              integration and Molecule tests"
	@echo "make bench  - benchmarks on the lab (bench/results/latest.md)"
	@echo "make lab-up / make lab-down - start / stop the lab alone"
	@echo "make lab-hosts-up / make lab-hosts-down - start / stop the lab's separate SSH test hosts (198.51.100.0/24)"

setup: $(VENV)/.installed $(COLLECTION_LINK)

$(VENV)/.installed: requirements.txt
	@echo ">>> creating $(VENV) from requirements.txt"
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --disable-pip-version-check -q -r requirements.txt
	touch $@

$(COLLECTION_LINK):
	mkdir -p $(dir $@)
	ln -sfn ../../.. $@

lab-up: setup lab-hosts-tools
	$(BIN)/ansible-playbook playbooks/lab_up.yml

lab-down: setup
	$(BIN)/ansible-playbook playbooks/lab_down.yml

demo: setup lab-up
	$(BIN)/ansible-playbook -i inventory/lab playbooks/demo.yml

# The benchmarks' shell anchor asks the lab's CoreDNS with dig (Debian's bind9-dnsutils).
bench-tools:
	@command -v dig >/dev/null || { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends bind9-dnsutils; }
	@command -v awk >/dev/null || { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends mawk; }

# The unit tests render the validator's SVG timeline with rsvg-convert (Debian's librsvg2-bin).
test-tools:
	@command -v rsvg-convert >/dev/null || { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends librsvg2-bin; }

# The lab's separate test hosts (roles/lab_hosts) build their Debian root with mmdebstrap (Debian's mmdebstrap).
lab-hosts-tools:
	@command -v mmdebstrap >/dev/null || { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends mmdebstrap; }

# The GitOps pipeline's test (tests/integration/test_gitops_pipeline.py) runs extensions/gitops/.gitlab-ci.yml with
# gitlab-ci-local (npm; 4.60.x runs on Node 18 and 20, later lines need a newer Node), installed into .tools/ with
# npm (Debian's nodejs and npm when the machine has none), and rsync, which it copies the repository with (Debian's rsync).
GITLAB_CI_LOCAL_VERSION := 4.60.1
GITLAB_CI_LOCAL_STAMP := $(CURDIR)/.tools/gitlab-ci-local/.installed-$(GITLAB_CI_LOCAL_VERSION)

gitops-tools: $(GITLAB_CI_LOCAL_STAMP)
	@command -v rsync >/dev/null || { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends rsync; }

$(GITLAB_CI_LOCAL_STAMP):
	@command -v npm >/dev/null || { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends nodejs npm; }
	npm install --no-audit --no-fund --prefix $(CURDIR)/.tools/gitlab-ci-local gitlab-ci-local@$(GITLAB_CI_LOCAL_VERSION)
	touch $@

# make lint checks the GitHub Actions workflow of extensions/gitops/github (which no test runs; docs/gitops.md) with
# actionlint, built from its Go module into .tools/go/bin (shellcheck, which it runs on the steps, is in .venv).
ACTIONLINT_VERSION := v1.7.12
ACTIONLINT := $(CURDIR)/.tools/go/bin/actionlint
ACTIONLINT_STAMP := $(CURDIR)/.tools/go/.actionlint-$(ACTIONLINT_VERSION)

$(ACTIONLINT_STAMP):
	mkdir -p $(dir $@)
	GOBIN=$(CURDIR)/.tools/go/bin go install github.com/rhysd/actionlint/cmd/actionlint@$(ACTIONLINT_VERSION)
	touch $@

lab-hosts-up: setup lab-hosts-tools
	$(BIN)/ansible-playbook playbooks/lab_hosts.yml -e lab_hosts_state=present

lab-hosts-down: setup
	$(BIN)/ansible-playbook playbooks/lab_hosts.yml -e lab_hosts_state=absent

bench: setup lab-up bench-tools
	$(BIN)/python bench/run.py

# ansible-lint (offline) puts $$ANSIBLE_HOME/collections (~/.ansible/collections) first in the collection
# path, so a stateful.nfs installed there from a tarball would be linted instead of this clone: give it
# a home of its own.
# Then Galaxy's import checks on the built tarball, offline (tests/packaging/collection_build.py).
lint: setup $(ACTIONLINT_STAMP)
	ANSIBLE_HOME=$(CURDIR)/.tmp/ansible-home $(BIN)/ansible-lint
	$(ACTIONLINT) extensions/gitops/github/.github/workflows/*.yml
	$(BIN)/python tests/packaging/collection_build.py

sanity: setup
	bash tests/sanity/run.sh "$(SANITY_TREE)"

units: setup test-tools
	$(BIN)/pytest tests/unit

# the collection tarball and the execution environment's build context (ansible-builder create)
packaging: setup
	$(BIN)/pytest tests/packaging

integration: setup lab-hosts-tools gitops-tools
	$(BIN)/pytest tests/integration

test: lint sanity units packaging integration

# CI runs this before `make test` (.ci/run with CI=true): purge the packages the NFS roles install, so that
# every run starts from a fresh machine for them and the roles and tests must install what they use.
fresh-packages: setup
	$(BIN)/python tests/fresh_packages.py

changelog: setup
	$(BIN)/antsibull-changelog lint

clean:
	rm -rf .tmp tests/output .pytest_cache
