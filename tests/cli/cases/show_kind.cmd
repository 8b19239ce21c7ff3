get svc web --show-kind -f kubectl.yaml
