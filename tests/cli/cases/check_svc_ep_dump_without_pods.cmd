check -f check/svc-ep-dump.yaml
