"""Modal screens: the confirmation dialog, action forms, help and the audit log viewer."""
