"""Valid Kubernetes objects for the test apiserver, shaped like the seed platform.

Pods are realistic in size (managedFields, env, volumes, conditions: about 5-7 KB of JSON each),
because the benchmarks are about bytes and parsing.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from typing import Any

Obj = dict[str, Any]

EPOCH = 1_764_115_200.0
"""2025-11-26T00:00:00Z: creation times are relative to this."""


def ts(seconds: float) -> str:
    """Seconds since the epoch as RFC 3339."""
    return datetime.fromtimestamp(seconds, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _uid(*parts: str) -> str:
    h = hashlib.md5("/".join(parts).encode(), usedforsecurity=False).hexdigest()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:32]}"


def _managed_fields(manager: str, when: str) -> list[Obj]:
    return [
        {
            "manager": manager,
            "operation": "Update",
            "apiVersion": "v1",
            "time": when,
            "fieldsType": "FieldsV1",
            "fieldsV1": {
                "f:metadata": {
                    "f:generateName": {},
                    "f:labels": {".": {}, "f:app": {}, "f:pod-template-hash": {}},
                    "f:ownerReferences": {".": {}, 'k:{"uid":"x"}': {}},
                },
                "f:spec": {
                    "f:containers": {
                        'k:{"name":"app"}': {
                            ".": {},
                            "f:env": {".": {}, 'k:{"name":"LOG_LEVEL"}': {".": {}, "f:name": {}}},
                            "f:image": {},
                            "f:imagePullPolicy": {},
                            "f:name": {},
                            "f:ports": {".": {}},
                            "f:resources": {".": {}, "f:limits": {}, "f:requests": {}},
                        }
                    },
                    "f:dnsPolicy": {},
                    "f:restartPolicy": {},
                    "f:schedulerName": {},
                    "f:terminationGracePeriodSeconds": {},
                },
            },
        },
        {
            "manager": "kubelet",
            "operation": "Update",
            "apiVersion": "v1",
            "time": when,
            "fieldsType": "FieldsV1",
            "fieldsV1": {
                "f:status": {
                    "f:conditions": {'k:{"type":"Ready"}': {".": {}, "f:status": {}}},
                    "f:containerStatuses": {},
                    "f:hostIP": {},
                    "f:phase": {},
                    "f:podIP": {},
                    "f:startTime": {},
                }
            },
            "subresource": "status",
        },
    ]


TERMINATION_MESSAGE = "panic: payments ledger: connection refused (db wundr-db.internal:5432)"
"""What a crash-looping fake pod's last container run wrote to its termination log."""


def _last_state(waiting: str, restarts: int, created: float) -> Obj:
    """A crash-looping container's previous run: terminated with Error, exit code 1."""
    if waiting != "CrashLoopBackOff" or not restarts:
        return {}
    return {
        "terminated": {
            "reason": "Error",
            "exitCode": 1,
            "message": TERMINATION_MESSAGE,
            "startedAt": ts(created + 3000),
            "finishedAt": ts(created + 3030),
            "containerID": "containerd://" + "ab" * 32,
        }
    }


