"""Checks rendered Kubernetes manifests and Dockerfiles with the tools that
`make bootstrap` installs into the test environment.

    check_kubernetes.py manifests VERSION[,VERSION...] FILE...
        kubernetes-validate --strict against each Kubernetes version; files
        of kinds without a schema (Kustomization, Prometheus Operator
        resources) are skipped with the tool's warning.
    check_kubernetes.py dockerfile FILE
        hadolint, failing on any warning.
"""
import os
import subprocess
import sys

BIN = os.path.dirname(sys.executable)


def run(command):
    result = subprocess.run(command, capture_output=True, text=True)
    sys.stdout.write(result.stdout)
    sys.stderr.write(result.stderr)
    return result.returncode


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    mode = sys.argv[1]
    if mode == "manifests":
        status = 0
        for version in sys.argv[2].split(","):
            status |= run([os.path.join(BIN, "kubernetes-validate"), "--strict", "--quiet", "-k", version] + sys.argv[3:])
        sys.exit(status)
    if mode == "dockerfile":
        sys.exit(run([os.path.join(BIN, "hadolint"), "--failure-threshold", "style", sys.argv[2]]))
    sys.exit("unknown mode %r; expected manifests or dockerfile" % mode)


if __name__ == "__main__":
    main()
