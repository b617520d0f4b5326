"""deploy/: the compose file against the Compose Specification, the Kubernetes manifests against the
Kubernetes schemas, and the nginx site (as compose fills it in) through nginx's own check."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import yaml

from tests.servers import NGINX_TEMPLATE, nginx_in_front

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = ROOT / "deploy" / "docker-compose.yml"
MANIFESTS = sorted((ROOT / "deploy" / "k8s").glob("*.yaml"))
BIN = Path(sys.executable).parent


def test_the_compose_file_follows_the_compose_specification():
    checked = subprocess.run(
        [BIN / "check-jsonschema", "--builtin-schema", "vendor.compose-spec", COMPOSE],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_the_compose_topology_is_nginx_two_instances_and_redis():
    compose = yaml.safe_load(COMPOSE.read_text())
    services = compose["services"]
    assert set(services) == {"nginx", "app1", "app2", "redis"}
    for name in ("app1", "app2"):
        env = services[name]["environment"]
        assert env["IMAGE_KERNELS_REDIS_URL"] == "redis://redis:6379/0" and env["IMAGE_KERNELS_PROXY_COUNT"] == "1"
    assert "--appendonly" in services["redis"]["command"] and "allkeys-lru" in services["redis"]["command"]
    placeholders = set(re.findall(r"\$\{(\w+)\}", NGINX_TEMPLATE.read_text()))
    assert placeholders <= set(services["nginx"]["environment"])


def test_the_kubernetes_manifests_follow_the_kubernetes_schemas():
    checked = subprocess.run(
        [BIN / "kubernetes-validate", "--strict", *MANIFESTS], capture_output=True, text=True, timeout=120
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
    kinds = {doc["kind"] for path in MANIFESTS for doc in yaml.safe_load_all(path.read_text())}
    assert {"Deployment", "Service", "HorizontalPodAutoscaler", "PersistentVolumeClaim"} <= kinds
    app = next(
        doc
        for doc in yaml.safe_load_all((ROOT / "deploy" / "k8s" / "app.yaml").read_text())
        if doc["kind"] == "Deployment"
    )
    container = app["spec"]["template"]["spec"]["containers"][0]
    assert container["readinessProbe"]["httpGet"]["path"] == container["livenessProbe"]["httpGet"]["path"] == "/healthz"


def test_nginx_accepts_the_site_and_starts_with_it(tmp_path: Path):
    with nginx_in_front(tmp_path, (1, 2)) as port:  # nothing behind it: only the configuration is exercised
        assert port > 0
