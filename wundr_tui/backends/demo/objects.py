"""Whole Kubernetes objects for the demo's detail and YAML views, made up from the simulation's
small models as a real apiserver would answer a GET: a Pod with its containers (image,
resources, probes, env with a ``secretKeyRef``), conditions, container statuses with the last
termination, node, IPs and owner reference; Deployments, Services, HPAs and Nodes.

Deterministic: the same simulated state gives the same object (uids and IPs are hashes of
names). Nothing here keeps state; the fleet calls :func:`full_object` under its lock.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from typing import Any

from wundr_tui.backends.demo.profiles import NAMESPACE, image
from wundr_tui.backends.demo.state import ClusterState
from wundr_tui.model import Deployment, Hpa, Kind, Node, Pod, Service

Obj = dict[str, Any]

TERMINATION_MESSAGES = {
    "setup-toolkit": (
        "toolkit bootstrap failed: migration 0042_toolkit_templates: "
        'relation "toolkit_templates" does not exist (SQLSTATE 42P01)'
    ),
    "analysis-engine": (
        "fatal: cannot load model bundle gs://wundr-models/analysis/v7.bin: "
        "checksum mismatch (expected 9f2c…, got 0000…)"
    ),
}
"""The message the crash-looping workloads write to /dev/termination-log."""


def ts(seconds: float) -> str:
    """RFC 3339, as the apiserver writes times."""
    return datetime.fromtimestamp(seconds, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _hash(*parts: str) -> str:
    return hashlib.blake2b("/".join(parts).encode(), digest_size=16).hexdigest()


def _uid(*parts: str) -> str:
    h = _hash(*parts)
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:32]}"


def _ip(prefix: str, *parts: str) -> str:
    h = bytes.fromhex(_hash(*parts)[:6])
    return f"{prefix}.{h[0] % 64 + 64}.{h[1] % 254 + 1}"


def node_ip(state: ClusterState, name: str) -> str:
    """The node's InternalIP: in its name on EKS (``ip-10-0-12-34``), a hash on GKE."""
    if name.startswith("ip-"):
        return name.split(".")[0][3:].replace("-", ".")
    return _ip("10.128", state.name, name)


def _image(state: ClusterState, workload: str, container: int) -> str:
    """The image the workload's deployment runs now (a rollout changes it), else its own."""
    for dep in state.deployments.values():
        if dep.name == workload and dep.image:
            images = dep.image.split(", ")
            if container < len(images):
                return images[container]
    return image(state.profile.cluster.cloud, workload, container)


def _container_spec(state: ClusterState, workload: str, index: int) -> Obj:
    if index:
        return {
            "name": "log-router" if index == 1 else f"sidecar-{index}",
            "image": _image(state, workload, index),
            "resources": {
                "requests": {"cpu": "50m", "memory": "64Mi"},
                "limits": {"cpu": "200m", "memory": "128Mi"},
            },
            "imagePullPolicy": "IfNotPresent",
            "terminationMessagePath": "/dev/termination-log",
            "terminationMessagePolicy": "File",
        }
    probe = {"httpGet": {"path": "/healthz", "port": 8080, "scheme": "HTTP"}}
    return {
        "name": workload.removesuffix("-blue").removesuffix("-green"),
        "image": _image(state, workload, 0),
        "ports": [{"name": "http", "containerPort": 8080, "protocol": "TCP"}],
        "env": [
            {"name": "LOG_LEVEL", "value": "info"},
            {"name": "ENVIRONMENT", "value": "production"},
            {"name": "DATABASE_HOST", "value": "wundr-postgres.internal"},
            {
                "name": "DATABASE_PASSWORD",
                "valueFrom": {"secretKeyRef": {"name": "wundr-db-credentials", "key": "password"}},
            },
            {
                "name": "POD_NAME",
                "valueFrom": {"fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.name"}},
            },
        ],
        "resources": {
            "requests": {"cpu": "500m", "memory": "512Mi"},
            "limits": {"cpu": "2", "memory": "1Gi"},
        },
        "livenessProbe": {
            **probe,
            "initialDelaySeconds": 15,
            "periodSeconds": 10,
            "timeoutSeconds": 2,
            "failureThreshold": 3,
        },
        "readinessProbe": {
            "httpGet": {"path": "/ready", "port": 8080, "scheme": "HTTP"},
            "periodSeconds": 5,
            "timeoutSeconds": 1,
            "failureThreshold": 3,
        },
        "imagePullPolicy": "IfNotPresent",
        "terminationMessagePath": "/dev/termination-log",
        "terminationMessagePolicy": "FallbackToLogsOnError",
    }


