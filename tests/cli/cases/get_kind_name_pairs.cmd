get svc/web ep/legacy svc/db -f kubectl.yaml
