get svc web db -o name -f kubectl.yaml