def _managed_fields(manager: str, when: str) -> list[Obj]:
    return [
        {
            "manager": manager,
            "operation": "Update",
            "apiVersion": "v1",
            "time": when,
            "fieldsType": "FieldsV1",
            "fieldsV1": {"f:metadata": {"f:labels": {".": {}}}, "f:spec": {"f:containers": {}}},
        },
        {
            "manager": "kubelet",
            "operation": "Update",
            "apiVersion": "v1",
            "time": when,
            "fieldsType": "FieldsV1",
            "fieldsV1": {"f:status": {"f:conditions": {}, "f:containerStatuses": {}}},
            "subresource": "status",
        },
    ]


def _phase(pod: Pod) -> str:
    if pod.status in ("Pending", "ContainerCreating") or not pod.node:
        return "Pending"
    if pod.status in ("Succeeded", "Completed"):
        return "Succeeded"
    return "Running"


def _container_status(state: ClusterState, pod: Pod, index: int, spec: Obj) -> Obj:
    started = ts(pod.created + 8)
    if pod.status in ("CrashLoopBackOff", "Error"):
        ready = 0 < index <= pod.ready  # the first container is the one crashing
    else:
        ready = index < pod.ready and pod.status == "Running"
    restarts = pod.restarts if index == 0 else 0
    cstate: Obj
    if pod.status in ("Pending", "ContainerCreating") or not pod.node:
        cstate = {"waiting": {"reason": "ContainerCreating"}}
    elif index == 0 and pod.status == "CrashLoopBackOff":
        cstate = {
            "waiting": {
                "reason": "CrashLoopBackOff",
                "message": (
                    f"back-off 40s restarting failed container={spec['name']} "
                    f"pod={pod.name}_{pod.namespace}({_uid(pod.namespace, pod.name)})"
                ),
            }
        }
    elif index == 0 and pod.status == "Error":
        end = state.terminated_at.get(pod.key, (state.now, "Error"))[0]
        cstate = {"terminated": _terminated(pod, end, "Error", started)}
    else:
        since = state.terminated_at.get(pod.key, (pod.created + 8, ""))[0] if index == 0 else 0
        cstate = {"running": {"startedAt": ts(max(since, pod.created + 8) + 1)}}
    last: Obj = {}
    if restarts:
        end, reason = state.terminated_at.get(pod.key, (pod.created + 3600, "OOMKilled"))
        last = {"terminated": _terminated(pod, end, reason, started)}
    out: Obj = {
        "name": spec["name"],
        "state": cstate,
        "lastState": last,
        "ready": ready,
        "restartCount": restarts,
        "image": spec["image"],
        "imageID": "sha256:" + _hash(spec["image"]) * 2,
        "started": "running" in cstate,
    }
    if pod.node:
        out["containerID"] = "containerd://" + _hash(pod.name, spec["name"]) * 2
    return out


def _terminated(pod: Pod, end: float, reason: str, started: str) -> Obj:
    if reason == "OOMKilled":
        return {
            "reason": "OOMKilled",
            "exitCode": 137,
            "startedAt": started,
            "finishedAt": ts(end),
            "containerID": "containerd://" + _hash(pod.name, "previous") * 2,
        }
    message = TERMINATION_MESSAGES.get(
        pod.owner, "process exited with status 1 (see the previous container's logs)"
    )
    return {
        "reason": "Error",
        "exitCode": 1,
        "message": message,
        "startedAt": ts(max(end - 4, pod.created)),
        "finishedAt": ts(end),
        "containerID": "containerd://" + _hash(pod.name, "previous") * 2,
    }