def pod(
    namespace: str,
    name: str,
    *,
    owner: str = "",
    node: str = "",
    phase: str = "Running",
    waiting: str = "",
    ready: bool = True,
    restarts: int = 0,
    created: float = EPOCH - 86400,
    resource_version: str = "1",
    containers: int = 1,
    deleting: bool = False,
    unready_since: float | None = None,
) -> Obj:
    """A pod; ``owner`` is a deployment name (a ReplicaSet with a hash is made up). A pod that
    is not ready has been so since ``unready_since`` (default: its first crash, at the end of
    ``_last_state``'s run, for a crash loop; else its creation), as its Ready condition says."""
    when = ts(created)
    if unready_since is None:
        unready_since = created + 3030 if waiting == "CrashLoopBackOff" and restarts else created
    changed = when if ready else ts(unready_since)
    labels = {"app": owner or name, "pod-template-hash": "7d9f8c6b5"}
    meta: Obj = {
        "name": name,
        "namespace": namespace,
        "uid": _uid(namespace, name),
        "resourceVersion": resource_version,
        "creationTimestamp": when,
        "labels": labels,
        "annotations": {
            "kubectl.kubernetes.io/restartedAt": when,
            "prometheus.io/scrape": "true",
            "prometheus.io/port": "9090",
        },
        "managedFields": _managed_fields("kube-controller-manager", when),
    }
    if owner:
        meta["generateName"] = f"{owner}-7d9f8c6b5-"
        meta["ownerReferences"] = [
            {
                "apiVersion": "apps/v1",
                "kind": "ReplicaSet",
                "name": f"{owner}-7d9f8c6b5",
                "uid": _uid(namespace, owner, "rs"),
                "controller": True,
                "blockOwnerDeletion": True,
            }
        ]
    if deleting:
        meta["deletionTimestamp"] = ts(created + 60)
        meta["deletionGracePeriodSeconds"] = 30
    specs = []
    statuses = []
    for i in range(containers):
        cname = "app" if i == 0 else f"sidecar-{i}"
        specs.append(
            {
                "name": cname,
                "image": f"123456789012.dkr.ecr.us-east-1.amazonaws.com/{owner or name}:v1.42.{i}",
                "ports": [{"containerPort": 8080, "name": "http", "protocol": "TCP"}],
                "env": [
                    {"name": "LOG_LEVEL", "value": "info"},
                    {"name": "ENVIRONMENT", "value": "production"},
                    {"name": "DB_HOST", "value": "wundr-db.internal"},
                    {
                        "name": "POD_NAME",
                        "valueFrom": {
                            "fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.name"}
                        },
                    },
                ],
                "resources": {
                    "limits": {"cpu": "1", "memory": "1Gi"},
                    "requests": {"cpu": "250m", "memory": "512Mi"},
                },
                "volumeMounts": [
                    {
                        "name": "kube-api-access",
                        "mountPath": "/var/run/secrets/kubernetes.io/serviceaccount",
                        "readOnly": True,
                    }
                ],
                "livenessProbe": {
                    "httpGet": {"path": "/healthz", "port": 8080, "scheme": "HTTP"},
                    "initialDelaySeconds": 10,
                    "periodSeconds": 10,
                    "timeoutSeconds": 1,
                    "successThreshold": 1,
                    "failureThreshold": 3,
                },
                "terminationMessagePath": "/dev/termination-log",
                "terminationMessagePolicy": "File",
                "imagePullPolicy": "IfNotPresent",
            }
        )
        if waiting:
            state: Obj = {"waiting": {"reason": waiting, "message": f"{waiting} for {cname}"}}
        elif phase == "Pending":
            state = {"waiting": {"reason": "ContainerCreating"}}
        else:
            state = {"running": {"startedAt": when}}
        statuses.append(
            {
                "name": cname,
                "state": state,
                "lastState": _last_state(waiting, restarts if i == 0 else 0, created),
                "ready": ready and not waiting and phase == "Running",
                "restartCount": restarts if i == 0 else 0,
                "image": specs[-1]["image"],
                "imageID": "sha256:" + hashlib.sha256(cname.encode()).hexdigest(),
                "containerID": "containerd://" + hashlib.sha256(name.encode()).hexdigest(),
                "started": not waiting,
            }
        )
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": meta,
        "spec": {
            "containers": specs,
            "volumes": [
                {
                    "name": "kube-api-access",
                    "projected": {
                        "defaultMode": 420,
                        "sources": [
                            {"serviceAccountToken": {"expirationSeconds": 3607, "path": "token"}},
                            {
                                "configMap": {
                                    "name": "kube-root-ca.crt",
                                    "items": [{"key": "ca.crt", "path": "ca.crt"}],
                                }
                            },
                        ],
                    },
                }
            ],
            "restartPolicy": "Always",
            "terminationGracePeriodSeconds": 30,
            "dnsPolicy": "ClusterFirst",
            "serviceAccountName": "default",
            "nodeName": node,
            "schedulerName": "default-scheduler",
            "tolerations": [
                {
                    "key": "node.kubernetes.io/not-ready",
                    "operator": "Exists",
                    "effect": "NoExecute",
                    "tolerationSeconds": 300,
                }
            ],
            "priority": 0,
            "enableServiceLinks": True,
        },
        "status": {
            "phase": phase,
            "conditions": [
                {
                    "type": t,
                    "status": "True" if ready or t == "PodScheduled" else "False",
                    "lastProbeTime": None,
                    "lastTransitionTime": changed if t in ("Ready", "ContainersReady") else when,
                }
                for t in ("Initialized", "Ready", "ContainersReady", "PodScheduled")
            ],
            "hostIP": "10.0.12.34",
            "podIP": "10.0.45.67",
            "podIPs": [{"ip": "10.0.45.67"}],
            "startTime": when,
            "containerStatuses": statuses,
            "qosClass": "Burstable",
        },
    }


