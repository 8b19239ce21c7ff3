get svc -o custom-columns-file=templates/services.columns -f kubectl.yaml
