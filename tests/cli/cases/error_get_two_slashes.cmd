get svc/web/x -f kubectl.yaml