def deployment(
    namespace: str,
    name: str,
    *,
    replicas: int = 3,
    ready: int | None = None,
    labels: dict[str, str] | None = None,
    resource_version: str = "1",
    image: str = "",
    revision: int = 1,
) -> Obj:
    """A Deployment (``image`` defaults to ``example/NAME:v1``)."""
    ready = replicas if ready is None else ready
    pod_labels = {"app": name, **(labels or {})}
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {
            "name": name,
            "namespace": namespace,
            "uid": _uid(namespace, name, "deploy"),
            "resourceVersion": resource_version,
            "generation": 1,
            "creationTimestamp": ts(EPOCH - 864000),
            "labels": {"app": name},
            "annotations": {"deployment.kubernetes.io/revision": str(revision)},
        },
        "spec": {
            "replicas": replicas,
            "selector": {"matchLabels": pod_labels},
            "template": {
                "metadata": {"labels": pod_labels},
                "spec": {"containers": [{"name": "app", "image": image or f"example/{name}:v1"}]},
            },
            "strategy": {"type": "RollingUpdate"},
        },
        "status": {
            "observedGeneration": 1,
            "replicas": replicas,
            "updatedReplicas": replicas,
            "readyReplicas": ready,
            "availableReplicas": ready,
        },
    }


def service(
    namespace: str, name: str, selector: dict[str, str], *, resource_version: str = "1"
) -> Obj:
    """A ClusterIP Service."""
    return {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {
            "name": name,
            "namespace": namespace,
            "uid": _uid(namespace, name, "svc"),
            "resourceVersion": resource_version,
            "creationTimestamp": ts(EPOCH - 864000),
        },
        "spec": {
            "type": "ClusterIP",
            "selector": selector,
            "ports": [{"name": "http", "port": 80, "protocol": "TCP", "targetPort": 8080}],
            "clusterIP": "172.20.0.10",
        },
        "status": {"loadBalancer": {}},
    }


def hpa(
    namespace: str,
    name: str,
    *,
    target: str,
    min_replicas: int = 2,
    max_replicas: int = 10,
    current: int = 3,
    desired: int = 3,
    cpu_now: int = 55,
    cpu_target: int = 70,
    resource_version: str = "1",
    limited_since: float = EPOCH - 600,
) -> Obj:
    """An autoscaling/v2 HorizontalPodAutoscaler on CPU utilisation; at its maximum, its
    ScalingLimited condition has been True since ``limited_since``."""
    at_max = desired >= max_replicas
    return {
        "apiVersion": "autoscaling/v2",
        "kind": "HorizontalPodAutoscaler",
        "metadata": {
            "name": name,
            "namespace": namespace,
            "uid": _uid(namespace, name, "hpa"),
            "resourceVersion": resource_version,
            "creationTimestamp": ts(EPOCH - 864000),
        },
        "spec": {
            "scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": target},
            "minReplicas": min_replicas,
            "maxReplicas": max_replicas,
            "metrics": [
                {
                    "type": "Resource",
                    "resource": {
                        "name": "cpu",
                        "target": {"type": "Utilization", "averageUtilization": cpu_target},
                    },
                }
            ],
        },
        "status": {
            "currentReplicas": current,
            "desiredReplicas": desired,
            "currentMetrics": [
                {
                    "type": "Resource",
                    "resource": {
                        "name": "cpu",
                        "current": {"averageUtilization": cpu_now, "averageValue": "275m"},
                    },
                }
            ],
            "conditions": [
                {
                    "type": "AbleToScale",
                    "status": "True",
                    "lastTransitionTime": ts(EPOCH - 864000),
                    "reason": "ReadyForNewScale",
                },
                {
                    "type": "ScalingLimited",
                    "status": "True" if at_max else "False",
                    "lastTransitionTime": ts(limited_since if at_max else EPOCH - 864000),
                    "reason": "TooManyReplicas" if at_max else "DesiredWithinRange",
                },
            ],
        },
    }


