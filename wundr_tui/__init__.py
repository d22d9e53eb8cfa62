"""wundr-tui: the on-call cockpit for EKS and GKE side by side."""

__version__ = "0.1.0"

USER_AGENT = f"wundr-tui/{__version__}"
"""What every request says is calling, as kubectl sends ``kubectl/VERSION``: the apiserver,
AWS, GCP, Prometheus and Alertmanager, so platform teams can tell the cockpit apart in their
audit logs and priority-and-fairness rules."""