def pod_object(state: ClusterState, pod: Pod) -> Obj:
    """A Pod as ``kubectl get pod -o json`` shows it, from the simulation's model."""
    workload = state.workloads.get(f"{pod.namespace}/{pod.owner}")
    labels = dict(workload.labels) if workload else {}
    template_hash = state.template_hash.get(f"{pod.namespace}/{pod.owner}", "")
    meta: Obj = {
        "name": pod.name,
        "namespace": pod.namespace,
        "uid": _uid(state.name, pod.namespace, pod.name),
        "resourceVersion": str(int(_hash(pod.key, str(pod))[:6], 16)),
        "creationTimestamp": ts(pod.created),
        "labels": labels,
        "annotations": {"prometheus.io/scrape": "true", "prometheus.io/port": "9090"},
        "managedFields": _managed_fields("kube-controller-manager", ts(pod.created)),
    }
    if workload is not None and workload.stateful:
        meta["ownerReferences"] = [_owner_ref("apps/v1", "StatefulSet", pod.owner, state, pod)]
    elif workload is not None:
        labels["pod-template-hash"] = template_hash
        meta["generateName"] = f"{pod.owner}-{template_hash}-"
        rs = f"{pod.owner}-{template_hash}"
        meta["ownerReferences"] = [_owner_ref("apps/v1", "ReplicaSet", rs, state, pod)]
    if pod.status == "Terminating":
        meta["deletionTimestamp"] = ts(state.now)
        meta["deletionGracePeriodSeconds"] = 30
    count = pod.containers
    specs = [_container_spec(state, pod.owner or pod.name, i) for i in range(count)]
    phase = _phase(pod)
    scheduled = bool(pod.node)
    running = phase == "Running"
    all_ready = running and pod.ready == count and pod.status == "Running"
    when = ts(pod.created + 2)
    conditions: list[Obj] = [
        {
            "type": "PodScheduled",
            "status": "True" if scheduled else "False",
            "lastTransitionTime": when,
            **(
                {}
                if scheduled
                else {
                    "reason": "Unschedulable",
                    "message": "0/20 nodes are available: 20 Insufficient cpu. preemption: "
                    "0/20 nodes are available: 20 No preemption victims found for incoming pod.",
                }
            ),
        }
    ]
    if scheduled:
        not_ready = {} if all_ready else {"reason": "ContainersNotReady"}
        changed = ts(pod.since) if pod.since and not all_ready else when
        conditions = [
            {"type": "Initialized", "status": "True", "lastTransitionTime": when},
            {
                "type": "Ready",
                "status": "True" if all_ready else "False",
                "lastTransitionTime": changed,
                **not_ready,
            },
            {
                "type": "ContainersReady",
                "status": "True" if all_ready else "False",
                "lastTransitionTime": changed,
                **not_ready,
            },
            *conditions,
        ]
    status: Obj = {"phase": phase, "conditions": conditions, "qosClass": "Burstable"}
    if scheduled:
        ip = _ip("10.0" if state.profile.cluster.cloud == "aws" else "10.52", state.name, pod.key)
        status |= {
            "hostIP": node_ip(state, pod.node),
            "podIP": ip,
            "podIPs": [{"ip": ip}],
            "startTime": ts(pod.created + 3),
            "containerStatuses": [
                _container_status(state, pod, i, spec) for i, spec in enumerate(specs)
            ],
        }
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": meta,
        "spec": {
            "containers": specs,
            "nodeName": pod.node,
            "restartPolicy": "Always",
            "serviceAccountName": pod.owner.removesuffix("-blue").removesuffix("-green")
            or "default",
            "terminationGracePeriodSeconds": 30,
            "dnsPolicy": "ClusterFirst",
            "schedulerName": "default-scheduler",
            "priority": 0,
        }
        if pod.node
        else {
            "containers": specs,
            "restartPolicy": "Always",
            "serviceAccountName": "default",
            "schedulerName": "default-scheduler",
        },
        "status": status,
    }