def node(
    name: str,
    *,
    pool: str,
    cloud: str,
    ready: bool = True,
    machine: str = "",
    changed: float = EPOCH - 3 * 86400,
) -> Obj:
    """A Node labelled with its EKS nodegroup or GKE node pool; its Ready condition last
    changed at ``changed`` (when it went not ready, for one that is not)."""
    label = "eks.amazonaws.com/nodegroup" if cloud == "aws" else "cloud.google.com/gke-nodepool"
    machine = machine or ("m6i.xlarge" if cloud == "aws" else "e2-standard-4")
    return {
        "apiVersion": "v1",
        "kind": "Node",
        "metadata": {
            "name": name,
            "uid": _uid(name, "node"),
            "resourceVersion": "1",
            "creationTimestamp": ts(EPOCH - 3 * 86400),
            "labels": {
                label: pool,
                "node.kubernetes.io/instance-type": machine,
                "kubernetes.io/hostname": name,
            },
        },
        "spec": {},
        "status": {
            "conditions": [
                {
                    "type": "Ready",
                    "status": "True" if ready else "False",
                    "reason": "KubeletReady" if ready else "KubeletNotReady",
                    "lastTransitionTime": ts(changed),
                }
            ],
            "nodeInfo": {
                "architecture": "amd64",
                "bootID": _uid(name, "boot"),
                "containerRuntimeVersion": "containerd://1.7.22",
                "kernelVersion": "6.1.112",
                "kubeProxyVersion": "v1.31.2",
                "kubeletVersion": "v1.31.2",
                "machineID": _uid(name, "machine").replace("-", ""),
                "operatingSystem": "linux",
                "osImage": "Bottlerocket OS 1.26.1" if cloud == "aws" else "Container-Optimized OS",
                "systemUUID": _uid(name, "system"),
            },
        },
    }


def velero_schedule(
    name: str, *, schedule: str = "0 */6 * * *", namespaces: tuple[str, ...] = ("wundr-platform",)
) -> Obj:
    """A Velero Schedule."""
    return {
        "apiVersion": "velero.io/v1",
        "kind": "Schedule",
        "metadata": {
            "name": name,
            "namespace": "velero",
            "resourceVersion": "1",
            "creationTimestamp": ts(EPOCH - 30 * 86400),
        },
        "spec": {
            "schedule": schedule,
            "template": {"ttl": "720h0m0s", "includedNamespaces": list(namespaces)},
        },
        "status": {"phase": "Enabled", "lastBackup": ts(EPOCH - 3600)},
    }


def velero_backup(name: str, *, schedule: str = "", phase: str = "Completed") -> Obj:
    """A Velero Backup."""
    meta: Obj = {
        "name": name,
        "namespace": "velero",
        "resourceVersion": "1",
        "creationTimestamp": ts(EPOCH - 3600),
    }
    if schedule:
        meta["labels"] = {"velero.io/schedule-name": schedule}
    return {
        "apiVersion": "velero.io/v1",
        "kind": "Backup",
        "metadata": meta,
        "spec": {"includedNamespaces": ["wundr-platform"], "ttl": "720h0m0s"},
        "status": {
            "phase": phase,
            "startTimestamp": ts(EPOCH - 3600),
            "completionTimestamp": ts(EPOCH - 3500),
            "expiration": ts(EPOCH + 29 * 86400),
            "progress": {"itemsBackedUp": 412, "totalItems": 412},
            "errors": 0,
            "warnings": 1,
        },
    }


def velero_restore(name: str, *, backup: str, phase: str = "InProgress") -> Obj:
    """A Velero Restore."""
    return {
        "apiVersion": "velero.io/v1",
        "kind": "Restore",
        "metadata": {
            "name": name,
            "namespace": "velero",
            "resourceVersion": "1",
            "creationTimestamp": ts(EPOCH - 600),
        },
        "spec": {"backupName": backup, "namespaceMapping": {"wundr-platform": "wundr-restore"}},
        "status": {
            "phase": phase,
            "startTimestamp": ts(EPOCH - 600),
            "progress": {"itemsRestored": 100, "totalItems": 412},
        },
    }


SERVICES = ("api-gateway", "orders", "payments", "notifications")
"""The seed platform's four services."""


