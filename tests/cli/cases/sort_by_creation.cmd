get svc --sort-by=metadata.creationTimestamp -f kubectl.yaml
