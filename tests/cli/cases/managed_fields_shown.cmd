get svc web -o yaml --show-managed-fields -f kubectl.yaml
