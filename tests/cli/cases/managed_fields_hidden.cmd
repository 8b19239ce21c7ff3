get svc web -o yaml -f kubectl.yaml