def _owner_ref(api: str, kind: str, name: str, state: ClusterState, pod: Pod) -> Obj:
    return {
        "apiVersion": api,
        "kind": kind,
        "name": name,
        "uid": _uid(state.name, pod.namespace, kind, name),
        "controller": True,
        "blockOwnerDeletion": True,
    }


def deployment_object(state: ClusterState, dep: Deployment) -> Obj:
    """A Deployment with its pod template and rollout status."""
    labels = dict(dep.pod_labels)
    workload = state.workloads.get(dep.key)
    count = workload.containers if workload else 1
    created = state.now - 9 * 86400 if dep.namespace == NAMESPACE else state.now - 30 * 86400
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {
            "name": dep.name,
            "namespace": dep.namespace,
            "uid": _uid(state.name, dep.key, "deployment"),
            "resourceVersion": dep.resource_version,
            "generation": 4,
            "creationTimestamp": ts(created),
            "labels": labels,
            "annotations": {"deployment.kubernetes.io/revision": str(dep.revision or 1)},
            "managedFields": _managed_fields("helm", ts(created)),
        },
        "spec": {
            "replicas": dep.desired,
            "selector": {"matchLabels": labels},
            "strategy": {
                "type": "RollingUpdate",
                "rollingUpdate": {"maxSurge": "25%", "maxUnavailable": "25%"},
            },
            "template": {
                "metadata": {"labels": labels},
                "spec": {"containers": [_container_spec(state, dep.name, i) for i in range(count)]},
            },
        },
        "status": {
            "observedGeneration": 4,
            "replicas": dep.updated,
            "updatedReplicas": dep.updated,
            "readyReplicas": dep.ready,
            "availableReplicas": dep.available,
            "unavailableReplicas": dep.unavailable,
            "conditions": [
                {
                    "type": "Available",
                    "status": "True" if dep.available >= dep.desired else "False",
                    "reason": "MinimumReplicasAvailable"
                    if dep.available >= dep.desired
                    else "MinimumReplicasUnavailable",
                },
                {"type": "Progressing", "status": "True", "reason": "NewReplicaSetAvailable"},
            ],
        },
    }


def service_object(state: ClusterState, svc: Service) -> Obj:
    """A ClusterIP Service and its selector."""
    return {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {
            "name": svc.name,
            "namespace": svc.namespace,
            "uid": _uid(state.name, svc.key, "service"),
            "resourceVersion": svc.resource_version,
            "creationTimestamp": ts(state.now - 60 * 86400),
        },
        "spec": {
            "type": "ClusterIP",
            "clusterIP": _ip("172.20", state.name, svc.key),
            "selector": dict(svc.selector),
            "ports": [{"name": "http", "port": 80, "targetPort": 8080, "protocol": "TCP"}],
        },
        "status": {"loadBalancer": {}},
    }


def hpa_object(state: ClusterState, hpa: Hpa) -> Obj:
    """An autoscaling/v2 HPA with its metrics and their current values."""
    kind, _, name = hpa.target.partition("/")
    metrics = [
        {
            "type": "Resource",
            "resource": {
                "name": m.name,
                "target": {"type": "Utilization", "averageUtilization": int(m.target)},
            },
        }
        for m in hpa.metrics
    ]
    current = [
        {
            "type": "Resource",
            "resource": {
                "name": m.name,
                "current": {"averageUtilization": int(m.current)},
            },
        }
        for m in hpa.metrics
        if m.current is not None
    ]
    return {
        "apiVersion": "autoscaling/v2",
        "kind": "HorizontalPodAutoscaler",
        "metadata": {
            "name": hpa.name,
            "namespace": hpa.namespace,
            "uid": _uid(state.name, hpa.key, "hpa"),
            "resourceVersion": hpa.resource_version,
            "creationTimestamp": ts(state.now - 9 * 86400),
        },
        "spec": {
            "scaleTargetRef": {"apiVersion": "apps/v1", "kind": kind, "name": name},
            "minReplicas": hpa.min_replicas,
            "maxReplicas": hpa.max_replicas,
            "metrics": metrics,
        },
        "status": {
            "currentReplicas": hpa.current_replicas,
            "desiredReplicas": hpa.desired_replicas,
            "currentMetrics": current,
            "conditions": [
                {
                    "type": "ScalingLimited",
                    "status": "True" if hpa.at_max else "False",
                    "reason": "TooManyReplicas" if hpa.at_max else "DesiredWithinRange",
                    "message": "the desired replica count is more than the maximum replica count"
                    if hpa.at_max
                    else "the desired count is within the acceptable range",
                    **({"lastTransitionTime": ts(hpa.limited_since)} if hpa.limited_since else {}),
                }
            ],
        },
    }