def platform(cloud: str, *, pods: int = 0, prefix: str = "") -> dict[str, list[Obj]]:
    """A small platform: the four services in blue and green, HPAs, three node pools, Velero.

    ``pods`` (if more than the platform's own) adds filler pods across namespaces, for size.
    Returns objects by resource plural.
    """
    ns = "wundr-platform"
    out: dict[str, list[Obj]] = {
        k: []
        for k in (
            "pods",
            "deployments",
            "services",
            "horizontalpodautoscalers",
            "nodes",
            "schedules",
            "backups",
            "restores",
        )
    }
    pools = ("system", "general", "spot") if cloud == "aws" else ("default-pool", "general", "spot")
    node_names = []
    for p in pools:
        for i in range(2):
            name = (
                f"ip-10-0-{len(node_names)}-{i}.ec2.internal"
                if cloud == "aws"
                else f"gke-wundr-{p}-{i:04d}"
            )
            node_names.append(name)
            out["nodes"].append(node(name, pool=p, cloud=cloud, ready=not (p == "spot" and i)))
    for svc in SERVICES:
        for colour in ("blue", "green"):
            dname = f"{svc}-{colour}"
            out["deployments"].append(
                deployment(ns, dname, replicas=2, labels={"environment": f"production-{colour}"})
            )
            for i in range(2):
                crash = svc == "payments" and colour == "green" and i == 1
                out["pods"].append(
                    pod(
                        ns,
                        f"{dname}-7d9f8c6b5-{prefix}{i:05d}",
                        owner=dname,
                        node=node_names[i % len(node_names)],
                        waiting="CrashLoopBackOff" if crash else "",
                        ready=not crash,
                        restarts=7 if crash else 0,
                    )
                )
        out["horizontalpodautoscalers"].append(
            hpa(
                ns,
                svc,
                target=f"{svc}-blue",
                max_replicas=4 if svc == "orders" else 10,
                current=4 if svc == "orders" else 2,
                desired=4 if svc == "orders" else 2,
            )
        )
    out["services"].append(
        service(ns, "wundr-platform-service", {"app": "wundr", "environment": "production-blue"})
    )
    out["schedules"].append(velero_schedule("wundr-daily"))
    out["backups"].append(velero_backup("wundr-daily-20251125", schedule="wundr-daily"))
    out["restores"].append(
        velero_restore("wundr-daily-20251125-drill", backup="wundr-daily-20251125")
    )
    extra = max(pods - len(out["pods"]), 0)
    for i in range(extra):
        filler_ns = f"team-{i % 20:02d}"
        owner = f"worker-{(i // 10) % 500:03d}"
        out["pods"].append(
            pod(
                filler_ns,
                f"{owner}-7d9f8c6b5-{prefix}{i:06d}",
                owner=owner,
                node=node_names[i % len(node_names)],
                restarts=i % 3,
            )
        )
    return out


def stored_bench_pod(namespace: str, name: str) -> Obj:
    """A pod as bench/real_apiserver.py creates it (one container, one label, no scheduler,
    no kubelet) and as kube-apiserver stores it: its defaults, one managedFields entry, the two
    default tolerations, Pending. bench/wire.py serves these from the fake (``--shape bench``)
    so that its figures compare with the real server's on the same objects."""
    when = ts(EPOCH)
    app = name.rsplit("-", 1)[0]
    return {
        "kind": "Pod",
        "apiVersion": "v1",
        "metadata": {
            "name": name,
            "namespace": namespace,
            "uid": _uid(namespace, name),
            "resourceVersion": "1",
            "creationTimestamp": when,
            "labels": {"app": app},
            "managedFields": [
                {
                    "manager": "Python-urllib",
                    "operation": "Update",
                    "apiVersion": "v1",
                    "time": when,
                    "fieldsType": "FieldsV1",
                    "fieldsV1": {
                        "f:metadata": {"f:labels": {".": {}, "f:app": {}}},
                        "f:spec": {
                            "f:containers": {
                                'k:{"name":"app"}': {
                                    ".": {},
                                    "f:image": {},
                                    "f:imagePullPolicy": {},
                                    "f:name": {},
                                    "f:resources": {},
                                    "f:terminationMessagePath": {},
                                    "f:terminationMessagePolicy": {},
                                }
                            },
                            "f:dnsPolicy": {},
                            "f:enableServiceLinks": {},
                            "f:restartPolicy": {},
                            "f:schedulerName": {},
                            "f:securityContext": {},
                            "f:terminationGracePeriodSeconds": {},
                        },
                    },
                }
            ],
        },
        "spec": {
            "containers": [
                {
                    "name": "app",
                    "image": "registry.example/app:1.0",
                    "resources": {},
                    "terminationMessagePath": "/dev/termination-log",
                    "terminationMessagePolicy": "File",
                    "imagePullPolicy": "IfNotPresent",
                }
            ],
            "restartPolicy": "Always",
            "terminationGracePeriodSeconds": 30,
            "dnsPolicy": "ClusterFirst",
            "securityContext": {},
            "schedulerName": "default-scheduler",
            "tolerations": [
                {
                    "key": f"node.kubernetes.io/{taint}",
                    "operator": "Exists",
                    "effect": "NoExecute",
                    "tolerationSeconds": 300,
                }
                for taint in ("not-ready", "unreachable")
            ],
            "priority": 0,
            "enableServiceLinks": True,
            "preemptionPolicy": "PreemptLowerPriority",
        },
        "status": {"phase": "Pending", "qosClass": "BestEffort"},
    }
