describe svc db -f kubectl.yaml
