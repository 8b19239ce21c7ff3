get svc svc/web -f kubectl.yaml