def node_object(state: ClusterState, node: Node) -> Obj:
    """A Node with its pool label, addresses, capacity and Ready condition."""
    aws = state.profile.cluster.cloud == "aws"
    pool_label = "eks.amazonaws.com/nodegroup" if aws else "cloud.google.com/gke-nodepool"
    zone = ("us-east-1", "abc") if aws else ("us-central1", "abf")
    letter = zone[1][int(_hash(node.name)[:2], 16) % 3]
    ip = node_ip(state, node.name)
    ready = {
        "type": "Ready",
        "status": "True" if node.ready else "Unknown",
        "reason": "KubeletReady" if node.ready else "NodeStatusUnknown",
        "message": "kubelet is posting ready status"
        if node.ready
        else "Kubelet stopped posting node status.",
        "lastHeartbeatTime": ts(state.now - 5),
        "lastTransitionTime": ts(node.since or node.created),
    }
    return {
        "apiVersion": "v1",
        "kind": "Node",
        "metadata": {
            "name": node.name,
            "uid": _uid(state.name, "node", node.name),
            "creationTimestamp": ts(node.created),
            "labels": {
                pool_label: node.pool,
                "node.kubernetes.io/instance-type": node.machine_type,
                "topology.kubernetes.io/zone": f"{zone[0]}-{letter}",
                "kubernetes.io/hostname": node.name,
            },
        },
        "spec": {
            "providerID": f"aws:///{zone[0]}{letter}/i-0{_hash(node.name)[:16]}"
            if aws
            else f"gce://wundr-platform/{zone[0]}-{letter}/{node.name}",
            **({} if node.ready else {"taints": [_unreachable()]}),
        },
        "status": {
            "conditions": [ready],
            "addresses": [
                {"type": "InternalIP", "address": ip},
                {"type": "Hostname", "address": node.name},
            ],
            "capacity": {"cpu": "8", "memory": "32Gi", "pods": "110"},
            "allocatable": {"cpu": "7910m", "memory": "30Gi", "pods": "110"},
            "nodeInfo": {
                "kubeletVersion": f"v{state.profile.version}",
                "containerRuntimeVersion": "containerd://1.7.22",
                "osImage": "Amazon Linux 2023" if aws else "Container-Optimized OS from Google",
            },
        },
    }


def _unreachable() -> Obj:
    return {"key": "node.kubernetes.io/unreachable", "effect": "NoExecute"}


def full_object(state: ClusterState, kind: Kind, namespace: str, name: str) -> Obj | None:
    """The whole object of one kind and name as a GET would answer now; None when gone or
    when the kind has no Kubernetes object in the demo (cloud node pools, database links,
    alerts, Velero objects: their views show what the store has)."""
    key = f"{namespace}/{name}" if namespace else name
    if kind is Kind.POD and (pod := state.pods.get(key)) is not None:
        return pod_object(state, pod)
    if kind is Kind.DEPLOYMENT and (dep := state.deployments.get(key)) is not None:
        return deployment_object(state, dep)
    if kind is Kind.SERVICE and (svc := state.services.get(key)) is not None:
        return service_object(state, svc)
    if kind is Kind.HPA and (hpa := state.hpas.get(key)) is not None:
        return hpa_object(state, hpa)
    if kind is Kind.NODE and (node := state.nodes.get(name)) is not None:
        return node_object(state, node)
    return None
