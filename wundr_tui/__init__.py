"""wundr-tui: the on-call cockpit for EKS and GKE side by side."""

__version__ = "0.1.0"
